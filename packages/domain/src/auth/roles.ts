/** Roles of the platform. Staff roles carry a region scope. */
export const ROLES = ["admin", "auditor", "analyst", "case_worker", "employer", "individual"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_NAMES: Record<Role, string> = {
  admin: "系统管理员",
  auditor: "安全审计员",
  analyst: "数据分析员",
  case_worker: "经办人员",
  employer: "用人单位",
  individual: "劳动者",
};

export const STAFF_ROLES: readonly Role[] = ["admin", "auditor", "analyst", "case_worker"];

/** Roles that must use a second factor (TOTP) before doing anything else. */
export const TOTP_REQUIRED_ROLES: readonly Role[] = ["admin", "auditor"];

export function isStaffRole(role: Role): boolean {
  return STAFF_ROLES.includes(role);
}
