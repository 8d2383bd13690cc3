import type { Person } from "@jiuye/contracts";
import { Card, Empty, Typography } from "antd";
import { useEffect, useState } from "react";
import { api, errorMessage } from "../../api/client";
import { useAuth } from "../../app/auth-context";
import { LedgerPanel } from "./LedgerPanel";
import { PersonDetail } from "./PersonsPage";

/** 劳动者本人: sees their own record (masked), and can reveal their own numbers. */
export function MyProfilePage() {
  const { me } = useAuth();
  const [person, setPerson] = useState<Person | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (me?.personId) api<Person>("GET", `/persons/${me.personId}`).then(setPerson, (e) => setError(errorMessage(e)));
  }, [me?.personId]);
  return (
    <div>
      <Typography.Title level={3}>我的信息</Typography.Title>
      <Card style={{ maxWidth: 640 }}>
        {person ? <PersonDetail person={person} /> : <Empty description={error ?? "尚未关联劳动者信息"} />}
      </Card>
      {person && (
        <Card title="我的就业失业登记" style={{ maxWidth: 640, marginTop: 16 }}>
          <LedgerPanel personId={person.id} canWrite={false} />
        </Card>
      )}
    </div>
  );
}
