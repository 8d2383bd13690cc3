import type { LedgerEventsTable, LedgerSpellsTable } from "@jiuye/db";
import {
  EMPLOYMENT_END_REASON_NAMES,
  EMPLOYMENT_FORM_NAMES,
  LEDGER_EVENT_TYPE_NAMES,
  UNEMPLOYMENT_END_REASON_NAMES,
} from "@jiuye/domain";
import type { Selectable } from "kysely";

type EventRow = Selectable<LedgerEventsTable>;
type SpellRow = Selectable<LedgerSpellsTable>;

/** A one-line Chinese description of an event (the timeline, the 台账), from the fields it reads. */
export function summarize(
  e: Pick<EventRow, "type" | "employment_form" | "employer_name" | "reason" | "corrects_event_id" | "note">,
  byId?: Map<string, Pick<EventRow, "type" | "event_date">>,
): string {
  switch (e.type) {
    case "employment":
      return `就业登记：${EMPLOYMENT_FORM_NAMES[e.employment_form as keyof typeof EMPLOYMENT_FORM_NAMES] ?? e.employment_form}${e.employer_name ? `（${e.employer_name}）` : ""}`;
    case "employment_end":
      return `就业登记注销：${EMPLOYMENT_END_REASON_NAMES[e.reason as keyof typeof EMPLOYMENT_END_REASON_NAMES] ?? e.reason}`;
    case "unemployment":
      return "失业登记";
    case "unemployment_end":
      return `失业登记注销：${UNEMPLOYMENT_END_REASON_NAMES[e.reason as keyof typeof UNEMPLOYMENT_END_REASON_NAMES] ?? e.reason}`;
    case "correction": {
      const target = e.corrects_event_id ? byId?.get(e.corrects_event_id) : undefined;
      return `更正：作废${target ? `${target.event_date} 的${LEDGER_EVENT_TYPE_NAMES[target.type]}` : "一条登记"}${e.note ? `（${e.note}）` : ""}`;
    }
    default:
      return e.type;
  }
}

export function presentEvent(e: EventRow, correctedBy: string | null, byId?: Map<string, EventRow>) {
  return {
    id: e.id,
    type: e.type,
    date: e.event_date,
    regionCode: e.region_code,
    employmentForm: e.employment_form,
    employerName: e.employer_name,
    reason: e.reason,
    spellId: e.spell_id,
    correctsEventId: e.corrects_event_id,
    correctedBy,
    note: e.note,
    recordedAt: new Date(e.recorded_at).toISOString(),
    summary: summarize(e, byId),
  };
}

export function presentSpell(s: SpellRow) {
  return {
    id: s.id,
    kind: s.kind as "employment" | "unemployment",
    employmentForm: s.employment_form,
    employerName: s.employer_name,
    startedOn: s.started_on,
    endedOn: s.ended_on,
    endReason: s.end_reason,
    voided: s.voided,
  };
}

export function presentStatus(open: SpellRow[]) {
  const employed = open.filter((s) => s.kind === "employment");
  const unemployed = open.some((s) => s.kind === "unemployment");
  const status = employed.length ? ("employed" as const) : unemployed ? ("unemployed" as const) : ("none" as const);
  const label =
    status === "employed"
      ? `就业（${employed.map((s) => EMPLOYMENT_FORM_NAMES[s.employment_form as keyof typeof EMPLOYMENT_FORM_NAMES] ?? s.employment_form).join("、")}）`
      : status === "unemployed"
        ? "登记失业"
        : "无有效登记";
  return { status, label, openSpells: open.map(presentSpell) };
}

/** Why an event ended a spell, in Chinese (the reason codes differ by event type). */
export function reasonLabel(type: string, reason: string | null): string {
  if (!reason) return "";
  const names: Record<string, string> =
    type === "employment_end"
      ? EMPLOYMENT_END_REASON_NAMES
      : type === "unemployment_end"
        ? UNEMPLOYMENT_END_REASON_NAMES
        : { wrong_entry: "登记有误" };
  return names[reason] ?? reason;
}
