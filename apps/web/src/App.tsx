import { App as AntApp, ConfigProvider, Spin } from "antd";
import zhCN from "antd/locale/zh_CN";
import dayjs from "dayjs";
import "dayjs/locale/zh-cn";
import { BrowserRouter, Navigate, Route, Routes } from "react-router";
import { AppLayout } from "./app/AppLayout";
import { AuthProvider, useAuth } from "./app/auth-context";
import { LoginPage } from "./features/auth/LoginPage";
import { PolicyListPage } from "./features/policies/PolicyListPage";
import { PublicNoticePage } from "./features/policies/PublicNoticePage";

function PublicPage({ children }: { children: React.ReactNode }) {
  return <div style={{ maxWidth: 1100, margin: "24px auto", padding: "0 16px" }}>{children}</div>;
}

dayjs.locale("zh-cn");

function Gate() {
  const { me, loading } = useAuth();
  if (loading) return <Spin fullscreen tip="加载中" />;
  return (
    <Routes>
      <Route path="/login" element={me ? <Navigate to="/" replace /> : <LoginPage />} />
      {/* public pages: the policy list and notices (公示) are open to everyone */}
      <Route
        path="/public/policies"
        element={
          <PublicPage>
            <PolicyListPage />
          </PublicPage>
        }
      />
      <Route path="/public/notices/:id" element={<PublicNoticePage />} />
      <Route path="*" element={me ? <AppLayout /> : <Navigate to="/login" replace />} />
    </Routes>
  );
}

export function App() {
  return (
    <ConfigProvider locale={zhCN} theme={{ token: { colorPrimary: "#1677ff" } }}>
      <AntApp>
        <BrowserRouter>
          <AuthProvider>
            <Gate />
          </AuthProvider>
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}
