import type { Household } from "@jiuye/contracts";
import { Alert, Empty, Table, Tag } from "antd";
import { useEffect, useState } from "react";
import { ApiError, api } from "../../api/client";

const RELATIONS: Record<string, string> = {
  head: "户主",
  spouse: "配偶",
  child: "子女",
  parent: "父母",
  sibling: "兄弟姐妹",
  grandchild: "孙子女",
  grandparent: "祖父母",
  other: "其他",
};
const STATUS: Record<string, [string, string]> = {
  employed: ["就业", "green"],
  unemployed: ["登记失业", "orange"],
  none: ["无登记", "default"],
};

/** 家庭: the person's current household, each member's status, and whether it is a 零就业家庭. */
export function HouseholdPanel({ personId }: { personId: string }) {
  const [household, setHousehold] = useState<Household | null | undefined>(undefined);
  useEffect(() => {
    api<Household>("GET", `/persons/${personId}/household`).then(setHousehold, (e) =>
      setHousehold(e instanceof ApiError && e.status === 404 ? null : undefined),
    );
  }, [personId]);
  if (household === null) return <Empty description="未登记家庭信息" />;
  if (!household) return null;
  return (
    <div data-testid="household">
      {household.zeroEmployment && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          message="零就业家庭：劳动年龄内有劳动能力的成员均已登记失业，应优先帮扶"
        />
      )}
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={household.members.filter((m) => !m.leftOn)}
        columns={[
          { title: "姓名", dataIndex: "name" },
          { title: "关系", dataIndex: "relation", render: (r: string) => RELATIONS[r] },
          { title: "出生日期", dataIndex: "birthDate" },
          { title: "劳动年龄", dataIndex: "workingAge", render: (w: boolean) => (w ? "是" : "否") },
          {
            title: "状态",
            dataIndex: "status",
            render: (s: string) => <Tag color={STATUS[s]![1]}>{STATUS[s]![0]}</Tag>,
          },
        ]}
      />
    </div>
  );
}
