import { isWorkingAge, type RetirementCategory, statutoryRetirement } from "../retirement/statutory-retirement.ts";

/**
 * 就业失业登记 rules (人社部令第23号《就业服务与就业管理规定》; 人社部发〔2014〕97号): which new
 * event is consistent with a person's current spells, and why not when it is not. Pure: the
 * person, the open spells and today's date come in as data.
 */
export type EmploymentForm = "employer" | "self_employed" | "flexible" | "platform";
export type EmploymentEndReason = "voluntary" | "involuntary" | "contract_expiry" | "layoff" | "retirement" | "death";
export type UnemploymentEndReason = "employed" | "retired" | "moved" | "enrolled" | "no_contact" | "death";

export const LEDGER_EVENT_TYPE_NAMES: Record<string, string> = {
  employment: "就业登记",
  employment_end: "就业登记注销",
  unemployment: "失业登记",
  unemployment_end: "失业登记注销",
  correction: "更正",
};
/** 劳动合同类型 (劳动合同法 第十二条). */
export const CONTRACT_TYPE_NAMES: Record<string, string> = {
  fixed_term: "固定期限",
  open_ended: "无固定期限",
  task_based: "以完成一定工作任务为期限",
  none: "未签订",
};
export const EMPLOYMENT_FORM_NAMES: Record<EmploymentForm, string> = {
  employer: "单位就业",
  self_employed: "个体经营",
  flexible: "灵活就业",
  platform: "新就业形态（平台）",
};
export const EMPLOYMENT_END_REASON_NAMES: Record<EmploymentEndReason, string> = {
  voluntary: "本人辞职",
  involuntary: "非本人意愿中断就业",
  contract_expiry: "劳动合同期满",
  layoff: "经济性裁员",
  retirement: "退休",
  death: "死亡",
};
export const UNEMPLOYMENT_END_REASON_NAMES: Record<UnemploymentEndReason, string> = {
  employed: "实现就业",
  retired: "达到退休年龄或已退休",
  moved: "迁出",
  enrolled: "入学",
  no_contact: "长期未联系",
  death: "死亡",
};

export interface LedgerPerson {
  birthDate: string;
  sex: "male" | "female";
  retirementCategory: RetirementCategory | null;
  deathDate: string | null;
}

export interface OpenSpell {
  id: string;
  kind: "employment" | "unemployment";
  form: EmploymentForm | null;
  employerName: string | null;
  startedOn: string;
}

export type NewLedgerEvent =
  | { type: "employment"; date: string; form: EmploymentForm; employerName?: string }
  | { type: "employment_end"; date: string; spellId?: string; reason: EmploymentEndReason }
  | { type: "unemployment"; date: string; ableAndWilling: boolean }
  | { type: "unemployment_end"; date: string; reason: UnemploymentEndReason };

export interface Refusal {
  code: string;
  field: string;
  message: string;
  /** conflict = contradicts the current state (409); invalid = impossible on its own (422). */
  kind: "conflict" | "invalid";
}

export interface LedgerDecision {
  refusals: Refusal[];
  /** The spell this event ends (end events), when allowed. */
  endsSpell?: OpenSpell;
  /** Spells closed automatically as a consequence (an employment closes an open unemployment). */
  alsoEnds: Array<{ spell: OpenSpell; reason: UnemploymentEndReason }>;
}

/** The category to use when none is recorded: men 60; women the later 55-year rule (never refuses wrongly). */
export function effectiveRetirementCategory(p: Pick<LedgerPerson, "sex" | "retirementCategory">): RetirementCategory {
  return p.retirementCategory ?? (p.sex === "male" ? "male-60" : "female-55");
}

