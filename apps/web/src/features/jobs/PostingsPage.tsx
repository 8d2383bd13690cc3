import { PlusOutlined } from "@ant-design/icons";
import type { Employer, Finding, Posting, ScreeningResult } from "@jiuye/contracts";
import {
  Alert,
  App,
  Button,
  Checkbox,
  Col,
  DatePicker,
  Descriptions,
  Drawer,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from "antd";
import dayjs from "dayjs";
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, api, errorMessage, query } from "../../api/client";
import { useAuth } from "../../app/auth-context";
import { RegionSelect } from "../../components/RegionSelect";
import {
  CONTRACT_LABELS,
  EDUCATION_LABELS,
  FindingsList,
  OccupationSelect,
  POSTING_STATUS,
  salaryText,
  WORK_TYPE_LABELS,
} from "./shared";

type Page = { items: Posting[]; total: number; page: number; pageSize: number };

interface FormValues {
  employerId?: string;
  title: string;
  occupationCode: string;
  description: string;
  requirements?: string;
  benefits?: string;
  skills?: string[];
  headcount: number;
  regionCode: string;
  address?: string;
  salaryType: "monthly" | "hourly";
  salaryMin: number;
  salaryMax: number;
  education?: string;
  contractType: string;
  workType: "full_time" | "part_time" | "flexible";
  isPublicWelfare?: boolean;
  isInternship?: boolean;
  targetsGraduates?: boolean;
  validUntil: dayjs.Dayjs;
}

function toBody(v: FormValues) {
  return {
    title: v.title,
    occupationCode: v.occupationCode,
    description: v.description,
    requirements: v.requirements || null,
    benefits: v.benefits || null,
    skills: v.skills ?? [],
    headcount: v.headcount,
    regionCode: v.regionCode,
    address: v.address || null,
    salaryType: v.salaryType,
    salaryMinFen: Math.round((v.salaryMin ?? 0) * 100),
    salaryMaxFen: Math.round((v.salaryMax ?? 0) * 100),
    education: v.education ?? null,
    contractType: v.contractType,
    workType: v.workType,
    isPublicWelfare: !!v.isPublicWelfare,
    isInternship: !!v.isInternship,
    targetsGraduates: !!v.targetsGraduates,
    validUntil: v.validUntil?.format("YYYY-MM-DD"),
  };
}

