import type { Finding, Occupation, PublicPosting, Recommendation } from "@jiuye/contracts";
import { Alert, Collapse, List, Progress, Select, Space, Tag, Typography } from "antd";
import { useState } from "react";
import { api, query } from "../../api/client";

export const WORK_TYPE_LABELS: Record<string, string> = {
  full_time: "全职",
  part_time: "非全日制",
  flexible: "灵活用工",
};
export const CONTRACT_LABELS: Record<string, string> = {
  fixed_term: "固定期限劳动合同",
  open_ended: "无固定期限劳动合同",
  task_based: "以完成一定工作任务为期限",
  part_time: "非全日制用工",
  labour_service: "劳务协议",
  internship: "见习/实习协议",
};
export const EDUCATION_LABELS: Record<string, string> = {
  primary_or_below: "小学及以下",
  junior_high: "初中",
  high_school: "高中",
  secondary_vocational: "中职/中专",
  junior_college: "大专",
  bachelor: "本科",
  master: "硕士",
  doctorate: "博士",
};
export const POSTING_STATUS: Record<string, { label: string; color: string }> = {
  draft: { label: "草稿", color: "default" },
  pending_review: { label: "待审核", color: "orange" },
  published: { label: "已发布", color: "green" },
  rejected: { label: "已驳回", color: "red" },
  filled: { label: "已招满", color: "blue" },
  withdrawn: { label: "已撤回", color: "default" },
  expired: { label: "已过期", color: "default" },
};

export function salaryText(p: { salaryType: string; salaryMinFen: number; salaryMaxFen: number }): string {
  const y = (f: number) => (f % 100 === 0 ? String(f / 100) : (f / 100).toFixed(2));
  return p.salaryType === "hourly"
    ? `${y(p.salaryMinFen)}–${y(p.salaryMaxFen)} 元/小时`
    : `${y(p.salaryMinFen)}–${y(p.salaryMaxFen)} 元/月`;
}

/** Occupation picker: type part of a name or alias (职业分类大典 2022). */
export function OccupationSelect(props: {
  value?: string;
  onChange?: (v: string) => void;
  id?: string;
  mode?: "multiple";
}) {
  const [options, setOptions] = useState<Occupation[]>([]);
  return (
    <Select
      id={props.id}
      mode={props.mode}
      showSearch
      value={props.value}
      placeholder="输入职业名称搜索，如：电工、快递员"
      filterOption={false}
      onSearch={(q) => {
        if (!q.trim()) return;
        api<Occupation[]>("GET", `/occupations${query({ q, level: 4, limit: 30 })}`).then(setOptions, () =>
          setOptions([]),
        );
      }}
      onChange={props.onChange}
      options={options.map((o) => ({ value: o.code, label: `${o.name}（${o.code}）` }))}
    />
  );
}

/** Marks the phrase a finding points at inside the text the employer wrote. */
function highlighted(text: string, f: Finding) {
  if (f.start === undefined || f.end === undefined) return null;
  const from = Math.max(0, f.start - 12);
  const to = Math.min(text.length, f.end + 12);
  return (
    <Typography.Text type="secondary">
      {from > 0 ? "…" : ""}
      {text.slice(from, f.start)}
      <mark data-testid="finding-phrase">{text.slice(f.start, f.end)}</mark>
      {text.slice(f.end, to)}
      {to < text.length ? "…" : ""}
    </Typography.Text>
  );
}

const FIELD_LABELS: Record<string, string> = {
  title: "岗位名称",
  description: "岗位描述",
  requirements: "任职要求",
  benefits: "福利待遇",
  salary: "薪资",
};

/** The screening findings: what to change, where, and why (legal basis). */
export function FindingsList({
  findings,
  texts,
}: {
  findings: Finding[];
  texts?: Record<string, string | null | undefined>;
}) {
  if (findings.length === 0)
    return (
      <Alert
        type="success"
        showIcon
        message="未发现歧视性内容，工资不低于当地最低工资标准"
        data-testid="findings-clear"
      />
    );
  return (
    <List
      data-testid="findings"
      size="small"
      bordered
      dataSource={findings}
      renderItem={(f) => (
        <List.Item>
          <Space direction="vertical" size={2} style={{ width: "100%" }}>
            <Space wrap>
              <Tag color={f.severity === "block" ? "red" : "orange"}>
                {f.severity === "block" ? "须修改" : "需人工审核"}
              </Tag>
              <Typography.Text strong>{f.categoryName}</Typography.Text>
              <Typography.Text type="secondary">{FIELD_LABELS[f.field] ?? f.field}</Typography.Text>
            </Space>
            {texts && highlighted(texts[f.field] ?? "", f)}
            <Typography.Text>{f.message}</Typography.Text>
            <Collapse
              ghost
              size="small"
              items={[{ key: "basis", label: "法律依据", children: f.basis.map((b) => <div key={b}>{b}</div>) }]}
            />
          </Space>
        </List.Item>
      )}
    />
  );
}

/** A recommendation's score and its explanation, component by component. */
export function MatchExplanation({ rec }: { rec: Recommendation }) {
  return (
    <Space direction="vertical" style={{ width: "100%" }} data-testid="match-explanation">
      <Space>
        <Progress type="circle" size={56} percent={rec.score} format={(p) => `${p}分`} />
        <Typography.Text strong>匹配度 {rec.score} 分</Typography.Text>
      </Space>
      <List
        size="small"
        dataSource={rec.components}
        renderItem={(c) => (
          <List.Item
            extra={<Typography.Text type={c.met ? "success" : "warning"}>{`+${c.points}/${c.max}`}</Typography.Text>}
          >
            <Typography.Text>
              {c.met ? "✔" : "△"} {c.label}：{c.detail}
            </Typography.Text>
          </List.Item>
        )}
      />
      {rec.hint && <Alert type="info" showIcon message={`提示：${rec.hint}`} />}
      <Typography.Text type="secondary">{rec.notUsed}</Typography.Text>
    </Space>
  );
}

export function PostingSummary({ p }: { p: PublicPosting }) {
  return (
    <Space wrap size={4}>
      <Typography.Text type="danger">{salaryText(p)}</Typography.Text>
      <Tag>{p.regionName ?? p.regionCode}</Tag>
      <Tag>{WORK_TYPE_LABELS[p.workType] ?? p.workType}</Tag>
      {p.education && <Tag>{EDUCATION_LABELS[p.education]}及以上</Tag>}
      {p.isPublicWelfare && <Tag color="purple">公益性岗位</Tag>}
      {p.isInternship && <Tag color="cyan">见习岗位</Tag>}
      <Typography.Text type="secondary">{p.employerName}</Typography.Text>
    </Space>
  );
}
