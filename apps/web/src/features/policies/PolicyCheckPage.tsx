import type { FactQuestion, Message, Payment, PolicyApplication, SelfCheckResponse } from "@jiuye/contracts";
import {
  App,
  Button,
  Card,
  Col,
  Collapse,
  DatePicker,
  Form,
  Input,
  InputNumber,
  List,
  Radio,
  Row,
  Select,
  Space,
  Tag,
  Typography,
} from "antd";
import type { Dayjs } from "dayjs";
import { useCallback, useEffect, useState } from "react";
import { api, errorMessage } from "../../api/client";
import { Explanation, StateTag, yuan } from "./Explanation";

const ORDER: Record<string, number> = { met: 0, unknown: 1, not_met: 2 };

/** One input per missing fact, typed as the fact is. */
function QuestionField({ q }: { q: FactQuestion }) {
  const name = ["answers", q.fact];
  switch (q.type) {
    case "bool":
      // no default: an unanswered question stays unanswered (信息不足), never a silent 否
      return (
        <Form.Item name={name} label={q.label}>
          <Radio.Group
            data-testid={`q-${q.fact}`}
            options={[
              { label: "是", value: true },
              { label: "否", value: false },
            ]}
          />
        </Form.Item>
      );
    case "enum":
      return (
        <Form.Item name={name} label={q.label}>
          <Select allowClear options={q.values} style={{ minWidth: 180 }} data-testid={`q-${q.fact}`} />
        </Form.Item>
      );
    case "date":
      return (
        <Form.Item name={name} label={q.label}>
          <DatePicker data-testid={`q-${q.fact}`} />
        </Form.Item>
      );
    case "money":
      return (
        <Form.Item name={name} label={`${q.label}（元）`}>
          <InputNumber min={0} precision={2} data-testid={`q-${q.fact}`} />
        </Form.Item>
      );
    case "rate":
      return (
        <Form.Item name={name} label={`${q.label}（%）`}>
          <Input placeholder="如 4.35%" data-testid={`q-${q.fact}`} />
        </Form.Item>
      );
    default:
      return (
        <Form.Item name={name} label={q.label}>
          <InputNumber min={0} precision={0} data-testid={`q-${q.fact}`} />
        </Form.Item>
      );
  }
}

/** Form values → facts: dates as YYYY-MM-DD, money in 分, unanswered left out. */
function answersOf(values: Record<string, unknown>, questions: FactQuestion[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const q of questions) {
    const v = values[q.fact];
    if (v === undefined || v === null || v === "") continue;
    out[q.fact] =
      q.type === "date" ? (v as Dayjs).format("YYYY-MM-DD") : q.type === "money" ? Math.round(Number(v) * 100) : v;
  }
  return out;
}