/** The posting form, screened as the employer types; save as draft, then submit for publication. */
function PostingEditor({ posting, onSaved }: { posting: Posting | null; onSaved: (p: Posting) => void }) {
  const { me } = useAuth();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const [screening, setScreening] = useState<ScreeningResult | null>(null);
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState<Posting | null>(posting);
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [employers, setEmployers] = useState<Employer[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    if (me?.role === "case_worker")
      api<{ items: Employer[] }>("GET", `/employers${query({ pageSize: 200 })}`).then(
        (r) => setEmployers(r.items),
        () => {},
      );
  }, [me?.role]);

  const rescreen = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const v = form.getFieldsValue(true) as FormValues;
      if (!v.regionCode || !v.salaryMin || !v.salaryMax) return;
      const body = {
        title: v.title ?? "",
        description: v.description ?? "",
        requirements: v.requirements || null,
        benefits: v.benefits || null,
        regionCode: v.regionCode,
        salaryType: v.salaryType,
        salaryMinFen: Math.round(v.salaryMin * 100),
        salaryMaxFen: Math.round(v.salaryMax * 100),
        workType: v.workType,
        targetsGraduates: !!v.targetsGraduates,
        isInternship: !!v.isInternship,
      };
      api<ScreeningResult>("POST", "/postings/screen", body).then(
        (r) => {
          setScreening(r);
          setTexts({
            title: body.title,
            description: body.description,
            requirements: body.requirements ?? "",
            benefits: body.benefits ?? "",
          });
        },
        () => {},
      );
    }, 350);
  }, [form]);

  useEffect(() => {
    if (posting) {
      form.setFieldsValue({
        ...posting,
        requirements: posting.requirements ?? undefined,
        benefits: posting.benefits ?? undefined,
        address: posting.address ?? undefined,
        education: posting.education ?? undefined,
        salaryType: posting.salaryType,
        salaryMin: posting.salaryMinFen / 100,
        salaryMax: posting.salaryMaxFen / 100,
        workType: posting.workType as FormValues["workType"],
        validUntil: dayjs(posting.validUntil),
      });
      rescreen();
    }
  }, [posting, form, rescreen]);

  async function save(): Promise<Posting | null> {
    const v = await form.validateFields();
    const body = toBody(v);
    try {
      const p = saved
        ? await api<Posting>("PATCH", `/postings/${saved.id}`, { ...body, version: saved.version })
        : await api<Posting>(
            "POST",
            "/postings",
            { ...body, employerId: v.employerId },
            { "idempotency-key": crypto.randomUUID() },
          );
      setSaved(p);
      return p;
    } catch (e) {
      message.error(errorMessage(e));
      return null;
    }
  }

  async function saveDraft() {
    const p = await save();
    if (p) {
      message.success("草稿已保存");
      onSaved(p);
    }
  }

  async function submit() {
    setSubmitError(null);
    const p = await save();
    if (!p) return;
    if (p.status === "published" || p.status === "pending_review") {
      onSaved(p);
      message.success(p.status === "published" ? "修改已发布" : "修改已提交，等待审核");
      return;
    }
    try {
      const r = await api<Posting>("POST", `/postings/${p.id}/submit`);
      setSaved(r);
      onSaved(r);
      message.success(r.status === "published" ? "岗位已发布" : "岗位含需人工审核的内容，已提交经办人员审核");
    } catch (e) {
      if (e instanceof ApiError && e.problem.code === "POSTING_BLOCKED")
        setSubmitError(e.problem.detail ?? e.problem.title);
      else message.error(errorMessage(e));
      rescreen();
    }
  }

  const findings: Finding[] = screening?.findings ?? [];
  return (
    <Row gutter={24}>
      <Col span={14}>
        <Form<FormValues>
          form={form}
          name="posting"
          layout="vertical"
          onValuesChange={rescreen}
          initialValues={{
            salaryType: "monthly",
            workType: "full_time",
            contractType: "fixed_term",
            headcount: 1,
            validUntil: dayjs().add(60, "day"),
          }}
        >
          {me?.role === "case_worker" && !saved && (
            <Form.Item
              name="employerId"
              label="用人单位（代为发布）"
              rules={[{ required: true, message: "请选择用人单位" }]}
            >
              <Select
                showSearch
                optionFilterProp="label"
                options={employers.map((e) => ({ value: e.id, label: e.name }))}
              />
            </Form.Item>
          )}
          <Form.Item
            name="title"
            label="岗位名称"
            rules={[{ required: true, min: 2, message: "请输入岗位名称（至少2个字）" }]}
          >
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item
            name="occupationCode"
            label="职业（职业分类大典）"
            rules={[{ required: true, message: "请选择职业" }]}
          >
            <OccupationSelect id="posting_occupationCode" />
          </Form.Item>
          <Form.Item
            name="description"
            label="岗位描述"
            rules={[{ required: true, min: 10, message: "请填写岗位描述（至少10个字）" }]}
          >
            <Input.TextArea rows={4} maxLength={5000} showCount />
          </Form.Item>
          <Form.Item name="requirements" label="任职要求">
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
          <Form.Item name="skills" label="技能要求">
            <Select mode="tags" placeholder="输入后回车，如：低压电工证" />
          </Form.Item>
          <Row gutter={12}>
            <Col span={12}>
              <Form.Item
                name="regionCode"
                label="工作地点"
                rules={[{ required: true, message: "请选择工作地点（区县或街道）" }]}
              >
                <RegionSelect id="posting_regionCode" within={me?.role === "case_worker" ? me.regionCode : undefined} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="headcount" label="招聘人数" rules={[{ required: true }]}>
                <InputNumber min={1} max={10000} style={{ width: "100%" }} />
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={12}>
            <Col span={8}>
              <Form.Item name="salaryType" label="薪资类型">
                <Select
                  options={[
                    { value: "monthly", label: "月薪" },
                    { value: "hourly", label: "时薪（非全日制）" },
                  ]}
                />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item
                name="salaryMin"
                label="工资下限（元）"
                rules={[{ required: true, message: "请输入工资下限" }]}
              >
                <InputNumber min={1} style={{ width: "100%" }} />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item
                name="salaryMax"
                label="工资上限（元）"
                rules={[{ required: true, message: "请输入工资上限" }]}
              >
                <InputNumber min={1} style={{ width: "100%" }} />
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={12}>
            <Col span={8}>
              <Form.Item name="workType" label="用工形式">
                <Select options={Object.entries(WORK_TYPE_LABELS).map(([value, label]) => ({ value, label }))} />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="contractType" label="合同类型">
                <Select options={Object.entries(CONTRACT_LABELS).map(([value, label]) => ({ value, label }))} />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="education" label="学历要求">
                <Select
                  allowClear
                  placeholder="不限"
                  options={Object.entries(EDUCATION_LABELS).map(([value, label]) => ({ value, label }))}
                />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="benefits" label="福利待遇">
            <Input maxLength={2000} />
          </Form.Item>
          <Space wrap>
            <Form.Item name="validUntil" label="有效期至" rules={[{ required: true }]}>
              <DatePicker />
            </Form.Item>
            <Form.Item name="isPublicWelfare" valuePropName="checked">
              <Checkbox>公益性岗位</Checkbox>
            </Form.Item>
            <Form.Item name="isInternship" valuePropName="checked">
              <Checkbox>就业见习岗位</Checkbox>
            </Form.Item>
            <Form.Item name="targetsGraduates" valuePropName="checked">
              <Checkbox>面向高校毕业生</Checkbox>
            </Form.Item>
          </Space>
          <Space>
            <Button onClick={saveDraft}>保存草稿</Button>
            <Button type="primary" onClick={submit} data-testid="posting-submit">
              提交发布
            </Button>
          </Space>
        </Form>
      </Col>
      <Col span={10}>
        <Typography.Title level={5}>发布前审核</Typography.Title>
        {submitError && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 12 }}
            message="未能发布"
            description={submitError}
            data-testid="submit-error"
          />
        )}
        {screening ? (
          <>
            <FindingsList findings={findings} texts={texts} />
            {screening.minimumWage && (
              <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
                当地最低工资标准：{screening.minimumWage.monthlyFen / 100} 元/月，
                {screening.minimumWage.hourlyFen / 100} 元/小时（
                {screening.minimumWage.regionName}第{screening.minimumWage.tier}档，
                {screening.minimumWage.effectiveFrom} 起执行
                {screening.minimumWage.verified ? "" : "，数据待核对"}）
              </Typography.Paragraph>
            )}
          </>
        ) : (
          <Typography.Paragraph type="secondary">
            填写工作地点和工资后，系统会自动检查歧视性内容和最低工资。
          </Typography.Paragraph>
        )}
        {saved && (
          <Descriptions size="small" column={1} style={{ marginTop: 12 }}>
            <Descriptions.Item label="状态">
              <Tag color={POSTING_STATUS[saved.status]?.color} data-testid="posting-status">
                {POSTING_STATUS[saved.status]?.label}
              </Tag>
            </Descriptions.Item>
          </Descriptions>
        )}
      </Col>
    </Row>
  );
}

