import type { LedgerEventBody } from "@jiuye/contracts";
import {
  Alert,
  App,
  Button,
  Checkbox,
  DatePicker,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Tag,
  Timeline,
  Typography,
} from "antd";
import dayjs from "dayjs";
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, api } from "../../api/client";

interface LedgerEvent {
  id: string;
  type: string;
  date: string;
  summary: string;
  correctedBy: string | null;
  recordedAt: string;
}
interface Spell {
  id: string;
  kind: string;
  employmentForm: string | null;
  employerName: string | null;
  startedOn: string;
}
interface History {
  current: { status: "employed" | "unemployed" | "none"; label: string; openSpells: Spell[] };
  events: LedgerEvent[];
}

const FORMS = [
  { value: "employer", label: "单位就业" },
  { value: "self_employed", label: "个体经营" },
  { value: "flexible", label: "灵活就业" },
  { value: "platform", label: "新就业形态（平台）" },
];
const EMPLOYMENT_END = [
  { value: "voluntary", label: "本人辞职" },
  { value: "involuntary", label: "非本人意愿中断就业" },
  { value: "contract_expiry", label: "劳动合同期满" },
  { value: "layoff", label: "经济性裁员" },
  { value: "retirement", label: "退休" },
  { value: "death", label: "死亡" },
];
const UNEMPLOYMENT_END = [
  { value: "employed", label: "实现就业" },
  { value: "retired", label: "达到退休年龄或已退休" },
  { value: "moved", label: "迁出" },
  { value: "enrolled", label: "入学" },
  { value: "no_contact", label: "长期未联系" },
  { value: "death", label: "死亡" },
];
const TITLES: Record<string, string> = {
  unemployment: "办理失业登记",
  employment: "办理就业登记",
  employment_end: "就业登记注销",
  unemployment_end: "失业登记注销",
};
/** crypto.randomUUID exists only in secure contexts; getRandomValues works over plain http too. */
function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

const STATUS_COLOR = { employed: "green", unemployed: "orange", none: "default" } as const;

/** 就业失业登记: current status, the timeline of events, and forms that explain every refusal. */
export function LedgerPanel({ personId, canWrite }: { personId: string; canWrite: boolean }) {
  const { message } = App.useApp();
  const [history, setHistory] = useState<History | null>(null);
  const [action, setAction] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<string[] | null>(null);
  const [form] = Form.useForm();
  // One key per attempt: a retry after a network failure reuses it (never registers twice); an
  // answered request (success or refusal) gets a fresh one, since the form may change.
  const idempotencyKey = useRef(newIdempotencyKey());
  const load = useCallback(() => {
    api<History>("GET", `/persons/${personId}/ledger`).then(setHistory, () => setHistory(null));
  }, [personId]);
  useEffect(load, [load]);

  async function submit(v: Record<string, unknown>) {
    const date = (v.date as dayjs.Dayjs).format("YYYY-MM-DD");
    const body = { ...v, type: action, date } as LedgerEventBody;
    if (action === "unemployment") (body as { ableAndWilling: boolean }).ableAndWilling = !!v.ableAndWilling;
    try {
      // one key per submitted form: a double click or a retry never registers twice
      await api("POST", `/persons/${personId}/ledger`, body, { "idempotency-key": idempotencyKey.current });
      idempotencyKey.current = newIdempotencyKey();
      message.success("登记成功");
      setAction(null);
      setRefusal(null);
      form.resetFields();
      load();
    } catch (e) {
      if (e instanceof ApiError)
        setRefusal(e.problem.errors?.map((x) => x.message) ?? [e.problem.detail ?? e.problem.title]);
      else setRefusal(["网络异常，请稍后再试"]);
    }
  }

  if (!history) return <Typography.Text type="secondary">加载中…</Typography.Text>;
  return (
    <div>
      <Space style={{ marginBottom: 12 }} wrap>
        <span>当前状态：</span>
        <Tag color={STATUS_COLOR[history.current.status]} data-testid="ledger-status">
          {history.current.label}
        </Tag>
      </Space>
      {canWrite && (
        <Space style={{ marginBottom: 16 }} wrap>
          {Object.entries(TITLES).map(([k, label]) => (
            <Button
              key={k}
              size="small"
              onClick={() => {
                setAction(k);
                setRefusal(null);
              }}
              data-testid={`ledger-${k}`}
            >
              {label}
            </Button>
          ))}
        </Space>
      )}
      {history.events.length === 0 ? (
        <Typography.Text type="secondary">暂无就业失业登记记录</Typography.Text>
      ) : (
        <Timeline
          data-testid="ledger-timeline"
          items={history.events.map((e) => ({
            color: e.correctedBy
              ? "gray"
              : e.type.startsWith("unemployment")
                ? "orange"
                : e.type === "correction"
                  ? "red"
                  : "green",
            children: (
              <div>
                <Typography.Text delete={!!e.correctedBy}>
                  {e.date} {e.summary}
                </Typography.Text>
                {e.correctedBy && <Tag style={{ marginLeft: 8 }}>已更正</Tag>}
              </div>
            ),
          }))}
        />
      )}
      <Modal
        title={action ? TITLES[action] : ""}
        open={!!action}
        onCancel={() => setAction(null)}
        onOk={() => form.submit()}
        okText="提交"
        cancelText="取消"
        destroyOnHidden
      >
        {refusal && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 12 }}
            message="不能办理"
            description={
              <ul style={{ margin: 0, paddingLeft: 18 }}>
                {refusal.map((r) => (
                  <li key={r}>{r}</li>
                ))}
              </ul>
            }
            data-testid="ledger-refusal"
          />
        )}
        <Form form={form} layout="vertical" onFinish={submit} initialValues={{ date: dayjs(), ableAndWilling: true }}>
          <Form.Item name="date" label="日期" rules={[{ required: true, message: "请选择日期" }]}>
            <DatePicker id="ledger-date" disabledDate={(d) => d.isAfter(dayjs(), "day")} />
          </Form.Item>
          {action === "employment" && (
            <>
              <Form.Item name="form" label="就业形式" rules={[{ required: true, message: "请选择就业形式" }]}>
                <Select id="ledger-form" options={FORMS} />
              </Form.Item>
              <Form.Item name="employerName" label="用人单位名称（单位就业必填）">
                <Input id="ledger-employer" maxLength={100} />
              </Form.Item>
            </>
          )}
          {action === "unemployment" && (
            <Form.Item name="ableAndWilling" valuePropName="checked">
              <Checkbox>本人有劳动能力和就业要求</Checkbox>
            </Form.Item>
          )}
          {action === "employment_end" && (
            <Form.Item name="reason" label="注销原因" rules={[{ required: true, message: "请选择注销原因" }]}>
              <Select id="ledger-reason" options={EMPLOYMENT_END} />
            </Form.Item>
          )}
          {action === "unemployment_end" && (
            <Form.Item name="reason" label="注销原因" rules={[{ required: true, message: "请选择注销原因" }]}>
              <Select id="ledger-reason" options={UNEMPLOYMENT_END} />
            </Form.Item>
          )}
        </Form>
      </Modal>
    </div>
  );
}
