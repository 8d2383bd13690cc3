import type { Person } from "@jiuye/contracts";
import { App, Button, Descriptions, Drawer, Form, Input, Space, Table, Tabs, Typography } from "antd";
import { useCallback, useEffect, useState } from "react";
import { api, errorMessage, query } from "../../api/client";
import { ExportButtons } from "../../components/ExportButtons";
import { SEX_LABELS } from "../../components/labels";
import { SeekerPanel } from "../jobs/SeekerPanel";
import { ExternalPanel } from "./ExternalPanel";
import { HouseholdPanel } from "./HouseholdPanel";
import { LedgerPanel } from "./LedgerPanel";
import { ProfilePanel } from "./ProfilePanel";
import { RevealButton } from "./RevealButton";
import { useOpenPerson } from "./useOpenPerson";

type Page = { items: Person[]; total: number; totalCapped: boolean; page: number; pageSize: number };
type Filter = { q?: string; idNumber?: string; phone?: string };

export function PersonsPage() {
  const { message } = App.useApp();
  const [data, setData] = useState<Page | null>(null);
  const [page, setPage] = useState(1);
  const [filter, setFilter] = useState<Filter>({});
  const { person: open, setPerson: setOpen, open: openPerson } = useOpenPerson();
  const load = useCallback(() => {
    api<Page>("GET", `/persons${query({ page, pageSize: 20, ...filter })}`).then(setData, (e) =>
      message.error(errorMessage(e)),
    );
  }, [page, filter, message]);
  useEffect(load, [load]);

  return (
    <div>
      <Typography.Title level={3}>劳动者查询</Typography.Title>
      <Typography.Paragraph type="secondary">
        仅显示您管辖区域内的人员；身份证号和手机号默认脱敏，查看完整信息须说明目的并留痕。
      </Typography.Paragraph>
      <Form
        layout="inline"
        onFinish={(v: Filter) => {
          setPage(1);
          setFilter(v);
        }}
        style={{ marginBottom: 16 }}
      >
        <Form.Item name="q">
          <Input placeholder="姓名" allowClear id="search-name" />
        </Form.Item>
        <Form.Item name="idNumber" rules={[{ pattern: /^\d{17}[\dXx]$/, message: "18位身份证号码" }]}>
          <Input placeholder="身份证号码（精确）" allowClear />
        </Form.Item>
        <Form.Item name="phone" rules={[{ pattern: /^1\d{10}$/, message: "11位手机号" }]}>
          <Input placeholder="手机号（精确）" allowClear />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit">
            查询
          </Button>
          <ExportButtons path="/persons/export" title="劳动者名单" params={{ q: filter.q }} />
        </Space>
      </Form>
      <Table<Person>
        rowKey="id"
        dataSource={data?.items}
        loading={!data}
        pagination={{
          current: page,
          total: data?.total,
          pageSize: 20,
          onChange: setPage,
          showTotal: (t) => (data?.totalCapped ? `超过 ${t.toLocaleString()} 人，请缩小查询条件` : `共 ${t} 人`),
        }}
        onRow={(p) => ({ onClick: () => void openPerson(p.id), style: { cursor: "pointer" } })}
        columns={[
          { title: "姓名", dataIndex: "name" },
          { title: "身份证号码", dataIndex: "idNumberMasked" },
          { title: "性别", dataIndex: "sex", render: (s: string) => SEX_LABELS[s] },
          { title: "出生日期", dataIndex: "birthDate" },
          { title: "手机号", dataIndex: "phoneMasked" },
          { title: "常住地", dataIndex: "residenceRegionName" },
        ]}
      />
      <Drawer title={open?.name} open={!!open} onClose={() => setOpen(null)} width={560}>
        {open && (
          <Tabs
            items={[
              { key: "info", label: "基本信息", children: <PersonDetail person={open} /> },
              { key: "profile", label: "档案", children: <ProfilePanel person={open} canWrite onChanged={setOpen} /> },
              { key: "ledger", label: "就业失业登记", children: <LedgerPanel personId={open.id} canWrite /> },
              { key: "household", label: "家庭", children: <HouseholdPanel person={open} /> },
              { key: "external", label: "参保与证书", children: <ExternalPanel personId={open.id} /> },
              { key: "seeker", label: "求职与推荐", children: <SeekerPanel personId={open.id} /> },
            ]}
          />
        )}
      </Drawer>
    </div>
  );
}

export function PersonDetail({ person }: { person: Person }) {
  return (
    <Descriptions column={1} bordered size="small">
      <Descriptions.Item label="姓名">{person.name}</Descriptions.Item>
      <Descriptions.Item label="身份证号码">
        <Space>
          {person.idNumberMasked}
          <RevealButton personId={person.id} field="idNumber" />
        </Space>
      </Descriptions.Item>
      <Descriptions.Item label="手机号">
        <Space>
          {person.phoneMasked ?? "—"}
          {person.phoneMasked && <RevealButton personId={person.id} field="phone" />}
        </Space>
      </Descriptions.Item>
      <Descriptions.Item label="性别">{SEX_LABELS[person.sex]}</Descriptions.Item>
      <Descriptions.Item label="出生日期">{person.birthDate}</Descriptions.Item>
      <Descriptions.Item label="常住地">
        {person.residenceRegionName}（{person.residenceRegionCode}）
      </Descriptions.Item>
    </Descriptions>
  );
}
