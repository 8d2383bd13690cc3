import type { PolicySummary } from "@jiuye/contracts";
import { Card, Collapse, Empty, Input, Segmented, Space, Tag, Typography } from "antd";
import { useEffect, useMemo, useState } from "react";
import { api, errorMessage } from "../../api/client";
import { PolicyDetail } from "./Explanation";

/** 政策清单: every policy with its conditions, standards, documents and how to apply. */
export function PolicyListPage() {
  const [list, setList] = useState<PolicySummary[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [entity, setEntity] = useState<"all" | "person" | "employer">("all");
  const [q, setQ] = useState("");
  useEffect(() => {
    api<PolicySummary[]>("GET", "/public/policies")
      .then(setList)
      .catch((e) => setError(errorMessage(e)));
  }, []);
  const shown = useMemo(
    () =>
      list.filter(
        (p) => (entity === "all" || p.entity === entity) && (!q || p.name.includes(q) || p.summary.includes(q)),
      ),
    [list, entity, q],
  );
  return (
    <Card title="政策清单" data-testid="policy-list">
      <Space direction="vertical" style={{ width: "100%" }}>
        <Space wrap>
          <Segmented
            value={entity}
            onChange={(v) => setEntity(v as typeof entity)}
            options={[
              { label: "全部", value: "all" },
              { label: "个人", value: "person" },
              { label: "单位", value: "employer" },
            ]}
          />
          <Input.Search placeholder="搜索政策名称" allowClear onSearch={setQ} style={{ width: 260 }} />
        </Space>
        {error && <Typography.Text type="danger">{error}</Typography.Text>}
        {shown.length === 0 && !error ? (
          <Empty description="没有符合条件的政策" />
        ) : (
          <Collapse
            items={shown.map((p) => ({
              key: p.id,
              label: (
                <Space wrap>
                  <Typography.Text strong>{p.name}</Typography.Text>
                  <Tag>{p.category}</Tag>
                  <Tag color={p.entity === "person" ? "blue" : "purple"}>{p.entity === "person" ? "个人" : "单位"}</Tag>
                  {p.version > 0 && <Tag color="orange">第 {p.version} 版</Tag>}
                  {p.unverifiedParams > 0 && <Tag>含 {p.unverifiedParams} 项待核对标准</Tag>}
                </Space>
              ),
              children: <PolicyDetail policy={p} />,
            }))}
          />
        )}
      </Space>
    </Card>
  );
}
