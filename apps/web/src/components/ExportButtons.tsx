import { DownloadOutlined } from "@ant-design/icons";
import { App, Button, Dropdown, Form, Modal, Select, Typography } from "antd";
import { useEffect, useState } from "react";
import { api, downloadPost, errorMessage, query } from "../api/client";

/**
 * Export of a list's current filter (`GET path` masked, `POST path` with a purpose for full ID and
 * phone numbers, audited by the server).
 */
export function ExportButtons({
  path,
  title,
  params,
}: {
  path: string;
  title: string;
  params: Record<string, string | undefined>;
}) {
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [purposes, setPurposes] = useState<Array<{ code: string; label: string }>>([]);
  useEffect(() => {
    if (open && purposes.length === 0) api<typeof purposes>("GET", "/reveal-purposes").then(setPurposes);
  }, [open, purposes.length]);
  async function exportFull(v: { purpose: string; format: "xlsx" | "csv" }) {
    try {
      await downloadPost(path, { ...params, ...v }, `${title}（完整）.${v.format}`);
      setOpen(false);
    } catch (e) {
      message.error(errorMessage(e));
    }
  }
  return (
    <>
      <Dropdown
        menu={{
          items: [
            {
              key: "xlsx",
              label: <a href={`/api/v1${path}${query({ ...params, format: "xlsx" })}`}>导出 Excel（脱敏）</a>,
            },
            {
              key: "csv",
              label: <a href={`/api/v1${path}${query({ ...params, format: "csv" })}`}>导出 CSV（脱敏）</a>,
            },
            { key: "full", label: "导出完整身份证号和手机号…", onClick: () => setOpen(true) },
          ],
        }}
      >
        <Button icon={<DownloadOutlined />}>导出</Button>
      </Dropdown>
      <Modal title="导出完整信息" open={open} onCancel={() => setOpen(false)} footer={null} destroyOnHidden>
        <Typography.Paragraph type="secondary">
          导出的文件含完整身份证号和手机号，须说明目的；本次导出（含人数和筛选条件）将记入审计日志。
        </Typography.Paragraph>
        <Form layout="vertical" onFinish={exportFull} initialValues={{ format: "xlsx" }}>
          <Form.Item name="purpose" label="导出目的" rules={[{ required: true, message: "请选择导出目的" }]}>
            <Select options={purposes.map((p) => ({ value: p.code, label: p.label }))} />
          </Form.Item>
          <Form.Item name="format" label="格式">
            <Select
              options={[
                { value: "xlsx", label: "Excel (.xlsx)" },
                { value: "csv", label: "CSV" },
              ]}
            />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            确认导出
          </Button>
        </Form>
      </Modal>
    </>
  );
}
