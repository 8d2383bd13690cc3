import { Alert, App, Button, Card, Descriptions, Form, Input, QRCode, Space, Typography } from "antd";
import { useState } from "react";
import { api, errorMessage } from "../../api/client";
import { useAuth } from "../../app/auth-context";
import { ROLE_LABELS } from "../../components/labels";

export function AccountPage() {
  const { me, refresh } = useAuth();
  const { message } = App.useApp();
  const [totp, setTotp] = useState<{ secret: string; otpauthUri: string } | null>(null);
  const [pwForm] = Form.useForm();
  if (!me) return null;

  async function changePassword(v: { currentPassword: string; newPassword: string }) {
    try {
      await api("POST", "/account/password", { currentPassword: v.currentPassword, newPassword: v.newPassword });
      message.success("密码已修改");
      pwForm.resetFields();
      await refresh();
    } catch (e) {
      message.error(errorMessage(e));
    }
  }

  async function startTotp() {
    try {
      setTotp(await api("POST", "/account/totp/setup"));
    } catch (e) {
      message.error(errorMessage(e));
    }
  }

  async function enableTotp(v: { code: string }) {
    try {
      await api("POST", "/account/totp/enable", { code: v.code });
      message.success("动态口令已启用");
      setTotp(null);
      await refresh();
    } catch (e) {
      message.error(errorMessage(e));
    }
  }

  return (
    <Space direction="vertical" size="large" style={{ width: "100%", maxWidth: 720 }}>
      <Typography.Title level={3}>我的账号</Typography.Title>
      <Card title="基本信息">
        <Descriptions column={1}>
          <Descriptions.Item label="用户名">{me.username}</Descriptions.Item>
          <Descriptions.Item label="姓名">{me.displayName}</Descriptions.Item>
          <Descriptions.Item label="角色">{ROLE_LABELS[me.role]}</Descriptions.Item>
          <Descriptions.Item label="管辖范围">{me.regionName ?? "—"}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title="修改密码">
        <Typography.Paragraph type="secondary">
          密码至少12个字符，包含大写字母、小写字母、数字、特殊字符中的至少三类，且不能是常见密码。
        </Typography.Paragraph>
        <Form form={pwForm} layout="vertical" onFinish={changePassword} style={{ maxWidth: 400 }}>
          <Form.Item name="currentPassword" label="当前密码" rules={[{ required: true, message: "请输入当前密码" }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Form.Item
            name="newPassword"
            label="新密码"
            rules={[{ required: true, min: 12, message: "新密码至少12个字符" }]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            name="confirm"
            label="确认新密码"
            dependencies={["newPassword"]}
            rules={[
              { required: true, message: "请再次输入新密码" },
              ({ getFieldValue }) => ({
                validator: (_, v) =>
                  v === getFieldValue("newPassword")
                    ? Promise.resolve()
                    : Promise.reject(new Error("两次输入的密码不一致")),
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            修改密码
          </Button>
        </Form>
      </Card>
      <Card title="动态口令（双因素认证）">
        {me.totpEnabled ? (
          <Alert type="success" showIcon message="已启用动态口令。登录时需输入身份验证器中的6位数字。" />
        ) : (
          <Space direction="vertical" style={{ width: "100%" }}>
            <Alert
              type={me.totpRequired ? "warning" : "info"}
              showIcon
              message={me.totpRequired ? "您的角色必须启用动态口令。" : "建议启用动态口令以保护账号安全。"}
            />
            {!totp && (
              <Button type="primary" onClick={startTotp} data-testid="totp-start">
                开始绑定
              </Button>
            )}
            {totp && (
              <Space align="start" size="large" wrap>
                <QRCode value={totp.otpauthUri} />
                <div>
                  <Typography.Paragraph>
                    用身份验证器（如微信小程序、Google Authenticator）扫描二维码，或手动输入密钥：
                  </Typography.Paragraph>
                  <Typography.Paragraph copyable code data-testid="totp-secret">
                    {totp.secret}
                  </Typography.Paragraph>
                  <Form layout="inline" onFinish={enableTotp}>
                    <Form.Item
                      name="code"
                      rules={[{ required: true, pattern: /^\d{6}$/, message: "请输入6位动态口令" }]}
                    >
                      <Input placeholder="6位动态口令" maxLength={6} id="totp-code" />
                    </Form.Item>
                    <Button type="primary" htmlType="submit">
                      确认启用
                    </Button>
                  </Form>
                </div>
              </Space>
            )}
          </Space>
        )}
      </Card>
    </Space>
  );
}