/** 招聘岗位: employers manage their own postings; case workers those in their region. */
export function PostingsPage() {
  const { message } = App.useApp();
  const [data, setData] = useState<Page | null>(null);
  const [page, setPage] = useState(1);
  const [status, setStatus] = useState<string | undefined>();
  const [editing, setEditing] = useState<Posting | "new" | null>(null);
  const load = useCallback(() => {
    api<Page>("GET", `/postings${query({ page, pageSize: 20, status })}`).then(setData, (e) =>
      message.error(errorMessage(e)),
    );
  }, [page, status, message]);
  useEffect(load, [load]);

  async function act(p: Posting, action: "confirm" | "withdraw" | "fill" | "submit") {
    try {
      await api<Posting>("POST", `/postings/${p.id}/${action}`);
      message.success(
        { confirm: "已确认仍在招聘", withdraw: "已撤回", fill: "已标记为招满", submit: "已提交" }[action],
      );
      load();
    } catch (e) {
      message.error(errorMessage(e));
    }
  }

  return (
    <div>
      <Typography.Title level={3}>招聘岗位</Typography.Title>
      <Space style={{ marginBottom: 16 }}>
        <Select
          allowClear
          placeholder="全部状态"
          style={{ width: 140 }}
          value={status}
          onChange={(v) => {
            setPage(1);
            setStatus(v);
          }}
          options={Object.entries(POSTING_STATUS).map(([value, s]) => ({ value, label: s.label }))}
        />
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing("new")} data-testid="new-posting">
          发布岗位
        </Button>
      </Space>
      <Table<Posting>
        rowKey="id"
        dataSource={data?.items}
        loading={!data}
        pagination={{
          current: page,
          total: data?.total,
          pageSize: 20,
          onChange: setPage,
          showTotal: (t) => `共 ${t} 个岗位`,
        }}
        columns={[
          {
            title: "岗位",
            dataIndex: "title",
            render: (v: string, p) => (
              <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setEditing(p)}>
                {v}
              </Button>
            ),
          },
          { title: "单位", dataIndex: "employerName" },
          { title: "薪资", render: (_: unknown, p) => salaryText(p) },
          { title: "地点", dataIndex: "regionName" },
          {
            title: "状态",
            dataIndex: "status",
            render: (s: string) => <Tag color={POSTING_STATUS[s]?.color}>{POSTING_STATUS[s]?.label ?? s}</Tag>,
          },
          {
            title: "需确认日期",
            dataIndex: "confirmBy",
            render: (v: string | null) => (v ? dayjs(v).format("YYYY-MM-DD") : "—"),
          },
          {
            title: "操作",
            render: (_: unknown, p) => (
              <Space size="small">
                {p.status === "published" && (
                  <Button type="link" size="small" onClick={() => act(p, "confirm")}>
                    确认在招
                  </Button>
                )}
                {p.status === "published" && (
                  <Button type="link" size="small" onClick={() => act(p, "fill")}>
                    已招满
                  </Button>
                )}
                {["draft", "pending_review", "published", "rejected"].includes(p.status) && (
                  <Popconfirm title="确定撤回该岗位？" onConfirm={() => act(p, "withdraw")}>
                    <Button type="link" size="small">
                      撤回
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Drawer
        title={editing === "new" ? "发布岗位" : editing ? `编辑：${editing.title}` : ""}
        open={!!editing}
        onClose={() => {
          setEditing(null);
          load();
        }}
        width={1080}
        destroyOnHidden
      >
        {editing && <PostingEditor posting={editing === "new" ? null : editing} onSaved={() => load()} />}
      </Drawer>
    </div>
  );
}
