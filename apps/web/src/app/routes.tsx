import {
  AuditOutlined,
  BankOutlined,
  BarChartOutlined,
  CalendarOutlined,
  CheckCircleOutlined,
  DashboardOutlined,
  EnvironmentOutlined,
  IdcardOutlined,
  ProfileOutlined,
  ReadOutlined,
  AuditOutlined as ReviewOutlined,
  SafetyOutlined,
  SearchOutlined,
  SolutionOutlined,
  TeamOutlined,
  ThunderboltOutlined,
  UploadOutlined,
  UserOutlined,
} from "@ant-design/icons";
import type { RoleName } from "@jiuye/contracts";
import type { ReactNode } from "react";
import { AccountPage } from "../features/account/AccountPage";
import { AuditPage } from "../features/audit/AuditPage";
import { EmployersPage, MyEmployerPage } from "../features/employers/EmployersPage";
import { ImportsPage } from "../features/imports/ImportsPage";
import { JobFairsPage } from "../features/jobs/JobFairsPage";
import { JobSearchPage } from "../features/jobs/JobSearchPage";
import { PostingsPage } from "../features/jobs/PostingsPage";
import { ReviewsPage } from "../features/jobs/ReviewsPage";
import { MyJobsPage } from "../features/jobs/SeekerPanel";
import { LedgerRegisterPage } from "../features/ledger/LedgerRegisterPage";
import { MarketPage } from "../features/market/MarketPage";
import { OverviewPage } from "../features/overview/OverviewPage";
import { MyProfilePage } from "../features/persons/MyProfilePage";
import { PersonsPage } from "../features/persons/PersonsPage";
import { PolicyCheckPage } from "../features/policies/PolicyCheckPage";
import { PolicyListPage } from "../features/policies/PolicyListPage";
import { PolicyVersionsPage } from "../features/policies/PolicyVersionsPage";
import { SweepsPage } from "../features/policies/SweepsPage";
import { RegionsPage } from "../features/regions/RegionsPage";
import { UsersPage } from "../features/users/UsersPage";

export interface AppRoute {
  path: string;
  label: string;
  icon: ReactNode;
  /** Roles that see the menu item and may open the page (the server enforces the same). */
  roles: readonly RoleName[] | "all";
  element: ReactNode;
}

/** Every page, its menu entry and who may open it — in one place (Ant Design Pro's routes + access). */
export const APP_ROUTES: AppRoute[] = [
  { path: "/", label: "工作台", icon: <DashboardOutlined />, roles: "all", element: <OverviewPage /> },
  { path: "/persons", label: "劳动者查询", icon: <IdcardOutlined />, roles: ["case_worker"], element: <PersonsPage /> },
  {
    path: "/ledger",
    label: "登记台账",
    icon: <ProfileOutlined />,
    roles: ["case_worker"],
    element: <LedgerRegisterPage />,
  },
  { path: "/employers", label: "用人单位", icon: <BankOutlined />, roles: ["case_worker"], element: <EmployersPage /> },
  {
    path: "/my-employer",
    label: "本单位信息",
    icon: <BankOutlined />,
    roles: ["employer"],
    element: <MyEmployerPage />,
  },
  {
    path: "/postings",
    label: "招聘岗位",
    icon: <SolutionOutlined />,
    roles: ["employer", "case_worker"],
    element: <PostingsPage />,
  },
  {
    path: "/posting-reviews",
    label: "岗位审核",
    icon: <ReviewOutlined />,
    roles: ["case_worker"],
    element: <ReviewsPage />,
  },
  {
    path: "/jobs",
    label: "找工作",
    icon: <SearchOutlined />,
    roles: ["individual", "case_worker", "employer"],
    element: <JobSearchPage />,
  },
  {
    path: "/job-fairs",
    label: "专场招聘会",
    icon: <CalendarOutlined />,
    roles: ["case_worker", "employer", "individual"],
    element: <JobFairsPage />,
  },
  { path: "/me/jobs", label: "我的求职", icon: <SolutionOutlined />, roles: ["individual"], element: <MyJobsPage /> },
  {
    path: "/market",
    label: "市场供求分析",
    icon: <BarChartOutlined />,
    roles: ["case_worker", "analyst"],
    element: <MarketPage />,
  },
  {
    path: "/policies",
    label: "政策清单",
    icon: <ReadOutlined />,
    roles: "all",
    element: <PolicyListPage />,
  },
  {
    path: "/me/policy-check",
    label: "政策自查",
    icon: <CheckCircleOutlined />,
    roles: ["individual", "employer"],
    element: <PolicyCheckPage />,
  },
  {
    path: "/policy-sweeps",
    label: "免申即享",
    icon: <ThunderboltOutlined />,
    roles: ["case_worker"],
    element: <SweepsPage />,
  },
  {
    path: "/policy-versions",
    label: "政策版本",
    icon: <ReadOutlined />,
    roles: ["admin", "auditor"],
    element: <PolicyVersionsPage />,
  },
  { path: "/imports", label: "花名册导入", icon: <UploadOutlined />, roles: ["case_worker"], element: <ImportsPage /> },
  {
    path: "/me/profile",
    label: "我的信息",
    icon: <IdcardOutlined />,
    roles: ["individual"],
    element: <MyProfilePage />,
  },
  { path: "/admin/users", label: "用户管理", icon: <TeamOutlined />, roles: ["admin"], element: <UsersPage /> },
  { path: "/audit", label: "审计日志", icon: <AuditOutlined />, roles: ["auditor"], element: <AuditPage /> },
  { path: "/regions", label: "行政区划", icon: <EnvironmentOutlined />, roles: "all", element: <RegionsPage /> },
  { path: "/account", label: "我的账号", icon: <UserOutlined />, roles: "all", element: <AccountPage /> },
];

export const SECURITY_ICON = <SafetyOutlined />;

export function canOpen(route: AppRoute, role: RoleName): boolean {
  return route.roles === "all" || route.roles.includes(role);
}
