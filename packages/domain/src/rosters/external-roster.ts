/**
 * Rosters (花名册) of records owned by other bureau systems — 参保记录, 失业保险金领取, 职业技能证书,
 * 低保, 残疾人证: Chinese headers, Chinese option labels, amounts in 元. A row becomes the same
 * record the API takes (`POST /api/v1/external/{kind}`), so one validation decides both; this
 * module only reads cells (numbers, months, labels) and names the column when it cannot.
 */
import { normaliseCell } from "./cells.ts";
import type { RosterColumn, RosterError } from "./person-roster.ts";

export const EXTERNAL_ROSTER_KINDS = ["insurance", "benefits", "certificates", "dibao", "disability"] as const;
export type ExternalRosterKind = (typeof EXTERNAL_ROSTER_KINDS)[number];

/** The API's record kind for each roster kind. */
export const EXTERNAL_KIND_OF: Record<ExternalRosterKind, string> = {
  insurance: "insurance-spells",
  benefits: "benefit-claims",
  certificates: "skill-certificates",
  dibao: "dibao",
  disability: "disability",
};

const FUNDS = { 养老: "pension", 失业: "unemployment", 医疗: "medical", 工伤: "injury" } as const;
const CLAIM_STATUS = { 发放中: "paying", 暂停: "suspended", 终止: "ended" } as const;
const CERTIFICATE_KINDS = {
  职业技能等级证书: "skill_level",
  特种作业操作证: "special_operation",
  职业资格证书: "professional_qualification",
} as const;
const DISABILITY_KINDS = {
  视力: "visual",
  听力: "hearing",
  言语: "speech",
  肢体: "physical",
  智力: "intellectual",
  精神: "mental",
  多重: "multiple",
} as const;

type Cell = "text" | "money" | "int" | { labels: Record<string, string> };
interface ExternalColumn extends RosterColumn {
  /** How the cell is read into the record field `key`. */
  cell: Cell;
}

const common: ExternalColumn[] = [
  {
    key: "sourceSystem",
    header: "来源系统",
    required: true,
    example: "js-si",
    note: "数据来源系统的标识（小写字母、数字、点、下划线、横线），如 js-si（社保）",
    cell: "text",
  },
  {
    key: "sourceRecordId",
    header: "源系统记录号",
    required: true,
    example: "SI-2026-000001",
    note: "来源系统中该记录的编号；同一来源同一编号再次导入只更新不重复",
    cell: "text",
  },
  {
    key: "idNumber",
    header: "公民身份号码",
    required: true,
    example: "320102199001010012",
    note: "18位，须已在本辖区登记",
    cell: "text",
  },
  {
    key: "sourceDate",
    header: "信息日期",
    required: true,
    example: "2026-11-01",
    note: "来源系统确认该信息的日期；较新的信息覆盖较旧的",
    cell: "text",
  },
];
const options = (labels: Record<string, string>) => ({ options: Object.keys(labels), cell: { labels } });

