import { checkIdNumber } from "../identifiers/id-number.ts";
import { normaliseCell } from "./cells.ts";
import type { RosterColumn, RosterError, RosterResult } from "./person-roster.ts";

const TYPES = {
  就业登记: "employment",
  就业登记注销: "employment_end",
  失业登记: "unemployment",
  失业登记注销: "unemployment_end",
} as const;
const FORMS = {
  单位就业: "employer",
  个体经营: "self_employed",
  灵活就业: "flexible",
  新就业形态: "platform",
} as const;
const CONTRACTS = {
  固定期限: "fixed_term",
  无固定期限: "open_ended",
  以完成一定工作任务为期限: "task_based",
  未签订: "none",
} as const;
const EMPLOYMENT_END = {
  个人辞职: "voluntary",
  被解除劳动合同: "involuntary",
  合同期满: "contract_expiry",
  经济性裁员: "layoff",
  退休: "retirement",
  死亡: "death",
} as const;
const UNEMPLOYMENT_END = {
  实现就业: "employed",
  退休: "retired",
  迁出: "moved",
  入学: "enrolled",
  失去联系: "no_contact",
  死亡: "death",
} as const;

export const LEDGER_ROSTER_COLUMNS: readonly RosterColumn[] = [
  {
    key: "idNumber",
    header: "公民身份号码",
    required: true,
    example: "320102199001010012",
    note: "须为已登记且在您辖区内的劳动者",
  },
  {
    key: "type",
    header: "登记类型",
    required: true,
    example: "失业登记",
    note: "从下拉列表选择",
    options: Object.keys(TYPES),
  },
  {
    key: "date",
    header: "登记日期",
    required: true,
    example: "2026-11-02",
    note: "YYYY-MM-DD；同一人的多行按行号先后办理",
  },
  {
    key: "form",
    header: "就业形式",
    required: false,
    example: "单位就业",
    note: "就业登记必填",
    options: Object.keys(FORMS),
  },
  { key: "employerName", header: "单位名称", required: false, example: "南京某某科技有限公司", note: "单位就业时填写" },
  { key: "employerCreditCode", header: "统一社会信用代码", required: false, example: "", note: "单位就业时可填" },
  {
    key: "contractType",
    header: "合同类型",
    required: false,
    example: "固定期限",
    note: "就业登记可填",
    options: Object.keys(CONTRACTS),
  },
  {
    key: "reason",
    header: "注销原因",
    required: false,
    example: "合同期满",
    note: "注销时必填",
    options: [...new Set([...Object.keys(EMPLOYMENT_END), ...Object.keys(UNEMPLOYMENT_END)])],
  },
  {
    key: "ableAndWilling",
    header: "有劳动能力和就业意愿",
    required: false,
    example: "是",
    note: "失业登记必填：是/否",
    options: ["是", "否"],
  },
];

export type LedgerRosterEvent =
  | {
      type: "employment";
      date: string;
      form: string;
      employerName?: string;
      employerCreditCode?: string;
      contractType?: string;
    }
  | { type: "employment_end"; date: string; reason: string }
  | { type: "unemployment"; date: string; ableAndWilling: boolean }
  | { type: "unemployment_end"; date: string; reason: string };

/**
 * Validates the shape of one ledger roster row (the ledger rules — open spells, working age — are
 * applied when the row is committed, in row order, exactly as for a registration made by hand).
 */
export function validateLedgerRosterRow(
  cells: Record<string, string>,
  today: string,
): RosterResult<{ idNumber: string; event: LedgerRosterEvent }> {
  const errors: RosterError[] = [];
  const get = (k: string) => normaliseCell(cells[k] ?? "");
  const id = checkIdNumber(get("idNumber").toUpperCase(), today);
  if (!id.valid || !id.normalized)
    for (const e of id.errors) errors.push({ column: "公民身份号码", code: e.code, message: e.message });
  const type = TYPES[get("type") as keyof typeof TYPES];
  if (!type)
    errors.push({
      column: "登记类型",
      code: "TYPE_INVALID",
      message: "登记类型应为就业登记、就业登记注销、失业登记或失业登记注销",
    });
  const date = get("date");
  if (!/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(date))
    errors.push({ column: "登记日期", code: "DATE_INVALID", message: "登记日期格式应为 YYYY-MM-DD" });
  else if (date > today) errors.push({ column: "登记日期", code: "DATE_FUTURE", message: "登记日期不能晚于今天" });
  let event: LedgerRosterEvent | null = null;
  if (type === "employment") {
    const form = FORMS[get("form") as keyof typeof FORMS];
    if (!form)
      errors.push({
        column: "就业形式",
        code: "FORM_INVALID",
        message: "就业登记须填写就业形式：单位就业、个体经营、灵活就业或新就业形态",
      });
    const contractLabel = get("contractType");
    const contractType = contractLabel ? CONTRACTS[contractLabel as keyof typeof CONTRACTS] : undefined;
    if (contractLabel && !contractType)
      errors.push({
        column: "合同类型",
        code: "CONTRACT_INVALID",
        message: `合同类型“${contractLabel}”不在下拉选项中`,
      });
    const employerName = get("employerName");
    if (form === "employer" && !employerName)
      errors.push({ column: "单位名称", code: "EMPLOYER_REQUIRED", message: "单位就业须填写单位名称" });
    event = {
      type,
      date,
      form: form ?? "",
      ...(employerName ? { employerName } : {}),
      ...(get("employerCreditCode") ? { employerCreditCode: get("employerCreditCode").toUpperCase() } : {}),
      ...(contractType ? { contractType } : {}),
    };
  } else if (type === "employment_end" || type === "unemployment_end") {
    const table: Record<string, string> = type === "employment_end" ? EMPLOYMENT_END : UNEMPLOYMENT_END;
    const reason = table[get("reason")];
    if (!reason)
      errors.push({
        column: "注销原因",
        code: "REASON_INVALID",
        message: `${type === "employment_end" ? "就业登记注销" : "失业登记注销"}的原因应为：${Object.keys(table).join("、")}`,
      });
    event = { type, date, reason: reason ?? "" };
  } else if (type === "unemployment") {
    const able = get("ableAndWilling");
    if (able !== "是" && able !== "否")
      errors.push({ column: "有劳动能力和就业意愿", code: "ABLE_REQUIRED", message: "失业登记须填写“是”或“否”" });
    event = { type, date, ableAndWilling: able === "是" };
  }
  if (errors.length || !event) return { ok: false, errors };
  return { ok: true, warnings: [], value: { idNumber: id.normalized!, event } };
}
