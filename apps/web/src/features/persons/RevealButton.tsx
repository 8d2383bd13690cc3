import { EyeOutlined } from "@ant-design/icons";
import { App, Button, Form, Modal, Select, Typography } from "antd";
import { useEffect, useState } from "react";
import { api, errorMessage } from "../../api/client";

/** Reveals one personal value after the user states a purpose; the server audits it. */
export function RevealButton({ personId, field }: { personId: string; field: "idNumber" | "phone" }) {
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [purposes, setPurposes] = useState<Array<{ code: string; label: string }>>([]);
  const [value, setValue] = useState<string | null>(null);
  useEffect(() => {
    if (open && purposes.length === 0) api<typeof purposes>("GET", "/reveal-purposes").then(setPurposes);
  }, [open, purposes.length]);
  async function reveal(v: { purpose: string }) {
    try {
      const r = await api<{ value: string | null }>("POST", `/persons/${personId}/reveal`, {
        field,
        purpose: v.purpose,
      });
      setValue(r.value);
      setOpen(false);
    } catch (e) {
      message.error(errorMessage(e));
    }
  }
  if (value)
    return (
      <Typography.Text strong data-testid={`revealed-${field}`}>
        {value}
      </Typography.Text>
    );
  return (
    <>
      <Button size="small" icon={<EyeOutlined />} onClick={() => setOpen(true)} data-testid={`reveal-${field}`}>
        查看完整
      </Button>
      <Modal title="查看完整信息" open={open} onCancel={() => setOpen(false)} footer={null} destroyOnHidden>
        <Typography.Paragraph type="secondary">
          查看敏感个人信息须说明目的，本次操作将记入审计日志。
        </Typography.Paragraph>
        <Form layout="vertical" onFinish={reveal}>
          <Form.Item name="purpose" label="查看目的" rules={[{ required: true, message: "请选择查看目的" }]}>
            <Select id="reveal-purpose" options={purposes.map((p) => ({ value: p.code, label: p.label }))} />
          </Form.Item>
          <Button type="primary" htmlType="submit" data-testid="reveal-confirm">
            确认查看
          </Button>
        </Form>
      </Modal>
    </>
  );
}
