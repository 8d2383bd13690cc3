import type { PolicyVersion } from "@jiuye/contracts";
import { Alert, App, Button, Card, Descriptions, Form, Input, Space, Table, Tag, Typography } from "antd";
import { useCallback, useEffect, useState } from "react";
import { ApiError, api, errorMessage } from "../../api/client";
import { useAuth } from "../../app/auth-context";

const STATUS: Record<string, { label: string; color: string }> = {
  proposed: { label: "待审批", color: "blue" },
  active: { label: "现行", color: "green" },
  rejected: { label: "已驳回", color: "red" },
  superseded: { label: "已停用", color: "default" },
};

/** 规则变更: upload a new version, see who gains and who loses, approve (another administrator). */
export function PolicyVersionsPage() {
  const { me } = useAuth();
  const { message, modal } = App.useApp();
  const [rows, setRows] = useState<PolicyVersion[]>([]);
  const [errors, setErrors] = useState<{ field: string; message: string }[]>([]);
  const [uploading, setUploading] = useState(false);
  const [form] = Form.useForm();
  const load = useCallback(() => {
    api<PolicyVersion[]>("GET", "/policy-versions")
      .then(setRows)
      .catch((e) => message.error(errorMessage(e)));
  }, [message]);
  useEffect(() => load(), [load]);
  const upload = async (v: { yaml: string; note?: string }) => {
    setUploading(true);
    setErrors([]);
    try {
      await api("POST", "/policy-versions", v);
      message.success("已上传，等待另一位管理员审批");
      form.resetFields();
      load();
    } catch (e) {
      if (e instanceof ApiError && e.problem.errors) setErrors(e.problem.errors);
      message.error(errorMessage(e));
    } finally {
      setUploading(false);
    }
  };
  const decide = (v: PolicyVersion, decision: "approve" | "reject") => {
    let reason = "";
    modal.confirm({
      title: decision === "approve" ? `批准 ${v.policyId} 第 ${v.version} 版` : `驳回 ${v.policyId} 第 ${v.version} 版`,
      content: <Input.TextArea rows={3} placeholder="审批意见" onChange={(e) => (reason = e.target.value)} />,
      onOk: async () => {
        try {
          await api("POST", `/policy-versions/${v.id}/decide`, { decision, reason });
          load();
        } catch (e) {
          message.error(errorMessage(e));
        }
      },
    });
  };
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      {me?.role === "admin" && (
        <Card title="上传政策新版本" size="small">
          <Form form={form} layout="vertical" onFinish={upload}>
            <Form.Item
              name="yaml"
              label="政策规则（YAML，格式同 packages/domain/policies）"
              rules={[{ required: true, message: "请粘贴政策 YAML" }]}
            >
              <Input.TextArea rows={10} style={{ fontFamily: "monospace" }} />
            </Form.Item>
            <Form.Item name="note" label="变更说明">
              <Input />
            </Form.Item>
            {errors.length > 0 && (
              <Alert
                type="error"
                showIcon
                message="规则无法编译"
                description={
                  <ul style={{ margin: 0 }}>
                    {errors.map((e) => (
                      <li key={`${e.field}${e.message}`}>
                        <Typography.Text code>{e.field}</Typography.Text> {e.message}
                      </li>
                    ))}
                  </ul>
                }
              />
            )}
            <Button type="primary" htmlType="submit" loading={uploading} style={{ marginTop: 12 }}>
              编译并测算影响
            </Button>
          </Form>
        </Card>
      )}
      <Card title="政策版本" size="small">
        <Table
          rowKey="id"
          size="small"
          dataSource={rows}
          expandable={{
            expandedRowRender: (v) =>
              v.impact ? (
                <Descriptions
                  size="small"
                  column={3}
                  title={`对 ${v.impact.regionCode || "全部地区"} 现有人群的影响（${v.impact.asOf}）`}
                >
                  <Descriptions.Item label="比对人数">{v.impact.evaluated}</Descriptions.Item>
                  <Descriptions.Item label="变更前符合">{v.impact.before}</Descriptions.Item>
                  <Descriptions.Item label="变更后符合">{v.impact.after}</Descriptions.Item>
                  <Descriptions.Item label="新增符合">{v.impact.gain}</Descriptions.Item>
                  <Descriptions.Item label="不再符合">{v.impact.lose}</Descriptions.Item>
                  <Descriptions.Item label="示例">
                    {v.impact.examples.map((e) => `${e.name}（${e.change === "gain" ? "新增" : "失去"}）`).join("、") ||
                      "—"}
                  </Descriptions.Item>
                </Descriptions>
              ) : (
                <Typography.Text type="secondary">单位类政策：请以单位自查数据测算影响。</Typography.Text>
              ),
          }}
          columns={[
            { title: "政策", dataIndex: "policyId" },
            { title: "版本", dataIndex: "version" },
            {
              title: "状态",
              dataIndex: "status",
              render: (s: string) => <Tag color={STATUS[s]?.color}>{STATUS[s]?.label}</Tag>,
            },
            { title: "说明", dataIndex: "note" },
            { title: "上传时间", dataIndex: "uploadedAt", render: (v: string) => new Date(v).toLocaleString("zh-CN") },
            { title: "审批意见", dataIndex: "decisionReason" },
            {
              title: "操作",
              render: (_: unknown, v) =>
                v.status === "proposed" && me?.role === "admin" ? (
                  <Space>
                    <Button size="small" type="primary" onClick={() => decide(v, "approve")}>
                      批准
                    </Button>
                    <Button size="small" danger onClick={() => decide(v, "reject")}>
                      驳回
                    </Button>
                  </Space>
                ) : null,
            },
          ]}
        />
      </Card>
    </Space>
  );
}
