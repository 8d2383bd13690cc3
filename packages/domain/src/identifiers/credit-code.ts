/**
 * 统一社会信用代码 (GB 32100-2015): registration authority (1) + organisation type (1) +
 * registration region (6 digits) + organisation code (9, GB 11714) + check character.
 * Characters are 0-9 and A-H J-N P-R T U W-Y (never I O Z S V), valued 0–30.
 */
const CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/** 登记管理部门代码 (first character) per GB 32100-2015 表1. */
export const REGISTRATION_AUTHORITIES: Readonly<Record<string, string>> = {
  "1": "机构编制",
  "2": "外交",
  "3": "司法行政",
  "4": "文化",
  "5": "民政",
  "6": "旅游",
  "7": "宗教",
  "8": "工会",
  "9": "工商（市场监管）",
  A: "中央军委改革和编制办公室",
  N: "农业",
  Y: "其他",
};

export interface CreditCodeCheck {
  valid: boolean;
  normalized?: string;
  errors: Array<{ code: string; message: string }>;
  warnings: Array<{ code: string; message: string }>;
  registrationAuthority?: string;
  regionCode?: string;
}

/** The GB 32100 check character for the first 17 characters: C18 = 31 − (Σ mod 31), 31 → 0. */
export function creditCodeCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CHARSET.indexOf(first17[i]!) * WEIGHTS[i]!;
  const c = 31 - (sum % 31);
  return CHARSET[c === 31 ? 0 : c]!;
}

export function checkCreditCode(raw: string): CreditCodeCheck {
  const value = raw.trim().toUpperCase();
  const errors: CreditCodeCheck["errors"] = [];
  if (value.length !== 18) {
    errors.push({ code: "CREDIT_CODE_LENGTH", message: "统一社会信用代码应为18位" });
    return { valid: false, errors, warnings: [] };
  }
  const bad = [...value].find((c) => !CHARSET.includes(c));
  if (bad) {
    errors.push({
      code: "CREDIT_CODE_CHARSET",
      message: `统一社会信用代码含有不允许的字符“${bad}”（不使用 I、O、Z、S、V）`,
    });
    return { valid: false, errors, warnings: [] };
  }
  if (!REGISTRATION_AUTHORITIES[value[0]!]) {
    errors.push({ code: "CREDIT_CODE_AUTHORITY", message: "统一社会信用代码第1位（登记管理部门）不正确" });
  }
  if (!/^\d{6}$/.test(value.slice(2, 8))) {
    errors.push({ code: "CREDIT_CODE_REGION", message: "统一社会信用代码第3-8位应为行政区划代码" });
  }
  if (creditCodeCheckChar(value.slice(0, 17)) !== value[17]) {
    errors.push({ code: "CREDIT_CODE_CHECKSUM", message: "统一社会信用代码校验位不正确" });
  }
  return {
    valid: errors.length === 0,
    normalized: value,
    errors,
    warnings: [],
    ...(errors.length === 0
      ? { registrationAuthority: REGISTRATION_AUTHORITIES[value[0]!], regionCode: value.slice(2, 8) }
      : {}),
  };
}
