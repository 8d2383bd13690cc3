import { checkIdNumber, convertLegacyIdNumber, type Sex } from "../identifiers/id-number.ts";
import { isMobilePhone } from "../privacy/mask.ts";
import { normaliseCell } from "./cells.ts";

/** One column of a roster template: its Chinese header, and the choices a dropdown offers. */
export interface RosterColumn {
  key: string;
  header: string;
  required: boolean;
  example: string;
  note: string;
  options?: readonly string[];
}

/** GB/T 4658 coarse education levels: code ↔ the label used on forms and rosters. */
export const EDUCATION_LABELS = {
  doctorate: "博士研究生",
  master: "硕士研究生",
  bachelor: "大学本科",
  junior_college: "大学专科",
  secondary_vocational: "中专/技校",
  high_school: "普通高中",
  junior_high: "初中",
  primary_or_below: "小学及以下",
} as const;
export type EducationLevel = keyof typeof EDUCATION_LABELS;
export const HUKOU_LABELS = { urban: "城镇", rural: "农村" } as const;

export const PERSON_ROSTER_COLUMNS: readonly RosterColumn[] = [
  { key: "name", header: "姓名", required: true, example: "张三", note: "与身份证一致，2-50个字" },
  {
    key: "idNumber",
    header: "公民身份号码",
    required: true,
    example: "320102199001010012",
    note: "18位；15位旧号码自动升位",
  },
  { key: "phone", header: "手机号码", required: false, example: "13800000000", note: "11位手机号码" },
  {
    key: "residenceRegionCode",
    header: "常住地区划代码",
    required: true,
    example: "320102003001",
    note: "街道9位或社区12位区划代码，须在您的辖区内",
  },
  {
    key: "education",
    header: "学历",
    required: false,
    example: "大学本科",
    note: "从下拉列表选择",
    options: Object.values(EDUCATION_LABELS),
  },
  {
    key: "hukouType",
    header: "户籍类型",
    required: false,
    example: "城镇",
    note: "城镇或农村",
    options: Object.values(HUKOU_LABELS),
  },
  {
    key: "hukouRegionCode",
    header: "户籍地区划代码",
    required: false,
    example: "320102",
    note: "户籍所在地区划代码（2-12位）",
  },
];

export interface RosterError {
  /** The Chinese column header the error concerns (or 整行 for the row as a whole). */
  column: string;
  code: string;
  message: string;
}

export interface PersonRosterRow {
  name: string;
  idNumber: string;
  phone: string | null;
  residenceRegionCode: string;
  education: EducationLevel | null;
  hukouType: "urban" | "rural" | null;
  hukouRegionCode: string | null;
  sex: Sex;
  birthDate: string;
}

export type RosterResult<T> = { ok: true; value: T; warnings: RosterError[] } | { ok: false; errors: RosterError[] };

/** Maps a header row onto the columns; missing required headers are errors, unknown ones ignored. */
export function mapRosterHeaders(
  header: readonly string[],
  columns: readonly RosterColumn[],
): { ok: true; index: Record<string, number> } | { ok: false; errors: RosterError[] } {
  const index: Record<string, number> = {};
  const cleaned = header.map((h) => normaliseCell(h ?? "").replace(/[*＊]/g, ""));
  for (const c of columns) {
    // both sides normalised: "缴费基数（元）" is read as "缴费基数(元)" (full-width → half-width)
    const i = cleaned.indexOf(normaliseCell(c.header));
    if (i >= 0) index[c.key] = i;
  }
  const missing = columns.filter((c) => c.required && index[c.key] === undefined);
  if (missing.length) {
    return {
      ok: false,
      errors: missing.map((c) => ({
        column: c.header,
        code: "ROSTER_HEADER_MISSING",
        message: `表头缺少“${c.header}”列，请使用系统提供的模板`,
      })),
    };
  }
  return { ok: true, index };
}

export interface PersonRosterContext {
  today: string;
  regionKnown(code: string): boolean;
  regionInScope(code: string): boolean;
}

const labelToEducation = new Map<string, EducationLevel>(
  Object.entries(EDUCATION_LABELS).map(([k, v]) => [v, k as EducationLevel]),
);

