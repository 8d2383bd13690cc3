import { DownloadOutlined } from "@ant-design/icons";
import type { VacancyRatio, Wages } from "@jiuye/contracts";
import { Alert, App, Button, Card, Segmented, Select, Space, Table, Tabs, Typography } from "antd";
import dayjs from "dayjs";
import { useEffect, useMemo, useState } from "react";
import { api, errorMessage, query } from "../../api/client";
import { EChart } from "../../components/EChart";
import { vacancyRatioOption, wagesOption } from "./market-charts";

function recentQuarters(n: number): Array<{ value: string; label: string }> {
  const out = [];
  let d = dayjs();
  for (let i = 0; i < n; i++) {
    const q = Math.floor(d.month() / 3) + 1;
    out.push({ value: `${d.year()}Q${q}`, label: `${d.year()}年第${"一二三四"[q - 1]}季度` });
    d = d.subtract(3, "month");
  }
  return out;
}

const yuan = (fen: number) => `${Math.round(fen / 100)}`;

/** 市场供求分析: 求人倍率 and 工资价位 for the caller's region, as tables and charts, exportable. */
export function MarketPage() {
  const { message } = App.useApp();
  const quarters = useMemo(() => recentQuarters(6), []);
  const [quarter, setQuarter] = useState(quarters[0]!.value);
  const [by, setBy] = useState<"region" | "major" | "middle">("region");
  const [level, setLevel] = useState<"middle" | "detailed">("middle");
  const [ratio, setRatio] = useState<VacancyRatio | null>(null);
  const [wages, setWages] = useState<Wages | null>(null);
  useEffect(() => {
    api<VacancyRatio>("GET", `/market/vacancy-ratio${query({ quarter, by })}`).then(setRatio, (e) =>
      message.error(errorMessage(e)),
    );
  }, [quarter, by, message]);
  useEffect(() => {
    api<Wages>("GET", `/market/wages${query({ quarter, level })}`).then(setWages, (e) =>
      message.error(errorMessage(e)),
    );
  }, [quarter, level, message]);
  const ratioOption = useMemo(() => vacancyRatioOption(ratio?.rows ?? []), [ratio]);
  const wagesChart = useMemo(() => wagesOption(wages?.rows ?? []), [wages]);

  return (
    <div>
      <Typography.Title level={3}>市场供求分析</Typography.Title>
      <Space style={{ marginBottom: 16 }}>
        <Select value={quarter} onChange={setQuarter} options={quarters} style={{ width: 180 }} />
        {ratio && <Typography.Text type="secondary">范围：{ratio.regionName}</Typography.Text>}
      </Space>
      <Tabs
        items={[
          {
            key: "ratio",
            label: "求人倍率",
            children: (
              <Space direction="vertical" style={{ width: "100%" }}>
                <Space>
                  <Segmented
                    value={by}
                    onChange={(v) => setBy(v as typeof by)}
                    options={[
                      { value: "region", label: "按地区" },
                      { value: "major", label: "按职业大类" },
                      { value: "middle", label: "按职业中类" },
                    ]}
                  />
                  <Button
                    icon={<DownloadOutlined />}
                    href={`/api/v1/market/export${query({ kind: "vacancy-ratio", quarter, by })}`}
                  >
                    导出 Excel
                  </Button>
                </Space>
                {ratio && (
                  <Alert
                    type="info"
                    showIcon
                    message={`${ratio.definition}。${ratio.quarterLabel}合计：岗位需求 ${ratio.total.vacancies} 人${
                      ratio.total.seekers === null
                        ? ""
                        : `，求职 ${ratio.total.seekers} 人，求人倍率 ${ratio.total.ratio ?? "—"}`
                    }`}
                    data-testid="ratio-total"
                  />
                )}
                <Card size="small">
                  <EChart option={ratioOption} />
                </Card>
                <Table
                  size="small"
                  rowKey="key"
                  loading={!ratio}
                  dataSource={ratio?.rows}
                  pagination={{ pageSize: 20 }}
                  columns={[
                    { title: "代码", dataIndex: "key" },
                    { title: "名称", dataIndex: "name" },
                    { title: "岗位需求人数", dataIndex: "vacancies", sorter: (a, b) => a.vacancies - b.vacancies },
                    { title: "岗位数", dataIndex: "postings" },
                    { title: "求职人数", dataIndex: "seekers", sorter: (a, b) => a.seekers - b.seekers },
                    {
                      title: "求人倍率",
                      dataIndex: "ratio",
                      sorter: (a, b) => (a.ratio ?? -1) - (b.ratio ?? -1),
                      render: (v: number | null) => v ?? "—（无求职者）",
                    },
                  ]}
                />
              </Space>
            ),
          },
          {
            key: "wages",
            label: "工资价位",
            children: (
              <Space direction="vertical" style={{ width: "100%" }}>
                <Space>
                  <Segmented
                    value={level}
                    onChange={(v) => setLevel(v as typeof level)}
                    options={[
                      { value: "middle", label: "按职业中类" },
                      { value: "detailed", label: "按职业细类" },
                    ]}
                  />
                  <Button
                    icon={<DownloadOutlined />}
                    href={`/api/v1/market/export${query({ kind: "wages", quarter, level })}`}
                  >
                    导出 Excel
                  </Button>
                </Space>
                <Typography.Text type="secondary">
                  依据本季度有效招聘岗位的月薪（取工资区间中值，时薪按每月174小时折算）；岗位数少于{" "}
                  {wages?.minSample ?? 10} 个的职业不发布。
                </Typography.Text>
                <Card size="small">
                  <EChart option={wagesChart} />
                </Card>
                <Table
                  size="small"
                  rowKey="key"
                  loading={!wages}
                  dataSource={wages?.rows}
                  pagination={{ pageSize: 20 }}
                  columns={[
                    { title: "职业代码", dataIndex: "key" },
                    { title: "职业", dataIndex: "name" },
                    { title: "岗位数", dataIndex: "postings" },
                    ...["P10", "P25", "P50（中位数）", "P75", "P90"].map((title, i) => ({
                      title,
                      render: (_: unknown, r: Wages["rows"][number]) =>
                        r.values ? yuan(r.values[i] ?? 0) : i === 0 ? "样本不足" : "",
                    })),
                  ]}
                />
              </Space>
            ),
          },
        ]}
      />
    </div>
  );
}
