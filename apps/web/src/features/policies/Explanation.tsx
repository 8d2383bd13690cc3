import type { PolicyResult, PolicySummary } from "@jiuye/contracts";
import { Alert, Space, Table, Tag, Typography } from "antd";

export const STATE_TAG: Record<string, { label: string; color: string }> = {
  met: { label: "满足", color: "green" },
  not_met: { label: "不满足", color: "red" },
  unknown: { label: "信息不足", color: "gold" },
  not_evaluated: { label: "未判断", color: "default" },
};

export function StateTag({ state }: { state: string }) {
  const s = STATE_TAG[state] ?? { label: state, color: "default" };
  return <Tag color={s.color}>{s.label}</Tag>;
}

export function yuan(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return "—";
  return `${(fen / 100).toLocaleString("zh-CN", { minimumFractionDigits: fen % 100 ? 2 : 0 })} 元`;
}

/** Each condition with its value, its threshold, the distance and its source (the explanation view). */
export function Explanation({ result }: { result: PolicyResult }) {
  return (
    <Space direction="vertical" style={{ width: "100%" }} data-testid={`explanation-${result.policyId}`}>
      {result.notApplicable && <Alert type="info" showIcon message={result.notApplicable} />}
      <Table
        size="small"
        pagination={false}
        rowKey="id"
        tableLayout="fixed"
        scroll={{ x: 1080 }}
        dataSource={result.conditions}
        columns={[
          {
            title: "条件",
            dataIndex: "label",
            width: 200,
            render: (label: string, c) => (
              <span style={{ paddingLeft: c.depth * 16, display: "inline-block" }}>{label}</span>
            ),
          },
          { title: "判断", dataIndex: "state", width: 90, render: (s: string) => <StateTag state={s} /> },
          { title: "本人情况", dataIndex: "value", width: 120, render: (v: string | null) => v ?? "—" },
          { title: "标准", dataIndex: "threshold", width: 150, render: (v: string | null) => v ?? "—" },
          {
            title: "说明",
            dataIndex: "text",
            width: 340,
            render: (text: string, c) => (
              <Space direction="vertical" size={0}>
                <Typography.Text>{text}</Typography.Text>
                {c.distance && <Typography.Text type="warning">{c.distance}</Typography.Text>}
                {c.missing.length > 0 && (
                  <Typography.Text type="secondary">缺少：{c.missing.join("、")}</Typography.Text>
                )}
              </Space>
            ),
          },
          { title: "依据", dataIndex: "source", width: 180, render: (v: string | null) => v ?? "—" },
        ]}
      />
      {result.outputs.length > 0 && (
        <Space wrap>
          {result.outputs.map((o) => (
            <Tag key={o.name} color="blue">
              {o.label}：{o.text}
            </Tag>
          ))}
        </Space>
      )}
      {result.params.some((p) => !p.verified) && (
        <Typography.Text type="secondary">
          注：
          {result.params
            .filter((p) => !p.verified)
            .map((p) => p.label)
            .join("、")}{" "}
          的取值尚待与原文件核对。
        </Typography.Text>
      )}
    </Space>
  );
}

/** A policy's conditions in plain Chinese, its parameters and sources (the public list). */
export function PolicyDetail({ policy }: { policy: PolicySummary }) {
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Typography.Paragraph>{policy.summary}</Typography.Paragraph>
      <Typography.Title level={5}>条件</Typography.Title>
      <ul style={{ margin: 0 }}>
        {policy.conditions.map((c) => (
          <li key={c.id} style={{ marginLeft: c.depth * 20 }}>
            {c.text}
            {c.source && <Typography.Text type="secondary">（{c.source}）</Typography.Text>}
          </li>
        ))}
      </ul>
      <Typography.Title level={5}>标准与依据</Typography.Title>
      <Table
        size="small"
        pagination={false}
        rowKey="name"
        dataSource={policy.params}
        columns={[
          { title: "项目", dataIndex: "label" },
          { title: "现行标准", dataIndex: "valueLabel" },
          { title: "依据", dataIndex: "source" },
          {
            title: "核对",
            dataIndex: "verified",
            width: 90,
            render: (v: boolean, p) => (v ? <Tag color="green">已核对</Tag> : <Tag title={p.note ?? ""}>待核对</Tag>),
          },
        ]}
      />
      <Typography.Title level={5}>文件</Typography.Title>
      <Typography.Text>
        {policy.documents.map((d) => `${d.document}${d.article ? ` ${d.article}` : ""}`).join("；")}
      </Typography.Text>
      <Typography.Title level={5}>如何办理</Typography.Title>
      <Typography.Text>{policy.howToApply}</Typography.Text>
    </Space>
  );
}
