import type { PostingReview } from "@jiuye/contracts";
import { App, Button, Form, Input, Modal, Radio, Segmented, Space, Table, Tag, Typography } from "antd";
import dayjs from "dayjs";
import { useCallback, useEffect, useState } from "react";
import { api, errorMessage, query } from "../../api/client";
import { FindingsList } from "./shared";

type Page = { items: PostingReview[]; total: number; page: number; pageSize: number };

/** 岗位审核: screening warnings and user reports in the case worker's region, decided with a reason. */
export function ReviewsPage() {
  const { message } = App.useApp();
  const [status, setStatus] = useState<"open" | "approved" | "rejected">("open");
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Page | null>(null);
  const [deciding, setDeciding] = useState<PostingReview | null>(null);
  const load = useCallback(() => {
    api<Page>("GET", `/posting-reviews${query({ status, page, pageSize: 20 })}`).then(setData, (e) =>
      message.error(errorMessage(e)),
    );
  }, [status, page, message]);
  useEffect(load, [load]);

  async function decide(v: { decision: "approve" | "reject"; reason: string }) {
    if (!deciding) return;
    try {
      await api("POST", `/posting-reviews/${deciding.id}/decide`, v);
      message.success(v.decision === "approve" ? "已通过" : "已驳回");
      setDeciding(null);
      load();
    } catch (e) {
      message.error(errorMessage(e));
    }
  }

  return (
    <div>
      <Typography.Title level={3}>岗位审核</Typography.Title>
      <Segmented
        style={{ marginBottom: 16 }}
        value={status}
        onChange={(v) => {
          setPage(1);
          setStatus(v as typeof status);
        }}
        options={[
          { value: "open", label: "待处理" },
          { value: "approved", label: "已通过" },
          { value: "rejected", label: "已驳回" },
        ]}
      />
      <Table<PostingReview>
        rowKey="id"
        loading={!data}
        dataSource={data?.items}
        pagination={{ current: page, total: data?.total, pageSize: 20, onChange: setPage }}
        expandable={{ expandedRowRender: (r) => <FindingsList findings={r.findings} /> }}
        columns={[
          { title: "岗位", dataIndex: "postingTitle" },
          { title: "单位", dataIndex: "employerName" },
          { title: "地点", dataIndex: "regionName" },
          {
            title: "类型",
            dataIndex: "kind",
            render: (k: string, r) =>
              k === "report" ? <Tag color="red">举报：{r.reason}</Tag> : <Tag color="orange">审核提示</Tag>,
          },
          { title: "提交时间", dataIndex: "createdAt", render: (v: string) => dayjs(v).format("YYYY-MM-DD HH:mm") },
          status === "open"
            ? { title: "操作", render: (_: unknown, r) => <Button onClick={() => setDeciding(r)}>处理</Button> }
            : { title: "理由", dataIndex: "decisionReason" },
        ]}
      />
      <Modal
        title={`处理：${deciding?.postingTitle ?? ""}`}
        open={!!deciding}
        onCancel={() => setDeciding(null)}
        footer={null}
        destroyOnHidden
        width={640}
      >
        {deciding && (
          <Space direction="vertical" style={{ width: "100%" }}>
            <FindingsList findings={deciding.findings} />
            <Form layout="vertical" onFinish={decide} initialValues={{ decision: "approve" }}>
              <Form.Item name="decision" label="结论">
                <Radio.Group
                  options={[
                    { value: "approve", label: deciding.kind === "report" ? "举报不实，岗位保留" : "通过，发布岗位" },
                    {
                      value: "reject",
                      label: deciding.kind === "report" ? "举报属实，下架岗位" : "驳回，退回单位修改",
                    },
                  ]}
                />
              </Form.Item>
              <Form.Item name="reason" label="理由" rules={[{ required: true, min: 2, message: "请填写理由" }]}>
                <Input.TextArea rows={3} />
              </Form.Item>
              <Button type="primary" htmlType="submit">
                提交
              </Button>
            </Form>
          </Space>
        )}
      </Modal>
    </div>
  );
}
