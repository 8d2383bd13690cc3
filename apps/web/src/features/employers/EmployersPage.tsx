import { DownloadOutlined, PlusOutlined } from "@ant-design/icons";
import type { Employer } from "@jiuye/contracts";
import {
  App,
  Button,
  Descriptions,
  Drawer,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Typography,
} from "antd";
import { useCallback, useEffect, useState } from "react";
import { api, errorMessage, query } from "../../api/client";

type Page = { items: Employer[]; total: number; page: number; pageSize: number };
type Industry = { code: string; section: string; name: string; level: "section" | "division" };

export const OWNERSHIP_LABELS: Record<string, string> = {
  state_owned: "国有企业",
  collective: "集体企业",
  private: "私营企业",
  joint_stock: "股份制企业",
  foreign: "外商投资企业",
  hk_mo_tw: "港澳台商投资企业",
  individual_business: "个体工商户",
  public_institution: "事业单位",
  government: "机关",
  social_organization: "社会组织",
  other: "其他",
};
export const SIZE_LABELS: Record<string, string> = { large: "大型", medium: "中型", small: "小型", micro: "微型" };

function useIndustries() {
  const [items, setItems] = useState<Industry[]>([]);
  useEffect(() => {
    api<Industry[]>("GET", "/industries").then(setItems, () => {});
  }, []);
  const sections = items.filter((i) => i.level === "section");
  return sections.map((s) => ({
    label: `${s.code} ${s.name}`,
    options: items
      .filter((d) => d.level === "division" && d.section === s.code)
      .map((d) => ({ value: d.code, label: `${d.code} ${d.name}` })),
  }));
}

/** 用人单位: case workers search and register employers in their region. */
export function EmployersPage() {
  const { message } = App.useApp();
  const [data, setData] = useState<Page | null>(null);
  const [page, setPage] = useState(1);
  const [q, setQ] = useState("");
  const [open, setOpen] = useState<Employer | null>(null);
  const [creating, setCreating] = useState(false);
  const industries = useIndustries();
  const load = useCallback(() => {
    api<Page>("GET", `/employers${query({ page, pageSize: 20, q })}`).then(setData, (e) =>
      message.error(errorMessage(e)),
    );
  }, [page, q, message]);
  useEffect(load, [load]);

  async function create(v: Record<string, unknown>) {
    try {
      const e = await api<Employer>("POST", "/employers", v, { "idempotency-key": crypto.randomUUID() });
      message.success(`已登记：${e.name}`);
      setCreating(false);
      load();
      setOpen(e);
    } catch (e) {
      message.error(errorMessage(e));
    }
  }

  return (
    <div>
      <Typography.Title level={3}>用人单位</Typography.Title>
      <Space style={{ marginBottom: 16 }}>
        <Input.Search
          placeholder="单位名称"
          allowClear
          onSearch={(v) => {
            setPage(1);
            setQ(v);
          }}
          id="employer-search"
        />
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          登记用人单位
        </Button>
        <Button icon={<DownloadOutlined />} href={`/api/v1/employers/export${query({ q, format: "xlsx" })}`}>
          导出 Excel
        </Button>
      </Space>
      <Table<Employer>
        rowKey="id"
        dataSource={data?.items}
        loading={!data}
        pagination={{
          current: page,
          total: data?.total,
          pageSize: 20,
          onChange: setPage,
          showTotal: (t) => `共 ${t} 家`,
        }}
        onRow={(e) => ({ onClick: () => setOpen(e), style: { cursor: "pointer" } })}
        columns={[
          { title: "单位名称", dataIndex: "name" },
          { title: "统一社会信用代码", dataIndex: "creditCode" },
          { title: "行业", dataIndex: "industryName" },
          { title: "规模", dataIndex: "sizeClass", render: (v: string | null) => (v ? SIZE_LABELS[v] : "—") },
          { title: "所在地", dataIndex: "regionName" },
          { title: "职工/参保人数", render: (_: unknown, e) => `${e.headcount ?? "—"} / ${e.insuredHeadcount ?? "—"}` },
        ]}
      />
      <Drawer title={open?.name} open={!!open} onClose={() => setOpen(null)} width={560}>
        {open && <EmployerDetail employer={open} />}
      </Drawer>
      <Modal
        title="登记用人单位"
        open={creating}
        onCancel={() => setCreating(false)}
        footer={null}
        destroyOnHidden
        width={640}
      >
        <Form layout="vertical" onFinish={create}>
          <Form.Item
            name="creditCode"
            label="统一社会信用代码"
            rules={[{ required: true, len: 18, message: "请输入18位统一社会信用代码" }]}
          >
            <Input maxLength={18} />
          </Form.Item>
          <Form.Item name="name" label="单位名称" rules={[{ required: true, message: "请输入单位名称" }]}>
            <Input />
          </Form.Item>
          <Form.Item
            name="industryCode"
            label="行业（GB/T 4754-2017 大类）"
            rules={[{ required: true, message: "请选择行业" }]}
          >
            <Select showSearch optionFilterProp="label" options={industries} />
          </Form.Item>
          <Space>
            <Form.Item name="ownership" label="单位类型" rules={[{ required: true, message: "请选择单位类型" }]}>
              <Select
                style={{ width: 200 }}
                options={Object.entries(OWNERSHIP_LABELS).map(([value, label]) => ({ value, label }))}
              />
            </Form.Item>
            <Form.Item name="sizeClass" label="规模">
              <Select
                style={{ width: 120 }}
                options={Object.entries(SIZE_LABELS).map(([value, label]) => ({ value, label }))}
              />
            </Form.Item>
          </Space>
          <Form.Item
            name="regionCode"
            label="所在地区划代码（街道9位或社区12位）"
            rules={[{ required: true, message: "请输入区划代码" }]}
          >
            <Input />
          </Form.Item>
          <Space>
            <Form.Item name="headcount" label="职工人数">
              <InputNumber min={0} />
            </Form.Item>
            <Form.Item name="insuredHeadcount" label="参保人数">
              <InputNumber min={0} />
            </Form.Item>
            <Form.Item name="headcountAsOf" label="统计日期">
              <Input placeholder="YYYY-MM-DD" />
            </Form.Item>
          </Space>
          <Space>
            <Form.Item name="contactName" label="联系人">
              <Input />
            </Form.Item>
            <Form.Item name="contactPhone" label="联系电话">
              <Input maxLength={11} />
            </Form.Item>
          </Space>
          <Form.Item name="creditCodeOverrideReason" label="校验位例外原因（仅历史代码校验不通过时填写，将留痕）">
            <Input />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            登记
          </Button>
        </Form>
      </Modal>
    </div>
  );
}

