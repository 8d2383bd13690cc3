import { PlusOutlined } from "@ant-design/icons";
import type { JobFair, JobFairApplication, JobFairDetail, Posting } from "@jiuye/contracts";
import {
  App,
  Button,
  DatePicker,
  Descriptions,
  Drawer,
  Form,
  Input,
  List,
  Modal,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from "antd";
import dayjs from "dayjs";
import { useCallback, useEffect, useState } from "react";
import { api, errorMessage } from "../../api/client";
import { useAuth } from "../../app/auth-context";
import { RegionSelect } from "../../components/RegionSelect";
import { PostingSummary } from "./shared";

const THEMES: Record<string, string> = {
  industry: "行业专场",
  regional: "区域专场",
  key_group: "重点群体专场",
  graduates: "高校毕业生专场",
  general: "综合",
};
const MODES: Record<string, string> = { onsite: "现场", online: "网络", hybrid: "线上线下" };
const STATUS: Record<string, { label: string; color: string }> = {
  draft: { label: "草稿", color: "default" },
  published: { label: "报名中", color: "green" },
  closed: { label: "已结束", color: "default" },
};

function Results({ fair }: { fair: JobFair }) {
  const r = fair.results;
  return (
    <Space size="large" wrap data-testid="fair-results">
      <Statistic title="参会单位" value={r.employers} />
      <Statistic title="岗位" value={r.postings} />
      <Statistic title="需求人数" value={r.vacancies} />
      <Statistic title="报名人数" value={r.registrations} />
      <Statistic title="投递" value={r.applications} />
      <Statistic title="录用" value={r.hires} />
    </Space>
  );
}

function FairDetail({ fairId, onChanged }: { fairId: string; onChanged: () => void }) {
  const { me } = useAuth();
  const { message } = App.useApp();
  const [fair, setFair] = useState<JobFairDetail | null>(null);
  const [mine, setMine] = useState<Posting[]>([]);
  const [apps, setApps] = useState<JobFairApplication[]>([]);
  const load = useCallback(() => {
    api<JobFairDetail>("GET", `/public/job-fairs/${fairId}`).then(setFair, () => setFair(null));
    if (me?.role === "case_worker")
      api<JobFairApplication[]>("GET", `/job-fairs/${fairId}/applications`).then(setApps, () => setApps([]));
  }, [fairId, me?.role]);
  useEffect(load, [load]);
  useEffect(() => {
    if (me?.role === "employer")
      api<{ items: Posting[] }>("GET", "/postings?status=published&pageSize=200").then(
        (r) => setMine(r.items),
        () => {},
      );
  }, [me?.role]);
  const run = async (fn: () => Promise<unknown>, ok: string) => {
    try {
      await fn();
      message.success(ok);
      load();
      onChanged();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  if (!fair) return null;
  const open = fair.status === "published";
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label="主题">
          {THEMES[fair.theme]}
          {fair.themeDetail ? `（${fair.themeDetail}）` : ""}
        </Descriptions.Item>
        <Descriptions.Item label="形式">{MODES[fair.mode]}</Descriptions.Item>
        <Descriptions.Item label="时间">{`${dayjs(fair.startsAt).format("YYYY-MM-DD HH:mm")} 至 ${dayjs(fair.endsAt).format("YYYY-MM-DD HH:mm")}`}</Descriptions.Item>
        <Descriptions.Item label="地点">{fair.venue ?? fair.regionName}</Descriptions.Item>
        {fair.description && <Descriptions.Item label="介绍">{fair.description}</Descriptions.Item>}
      </Descriptions>
      <Results fair={fair} />
      {me?.role === "individual" && open && (
        <Button onClick={() => run(() => api("POST", `/job-fairs/${fair.id}/registrations`), "报名成功")}>
          报名参加
        </Button>
      )}
      {me?.role === "employer" && open && (
        <Space>
          <Select
            id="fair-posting"
            style={{ width: 320 }}
            placeholder="选择本单位已发布的岗位参会"
            options={mine.map((p) => ({ value: p.id, label: p.title }))}
            onChange={(postingId: string) =>
              run(() => api("POST", `/job-fairs/${fair.id}/postings`, { postingId }), "已参会")
            }
          />
        </Space>
      )}
      <Typography.Title level={5}>参会岗位</Typography.Title>
      <List
        dataSource={fair.postings}
        locale={{ emptyText: "暂无参会岗位" }}
        renderItem={(p) => (
          <List.Item
            extra={
              me?.role === "individual" && open ? (
                <Button
                  size="small"
                  type="primary"
                  onClick={() =>
                    run(() => api("POST", `/job-fairs/${fair.id}/applications`, { postingId: p.id }), "已投递")
                  }
                >
                  投递
                </Button>
              ) : null
            }
          >
            <List.Item.Meta title={p.title} description={<PostingSummary p={p} />} />
          </List.Item>
        )}
      />
      {me?.role === "case_worker" && (
        <>
          <Typography.Title level={5}>投递与录用</Typography.Title>
          <Table<JobFairApplication>
            size="small"
            rowKey="id"
            dataSource={apps}
            pagination={false}
            columns={[
              { title: "求职者", dataIndex: "personName" },
              { title: "岗位", dataIndex: "postingTitle" },
              { title: "单位", dataIndex: "employerName" },
              {
                title: "结果",
                dataIndex: "status",
                render: (s: string) => ({ applied: "已投递", hired: "已录用", not_hired: "未录用" })[s],
              },
              {
                title: "操作",
                render: (_: unknown, a) =>
                  a.status === "applied" ? (
                    <Space>
                      <Button
                        size="small"
                        onClick={() =>
                          run(
                            () => api("PATCH", `/job-fairs/${fair.id}/applications/${a.id}`, { status: "hired" }),
                            "已记录",
                          )
                        }
                      >
                        录用
                      </Button>
                      <Button
                        size="small"
                        onClick={() =>
                          run(
                            () => api("PATCH", `/job-fairs/${fair.id}/applications/${a.id}`, { status: "not_hired" }),
                            "已记录",
                          )
                        }
                      >
                        未录用
                      </Button>
                    </Space>
                  ) : null,
              },
            ]}
          />
        </>
      )}
    </Space>
  );
}

/** 专场招聘会: organised by case workers, joined by employers, attended by job seekers. */
export function JobFairsPage() {
  const { me } = useAuth();
  const { message } = App.useApp();
  const [fairs, setFairs] = useState<JobFair[] | null>(null);
  const [open, setOpen] = useState<JobFair | null>(null);
  const [creating, setCreating] = useState(false);
  const isWorker = me?.role === "case_worker";
  const load = useCallback(() => {
    api<JobFair[]>("GET", isWorker ? "/job-fairs" : "/public/job-fairs").then(setFairs, (e) =>
      message.error(errorMessage(e)),
    );
  }, [isWorker, message]);
  useEffect(load, [load]);

  async function create(v: {
    title: string;
    theme: string;
    themeDetail?: string;
    mode: string;
    regionCode: string;
    venue?: string;
    time: [dayjs.Dayjs, dayjs.Dayjs];
    description?: string;
  }) {
    try {
      await api(
        "POST",
        "/job-fairs",
        {
          title: v.title,
          theme: v.theme,
          themeDetail: v.themeDetail || null,
          mode: v.mode,
          regionCode: v.regionCode,
          venue: v.venue || null,
          startsAt: v.time[0].toISOString(),
          endsAt: v.time[1].toISOString(),
          description: v.description || null,
        },
        { "idempotency-key": crypto.randomUUID() },
      );
      message.success("招聘会已创建（草稿），发布后单位和求职者可以参加");
      setCreating(false);
      load();
    } catch (e) {
      message.error(errorMessage(e));
    }
  }

  async function setStatus(f: JobFair, status: "published" | "closed") {
    try {
      await api("POST", `/job-fairs/${f.id}/status`, { status });
      load();
    } catch (e) {
      message.error(errorMessage(e));
    }
  }

  return (
    <div>
      <Typography.Title level={3}>专场招聘会</Typography.Title>
      {isWorker && (
        <Button type="primary" icon={<PlusOutlined />} style={{ marginBottom: 16 }} onClick={() => setCreating(true)}>
          创建招聘会
        </Button>
      )}
      <Table<JobFair>
        rowKey="id"
        loading={!fairs}
        dataSource={fairs ?? []}
        onRow={(f) => ({ onClick: () => setOpen(f), style: { cursor: "pointer" } })}
        columns={[
          { title: "名称", dataIndex: "title" },
          { title: "主题", dataIndex: "theme", render: (v: string) => THEMES[v] },
          { title: "形式", dataIndex: "mode", render: (v: string) => MODES[v] },
          { title: "开始", dataIndex: "startsAt", render: (v: string) => dayjs(v).format("YYYY-MM-DD HH:mm") },
          {
            title: "状态",
            dataIndex: "status",
            render: (s: string) => <Tag color={STATUS[s]?.color}>{STATUS[s]?.label}</Tag>,
          },
          {
            title: "岗位/投递/录用",
            render: (_: unknown, f) => `${f.results.postings} / ${f.results.applications} / ${f.results.hires}`,
          },
          ...(isWorker
            ? [
                {
                  title: "操作",
                  render: (_: unknown, f: JobFair) => (
                    <Space onClick={(e) => e.stopPropagation()}>
                      {f.status === "draft" && (
                        <Button size="small" onClick={() => setStatus(f, "published")}>
                          发布
                        </Button>
                      )}
                      {f.status === "published" && (
                        <Button size="small" onClick={() => setStatus(f, "closed")}>
                          结束
                        </Button>
                      )}
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Drawer title={open?.title} open={!!open} onClose={() => setOpen(null)} width={720} destroyOnHidden>
        {open && <FairDetail fairId={open.id} onChanged={load} />}
      </Drawer>
      <Modal
        title="创建招聘会"
        open={creating}
        onCancel={() => setCreating(false)}
        footer={null}
        destroyOnHidden
        width={600}
      >
        <Form
          layout="vertical"
          onFinish={create}
          initialValues={{ theme: "general", mode: "onsite", regionCode: me?.regionCode ?? undefined }}
        >
          <Form.Item name="title" label="名称" rules={[{ required: true, min: 4, message: "请输入名称（至少4个字）" }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Space>
            <Form.Item name="theme" label="主题">
              <Select
                style={{ width: 180 }}
                options={Object.entries(THEMES).map(([value, label]) => ({ value, label }))}
              />
            </Form.Item>
            <Form.Item name="themeDetail" label="主题说明">
              <Input placeholder="如：退役军人、智能制造" />
            </Form.Item>
            <Form.Item name="mode" label="形式">
              <Select
                style={{ width: 140 }}
                options={Object.entries(MODES).map(([value, label]) => ({ value, label }))}
              />
            </Form.Item>
          </Space>
          <Form.Item name="regionCode" label="举办地" rules={[{ required: true, message: "请选择举办地" }]}>
            <RegionSelect within={me?.regionCode} />
          </Form.Item>
          <Form.Item name="venue" label="场地或网址">
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="time" label="时间" rules={[{ required: true, message: "请选择时间" }]}>
            <DatePicker.RangePicker showTime />
          </Form.Item>
          <Form.Item name="description" label="介绍">
            <Input.TextArea rows={3} />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            创建
          </Button>
        </Form>
      </Modal>
    </div>
  );
}