export const EXTERNAL_ROSTER_COLUMNS: Record<ExternalRosterKind, readonly ExternalColumn[]> = {
  insurance: [
    ...common,
    { key: "fund", header: "险种", required: true, example: "失业", note: "养老、失业、医疗或工伤", ...options(FUNDS) },
    {
      key: "employerCreditCode",
      header: "单位统一社会信用代码",
      required: false,
      example: "91320100MA1XXXXXXX",
      note: "以单位身份参保时填写；灵活就业人员不填",
      cell: "text",
    },
    { key: "fromMonth", header: "起始月份", required: true, example: "2020-01", note: "YYYY-MM", cell: "text" },
    { key: "toMonth", header: "终止月份", required: false, example: "", note: "YYYY-MM；仍在缴费的不填", cell: "text" },
    {
      key: "baseFen",
      header: "缴费基数（元）",
      required: false,
      example: "5000",
      note: "元，最多两位小数",
      cell: "money",
    },
  ],
  benefits: [
    ...common,
    { key: "claimDate", header: "申领日期", required: true, example: "2026-03-10", note: "YYYY-MM-DD", cell: "text" },
    { key: "fromMonth", header: "起始月份", required: true, example: "2026-04", note: "YYYY-MM", cell: "text" },
    { key: "toMonth", header: "终止月份", required: false, example: "", note: "YYYY-MM；仍在领取的不填", cell: "text" },
    { key: "monthsEntitled", header: "应领月数", required: true, example: "12", note: "整数，最长24个月", cell: "int" },
    {
      key: "monthlyAmountFen",
      header: "月发放金额（元）",
      required: true,
      example: "2070",
      note: "元，最多两位小数",
      cell: "money",
    },
    {
      key: "status",
      header: "状态",
      required: true,
      example: "发放中",
      note: "发放中、暂停或终止",
      ...options(CLAIM_STATUS),
    },
  ],
  certificates: [
    ...common,
    {
      key: "kind",
      header: "证书类别",
      required: true,
      example: "职业技能等级证书",
      note: "职业技能等级证书、特种作业操作证或职业资格证书",
      ...options(CERTIFICATE_KINDS),
    },
    { key: "name", header: "证书名称", required: true, example: "电工", note: "职业（工种）或证书名称", cell: "text" },
    {
      key: "level",
      header: "等级",
      required: false,
      example: "4",
      note: "1（一级/高级技师）至5（五级/初级工）",
      cell: "int",
    },
    { key: "certificateNo", header: "证书编号", required: false, example: "", note: "", cell: "text" },
    { key: "issuedOn", header: "发证日期", required: true, example: "2024-06-30", note: "YYYY-MM-DD", cell: "text" },
    { key: "issuer", header: "发证机构", required: false, example: "", note: "", cell: "text" },
  ],
  dibao: [
    ...common,
    { key: "validFrom", header: "起始日期", required: true, example: "2025-01-01", note: "YYYY-MM-DD", cell: "text" },
    {
      key: "validTo",
      header: "终止日期",
      required: false,
      example: "",
      note: "YYYY-MM-DD；仍在享受的不填",
      cell: "text",
    },
  ],
  disability: [
    ...common,
    {
      key: "certificateNumber",
      header: "残疾人证号",
      required: true,
      example: "32010219900101001242",
      note: "第二代残疾人证号",
      cell: "text",
    },
    {
      key: "kind",
      header: "残疾类别",
      required: true,
      example: "肢体",
      note: "视力、听力、言语、肢体、智力、精神或多重",
      ...options(DISABILITY_KINDS),
    },
    { key: "grade", header: "残疾等级", required: true, example: "3", note: "1至4级", cell: "int" },
    { key: "validFrom", header: "起始日期", required: false, example: "", note: "YYYY-MM-DD", cell: "text" },
    { key: "validTo", header: "终止日期", required: false, example: "", note: "YYYY-MM-DD", cell: "text" },
  ],
};

/**
 * Cells → the API record (and the source system), or errors naming the column. Empty optional
 * cells are left out; types and ranges are the API's to judge (its messages name the field,
 * which the caller maps back to the header).
 */
export function externalRecordOfCells(
  kind: ExternalRosterKind,
  cells: Record<string, string>,
): { ok: true; sourceSystem: string; record: Record<string, unknown> } | { ok: false; errors: RosterError[] } {
  const errors: RosterError[] = [];
  const record: Record<string, unknown> = {};
  for (const c of EXTERNAL_ROSTER_COLUMNS[kind]) {
    const v = normaliseCell(cells[c.key] ?? "");
    if (!v) {
      if (c.required) errors.push({ column: c.header, code: "REQUIRED", message: `“${c.header}”不能为空` });
      continue;
    }
    if (c.cell === "text") record[c.key] = v;
    else if (c.cell === "int") {
      if (/^-?\d+$/.test(v)) record[c.key] = Number(v);
      else errors.push({ column: c.header, code: "NOT_A_NUMBER", message: `“${c.header}”应为整数` });
    } else if (c.cell === "money") {
      const m = /^(\d{1,10})(?:\.(\d{1,2}))?$/.exec(v.replace(/,/g, ""));
      if (m) record[c.key] = Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
      else
        errors.push({ column: c.header, code: "NOT_AN_AMOUNT", message: `“${c.header}”应为金额（元，最多两位小数）` });
    } else {
      const code = c.cell.labels[v];
      if (code) record[c.key] = code;
      else
        errors.push({
          column: c.header,
          code: "OPTION_INVALID",
          message: `“${c.header}”应为：${Object.keys(c.cell.labels).join("、")}`,
        });
    }
  }
  if (errors.length) return { ok: false, errors };
  const { sourceSystem, ...rest } = record;
  return { ok: true, sourceSystem: String(sourceSystem), record: rest };
}

/** The header of a record field (for the API's messages, which name fields). */
export function externalColumnHeader(kind: ExternalRosterKind, field: string): string {
  return EXTERNAL_ROSTER_COLUMNS[kind].find((c) => c.key === field)?.header ?? "整行";
}
