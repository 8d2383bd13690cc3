import type { Recommendation, Referral, Seeker } from "@jiuye/contracts";
import {
  App,
  Button,
  Checkbox,
  DatePicker,
  Descriptions,
  Drawer,
  Empty,
  Form,
  Input,
  InputNumber,
  List,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from "antd";
import dayjs from "dayjs";
import { useCallback, useEffect, useState } from "react";
import { ApiError, api, errorMessage } from "../../api/client";
import { useAuth } from "../../app/auth-context";
import { PostingDetail } from "./JobSearchPage";
import { MatchExplanation, OccupationSelect, PostingSummary, WORK_TYPE_LABELS } from "./shared";

const REFERRAL_STATUS: Record<string, string> = {
  referred: "已推荐",
  interviewed: "已面试",
  hired: "已录用",
  not_hired: "未录用",
  no_response: "无回应",
};

function RegisterForm({ personId, onDone }: { personId: string; onDone: (s: Seeker) => void }) {
  const { message } = App.useApp();
  const { me } = useAuth();
  return (
    <Form
      layout="vertical"
      name="seeker"
      initialValues={{ workTypes: ["full_time"], employerVisible: false }}
      onFinish={async (v: {
        occupations: string[];
        skills?: string[];
        salary?: number;
        workTypes: string[];
        introduction?: string;
        employerVisible: boolean;
      }) => {
        try {
          const s = await api<Seeker>(
            "POST",
            "/seekers",
            {
              ...(me?.role === "case_worker" ? { personId } : {}),
              occupations: v.occupations,
              skills: v.skills ?? [],
              salaryExpectationFen: v.salary ? v.salary * 100 : null,
              workTypes: v.workTypes,
              introduction: v.introduction || null,
              employerVisible: v.employerVisible,
            },
            { "idempotency-key": crypto.randomUUID() },
          );
          message.success("求职登记已完成");
          onDone(s);
        } catch (e) {
          message.error(errorMessage(e));
        }
      }}
    >
      <Form.Item name="occupations" label="求职意向职业" rules={[{ required: true, message: "请至少选择一个职业" }]}>
        <OccupationSelect mode="multiple" />
      </Form.Item>
      <Form.Item name="skills" label="技能与证书">
        <Select mode="tags" placeholder="输入后回车，如：低压电工证" />
      </Form.Item>
      <Form.Item name="salary" label="期望月薪（元）">
        <InputNumber min={1} style={{ width: 200 }} />
      </Form.Item>
      <Form.Item name="workTypes" label="用工形式">
        <Checkbox.Group options={Object.entries(WORK_TYPE_LABELS).map(([value, label]) => ({ value, label }))} />
      </Form.Item>
      <Form.Item name="introduction" label="自我介绍">
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
      <Form.Item name="employerVisible" valuePropName="checked">
        <Checkbox>同意向用人单位展示我的求职信息（姓名脱敏，不含重点群体身份）</Checkbox>
      </Form.Item>
      <Button type="primary" htmlType="submit">
        提交求职登记
      </Button>
    </Form>
  );
}

function Referrals({ seekerId, reload }: { seekerId: string; reload: number }) {
  const { message } = App.useApp();
  const [items, setItems] = useState<Referral[]>([]);
  const [outcome, setOutcome] = useState<Referral | null>(null);
  const [hire, setHire] = useState<Referral | null>(null);
  const load = useCallback(() => {
    api<Referral[]>("GET", `/seekers/${seekerId}/referrals`).then(setItems, () => setItems([]));
  }, [seekerId]);
  useEffect(() => {
    void reload;
    load();
  }, [load, reload]);
  return (
    <>
      <Table<Referral>
        size="small"
        rowKey="id"
        dataSource={items}
        pagination={false}
        locale={{ emptyText: "暂无推荐记录" }}
        columns={[
          { title: "岗位", dataIndex: "postingTitle" },
          { title: "单位", dataIndex: "employerName" },
          { title: "匹配度", dataIndex: "score" },
          {
            title: "结果",
            dataIndex: "status",
            render: (s: string, r) => (
              <Tag>
                {REFERRAL_STATUS[s]}
                {r.outcomeReason ? `：${r.outcomeReason}` : ""}
              </Tag>
            ),
          },
          {
            title: "操作",
            render: (_: unknown, r) =>
              r.status === "hired" ? (
                r.ledgerEventId ? (
                  <Tag color="green">已办理就业登记</Tag>
                ) : (
                  <Button size="small" type="primary" onClick={() => setHire(r)}>
                    办理就业登记
                  </Button>
                )
              ) : r.status !== "not_hired" ? (
                <Button size="small" onClick={() => setOutcome(r)}>
                  记录结果
                </Button>
              ) : null,
          },
        ]}
      />
      <Modal title="记录推荐结果" open={!!outcome} onCancel={() => setOutcome(null)} footer={null} destroyOnHidden>
        <Form
          layout="vertical"
          initialValues={{ status: "interviewed", outcomeOn: dayjs() }}
          onFinish={async (v: { status: string; reason?: string; outcomeOn: dayjs.Dayjs }) => {
            try {
              await api("PATCH", `/referrals/${outcome?.id}`, {
                status: v.status,
                reason: v.reason || undefined,
                outcomeOn: v.outcomeOn.format("YYYY-MM-DD"),
              });
              setOutcome(null);
              load();
            } catch (e) {
              message.error(errorMessage(e));
            }
          }}
        >
          <Form.Item name="status" label="结果">
            <Select
              options={["interviewed", "hired", "not_hired", "no_response"].map((value) => ({
                value,
                label: REFERRAL_STATUS[value],
              }))}
            />
          </Form.Item>
          <Form.Item name="reason" label="原因（未录用时必填）">
            <Input />
          </Form.Item>
          <Form.Item name="outcomeOn" label="日期">
            <DatePicker />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            保存
          </Button>
        </Form>
      </Modal>
      <Modal title="确认录用并办理就业登记" open={!!hire} onCancel={() => setHire(null)} footer={null} destroyOnHidden>
        <Form
          layout="vertical"
          initialValues={{ startDate: dayjs(), contractType: "fixed_term" }}
          onFinish={async (v: { startDate: dayjs.Dayjs; contractType: string }) => {
            try {
              await api("POST", `/referrals/${hire?.id}/employment`, {
                startDate: v.startDate.format("YYYY-MM-DD"),
                contractType: v.contractType,
              });
              message.success("就业登记已办理");
              setHire(null);
              load();
            } catch (e) {
              message.error(errorMessage(e));
            }
          }}
        >
          <Typography.Paragraph>
            将为本人办理就业登记：{hire?.employerName}，岗位「{hire?.postingTitle}」。登记规则与手工办理相同。
          </Typography.Paragraph>
          <Form.Item name="startDate" label="入职日期">
            <DatePicker />
          </Form.Item>
          <Form.Item name="contractType" label="合同类型">
            <Select
              options={[
                { value: "fixed_term", label: "固定期限" },
                { value: "open_ended", label: "无固定期限" },
                { value: "task_based", label: "以完成一定工作任务为期限" },
                { value: "none", label: "未签订" },
              ]}
            />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            确认办理
          </Button>
        </Form>
      </Modal>
    </>
  );
}

/** A person's job-seeker registration and the postings recommended to them, each explained. */
export function SeekerPanel({ personId }: { personId: string }) {
  const { me } = useAuth();
  const { message } = App.useApp();
  const [seeker, setSeeker] = useState<Seeker | null | undefined>(undefined);
  const [recs, setRecs] = useState<Recommendation[] | null>(null);
  const [open, setOpen] = useState<Recommendation | null>(null);
  const [referrals, setReferrals] = useState(0);
  const isWorker = me?.role === "case_worker";

  useEffect(() => {
    api<Seeker>("GET", `/persons/${personId}/seeker`).then(setSeeker, (e) =>
      setSeeker(e instanceof ApiError && e.status === 404 ? null : undefined),
    );
  }, [personId]);
  const loadRecs = useCallback(() => {
    if (seeker)
      api<Recommendation[]>("GET", `/seekers/${seeker.id}/recommendations?k=20`).then(setRecs, (e) =>
        message.error(errorMessage(e)),
      );
  }, [seeker, message]);
  useEffect(loadRecs, [loadRecs]);

  async function feedback(rec: Recommendation, kind: "not_relevant" | "hidden" | "pinned") {
    const reason =
      kind === "not_relevant" ? "本人认为不相关" : kind === "hidden" ? "经办人员判断不适合" : "经办人员置顶";
    try {
      await api("POST", `/seekers/${seeker?.id}/feedback`, { postingId: rec.posting?.id, kind, reason });
      setOpen(null);
      loadRecs();
    } catch (e) {
      message.error(errorMessage(e));
    }
  }

  async function refer(rec: Recommendation) {
    try {
      await api(
        "POST",
        "/referrals",
        { seekerId: seeker?.id, postingId: rec.posting?.id },
        { "idempotency-key": crypto.randomUUID() },
      );
      message.success("已推荐，请跟进结果");
      setReferrals((n) => n + 1);
    } catch (e) {
      message.error(errorMessage(e));
    }
  }

  if (seeker === undefined) return null;
  if (seeker === null)
    return (
      <div>
        <Empty description="尚未进行求职登记" />
        <RegisterForm personId={personId} onDone={setSeeker} />
      </div>
    );
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Descriptions size="small" column={2} bordered>
        <Descriptions.Item label="求职意向">
          {seeker.occupations.map((o) => o.name ?? o.code).join("、")}
        </Descriptions.Item>
        <Descriptions.Item label="技能">{seeker.skills.join("、") || "—"}</Descriptions.Item>
        <Descriptions.Item label="期望月薪">
          {seeker.salaryExpectationFen ? `${seeker.salaryExpectationFen / 100} 元` : "—"}
        </Descriptions.Item>
        <Descriptions.Item label="意向地区">
          {seeker.regions.map((r) => r.name ?? r.code).join("、") || "不限"}
        </Descriptions.Item>
      </Descriptions>
      <Typography.Title level={5}>为您推荐的岗位</Typography.Title>
      <List<Recommendation>
        loading={!recs}
        dataSource={recs ?? []}
        locale={{ emptyText: "暂无匹配的岗位" }}
        renderItem={(r) => (
          <List.Item
            data-testid="recommendation"
            onClick={() => setOpen(r)}
            style={{ cursor: "pointer" }}
            extra={<Tag color={r.score >= 80 ? "green" : r.score >= 60 ? "blue" : "default"}>匹配度 {r.score}</Tag>}
          >
            <List.Item.Meta
              title={
                <a>
                  {r.pinned ? "📌 " : ""}
                  {r.posting?.title}
                </a>
              }
              description={r.posting && <PostingSummary p={r.posting} />}
            />
          </List.Item>
        )}
      />
      {isWorker && (
        <>
          <Typography.Title level={5}>推荐记录（职业介绍）</Typography.Title>
          <Referrals seekerId={seeker.id} reload={referrals} />
        </>
      )}
      <Drawer title={open?.posting?.title} open={!!open} onClose={() => setOpen(null)} width={600}>
        {open && (
          <Space direction="vertical" style={{ width: "100%" }}>
            <Typography.Title level={5}>为什么推荐</Typography.Title>
            <MatchExplanation rec={open} />
            <Space>
              {!isWorker && <Button onClick={() => feedback(open, "not_relevant")}>不相关</Button>}
              {isWorker && (
                <>
                  <Button type="primary" onClick={() => refer(open)}>
                    推荐到该岗位
                  </Button>
                  <Button onClick={() => feedback(open, "pinned")}>置顶</Button>
                  <Button onClick={() => feedback(open, "hidden")}>隐藏</Button>
                </>
              )}
            </Space>
            {open.posting && <PostingDetail p={open.posting} />}
          </Space>
        )}
      </Drawer>
    </Space>
  );
}

/** 求职推荐 for the individual: their registration and recommendations. */
export function MyJobsPage() {
  const { me } = useAuth();
  if (!me?.personId) return <Empty description="账号未关联劳动者信息" />;
  return (
    <div>
      <Typography.Title level={3}>我的求职</Typography.Title>
      <SeekerPanel personId={me.personId} />
    </div>
  );
}
