import type { RoleName } from "@jiuye/contracts";

export const ROLE_LABELS: Record<RoleName, string> = {
  admin: "系统管理员",
  auditor: "安全审计员",
  analyst: "数据分析员",
  case_worker: "经办人员",
  employer: "用人单位",
  individual: "劳动者",
};

export const SEX_LABELS: Record<string, string> = { male: "男", female: "女" };

export const REGION_LEVEL_LABELS: Record<number, string> = {
  1: "省级",
  2: "地市级",
  3: "区县级",
  4: "街道/乡镇",
  5: "社区/村",
};