/** 政策自查: which policies fit me, why (not), and what the platform still needs to know. */
export function PolicyCheckPage() {
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [data, setData] = useState<SelfCheckResponse | null>(null);
  const [answers, setAnswers] = useState<Record<string, unknown>>({});
  const [questions, setQuestions] = useState<FactQuestion[]>([]);
  const [loading, setLoading] = useState(false);
  const [messages, setMessages] = useState<Message[]>([]);
  const [payments, setPayments] = useState<Payment[]>([]);
  const [applications, setApplications] = useState<PolicyApplication[]>([]);

  const run = useCallback(
    async (a: Record<string, unknown>) => {
      setLoading(true);
      try {
        const r = await api<SelfCheckResponse>("POST", "/me/policy-check", { answers: a });
        setData(r);
        setQuestions((old) => {
          const seen = new Set(old.map((q) => q.fact));
          return [...old, ...r.questions.filter((q) => !seen.has(q.fact))];
        });
      } catch (e) {
        message.error(errorMessage(e));
      } finally {
        setLoading(false);
      }
    },
    [message],
  );
  const loadSide = useCallback(() => {
    api<Message[]>("GET", "/me/messages")
      .then(setMessages)
      .catch(() => {});
    api<Payment[]>("GET", "/me/payments")
      .then(setPayments)
      .catch(() => {});
    api<PolicyApplication[]>("GET", "/me/policy-applications")
      .then(setApplications)
      .catch(() => {});
  }, []);
  useEffect(() => {
    run({});
    loadSide();
  }, [run, loadSide]);

  const apply = async (policyId: string) => {
    try {
      await api("POST", "/me/policy-applications", { policyId, answers });
      message.success("申请已提交，经办人员审核后会通知您");
      loadSide();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  const results = [...(data?.results ?? [])].sort((a, b) => ORDER[a.state]! - ORDER[b.state]!);
  return (
    <Row gutter={16}>
      <Col xs={24} xl={16}>
        <Card title="政策自查" loading={loading && !data} data-testid="policy-check">
          {data && (
            <Typography.Paragraph type="secondary">
              按 {data.subject.name} 在本平台的登记信息，于 {data.asOf}{" "}
              判断。绿色为满足，红色为不满足，黄色为还需补充信息。
            </Typography.Paragraph>
          )}
          <Collapse
            items={results.map((r) => ({
              key: r.policyId,
              label: (
                <Space wrap data-testid={`result-${r.policyId}`}>
                  <StateTag state={r.state} />
                  <Typography.Text strong>{r.policyName}</Typography.Text>
                  {r.amountFen !== null && <Tag color="blue">{yuan(r.amountFen)}</Tag>}
                  {r.state === "not_met" && r.failed.length > 0 && (
                    <Typography.Text type="secondary">
                      未满足：
                      {r.conditions
                        .filter((c) => r.failed.includes(c.id))
                        .map((c) => c.label)
                        .join("、")}
                    </Typography.Text>
                  )}
                  {r.state === "unknown" && (
                    <Typography.Text type="secondary">
                      需补充：{r.missing.map((m) => m.label).join("、")}
                    </Typography.Text>
                  )}
                </Space>
              ),
              children: (
                <Space direction="vertical" style={{ width: "100%" }}>
                  <Explanation result={r} />
                  {r.state === "met" && (
                    <Button type="primary" onClick={() => apply(r.policyId)} data-testid={`apply-${r.policyId}`}>
                      申请
                    </Button>
                  )}
                </Space>
              ),
            }))}
          />
        </Card>
      </Col>
      <Col xs={24} xl={8}>
        <Space direction="vertical" style={{ width: "100%" }}>
          {questions.length > 0 && (
            <Card title="补充信息" size="small" data-testid="questions">
              <Typography.Paragraph type="secondary">
                以下信息本平台没有登记，填写后可判断更多政策（仅用于本次自查和您提交的申请）。
              </Typography.Paragraph>
              <Form
                form={form}
                layout="vertical"
                onFinish={(v) => {
                  const a = answersOf((v.answers ?? {}) as Record<string, unknown>, questions);
                  setAnswers(a);
                  run(a);
                }}
              >
                {questions.map((q) => (
                  <QuestionField key={q.fact} q={q} />
                ))}
                <Button htmlType="submit" type="primary" loading={loading} data-testid="recheck">
                  重新判断
                </Button>
              </Form>
            </Card>
          )}
          <Card title="我的消息" size="small">
            <List
              dataSource={messages}
              locale={{ emptyText: "暂无消息" }}
              renderItem={(m) => (
                <List.Item>
                  <List.Item.Meta
                    title={m.title}
                    description={<span style={{ whiteSpace: "pre-wrap" }}>{m.body}</span>}
                  />
                </List.Item>
              )}
            />
          </Card>
          <Card title="我享受的待遇" size="small">
            <List
              dataSource={payments}
              locale={{ emptyText: "暂无" }}
              renderItem={(p) => (
                <List.Item>
                  {p.policyName}（{p.period}）{yuan(p.amountFen)}
                </List.Item>
              )}
            />
          </Card>
          <Card title="我的申请" size="small">
            <List
              dataSource={applications}
              locale={{ emptyText: "暂无" }}
              renderItem={(a) => (
                <List.Item>
                  <Space direction="vertical" size={0}>
                    <span>
                      {a.policyName}（{a.period}）
                      <Tag>{{ submitted: "审核中", approved: "已批准", rejected: "未批准" }[a.status]}</Tag>
                    </span>
                    {a.letter && (
                      <Typography.Text type="secondary" style={{ whiteSpace: "pre-wrap" }}>
                        {a.letter}
                      </Typography.Text>
                    )}
                  </Space>
                </List.Item>
              )}
            />
          </Card>
        </Space>
      </Col>
    </Row>
  );
}