/** Validates one roster row with the same rules as the API (ID checksum, real date, scope, …). */
export function validatePersonRosterRow(
  cells: Record<string, string>,
  ctx: PersonRosterContext,
): RosterResult<PersonRosterRow> {
  const errors: RosterError[] = [];
  const warnings: RosterError[] = [];
  const get = (k: string) => normaliseCell(cells[k] ?? "");
  const name = get("name").replace(/\s+/g, "");
  if (name.length < 2 || name.length > 50) {
    errors.push({ column: "姓名", code: "NAME_INVALID", message: name ? "姓名应为2-50个字" : "姓名不能为空" });
  } else if (!/^[\p{Script=Han}A-Za-z·•.]+$/u.test(name)) {
    errors.push({ column: "姓名", code: "NAME_INVALID", message: "姓名只能包含汉字、字母和间隔号“·”" });
  }
  let id = get("idNumber").replace(/\s+/g, "").toUpperCase();
  let sex: Sex | undefined;
  let birthDate: string | undefined;
  if (id.startsWith("#NUMBER:")) {
    errors.push({
      column: "公民身份号码",
      code: "ID_NUMBER_STORED_AS_NUMBER",
      message: "公民身份号码被 Excel 存成了数字，末几位已丢失；请将该列设为“文本”后重新填写",
    });
  } else if (!id) {
    errors.push({ column: "公民身份号码", code: "ID_NUMBER_REQUIRED", message: "公民身份号码不能为空" });
  } else {
    if (/^\d{15}$/.test(id)) {
      id = convertLegacyIdNumber(id);
      warnings.push({ column: "公民身份号码", code: "ID_NUMBER_LEGACY_CONVERTED", message: "15位旧号码已升为18位" });
    }
    const check = checkIdNumber(id, ctx.today);
    if (!check.valid || !check.normalized) {
      for (const e of check.errors) errors.push({ column: "公民身份号码", code: e.code, message: e.message });
    } else {
      id = check.normalized;
      sex = check.sex;
      birthDate = check.birthDate;
      for (const w of check.warnings) warnings.push({ column: "公民身份号码", code: w.code, message: w.message });
    }
  }
  const phone = get("phone").replace(/[\s-]/g, "");
  if (phone && !isMobilePhone(phone)) {
    errors.push({ column: "手机号码", code: "PHONE_INVALID", message: "手机号码应为11位，以1开头" });
  }
  const region = get("residenceRegionCode");
  if (!region) {
    errors.push({ column: "常住地区划代码", code: "REGION_REQUIRED", message: "常住地区划代码不能为空" });
  } else if (!/^(\d{9}|\d{12})$/.test(region) || !ctx.regionKnown(region)) {
    errors.push({
      column: "常住地区划代码",
      code: "REGION_UNKNOWN",
      message: "常住地区划代码不存在（应为街道9位或社区12位）",
    });
  } else if (!ctx.regionInScope(region)) {
    errors.push({ column: "常住地区划代码", code: "REGION_OUT_OF_SCOPE", message: "常住地不在您的管辖范围内" });
  }
  const educationLabel = get("education");
  const education = educationLabel ? (labelToEducation.get(educationLabel) ?? null) : null;
  if (educationLabel && !education) {
    errors.push({ column: "学历", code: "EDUCATION_INVALID", message: `学历“${educationLabel}”不在下拉选项中` });
  }
  const hukouLabel = get("hukouType");
  const hukouType = hukouLabel === "城镇" ? "urban" : hukouLabel === "农村" ? "rural" : null;
  if (hukouLabel && !hukouType) {
    errors.push({ column: "户籍类型", code: "HUKOU_TYPE_INVALID", message: "户籍类型应为“城镇”或“农村”" });
  }
  const hukouRegion = get("hukouRegionCode");
  if (hukouRegion && (!/^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/.test(hukouRegion) || !ctx.regionKnown(hukouRegion))) {
    errors.push({ column: "户籍地区划代码", code: "REGION_UNKNOWN", message: "户籍地区划代码不存在" });
  }
  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    warnings,
    value: {
      name,
      idNumber: id,
      phone: phone || null,
      residenceRegionCode: region,
      education,
      hukouType,
      hukouRegionCode: hukouRegion || null,
      sex: sex!,
      birthDate: birthDate!,
    },
  };
}
