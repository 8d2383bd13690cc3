import { App, Button, DatePicker, Drawer, Form, Input, Select, Space, Table, Tabs, Tag, Typography } from "antd";
import type { Dayjs } from "dayjs";
import { useCallback, useEffect, useState } from "react";
import { api, errorMessage, query } from "../../api/client";
import { ExportButtons } from "../../components/ExportButtons";
import { RegionSelect } from "../../components/RegionSelect";
import { LedgerPanel } from "../persons/LedgerPanel";
import { PersonDetail } from "../persons/PersonsPage";
import { useOpenPerson } from "../persons/useOpenPerson";

type Entry = {
  id: string;
  personId: string;
  personName: string;
  idNumberMasked: string;
  type: string;
  typeLabel: string;
  date: string;
  regionCode: string;
  regionName: string | null;
  employerName: string | null;
  summary: string;
  voided: boolean;
  recordedAt: string;
};
type Page = { items: Entry[]; total: number; totalCapped: boolean; page: number; pageSize: number };
type Filter = { type?: string; from?: string; to?: string; regionCode?: string; q?: string; employer?: string };
type FormValues = Omit<Filter, "from" | "to"> & { dates?: [Dayjs | null, Dayjs | null] | null };

const TYPE_OPTIONS = [
  { value: "employment", label: "就业登记" },
  { value: "employment_end", label: "就业登记注销" },
  { value: "unemployment", label: "失业登记" },
  { value: "unemployment_end", label: "失业登记注销" },
  { value: "correction", label: "更正" },
];
const TYPE_COLORS: Record<string, string> = {
  employment: "green",
  employment_end: "default",
  unemployment: "orange",
  unemployment_end: "default",
  correction: "red",
};

/** Drops empty fields, so the query string carries only what the user chose. */
function compact(f: Filter): Filter {
  return Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined && v !== "")) as Filter;
}

/**
 * 就业失业登记台账 (seed §十二 实名台账): every registration of the people in the case worker's
 * region, newest first, filtered and exported (masked; full numbers with a stated purpose).
 */
export function LedgerRegisterPage() {
  const { message } = App.useApp();
  const [data, setData] = useState<Page | null>(null);
  const [page, setPage] = useState(1);
  const [filter, setFilter] = useState<Filter>({});
  const { person, setPerson, open: openPerson } = useOpenPerson();
  const load = useCallback(() => {
    setData(null);
    api<Page>("GET", `/ledger${query({ page, pageSize: 20, ...filter })}`).then(setData, (e) => {
      message.error(errorMessage(e));
      setData({ items: [], total: 0, totalCapped: false, page, pageSize: 20 });
    });
  }, [page, filter, message]);
  useEffect(load, [load]);

  return (
    <div>
      <Typography.Title level={3}>就业失业登记台账</Typography.Title>
      <Typography.Paragraph type="secondary">
        显示您辖区内劳动者的全部就业失业登记（含注销和更正），按登记日期倒序；身份证号默认脱敏，查询和导出均留痕。
      </Typography.Paragraph>
      <Form<FormValues>
        layout="inline"
        onFinish={(v) => {
          setPage(1);
          setFilter(
            compact({
              type: v.type,
              regionCode: v.regionCode,
              q: v.q?.trim(),
              employer: v.employer?.trim(),
              from: v.dates?.[0]?.format("YYYY-MM-DD"),
              to: v.dates?.[1]?.format("YYYY-MM-DD"),
            }),
          );
        }}
        style={{ marginBottom: 16, rowGap: 8 }}
      >
        <Form.Item name="type">
          <Select placeholder="登记类型" allowClear options={TYPE_OPTIONS} style={{ width: 150 }} id="ledger-type" />
        </Form.Item>
        <Form.Item name="dates">
          <DatePicker.RangePicker placeholder={["登记日期起", "登记日期止"]} />
        </Form.Item>
        <Form.Item name="regionCode">
          <RegionSelect placeholder="经办区划（输入名称搜索）" style={{ width: 220 }} allowClear id="ledger-region" />
        </Form.Item>
        <Form.Item name="q">
          <Input placeholder="姓名" allowClear id="ledger-name" style={{ width: 120 }} />
        </Form.Item>
        <Form.Item name="employer">
          <Input placeholder="单位名称或统一社会信用代码" allowClear style={{ width: 220 }} />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit">
            查询
          </Button>
          <ExportButtons path="/ledger/export" title="就业失业登记台账" params={filter} />
        </Space>
      </Form>
      <Table<Entry>
        rowKey="id"
        dataSource={data?.items}
        loading={!data}
        pagination={{
          current: page,
          total: data?.total,
          pageSize: 20,
          showSizeChanger: false,
          onChange: setPage,
          showTotal: (t) =>
            data?.totalCapped ? `超过 ${t.toLocaleString()} 条登记，请缩小查询条件` : `共 ${t} 条登记`,
        }}
        onRow={(e) => ({ onClick: () => void openPerson(e.personId), style: { cursor: "pointer" } })}
        columns={[
          { title: "登记日期", dataIndex: "date", width: 110 },
          {
            title: "类型",
            dataIndex: "typeLabel",
            width: 130,
            render: (label: string, e) => (
              <Space size={4}>
                <Tag color={TYPE_COLORS[e.type]}>{label}</Tag>
                {e.voided && <Tag>已更正作废</Tag>}
              </Space>
            ),
          },
          { title: "姓名", dataIndex: "personName", width: 90 },
          { title: "身份证号码", dataIndex: "idNumberMasked", width: 190 },
          { title: "登记内容", dataIndex: "summary" },
          { title: "经办区划", dataIndex: "regionName", render: (v: string | null, e) => v ?? e.regionCode },
        ]}
      />
      <Drawer title={person?.name} open={!!person} onClose={() => setPerson(null)} width={560}>
        {person && (
          <Tabs
            items={[
              { key: "ledger", label: "就业失业登记", children: <LedgerPanel personId={person.id} canWrite /> },
              { key: "info", label: "基本信息", children: <PersonDetail person={person} /> },
            ]}
          />
        )}
      </Drawer>
    </div>
  );
}
