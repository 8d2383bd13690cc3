import { LogoutOutlined } from "@ant-design/icons";
import { Alert, Button, Layout, Menu, Space, Tag, Typography } from "antd";
import { Navigate, Route, Routes, useLocation, useNavigate } from "react-router";
import { ROLE_LABELS } from "../components/labels";
import { useAuth } from "./auth-context";
import { APP_ROUTES, canOpen } from "./routes";

/** The signed-in shell: a menu filtered by role, the user's scope, and the page. */
export function AppLayout() {
  const { me, logout } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  if (!me) return null;
  const routes = APP_ROUTES.filter((r) => canOpen(r, me.role));
  const setupPending = (me.totpRequired && !me.totpEnabled) || me.mustChangePassword;
  const selected = routes
    .filter((r) => r.path === location.pathname || (r.path !== "/" && location.pathname.startsWith(r.path)))
    .map((r) => r.path);
  return (
    <Layout style={{ minHeight: "100vh" }}>
      <Layout.Sider
        breakpoint="lg"
        collapsedWidth={0}
        width={208}
        theme="light"
        style={{ borderRight: "1px solid #f0f0f0" }}
      >
        <div style={{ padding: "16px 20px", fontWeight: 600, fontSize: 16, color: "#1677ff" }}>就业促进服务平台</div>
        <Menu
          mode="inline"
          selectedKeys={selected.length ? selected : ["/"]}
          items={(setupPending ? routes.filter((r) => r.path === "/account") : routes).map((r) => ({
            key: r.path,
            icon: r.icon,
            label: r.label,
          }))}
          onClick={(e) => navigate(e.key)}
          data-testid="main-menu"
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: "#fff",
            padding: "0 24px",
            display: "flex",
            justifyContent: "flex-end",
            alignItems: "center",
            borderBottom: "1px solid #f0f0f0",
          }}
        >
          <Space>
            <Typography.Text data-testid="current-user">{me.displayName}</Typography.Text>
            <Tag color="blue">{ROLE_LABELS[me.role]}</Tag>
            {me.regionName && <Tag>{me.regionName}</Tag>}
            <Button icon={<LogoutOutlined />} onClick={() => void logout().then(() => navigate("/login"))}>
              退出
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          {setupPending && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 16 }}
              message={
                me.mustChangePassword
                  ? "请先修改初始密码后再使用其他功能。"
                  : "您的角色必须绑定动态口令（双因素认证）后才能使用其他功能。"
              }
            />
          )}
          <Routes>
            {(setupPending ? routes.filter((r) => r.path === "/account") : routes).map((r) => (
              <Route key={r.path} path={r.path} element={r.element} />
            ))}
            <Route path="*" element={<Navigate to={setupPending ? "/account" : "/"} replace />} />
          </Routes>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
