import type { PublicNotice } from "@jiuye/contracts";
import { Card, Table, Typography } from "antd";
import { useEffect, useState } from "react";
import { useParams } from "react-router";
import { api, errorMessage } from "../../api/client";
import { yuan } from "./Explanation";

/** 公示: the approved list with masked names, open to everyone. */
export function PublicNoticePage() {
  const { id } = useParams();
  const [n, setN] = useState<PublicNotice | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<PublicNotice>("GET", `/public/notices/${id}`)
      .then(setN)
      .catch((e) => setError(errorMessage(e)));
  }, [id]);
  return (
    <div style={{ maxWidth: 960, margin: "24px auto", padding: "0 16px" }}>
      <Card title={n ? `${n.policyName}（${n.period}）拟享受人员名单公示` : "公示"} data-testid="public-notice">
        {error && <Typography.Text type="danger">{error}</Typography.Text>}
        {n && (
          <>
            <Typography.Paragraph>
              {n.regionName ?? ""} 公示期：{n.noticeFrom} 至 {n.noticeUntil}
              。如有异议，请在公示期内登录本平台或向所在街道（社区）公共就业服务机构反映。
            </Typography.Paragraph>
            <Table
              size="small"
              rowKey="candidateId"
              dataSource={n.entries}
              pagination={{ pageSize: 50 }}
              columns={[
                { title: "姓名", dataIndex: "name" },
                { title: "社区", dataIndex: "regionName" },
                { title: "金额", dataIndex: "amountFen", render: (v: number | null) => yuan(v) },
              ]}
            />
          </>
        )}
      </Card>
    </div>
  );
}
