import { Empty, Table, Typography } from "antd";
import { useEffect, useState } from "react";
import { api } from "../../api/client";

type External = {
  insuranceSpells: Array<{
    fund: string;
    fromMonth: string;
    toMonth: string | null;
    baseFen: number | null;
    sourceSystem: string;
    sourceDate: string;
  }>;
  benefitClaims: Array<{
    claimDate: string;
    monthsEntitled: number;
    monthlyAmountFen: number;
    status: string;
    sourceSystem: string;
  }>;
  skillCertificates: Array<{
    name: string;
    level: number | null;
    issuedOn: string;
    issuer: string | null;
    sourceSystem: string;
  }>;
};
const FUNDS: Record<string, string> = {
  pension: "养老保险",
  unemployment: "失业保险",
  medical: "医疗保险",
  injury: "工伤保险",
};
const yuan = (fen: number | null) => (fen === null ? "—" : `${(fen / 100).toFixed(2)} 元`);

/** Records other systems own (参保, 失业保险金, 技能证书): read-only, each with its source. */
export function ExternalPanel({ personId }: { personId: string }) {
  const [data, setData] = useState<External | null>(null);
  useEffect(() => {
    api<External>("GET", `/persons/${personId}/external`).then(setData, () => {});
  }, [personId]);
  if (!data) return null;
  if (!data.insuranceSpells.length && !data.benefitClaims.length && !data.skillCertificates.length)
    return <Empty description="暂无其他系统推送的记录" />;
  return (
    <div>
      <Typography.Paragraph type="secondary">
        以下数据来自社保、失业保险和职业技能鉴定等系统，只读，以源系统为准。
      </Typography.Paragraph>
      <Typography.Title level={5}>参保记录</Typography.Title>
      <Table
        size="small"
        pagination={false}
        rowKey={(r) => `${r.fund}${r.fromMonth}${r.sourceSystem}`}
        dataSource={data.insuranceSpells}
        columns={[
          { title: "险种", dataIndex: "fund", render: (f: string) => FUNDS[f] ?? f },
          { title: "起止", render: (_: unknown, r) => `${r.fromMonth} 至 ${r.toMonth ?? "今"}` },
          { title: "缴费基数", dataIndex: "baseFen", render: yuan },
          { title: "来源", render: (_: unknown, r) => `${r.sourceSystem}（${r.sourceDate}）` },
        ]}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        失业保险金
      </Typography.Title>
      <Table
        size="small"
        pagination={false}
        rowKey={(r) => `${r.claimDate}${r.sourceSystem}`}
        dataSource={data.benefitClaims}
        columns={[
          { title: "申领日期", dataIndex: "claimDate" },
          { title: "应领月数", dataIndex: "monthsEntitled" },
          { title: "月标准", dataIndex: "monthlyAmountFen", render: yuan },
          {
            title: "状态",
            dataIndex: "status",
            render: (s: string) => ({ paying: "发放中", suspended: "暂停", ended: "已终止" })[s] ?? s,
          },
        ]}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        技能证书
      </Typography.Title>
      <Table
        size="small"
        pagination={false}
        rowKey={(r) => `${r.name}${r.issuedOn}`}
        dataSource={data.skillCertificates}
        columns={[
          { title: "证书", dataIndex: "name" },
          { title: "等级", dataIndex: "level", render: (l: number | null) => (l ? `${l}级` : "—") },
          { title: "发证日期", dataIndex: "issuedOn" },
          { title: "发证机构", dataIndex: "issuer" },
        ]}
      />
    </div>
  );
}