export function EmployerDetail({ employer: e }: { employer: Employer }) {
  return (
    <Descriptions column={1} bordered size="small">
      <Descriptions.Item label="单位名称">{e.name}</Descriptions.Item>
      <Descriptions.Item label="统一社会信用代码">
        {e.creditCode}
        {e.creditCodeOverride ? "（历史代码，例外登记）" : ""}
      </Descriptions.Item>
      <Descriptions.Item label="行业">
        {e.sectionCode} {e.sectionName} / {e.industryCode} {e.industryName}
      </Descriptions.Item>
      <Descriptions.Item label="单位类型">{OWNERSHIP_LABELS[e.ownership]}</Descriptions.Item>
      <Descriptions.Item label="规模">{e.sizeClass ? SIZE_LABELS[e.sizeClass] : "—"}</Descriptions.Item>
      <Descriptions.Item label="所在地">
        {e.regionName}（{e.regionCode}）
      </Descriptions.Item>
      <Descriptions.Item label="联系人">
        {e.contactName ?? "—"} {e.contactPhoneMasked ?? ""}
      </Descriptions.Item>
      <Descriptions.Item label="职工 / 参保人数">
        {e.headcount ?? "—"} / {e.insuredHeadcount ?? "—"}
        {e.headcountAsOf ? `（截至 ${e.headcountAsOf}）` : ""}
      </Descriptions.Item>
    </Descriptions>
  );
}

/** 本单位信息: an employer account sees its own organisation and reports headcounts. */
export function MyEmployerPage() {
  const { message } = App.useApp();
  const [employer, setEmployer] = useState<Employer | null>(null);
  const load = useCallback(() => {
    api<Page>("GET", "/employers").then(
      (p) => setEmployer(p.items[0] ?? null),
      (e) => message.error(errorMessage(e)),
    );
  }, [message]);
  useEffect(load, [load]);
  async function report(v: { headcount: number; insuredHeadcount: number; headcountAsOf: string }) {
    if (!employer) return;
    try {
      setEmployer(await api<Employer>("PATCH", `/employers/${employer.id}`, v));
      message.success("已报送");
    } catch (e) {
      message.error(errorMessage(e));
    }
  }
  if (!employer) return <Typography.Paragraph>正在加载…</Typography.Paragraph>;
  return (
    <div>
      <Typography.Title level={3}>本单位信息</Typography.Title>
      <EmployerDetail employer={employer} />
      <Typography.Title level={4} style={{ marginTop: 24 }}>
        报送职工人数
      </Typography.Title>
      <Form layout="inline" onFinish={report}>
        <Form.Item name="headcount" rules={[{ required: true, message: "请输入职工人数" }]}>
          <InputNumber min={0} placeholder="职工人数" />
        </Form.Item>
        <Form.Item name="insuredHeadcount" rules={[{ required: true, message: "请输入参保人数" }]}>
          <InputNumber min={0} placeholder="参保人数" />
        </Form.Item>
        <Form.Item
          name="headcountAsOf"
          rules={[{ required: true, pattern: /^\d{4}-\d{2}-\d{2}$/, message: "YYYY-MM-DD" }]}
        >
          <Input placeholder="统计日期 YYYY-MM-DD" />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          报送
        </Button>
      </Form>
    </div>
  );
}
