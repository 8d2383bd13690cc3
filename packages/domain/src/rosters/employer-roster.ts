import { INDUSTRY_DIVISIONS, OWNERSHIP_TYPES, SIZE_CLASSES } from "../employers/industries.ts";
import { checkCreditCode } from "../identifiers/credit-code.ts";
import { isMobilePhone } from "../privacy/mask.ts";
import { normaliseCell } from "./cells.ts";
import type { RosterColumn, RosterError, RosterResult } from "./person-roster.ts";

export const EMPLOYER_ROSTER_COLUMNS: readonly RosterColumn[] = [
  { key: "name", header: "单位名称", required: true, example: "南京某某科技有限公司", note: "与营业执照一致" },
  {
    key: "creditCode",
    header: "统一社会信用代码",
    required: true,
    example: "91320102MA1XXXXXXX",
    note: "18位，按 GB 32100 校验",
  },
  {
    key: "industryCode",
    header: "行业代码",
    required: true,
    example: "65",
    note: "GB/T 4754-2017 大类两位代码，如 65 软件和信息技术服务业",
  },
  {
    key: "ownership",
    header: "单位类型",
    required: true,
    example: "私营企业",
    note: "从下拉列表选择",
    options: Object.values(OWNERSHIP_TYPES),
  },
  {
    key: "sizeClass",
    header: "企业规模",
    required: false,
    example: "小型",
    note: "大型、中型、小型或微型",
    options: Object.values(SIZE_CLASSES),
  },
  {
    key: "regionCode",
    header: "所在地区划代码",
    required: true,
    example: "320102003",
    note: "街道9位或社区12位区划代码，须在您的辖区内",
  },
  { key: "headcount", header: "职工人数", required: false, example: "35", note: "整数" },
  { key: "insuredHeadcount", header: "参保人数", required: false, example: "30", note: "整数，不多于职工人数" },
  {
    key: "headcountAsOf",
    header: "统计日期",
    required: false,
    example: "2026-10-31",
    note: "填写人数时必填，YYYY-MM-DD",
  },
  { key: "contactName", header: "联系人", required: false, example: "王经理", note: "" },
  { key: "contactPhone", header: "联系电话", required: false, example: "13800000000", note: "11位手机号码" },
];

export interface EmployerRosterRow {
  name: string;
  creditCode: string;
  industryCode: string;
  ownership: keyof typeof OWNERSHIP_TYPES;
  sizeClass: keyof typeof SIZE_CLASSES | null;
  regionCode: string;
  headcount: number | null;
  insuredHeadcount: number | null;
  headcountAsOf: string | null;
  contactName: string | null;
  contactPhone: string | null;
}

const byLabel = <T extends string>(m: Record<T, string>) =>
  new Map(Object.entries(m).map(([k, v]) => [v as string, k as T]));
const OWNERSHIP_BY_LABEL = byLabel(OWNERSHIP_TYPES);
const SIZE_BY_LABEL = byLabel(SIZE_CLASSES);

/** Validates one employer roster row with the registry's rules (credit code checksum, industry, scope). */
export function validateEmployerRosterRow(
  cells: Record<string, string>,
  ctx: { regionKnown(code: string): boolean; regionInScope(code: string): boolean },
): RosterResult<EmployerRosterRow> {
  const errors: RosterError[] = [];
  const get = (k: string) => normaliseCell(cells[k] ?? "");
  const name = get("name");
  if (name.length < 2 || name.length > 200)
    errors.push({ column: "单位名称", code: "NAME_INVALID", message: "单位名称应为2-200个字" });
  const code = checkCreditCode(get("creditCode"));
  if (!code.valid)
    for (const e of code.errors) errors.push({ column: "统一社会信用代码", code: e.code, message: e.message });
  const industryCode = get("industryCode").padStart(2, "0");
  if (!INDUSTRY_DIVISIONS.has(industryCode))
    errors.push({ column: "行业代码", code: "INDUSTRY_UNKNOWN", message: "行业代码不是 GB/T 4754-2017 的大类代码" });
  const ownership = OWNERSHIP_BY_LABEL.get(get("ownership"));
  if (!ownership)
    errors.push({
      column: "单位类型",
      code: "OWNERSHIP_INVALID",
      message: `单位类型“${get("ownership")}”不在下拉选项中`,
    });
  const sizeLabel = get("sizeClass");
  const sizeClass = sizeLabel ? (SIZE_BY_LABEL.get(sizeLabel) ?? null) : null;
  if (sizeLabel && !sizeClass)
    errors.push({ column: "企业规模", code: "SIZE_INVALID", message: "企业规模应为大型、中型、小型或微型" });
  const region = get("regionCode");
  if (!/^(\d{9}|\d{12})$/.test(region) || !ctx.regionKnown(region))
    errors.push({
      column: "所在地区划代码",
      code: "REGION_UNKNOWN",
      message: "所在地区划代码不存在（应为街道9位或社区12位）",
    });
  else if (!ctx.regionInScope(region))
    errors.push({ column: "所在地区划代码", code: "REGION_OUT_OF_SCOPE", message: "单位所在地不在您的管辖范围内" });
  const count = (k: string, column: string) => {
    const v = get(k);
    if (!v) return null;
    if (!/^\d{1,7}$/.test(v)) {
      errors.push({ column, code: "COUNT_INVALID", message: `${column}应为非负整数` });
      return null;
    }
    return Number(v);
  };
  const headcount = count("headcount", "职工人数");
  const insured = count("insuredHeadcount", "参保人数");
  if (headcount !== null && insured !== null && insured > headcount)
    errors.push({ column: "参保人数", code: "INSURED_EXCEEDS_HEADCOUNT", message: "参保人数不能多于职工人数" });
  const asOf = get("headcountAsOf");
  if (asOf && !/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(asOf))
    errors.push({ column: "统计日期", code: "DATE_INVALID", message: "统计日期格式应为 YYYY-MM-DD" });
  if ((headcount !== null || insured !== null) && !asOf)
    errors.push({ column: "统计日期", code: "DATE_REQUIRED", message: "填写人数时须填写统计日期" });
  const phone = get("contactPhone").replace(/[\s-]/g, "");
  if (phone && !isMobilePhone(phone))
    errors.push({ column: "联系电话", code: "PHONE_INVALID", message: "联系电话应为11位手机号码" });
  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    warnings: [],
    value: {
      name,
      creditCode: code.normalized!,
      industryCode,
      ownership: ownership!,
      sizeClass,
      regionCode: region,
      headcount,
      insuredHeadcount: insured,
      headcountAsOf: asOf || null,
      contactName: get("contactName") || null,
      contactPhone: phone || null,
    },
  };
}
