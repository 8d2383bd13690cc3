import type { Candidate, CandidateDetail, PolicyApplication, PolicySummary, Schedule, Sweep } from "@jiuye/contracts";
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Drawer,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Statistic,
  Table,
  Tabs,
  Tag,
  Typography,
} from "antd";
import type { Dayjs } from "dayjs";
import { useCallback, useEffect, useState } from "react";
import { api, errorMessage, query } from "../../api/client";
import { Explanation, StateTag, yuan } from "./Explanation";

const SWEEP_STATUS: Record<string, { label: string; color: string }> = {
  review: { label: "待复核", color: "blue" },
  notice: { label: "公示中", color: "orange" },
  paid: { label: "已发放", color: "green" },
  cancelled: { label: "已取消", color: "default" },
};
const CANDIDATE_STATUS: Record<string, { label: string; color: string }> = {
  pending: { label: "待复核", color: "blue" },
  approved: { label: "复核通过", color: "cyan" },
  rejected: { label: "不通过", color: "red" },
  paid: { label: "已发放", color: "green" },
  duplicate: { label: "本期已享受", color: "default" },
};

function askReason(title: string): Promise<string | null> {
  let value = "";
  return new Promise((resolve) => {
    Modal.confirm({
      title,
      content: (
        <Input.TextArea
          rows={3}
          placeholder="请填写理由"
          onChange={(e) => (value = e.target.value)}
          data-testid="reason-input"
        />
      ),
      okText: "确定",
      cancelText: "取消",
      onOk: () => resolve(value.trim() || null),
      onCancel: () => resolve(null),
    });
  });
}

