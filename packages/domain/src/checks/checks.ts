import { checkCreditCode } from "../identifiers/credit-code.ts";
import { checkIdNumber, convertLegacyIdNumber, PROVINCE_CODES } from "../identifiers/id-number.ts";
import { type RetirementCategory, statutoryRetirement } from "../retirement/statutory-retirement.ts";

/**
 * The stateless validators offered to staff and integrators (`POST /api/v1/checks/*`,
 * `jiuye check …`), with one output shape: { valid, errors, warnings, ...derived }.
 */
export interface CheckIssue {
  code: string;
  message: string;
}

export interface CheckOutput {
  valid: boolean;
  errors: CheckIssue[];
  warnings: CheckIssue[];
  [derived: string]: unknown;
}

/** ID number check; `areaName` looks a 6-digit code up in today's list (absent → warning only). */
export function idNumberCheck(
  value: string,
  today: string,
  areaName?: (code: string) => string | undefined,
): CheckOutput {
  const trimmed = value.trim().toUpperCase();
  if (/^\d{15}$/.test(trimmed)) {
    const converted = convertLegacyIdNumber(trimmed);
    return {
      valid: false,
      errors: [
        {
          code: "ID_NUMBER_LEGACY_15",
          message: `身份证号码为15位旧号码，对应的18位号码为 ${converted}，请核对后使用18位号码`,
        },
      ],
      warnings: [],
      converted,
    };
  }
  const r = checkIdNumber(trimmed, today, areaName ? (c) => areaName(c) !== undefined : undefined);
  if (!r.valid) return { valid: false, errors: r.errors, warnings: r.warnings };
  return {
    valid: true,
    errors: [],
    warnings: r.warnings,
    normalized: r.normalized,
    sex: r.sex,
    birthDate: r.birthDate,
    region: {
      provinceCode: r.provinceCode,
      provinceName: PROVINCE_CODES[r.provinceCode!],
      areaCode: r.areaCode,
      areaName: areaName?.(r.areaCode!) ?? null,
    },
  };
}

export function creditCodeCheck(value: string): CheckOutput {
  const r = checkCreditCode(value);
  if (!r.valid) return { valid: false, errors: r.errors, warnings: r.warnings };
  return {
    valid: true,
    errors: [],
    warnings: [],
    normalized: r.normalized,
    registrationAuthority: r.registrationAuthority,
    regionCode: r.regionCode,
  };
}

const CATEGORY_SEX: Record<RetirementCategory, "male" | "female"> = {
  "male-60": "male",
  "female-55": "female",
  "female-50": "female",
};

/** Retirement check: category must agree with sex; birth is YYYY-MM between 1900-01 and `today`. */
export function retirementCheck(
  input: { birth: string; sex: "male" | "female"; category: RetirementCategory },
  today: string,
): CheckOutput {
  const errors: CheckIssue[] = [];
  const m = /^(\d{4})-(\d{2})$/.exec(input.birth);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12 || Number(m[1]) < 1900) {
    errors.push({ code: "BIRTH_MONTH_INVALID", message: "出生年月应为 YYYY-MM 格式的有效年月" });
  } else if (input.birth > today.slice(0, 7)) {
    errors.push({ code: "BIRTH_MONTH_FUTURE", message: "出生年月晚于当前月份" });
  }
  if (CATEGORY_SEX[input.category] !== input.sex) {
    errors.push({
      code: "RETIREMENT_CATEGORY_SEX",
      message: "退休类别与性别不一致：男性为 male-60，女性为 female-55 或 female-50",
    });
  }
  if (errors.length) return { valid: false, errors, warnings: [] };
  const r = statutoryRetirement(input.birth, input.category);
  const warnings: CheckIssue[] =
    r.retirementMonth <= today.slice(0, 7)
      ? [{ code: "ALREADY_RETIREMENT_AGE", message: `已于 ${r.retirementMonth} 达到法定退休年龄` }]
      : [];
  return { valid: true, errors: [], warnings, ...r };
}
