import type { PublicPosting, SearchPostingsResult } from "@jiuye/contracts";
import {
  App,
  Button,
  Descriptions,
  Drawer,
  Form,
  Input,
  InputNumber,
  List,
  Modal,
  Select,
  Space,
  Tag,
  Typography,
} from "antd";
import { useCallback, useEffect, useState } from "react";
import { api, errorMessage, query } from "../../api/client";
import { RegionSelect } from "../../components/RegionSelect";
import { CONTRACT_LABELS, EDUCATION_LABELS, PostingSummary, salaryText, WORK_TYPE_LABELS } from "./shared";

interface Filters {
  q?: string;
  regionCode?: string;
  workType?: string;
  salaryMin?: number;
  postedWithinDays?: number;
  sort: "relevance" | "date";
}

/** The posting itself, as a job seeker reads it, with a way to report a false or fraudulent ad. */
export function PostingDetail({ p }: { p: PublicPosting }) {
  const { message } = App.useApp();
  const [reporting, setReporting] = useState(false);
  return (
    <>
      <Descriptions column={1} size="small" bordered>
        <Descriptions.Item label="单位">{p.employerName}</Descriptions.Item>
        <Descriptions.Item label="职业">{p.occupationName ?? p.occupationCode}</Descriptions.Item>
        <Descriptions.Item label="薪资">{salaryText(p)}</Descriptions.Item>
        <Descriptions.Item label="工作地点">
          {p.regionName}
          {p.address ? ` ${p.address}` : ""}
        </Descriptions.Item>
        <Descriptions.Item label="用工形式">{WORK_TYPE_LABELS[p.workType] ?? p.workType}</Descriptions.Item>
        <Descriptions.Item label="合同">{CONTRACT_LABELS[p.contractType] ?? p.contractType}</Descriptions.Item>
        <Descriptions.Item label="学历">
          {p.education ? `${EDUCATION_LABELS[p.education]}及以上` : "不限"}
        </Descriptions.Item>
        <Descriptions.Item label="招聘人数">{p.headcount}</Descriptions.Item>
        <Descriptions.Item label="岗位描述">
          <Typography.Paragraph style={{ whiteSpace: "pre-wrap", marginBottom: 0 }}>
            {p.description}
          </Typography.Paragraph>
        </Descriptions.Item>
        {p.requirements && <Descriptions.Item label="任职要求">{p.requirements}</Descriptions.Item>}
        {p.skills.length > 0 && (
          <Descriptions.Item label="技能">
            {p.skills.map((s) => (
              <Tag key={s}>{s}</Tag>
            ))}
          </Descriptions.Item>
        )}
        {p.benefits && <Descriptions.Item label="福利">{p.benefits}</Descriptions.Item>}
        <Descriptions.Item label="有效期至">{p.validUntil}</Descriptions.Item>
      </Descriptions>
      <Button danger type="link" onClick={() => setReporting(true)} style={{ paddingLeft: 0 }}>
        举报虚假或欺诈信息
      </Button>
      <Modal title="举报招聘信息" open={reporting} onCancel={() => setReporting(false)} footer={null} destroyOnHidden>
        <Form
          layout="vertical"
          onFinish={async (v: { reason: string }) => {
            try {
              await api("POST", `/jobs/${p.id}/report`, v);
              message.success("已提交，经办人员将核查");
              setReporting(false);
            } catch (e) {
              message.error(errorMessage(e));
            }
          }}
        >
          <Form.Item name="reason" label="举报原因" rules={[{ required: true, min: 2, message: "请填写原因" }]}>
            <Input.TextArea rows={3} placeholder="如：面试时要求先交培训费" />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            提交
          </Button>
        </Form>
      </Modal>
    </>
  );
}

/** 找工作: Chinese keyword search over published postings with filters. */
export function JobSearchPage() {
  const { message } = App.useApp();
  const [filters, setFilters] = useState<Filters>({ sort: "relevance" });
  const [page, setPage] = useState(1);
  const [data, setData] = useState<SearchPostingsResult | null>(null);
  const [open, setOpen] = useState<PublicPosting | null>(null);
  const load = useCallback(() => {
    api<SearchPostingsResult>(
      "GET",
      `/jobs/search${query({
        q: filters.q,
        regionCode: filters.regionCode,
        workType: filters.workType,
        salaryMinFen: filters.salaryMin ? filters.salaryMin * 100 : undefined,
        postedWithinDays: filters.postedWithinDays,
        sort: filters.sort,
        page,
        pageSize: 20,
      })}`,
    ).then(setData, (e) => message.error(errorMessage(e)));
  }, [filters, page, message]);
  useEffect(load, [load]);
  const set = (patch: Partial<Filters>) => {
    setPage(1);
    setFilters((f) => ({ ...f, ...patch }));
  };

  return (
    <div>
      <Typography.Title level={3}>找工作</Typography.Title>
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          id="job-search"
          placeholder="关键词，如：电工、快递、SQL"
          allowClear
          enterButton="搜索"
          onSearch={(q) => set({ q })}
          style={{ width: 320 }}
        />
        <div style={{ width: 260 }}>
          <RegionSelect placeholder="地区（如：玄武区）" onChange={(regionCode) => set({ regionCode })} />
        </div>
        <Select
          allowClear
          placeholder="用工形式"
          style={{ width: 130 }}
          onChange={(workType) => set({ workType })}
          options={Object.entries(WORK_TYPE_LABELS).map(([value, label]) => ({ value, label }))}
        />
        <InputNumber
          placeholder="月薪不低于（元）"
          style={{ width: 160 }}
          onChange={(v) => set({ salaryMin: typeof v === "number" ? v : undefined })}
        />
        <Select
          allowClear
          placeholder="发布时间"
          style={{ width: 120 }}
          onChange={(postedWithinDays) => set({ postedWithinDays })}
          options={[
            { value: 3, label: "3天内" },
            { value: 7, label: "一周内" },
            { value: 30, label: "一个月内" },
          ]}
        />
        <Select
          value={filters.sort}
          style={{ width: 120 }}
          onChange={(sort) => set({ sort })}
          options={[
            { value: "relevance", label: "按相关度" },
            { value: "date", label: "按发布时间" },
          ]}
        />
      </Space>
      <List<PublicPosting>
        loading={!data}
        dataSource={data?.items}
        header={
          data && (
            <Typography.Text type="secondary">{`共 ${data.total}${data.totalIsLowerBound ? "+" : ""} 个岗位（用时 ${data.tookMs} 毫秒）`}</Typography.Text>
          )
        }
        pagination={{ current: page, total: data?.total, pageSize: 20, onChange: setPage }}
        renderItem={(p) => (
          <List.Item onClick={() => setOpen(p)} style={{ cursor: "pointer" }} data-testid="job-result">
            <List.Item.Meta title={<a>{p.title}</a>} description={<PostingSummary p={p} />} />
          </List.Item>
        )}
      />
      <Drawer title={open?.title} open={!!open} onClose={() => setOpen(null)} width={560}>
        {open && <PostingDetail p={open} />}
      </Drawer>
    </div>
  );
}