function CandidateDrawer({
  sweepId,
  candidateId,
  onClose,
  onChanged,
}: {
  sweepId: string;
  candidateId: string | null;
  onClose: () => void;
  onChanged: () => void;
}) {
  const { message } = App.useApp();
  const [c, setC] = useState<CandidateDetail | null>(null);
  const load = useCallback(() => {
    if (!candidateId) return;
    api<CandidateDetail>("GET", `/policy-sweeps/${sweepId}/candidates/${candidateId}`)
      .then(setC)
      .catch((e) => message.error(errorMessage(e)));
  }, [sweepId, candidateId, message]);
  useEffect(() => {
    setC(null);
    load();
  }, [load]);
  const resolve = async (objectionId: string, decision: "upheld" | "dismissed") => {
    const resolution = await askReason(
      decision === "upheld" ? "异议成立：该对象将从名单中移除" : "异议不成立：保留该对象",
    );
    if (!resolution) return;
    try {
      await api("POST", `/policy-sweeps/${sweepId}/objections/${objectionId}/resolve`, { decision, resolution });
      load();
      onChanged();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  return (
    <Drawer
      open={candidateId !== null}
      onClose={onClose}
      size="large"
      title={c ? `${c.name} · ${c.regionName ?? c.regionCode}` : "候选对象"}
    >
      {c && (
        <Space direction="vertical" style={{ width: "100%" }}>
          <Descriptions size="small" column={2}>
            <Descriptions.Item label="金额">{yuan(c.amountFen)}</Descriptions.Item>
            <Descriptions.Item label="状态">
              <Tag color={CANDIDATE_STATUS[c.status]?.color}>{CANDIDATE_STATUS[c.status]?.label}</Tag>
            </Descriptions.Item>
            {c.decisionReason && <Descriptions.Item label="理由">{c.decisionReason}</Descriptions.Item>}
          </Descriptions>
          <Typography.Title level={5}>判断依据（按比对时的规则和数据）</Typography.Title>
          <Explanation result={c.result} />
          {c.objections.length > 0 && <Typography.Title level={5}>公示异议</Typography.Title>}
          {c.objections.map((o) => (
            <Card key={o.id} size="small">
              <Space direction="vertical">
                <Typography.Text>{o.text}</Typography.Text>
                <Typography.Text type="secondary">
                  {new Date(o.submittedAt).toLocaleString("zh-CN")} ·{" "}
                  {{ open: "待处理", upheld: "异议成立", dismissed: "异议不成立" }[o.status]}
                  {o.resolution ? ` · ${o.resolution}` : ""}
                </Typography.Text>
                {o.status === "open" && (
                  <Space>
                    <Button onClick={() => resolve(o.id, "upheld")}>异议成立</Button>
                    <Button onClick={() => resolve(o.id, "dismissed")}>异议不成立</Button>
                  </Space>
                )}
              </Space>
            </Card>
          ))}
        </Space>
      )}
    </Drawer>
  );
}

function SweepDrawer({
  sweep,
  onClose,
  onChanged,
}: {
  sweep: Sweep | null;
  onClose: () => void;
  onChanged: () => void;
}) {
  const { message } = App.useApp();
  const [current, setCurrent] = useState<Sweep | null>(sweep);
  const [page, setPage] = useState(1);
  const [rows, setRows] = useState<{ items: Candidate[]; total: number }>({ items: [], total: 0 });
  const [open, setOpen] = useState<string | null>(null);
  const [days, setDays] = useState<number | null>(null);
  const id = sweep?.id;
  const load = useCallback(async () => {
    if (!id) return;
    try {
      setCurrent(await api<Sweep>("GET", `/policy-sweeps/${id}`));
      setRows(await api("GET", `/policy-sweeps/${id}/candidates${query({ page, pageSize: 20 })}`));
    } catch (e) {
      message.error(errorMessage(e));
    }
  }, [id, page, message]);
  useEffect(() => {
    load();
  }, [load]);
  const act = async (fn: () => Promise<unknown>, ok: string) => {
    try {
      await fn();
      message.success(ok);
      await load();
      onChanged();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  const s = current;
  return (
    <Drawer
      open={sweep !== null}
      onClose={onClose}
      size="large"
      title={s ? `${s.policyName} · ${s.regionName ?? s.regionCode}` : ""}
    >
      {s && (
        <Space direction="vertical" style={{ width: "100%" }} data-testid="sweep-detail">
          <Space size="large" wrap>
            <Statistic title="比对人数" value={s.evaluated} />
            <Statistic title="符合条件" value={s.eligible} />
            <Statistic title="信息不足" value={s.undetermined} />
            <Statistic title="待复核" value={s.counts.pending} />
            <Statistic title="已发放" value={s.counts.paid} />
            <Statistic title="核定金额（元）" value={s.amountApprovedFen / 100} precision={2} />
          </Space>
          <Typography.Text type="secondary">
            评估日 {s.asOf} · 期间 {s.period} · 规则版本 {s.rulesetHash.slice(0, 12)} · 用时 {s.durationMs} 毫秒
          </Typography.Text>
          <Space wrap>
            <Tag color={SWEEP_STATUS[s.status]?.color} data-testid="sweep-status">
              {SWEEP_STATUS[s.status]?.label}
            </Tag>
            {s.status === "review" && (
              <>
                <Button
                  type="primary"
                  data-testid="approve-all"
                  disabled={s.counts.pending === 0}
                  onClick={() =>
                    act(
                      () => api("POST", `/policy-sweeps/${s.id}/decisions`, { allPending: true, decision: "approve" }),
                      "已全部复核通过",
                    )
                  }
                >
                  待复核对象全部通过
                </Button>
                <InputNumber min={1} max={30} placeholder="公示天数" value={days} onChange={setDays} />
                <Button
                  data-testid="publish-notice"
                  onClick={() =>
                    act(
                      () => api("POST", `/policy-sweeps/${s.id}/notice`, days ? { noticeDays: days } : {}),
                      "已发布公示",
                    )
                  }
                >
                  发布公示
                </Button>
              </>
            )}
            {s.status === "notice" && (
              <>
                <Typography.Text>
                  公示期 {s.noticeFrom} 至 {s.noticeUntil}
                  {s.counts.openObjections > 0 ? `，${s.counts.openObjections} 条异议待处理` : ""}
                </Typography.Text>
                <a href={`/public/notices/${s.id}`} target="_blank" rel="noreferrer">
                  查看公示
                </a>
                <Button
                  type="primary"
                  data-testid="finalise"
                  onClick={() => act(() => api("POST", `/policy-sweeps/${s.id}/finalise`), "已确认发放并通知本人")}
                >
                  公示期满，确认发放
                </Button>
              </>
            )}
          </Space>
          <Table
            size="small"
            rowKey="id"
            dataSource={rows.items}
            data-testid="candidates"
            onRow={(r) => ({ onClick: () => setOpen(r.id) })}
            pagination={{
              current: page,
              pageSize: 20,
              total: rows.total,
              onChange: setPage,
              showTotal: (t) => `共 ${t} 人`,
            }}
            columns={[
              { title: "姓名", dataIndex: "name" },
              { title: "社区", dataIndex: "regionName", render: (v: string | null, r) => v ?? r.regionCode },
              { title: "金额", dataIndex: "amountFen", render: (v: number | null) => yuan(v) },
              {
                title: "状态",
                dataIndex: "status",
                render: (v: string, r) => (
                  <Space>
                    <Tag color={CANDIDATE_STATUS[v]?.color}>{CANDIDATE_STATUS[v]?.label}</Tag>
                    {r.openObjections > 0 && <Tag color="red">异议 {r.openObjections}</Tag>}
                  </Space>
                ),
              },
              {
                title: "操作",
                render: (_: unknown, r) =>
                  s.status === "review" && r.status === "pending" ? (
                    <Button
                      size="small"
                      onClick={async (e) => {
                        e.stopPropagation();
                        const reason = await askReason(`不通过：${r.name}`);
                        if (reason)
                          act(
                            () =>
                              api("POST", `/policy-sweeps/${s.id}/decisions`, {
                                candidateIds: [r.id],
                                decision: "reject",
                                reason,
                              }),
                            "已标记不通过",
                          );
                      }}
                    >
                      不通过
                    </Button>
                  ) : null,
              },
            ]}
          />
          <CandidateDrawer sweepId={s.id} candidateId={open} onClose={() => setOpen(null)} onChanged={load} />
        </Space>
      )}
    </Drawer>
  );
}

function ApplicationsTab() {
  const { message } = App.useApp();
  const [rows, setRows] = useState<PolicyApplication[]>([]);
  const [open, setOpen] = useState<PolicyApplication | null>(null);
  const load = useCallback(() => {
    api<PolicyApplication[]>("GET", "/policy-applications")
      .then(setRows)
      .catch((e) => message.error(errorMessage(e)));
  }, [message]);
  useEffect(() => load(), [load]);
  const decide = async (a: PolicyApplication, decision: "approve" | "reject") => {
    const reason = decision === "reject" ? await askReason("不予批准的理由") : undefined;
    if (decision === "reject" && !reason) return;
    try {
      const r = await api<PolicyApplication>("POST", `/policy-applications/${a.id}/decide`, {
        decision,
        ...(reason ? { reason } : {}),
      });
      setOpen(r);
      load();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  return (
    <>
      <Table
        size="small"
        rowKey="id"
        dataSource={rows}
        onRow={(r) => ({ onClick: () => setOpen(r) })}
        columns={[
          { title: "申请人", dataIndex: "subjectName" },
          { title: "政策", dataIndex: "policyName" },
          { title: "期间", dataIndex: "period" },
          { title: "规则判断", dataIndex: ["result", "state"], render: (s: string) => <StateTag state={s} /> },
          { title: "金额", dataIndex: ["result", "amountFen"], render: (v: number | null) => yuan(v) },
          {
            title: "状态",
            dataIndex: "status",
            render: (s: string) => ({ submitted: "待审核", approved: "已批准", rejected: "未批准" })[s],
          },
          { title: "提交时间", dataIndex: "submittedAt", render: (v: string) => new Date(v).toLocaleString("zh-CN") },
        ]}
      />
      <Drawer
        open={open !== null}
        onClose={() => setOpen(null)}
        size="large"
        title={open ? `${open.subjectName} · ${open.policyName}` : ""}
      >
        {open && (
          <Space direction="vertical" style={{ width: "100%" }}>
            <Explanation result={open.result} />
            {open.status === "submitted" ? (
              <Space>
                <Button type="primary" onClick={() => decide(open, "approve")}>
                  批准
                </Button>
                <Button danger onClick={() => decide(open, "reject")}>
                  不予批准
                </Button>
              </Space>
            ) : (
              <Alert
                type={open.status === "approved" ? "success" : "warning"}
                message={<span style={{ whiteSpace: "pre-wrap" }}>{open.letter}</span>}
              />
            )}
          </Space>
        )}
      </Drawer>
    </>
  );
}

function SchedulesTab({ policies }: { policies: PolicySummary[] }) {
  const { message } = App.useApp();
  const [rows, setRows] = useState<Schedule[]>([]);
  const load = useCallback(() => {
    api<Schedule[]>("GET", "/policy-schedules")
      .then(setRows)
      .catch((e) => message.error(errorMessage(e)));
  }, [message]);
  useEffect(() => load(), [load]);
  const create = async (v: { policyId: string; dayOfMonth: number }) => {
    try {
      await api("POST", "/policy-schedules", v);
      message.success("已设置：到期自动比对，结果进入复核");
      load();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Form layout="inline" onFinish={create}>
        <Form.Item name="policyId" label="政策" rules={[{ required: true, message: "请选择政策" }]}>
          <Select style={{ width: 260 }} options={policies.map((p) => ({ value: p.id, label: p.name }))} />
        </Form.Item>
        <Form.Item name="dayOfMonth" label="每月" rules={[{ required: true, message: "请填写日期" }]}>
          <InputNumber min={1} max={28} addonAfter="日" />
        </Form.Item>
        <Button htmlType="submit" type="primary">
          设置定期比对
        </Button>
      </Form>
      <Table
        size="small"
        rowKey="id"
        dataSource={rows}
        columns={[
          { title: "政策", dataIndex: "policyName" },
          { title: "地区", dataIndex: "regionCode" },
          { title: "每月", dataIndex: "dayOfMonth", render: (d: number) => `${d} 日` },
          { title: "下次运行", dataIndex: "nextRunOn" },
          {
            title: "上次运行",
            dataIndex: "lastRunAt",
            render: (v: string | null) => (v ? new Date(v).toLocaleString("zh-CN") : "—"),
          },
          {
            title: "状态",
            dataIndex: "active",
            render: (a: boolean) => (a ? <Tag color="green">运行中</Tag> : <Tag>已停止</Tag>),
          },
          {
            title: "操作",
            render: (_: unknown, r) =>
              r.active ? (
                <Button
                  size="small"
                  onClick={async () => {
                    try {
                      await api("POST", `/policy-schedules/${r.id}/stop`);
                      load();
                    } catch (e) {
                      message.error(errorMessage(e));
                    }
                  }}
                >
                  停止
                </Button>
              ) : null,
          },
        ]}
      />
    </Space>
  );
}

/** 免申即享: run a policy over the region, review, publish the notice, confirm payment. */
export function SweepsPage() {
  const { message } = App.useApp();
  const [policies, setPolicies] = useState<PolicySummary[]>([]);
  const [sweeps, setSweeps] = useState<Sweep[]>([]);
  const [open, setOpen] = useState<Sweep | null>(null);
  const [running, setRunning] = useState(false);
  const load = useCallback(() => {
    api<Sweep[]>("GET", "/policy-sweeps")
      .then(setSweeps)
      .catch((e) => message.error(errorMessage(e)));
  }, [message]);
  useEffect(() => {
    api<PolicySummary[]>("GET", "/public/policies?entity=person")
      .then(setPolicies)
      .catch(() => {});
    load();
  }, [load]);
  const run = async (v: { policyId: string; asOf?: Dayjs }) => {
    setRunning(true);
    try {
      const s = await api<Sweep>("POST", "/policy-sweeps", {
        policyId: v.policyId,
        ...(v.asOf ? { asOf: v.asOf.format("YYYY-MM-DD") } : {}),
      });
      message.success(`比对完成：${s.evaluated} 人中 ${s.eligible} 人符合条件`);
      load();
      setOpen(s);
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setRunning(false);
    }
  };
  return (
    <Card title="政策快办 · 免申即享">
      <Tabs
        items={[
          {
            key: "sweeps",
            label: "主动比对",
            children: (
              <Space direction="vertical" style={{ width: "100%" }}>
                <Form layout="inline" onFinish={run} data-testid="sweep-form">
                  <Form.Item name="policyId" label="政策" rules={[{ required: true, message: "请选择政策" }]}>
                    <Select
                      style={{ width: 280 }}
                      placeholder="选择要比对的政策"
                      options={policies.map((p) => ({ value: p.id, label: p.name }))}
                      data-testid="sweep-policy"
                    />
                  </Form.Item>
                  <Form.Item name="asOf" label="评估日">
                    <DatePicker placeholder="默认今天" />
                  </Form.Item>
                  <Button type="primary" htmlType="submit" loading={running} data-testid="run-sweep">
                    开始比对
                  </Button>
                </Form>
                <Table
                  size="small"
                  rowKey="id"
                  dataSource={sweeps}
                  data-testid="sweeps"
                  onRow={(r) => ({ onClick: () => setOpen(r) })}
                  columns={[
                    { title: "政策", dataIndex: "policyName" },
                    { title: "地区", dataIndex: "regionName", render: (v: string | null, r) => v ?? r.regionCode },
                    { title: "评估日", dataIndex: "asOf" },
                    { title: "比对人数", dataIndex: "evaluated" },
                    { title: "符合", dataIndex: "eligible" },
                    { title: "信息不足", dataIndex: "undetermined" },
                    {
                      title: "状态",
                      dataIndex: "status",
                      render: (v: string) => <Tag color={SWEEP_STATUS[v]?.color}>{SWEEP_STATUS[v]?.label}</Tag>,
                    },
                  ]}
                />
              </Space>
            ),
          },
          { key: "schedules", label: "定期比对", children: <SchedulesTab policies={policies} /> },
          { key: "applications", label: "政策申请", children: <ApplicationsTab /> },
        ]}
      />
      <SweepDrawer key={open?.id ?? "none"} sweep={open} onClose={() => setOpen(null)} onChanged={load} />
    </Card>
  );
}
