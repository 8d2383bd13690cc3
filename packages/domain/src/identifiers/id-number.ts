/**
 * 居民身份证号码 (GB 11643-1999): 6-digit address code (GB/T 2260) + birth date YYYYMMDD +
 * 3-digit sequence (odd = male, even = female) + ISO 7064 MOD 11-2 check character.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = ["1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"] as const;

/** Province-level prefixes of GB/T 2260 (including 71 台湾, 81 香港, 82 澳门 used on residence permits). */
export const PROVINCE_CODES: Readonly<Record<string, string>> = {
  "11": "北京市",
  "12": "天津市",
  "13": "河北省",
  "14": "山西省",
  "15": "内蒙古自治区",
  "21": "辽宁省",
  "22": "吉林省",
  "23": "黑龙江省",
  "31": "上海市",
  "32": "江苏省",
  "33": "浙江省",
  "34": "安徽省",
  "35": "福建省",
  "36": "江西省",
  "37": "山东省",
  "41": "河南省",
  "42": "湖北省",
  "43": "湖南省",
  "44": "广东省",
  "45": "广西壮族自治区",
  "46": "海南省",
  "50": "重庆市",
  "51": "四川省",
  "52": "贵州省",
  "53": "云南省",
  "54": "西藏自治区",
  "61": "陕西省",
  "62": "甘肃省",
  "63": "青海省",
  "64": "宁夏回族自治区",
  "65": "新疆维吾尔自治区",
  "71": "台湾省",
  "81": "香港特别行政区",
  "82": "澳门特别行政区",
};

export type Sex = "male" | "female";

export interface IdNumberIssue {
  code: string;
  message: string;
}

export interface IdNumberCheck {
  valid: boolean;
  /** Normalised 18-character form (upper-case X), present when the shape allowed it. */
  normalized?: string;
  errors: IdNumberIssue[];
  warnings: IdNumberIssue[];
  sex?: Sex;
  birthDate?: string;
  provinceCode?: string;
  areaCode?: string;
}

/** ISO 7064 MOD 11-2 check character for the first 17 digits. */
export function idNumberCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

function isRealDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const dim = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= dim;
}

/**
 * Validates an ID number. `today` is the caller's date (YYYY-MM-DD, Asia/Shanghai) so the
 * function stays pure. `knownAreaCodes`, when given, only produces a warning for unknown
 * 6-digit codes: codes abolished since issuance remain valid in existing numbers.
 */
export function checkIdNumber(raw: string, today: string, knownAreaCodes?: (code: string) => boolean): IdNumberCheck {
  const errors: IdNumberIssue[] = [];
  const warnings: IdNumberIssue[] = [];
  const value = raw.trim().toUpperCase();
  if (/^\d{15}$/.test(value)) {
    errors.push({
      code: "ID_NUMBER_LEGACY_15",
      message: "身份证号码为15位旧号码，请使用18位号码（可通过 /checks/id-number 转换后核对）",
    });
    return { valid: false, errors, warnings };
  }
  if (!/^\d{17}[\dX]$/.test(value)) {
    errors.push({ code: "ID_NUMBER_FORMAT", message: "身份证号码应为18位，前17位为数字，末位为数字或X" });
    return { valid: false, errors, warnings };
  }
  const provinceCode = value.slice(0, 2);
  const areaCode = value.slice(0, 6);
  const y = Number(value.slice(6, 10));
  const m = Number(value.slice(10, 12));
  const d = Number(value.slice(12, 14));
  const birthDate = `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`;
  if (!PROVINCE_CODES[provinceCode]) {
    errors.push({ code: "ID_NUMBER_PROVINCE", message: "身份证号码前两位不是有效的省级行政区划代码" });
  }
  if (!isRealDate(y, m, d) || y < 1900) {
    errors.push({ code: "ID_NUMBER_BIRTH_DATE", message: "身份证号码中的出生日期不是有效日期" });
  } else if (birthDate > today) {
    errors.push({ code: "ID_NUMBER_BIRTH_FUTURE", message: "身份证号码中的出生日期晚于今天" });
  }
  if (idNumberCheckChar(value.slice(0, 17)) !== value[17]) {
    errors.push({ code: "ID_NUMBER_CHECKSUM", message: "身份证号码校验位不正确" });
  }
  if (errors.length === 0 && knownAreaCodes && !knownAreaCodes(areaCode)) {
    warnings.push({
      code: "ID_NUMBER_AREA_UNKNOWN",
      message: "身份证号码前六位不在现行行政区划代码中（可能为已撤销的旧代码），已接受",
    });
  }
  const sex: Sex = Number(value[16]) % 2 === 1 ? "male" : "female";
  return {
    valid: errors.length === 0,
    normalized: value,
    errors,
    warnings,
    ...(errors.length === 0 ? { sex, birthDate, provinceCode, areaCode } : {}),
  };
}

/** Converts a legacy 15-digit number (6 + YYMMDD + 3, born 19xx) to the 18-digit form. */
export function convertLegacyIdNumber(value15: string): string {
  if (!/^\d{15}$/.test(value15)) throw new Error("not a 15-digit ID number");
  const first17 = `${value15.slice(0, 6)}19${value15.slice(6)}`;
  return first17 + idNumberCheckChar(first17);
}
