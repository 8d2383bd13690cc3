import type { Person } from "@jiuye/contracts";
import { App, Button, Descriptions, Empty, Form, List, Select, Space, Tag, Typography } from "antd";
import { useCallback, useEffect, useState } from "react";
import { api, errorMessage } from "../../api/client";

interface Attribute {
  id: string;
  kind: string;
  label: string;
  details: Record<string, unknown>;
  source: string;
  validFrom: string | null;
  validTo: string | null;
}

const EDUCATION = [
  { value: "doctorate", label: "博士研究生" },
  { value: "master", label: "硕士研究生" },
  { value: "bachelor", label: "大学本科" },
  { value: "junior_college", label: "大学专科（含高职）" },
  { value: "secondary_vocational", label: "中等职业教育" },
  { value: "high_school", label: "普通高中" },
  { value: "junior_high", label: "初中" },
  { value: "primary_or_below", label: "小学及以下" },
];
const HUKOU = [
  { value: "urban", label: "城镇" },
  { value: "rural", label: "农村" },
];
const SOURCE: Record<string, string> = { declared: "本人申报", imported: "系统导入", verified: "经办核验" };
const DETAIL_LABELS: Record<string, string> = {
  school: "毕业院校",
  graduationDate: "毕业日期",
  graduationYear: "毕业年份",
  degree: "学历层次",
  dischargeDate: "退役日期",
  certificateNumberMasked: "残疾人证号",
  disabilityKind: "残疾类别",
  grade: "等级",
  releaseDate: "释放日期",
  note: "备注",
};
const DETAIL_VALUES: Record<string, string> = {
  doctorate: "博士",
  master: "硕士",
  bachelor: "本科",
  junior_college: "专科",
  visual: "视力残疾",
  hearing: "听力残疾",
  speech: "言语残疾",
  physical: "肢体残疾",
  intellectual: "智力残疾",
  mental: "精神残疾",
  multiple: "多重残疾",
};
/** Attribute details in Chinese: known keys and coded values get their labels. */
export function detailText(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([k, v]) => `${DETAIL_LABELS[k] ?? k}：${DETAIL_VALUES[String(v)] ?? String(v)}${k === "grade" ? "级" : ""}`)
    .join("；");
}
const label = (opts: Array<{ value: string; label: string }>, v: string | null) =>
  opts.find((o) => o.value === v)?.label ?? "—";

/** 个人档案: education, 户籍, retirement category and key-group attributes with their source. */
export function ProfilePanel({
  person,
  canWrite,
  onChanged,
}: {
  person: Person;
  canWrite: boolean;
  onChanged?: (p: Person) => void;
}) {
  const { message } = App.useApp();
  const [attributes, setAttributes] = useState<Attribute[] | null>(null);
  const [editing, setEditing] = useState(false);
  const load = useCallback(() => {
    api<Attribute[]>("GET", `/persons/${person.id}/attributes`).then(setAttributes, () => setAttributes([]));
  }, [person.id]);
  useEffect(load, [load]);
  const categories =
    person.sex === "male"
      ? [{ value: "male-60", label: "男职工（原60岁）" }]
      : [
          { value: "female-55", label: "女干部岗位（原55岁）" },
          { value: "female-50", label: "女职工岗位（原50岁）" },
        ];

  async function save(v: { education?: string; hukouType?: string; retirementCategory?: string }) {
    try {
      const updated = await api<Person>("PATCH", `/persons/${person.id}`, v);
      message.success("已保存");
      setEditing(false);
      onChanged?.(updated);
    } catch (e) {
      message.error(errorMessage(e));
    }
  }

  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      {editing ? (
        <Form
          layout="vertical"
          onFinish={save}
          initialValues={{
            education: person.education ?? undefined,
            hukouType: person.hukouType ?? undefined,
            retirementCategory: person.retirementCategory ?? undefined,
          }}
        >
          <Form.Item name="education" label="学历">
            <Select id="profile-education" options={EDUCATION} allowClear />
          </Form.Item>
          <Form.Item name="hukouType" label="户籍类型">
            <Select options={HUKOU} allowClear />
          </Form.Item>
          <Form.Item
            name="retirementCategory"
            label="退休类别"
            extra="决定法定退休年龄（渐进式延迟法定退休年龄办法）；未填写时女性按原55岁规则计算。"
          >
            <Select options={categories} allowClear />
          </Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" data-testid="profile-save">
              保存
            </Button>
            <Button onClick={() => setEditing(false)}>取消</Button>
          </Space>
        </Form>
      ) : (
        <Descriptions column={1} size="small" bordered>
          <Descriptions.Item label="学历">{label(EDUCATION, person.education)}</Descriptions.Item>
          <Descriptions.Item label="户籍类型">{label(HUKOU, person.hukouType)}</Descriptions.Item>
          <Descriptions.Item label="退休类别">{label([...categories], person.retirementCategory)}</Descriptions.Item>
        </Descriptions>
      )}
      {canWrite && !editing && (
        <Button size="small" onClick={() => setEditing(true)} data-testid="profile-edit">
          修改档案
        </Button>
      )}
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        重点群体
      </Typography.Title>
      {attributes && attributes.length === 0 && (
        <Empty description="无重点群体属性" image={Empty.PRESENTED_IMAGE_SIMPLE} />
      )}
      {attributes && attributes.length > 0 && (
        <List
          size="small"
          dataSource={attributes}
          renderItem={(a) => (
            <List.Item>
              <Space wrap>
                <Tag color="blue">{a.label}</Tag>
                <Tag>{SOURCE[a.source] ?? a.source}</Tag>
                <Typography.Text type="secondary">{detailText(a.details)}</Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      )}
    </Space>
  );
}
