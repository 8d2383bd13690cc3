import { LockOutlined, SafetyOutlined, UserOutlined } from "@ant-design/icons";
import type { Me } from "@jiuye/contracts";
import { Alert, Button, Card, Form, Input, Typography } from "antd";
import { useState } from "react";
import { useNavigate } from "react-router";
import { ApiError, api, errorMessage } from "../../api/client";
import { useAuth } from "../../app/auth-context";

interface LoginForm {
  username: string;
  password: string;
  totpCode?: string;
}

export function LoginPage() {
  const { signedIn } = useAuth();
  const navigate = useNavigate();
  const [needTotp, setNeedTotp] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(values: LoginForm) {
    setBusy(true);
    setError(null);
    try {
      const me = await api<Me>("POST", "/auth/login", {
        username: values.username,
        password: values.password,
        ...(values.totpCode ? { totpCode: values.totpCode } : {}),
      });
      signedIn(me);
      navigate("/", { replace: true });
    } catch (e) {
      if (e instanceof ApiError && e.problem.code === "TOTP_REQUIRED") {
        setNeedTotp(true);
        setError("请输入身份验证器中的6位动态口令");
      } else setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div
      style={{
        minHeight: "100vh",
        display: "flex",
        alignItems: "center",
        justifyContent: "center",
        background: "linear-gradient(135deg,#e6f4ff,#f5f5f5)",
      }}
    >
      <Card style={{ width: 380 }}>
        <Typography.Title level={3} style={{ textAlign: "center", marginBottom: 4 }}>
          就业促进服务平台
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ textAlign: "center" }}>
          人力资源和社会保障部门公共就业服务
        </Typography.Paragraph>
        {error && (
          <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="login-error" />
        )}
        <Form<LoginForm> layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item name="username" label="用户名" rules={[{ required: true, message: "请输入用户名" }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" id="username" />
          </Form.Item>
          <Form.Item name="password" label="密码" rules={[{ required: true, message: "请输入密码" }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" id="password" />
          </Form.Item>
          {needTotp && (
            <Form.Item
              name="totpCode"
              label="动态口令"
              rules={[{ required: true, pattern: /^\d{6}$/, message: "动态口令为6位数字" }]}
            >
              <Input
                prefix={<SafetyOutlined />}
                inputMode="numeric"
                maxLength={6}
                autoComplete="one-time-code"
                id="totpCode"
              />
            </Form.Item>
          )}
          <Button type="primary" htmlType="submit" block loading={busy}>
            登录
          </Button>
        </Form>
      </Card>
    </div>
  );
}
