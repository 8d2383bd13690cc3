import type { Writable } from "node:stream";
import type { LedgerFilterInput } from "@jiuye/contracts";
import type { Database } from "@jiuye/db";
import { CONTRACT_TYPE_NAMES, EMPLOYMENT_FORM_NAMES, LEDGER_EVENT_TYPE_NAMES, shanghaiDateTime } from "@jiuye/domain";
import type { Kysely } from "kysely";
import { AppError } from "../../errors/catalogue.ts";
import type { Actor } from "../../lib/actor.ts";
import { LIST_COUNT_CAP, type RequestContext } from "../../lib/executor.ts";
import type { FieldCipher } from "../../lib/field-cipher.ts";
import { tableWriter } from "../../lib/spreadsheet.ts";
import type { AuditService } from "../audit/audit.service.ts";
import { assertRevealPurpose, personScopeOf } from "../persons/persons.policy.ts";
import { reasonLabel, summarize } from "./ledger.presenter.ts";
import { type LedgerFilter, ledgerRepository as repo } from "./ledger.repository.ts";

export type LedgerRegisterService = ReturnType<typeof createLedgerRegisterService>;
type RegisterRow = Awaited<ReturnType<typeof repo.register>>["rows"][number];

const EXPORT_HEADERS = [
  "姓名",
  "公民身份号码",
  "手机号码",
  "登记类型",
  "登记日期",
  "经办区划代码",
  "经办区划",
  "就业形式",
  "单位名称",
  "统一社会信用代码",
  "合同类型",
  "合同终止日期",
  "注销或更正原因",
  "说明",
  "已被更正作废",
  "记录时间（北京时间）",
];

function filterOf(input: LedgerFilterInput): LedgerFilter {
  return {
    type: input.type,
    from: input.from,
    to: input.to,
    regionPrefix: input.regionCode,
    nameContains: input.q || undefined,
    employer: input.employer || undefined,
  };
}
const usedFilters = (f: LedgerFilter) => Object.keys(f).filter((k) => (f as Record<string, unknown>)[k]);

function summaryOf(r: RegisterRow) {
  const target =
    r.corrects_event_id && r.target_type && r.target_date
      ? new Map([[r.corrects_event_id, { type: r.target_type, event_date: r.target_date }]])
      : undefined;
  return summarize(r, target);
}

export function presentLedgerEntry(r: RegisterRow) {
  return {
    id: r.id,
    personId: r.person_id,
    personName: r.person_name,
    idNumberMasked: r.id_number_masked,
    type: r.type,
    typeLabel: LEDGER_EVENT_TYPE_NAMES[r.type] ?? r.type,
    date: r.event_date,
    regionCode: r.region_code,
    regionName: r.region_name,
    employmentForm: r.employment_form,
    employerName: r.employer_name,
    employerCreditCode: r.employer_credit_code,
    contractType: r.contract_type,
    reason: r.reason,
    summary: summaryOf(r),
    voided: r.voided,
    recordedAt: new Date(r.recorded_at).toISOString(),
  };
}

/**
 * 实名台账 (seed §十二 实名台账, §十八 就业失业登记): the ledger's events as a list a case worker
 * filters, pages and exports — people in their region only, masked unless a stated purpose is
 * given, every read and export audited before any row leaves.
 */
export function createLedgerRegisterService(deps: {
  db: Kysely<Database>;
  audit: AuditService;
  cipher: FieldCipher;
  revealPurposes: Array<{ code: string; label: string }>;
}) {
  const { db, audit, cipher } = deps;
  return {
    async list(actor: Actor, query: LedgerFilterInput & { page: number; pageSize: number }, ctx: RequestContext) {
      const scope = personScopeOf(actor);
      if (scope.kind !== "region") throw new AppError("FORBIDDEN");
      const filter = filterOf(query);
      const { rows, total, capped } = await repo.register(
        db,
        scope,
        filter,
        query.page,
        query.pageSize,
        LIST_COUNT_CAP,
      );
      await audit.record(db, ctx, {
        action: "ledger.list",
        subjectType: "person",
        fields: ["name", "idNumberMasked", "ledger"],
        detail: { filters: usedFilters(filter), returned: rows.length, total, capped },
      });
      return {
        items: rows.map(presentLedgerEntry),
        total,
        totalCapped: capped,
        page: query.page,
        pageSize: query.pageSize,
      };
    },

    async exportList(
      actor: Actor,
      input: LedgerFilterInput & { format: "xlsx" | "csv"; purpose?: string },
      out: Writable,
      ctx: RequestContext,
    ) {
      const unmasked = input.purpose !== undefined;
      if (unmasked) assertRevealPurpose(deps.revealPurposes, input.purpose, "导出");
      const scope = personScopeOf(actor);
      if (scope.kind !== "region") throw new AppError("FORBIDDEN");
      const filter = filterOf(input);
      // the audit row is written before any data leaves: a failed audit write stops the export
      const total = await repo.countRegister(db, scope, filter);
      await audit.record(db, ctx, {
        action: unmasked ? "ledger.export_unmasked" : "ledger.export",
        subjectType: "person",
        fields: unmasked
          ? ["name", "idNumber", "phone", "ledger"]
          : ["name", "idNumberMasked", "phoneMasked", "ledger"],
        ...(unmasked ? { purpose: input.purpose } : {}),
        detail: { format: input.format, rows: total, filters: usedFilters(filter) },
      });
      return async () => {
        const table = tableWriter(out, input.format, "就业失业登记台账", EXPORT_HEADERS);
        let after: string | null = null;
        for (;;) {
          const rows = await repo.registerBatch(db, scope, filter, after, 2000, unmasked);
          if (rows.length === 0) break;
          for (const r of rows) {
            await table.add([
              r.person_name,
              unmasked && r.id_number_enc ? cipher.decrypt(r.id_number_enc) : r.id_number_masked,
              unmasked ? (r.phone_enc ? cipher.decrypt(r.phone_enc) : "") : (r.phone_masked ?? ""),
              LEDGER_EVENT_TYPE_NAMES[r.type] ?? r.type,
              r.event_date,
              r.region_code,
              r.region_name ?? "",
              r.employment_form
                ? (EMPLOYMENT_FORM_NAMES[r.employment_form as keyof typeof EMPLOYMENT_FORM_NAMES] ?? r.employment_form)
                : "",
              r.employer_name ?? "",
              r.employer_credit_code ?? "",
              r.contract_type ? (CONTRACT_TYPE_NAMES[r.contract_type] ?? r.contract_type) : "",
              r.contract_end ?? "",
              reasonLabel(r.type, r.reason),
              r.type === "correction" ? summaryOf(r) : (r.note ?? ""),
              r.voided ? "是" : "否",
              shanghaiDateTime(new Date(r.recorded_at)),
            ]);
          }
          after = rows[rows.length - 1]!.id;
        }
        await table.end();
      };
    },
  };
}