export function decideLedgerEvent(
  person: LedgerPerson,
  open: OpenSpell[],
  event: NewLedgerEvent,
  today: string,
): LedgerDecision {
  const refusals: Refusal[] = [];
  const alsoEnds: LedgerDecision["alsoEnds"] = [];
  let endsSpell: OpenSpell | undefined;
  const d = event.date;
  if (d > today)
    refusals.push({ code: "LEDGER_DATE_FUTURE", field: "date", message: "登记日期不能晚于今天", kind: "invalid" });
  if (d < person.birthDate)
    refusals.push({
      code: "LEDGER_DATE_BEFORE_BIRTH",
      field: "date",
      message: `登记日期早于出生日期（${person.birthDate}）`,
      kind: "invalid",
    });
  if (person.deathDate && d > person.deathDate)
    refusals.push({
      code: "LEDGER_DATE_AFTER_DEATH",
      field: "date",
      message: `登记日期晚于死亡日期（${person.deathDate}）`,
      kind: "invalid",
    });
  const openUnemployment = open.find((s) => s.kind === "unemployment");
  const openEmployments = open.filter((s) => s.kind === "employment");
  const category = effectiveRetirementCategory(person);

  switch (event.type) {
    case "unemployment": {
      if (!isWorkingAge(person.birthDate, category, d)) {
        const r = statutoryRetirement(person.birthDate, category);
        const young = d < `${Number(person.birthDate.slice(0, 4)) + 16}${person.birthDate.slice(4)}`;
        refusals.push({
          code: "LEDGER_NOT_WORKING_AGE",
          field: "date",
          message: young
            ? "未满16周岁，不在法定劳动年龄内，不能办理失业登记"
            : `已于 ${r.retirementMonth} 达到法定退休年龄（${r.ageYears}岁${r.ageMonths ? `${r.ageMonths}个月` : ""}，渐进式延迟法定退休年龄办法），不能办理失业登记`,
          kind: "invalid",
        });
      }
      if (!event.ableAndWilling) {
        refusals.push({
          code: "LEDGER_NOT_ABLE_AND_WILLING",
          field: "ableAndWilling",
          message: "失业登记须本人有劳动能力和就业要求",
          kind: "invalid",
        });
      }
      for (const e of openEmployments) {
        refusals.push({
          code: "LEDGER_STILL_EMPLOYED",
          field: "type",
          message: `本人仍有未注销的就业登记（${EMPLOYMENT_FORM_NAMES[e.form ?? "employer"]}${e.employerName ? `，${e.employerName}` : ""}，${e.startedOn} 起），请先办理就业登记注销`,
          kind: "conflict",
        });
      }
      if (openUnemployment) {
        refusals.push({
          code: "LEDGER_ALREADY_UNEMPLOYED",
          field: "type",
          message: `本人已于 ${openUnemployment.startedOn} 办理失业登记，尚未注销`,
          kind: "conflict",
        });
      }
      break;
    }
    case "employment": {
      if (d < `${Number(person.birthDate.slice(0, 4)) + 16}${person.birthDate.slice(4)}`) {
        refusals.push({
          code: "LEDGER_UNDER_WORKING_AGE",
          field: "date",
          message: "未满16周岁，不能办理就业登记",
          kind: "invalid",
        });
      }
      if (event.form === "employer" && !event.employerName?.trim()) {
        refusals.push({
          code: "LEDGER_EMPLOYER_REQUIRED",
          field: "employerName",
          message: "单位就业须填写用人单位名称",
          kind: "invalid",
        });
      }
      const sameForm = openEmployments.find((s) => s.form === "employer");
      if (event.form === "employer" && sameForm) {
        refusals.push({
          code: "LEDGER_ALREADY_EMPLOYED",
          field: "type",
          message: `本人在 ${sameForm.employerName ?? "其他单位"} 的就业登记（${sameForm.startedOn} 起）尚未注销，不能同时登记两份单位就业`,
          kind: "conflict",
        });
      }
      if (openUnemployment) {
        if (d < openUnemployment.startedOn) {
          refusals.push({
            code: "LEDGER_END_BEFORE_START",
            field: "date",
            message: `就业日期早于尚未注销的失业登记日期（${openUnemployment.startedOn}）`,
            kind: "invalid",
          });
        } else alsoEnds.push({ spell: openUnemployment, reason: "employed" });
      }
      break;
    }
    case "employment_end": {
      const target = event.spellId
        ? openEmployments.find((s) => s.id === event.spellId)
        : openEmployments.length === 1
          ? openEmployments[0]
          : undefined;
      if (!target) {
        refusals.push({
          code: openEmployments.length > 1 && !event.spellId ? "LEDGER_SPELL_AMBIGUOUS" : "LEDGER_NO_OPEN_EMPLOYMENT",
          field: "spellId",
          message:
            openEmployments.length > 1 && !event.spellId
              ? "本人有多项未注销的就业登记，请指定要注销的一项"
              : "本人没有未注销的就业登记",
          kind: "conflict",
        });
      } else if (d < target.startedOn) {
        refusals.push({
          code: "LEDGER_END_BEFORE_START",
          field: "date",
          message: `注销日期早于就业开始日期（${target.startedOn}）`,
          kind: "invalid",
        });
      } else endsSpell = target;
      break;
    }
    case "unemployment_end": {
      if (!openUnemployment) {
        refusals.push({
          code: "LEDGER_NO_OPEN_UNEMPLOYMENT",
          field: "type",
          message: "本人没有未注销的失业登记",
          kind: "conflict",
        });
      } else if (d < openUnemployment.startedOn) {
        refusals.push({
          code: "LEDGER_END_BEFORE_START",
          field: "date",
          message: `注销日期早于失业登记日期（${openUnemployment.startedOn}）`,
          kind: "invalid",
        });
      } else endsSpell = openUnemployment;
      break;
    }
  }
  return { refusals, endsSpell, alsoEnds };
}
