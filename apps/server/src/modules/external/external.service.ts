import { ExternalRecordSchemas } from "@jiuye/contracts";
import type { Database } from "@jiuye/db";
import { checkIdNumber, maskIdNumber, shanghaiDate } from "@jiuye/domain";
import type { Kysely } from "kysely";
import { AppError } from "../../errors/catalogue.ts";
import type { Actor } from "../../lib/actor.ts";
import type { Clock, Executor, RequestContext } from "../../lib/executor.ts";
import type { FieldCipher } from "../../lib/field-cipher.ts";
import type { AuditService } from "../audit/audit.service.ts";
import { personScopeOf } from "../persons/persons.policy.ts";
import { protectCertificateNumber } from "../persons/persons.profile.ts";
import { idNumberIndex } from "../persons/persons.protect.ts";
import { type PersonScope, personsRepository } from "../persons/persons.repository.ts";
import { externalRepository as repo, type SourcedTable } from "./external.repository.ts";

export type Kind = keyof typeof ExternalRecordSchemas;
export const EXTERNAL_TABLES: Record<Kind, SourcedTable> = {
  "insurance-spells": "insurance_spells",
  "benefit-claims": "benefit_claims",
  "skill-certificates": "skill_certificates",
  dibao: "person_attributes",
  disability: "person_attributes",
};
export type Rejection = { index: number; sourceRecordId: string | null; field: string; code: string; message: string };

export type ExternalService = ReturnType<typeof createExternalService>;

/**
 * Records → table rows: each validated (the API's schema, the ID number's checksum), its person
 * found by blind index within `scope`, and its row built; the others rejected with the field and a
 * Chinese reason. Shared by the API and the rosters (花名册) of these records.
 */
export async function externalRowsOf(
  deps: { db: Executor; cipher: FieldCipher },
  kind: Kind,
  scope: PersonScope,
  sourceSystem: string,
  records: Array<Record<string, unknown>>,
  today: string,
  now: Date,
): Promise<{ rows: Array<{ index: number; row: Record<string, unknown> }>; rejected: Rejection[] }> {
  const rejected: Rejection[] = [];
  const valid: Array<{ index: number; record: Record<string, unknown>; bidx: string }> = [];
  records.forEach((raw, index) => {
    const sourceRecordId = typeof raw.sourceRecordId === "string" ? raw.sourceRecordId : null;
    const parsed = ExternalRecordSchemas[kind].safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      rejected.push({
        index,
        sourceRecordId,
        field: issue.path.join(".") || "record",
        code: "VALIDATION_FAILED",
        message: issue.message,
      });
      return;
    }
    const id = checkIdNumber(parsed.data.idNumber, today);
    if (!id.valid || !id.normalized) {
      rejected.push({
        index,
        sourceRecordId,
        field: "idNumber",
        code: id.errors[0]?.code ?? "ID_NUMBER_INVALID",
        message: id.errors[0]?.message ?? "公民身份号码不正确",
      });
      return;
    }
    valid.push({ index, record: parsed.data, bidx: idNumberIndex(deps.cipher, id.normalized) });
  });
  const persons = new Map(
    (await personsRepository.byIdNumberIndexes(deps.db, scope, [...new Set(valid.map((v) => v.bidx))])).map((p) => [
      p.id_number_bidx,
      p,
    ]),
  );
  const rows: Array<{ index: number; row: Record<string, unknown> }> = [];
  for (const v of valid) {
    const person = persons.get(v.bidx);
    if (!person) {
      rejected.push({
        index: v.index,
        sourceRecordId: String(v.record.sourceRecordId),
        field: "idNumber",
        code: "PERSON_NOT_FOUND",
        message: "未找到该公民身份号码对应的劳动者（或不在您的辖区）",
      });
      continue;
    }
    rows.push({ index: v.index, row: toRow(deps.cipher, kind, v.record, person, sourceSystem, now) });
  }
  return { rows, rejected };
}

/**
 * Facts owned by other bureau systems (参保记录, 失业保险金, 低保, 残疾人证, 职业技能证书): received in
 * batches, each record idempotent by (source_system, source_record_id), kept with its source and
 * date and never edited by hand. Records for people outside the caller's region are refused.
 */
export function createExternalService(deps: {
  db: Kysely<Database>;
  audit: AuditService;
  cipher: FieldCipher;
  clock: Clock;
}) {
  const { db, audit, cipher, clock } = deps;

  return {
    async receive(
      actor: Actor,
      kind: Kind,
      input: { sourceSystem: string; records: Array<Record<string, unknown>> },
      ctx: RequestContext,
    ) {
      const scope = personScopeOf(actor);
      if (scope.kind !== "region") throw new AppError("FORBIDDEN");
      const { rows: prepared, rejected } = await externalRowsOf(
        { db, cipher },
        kind,
        scope,
        input.sourceSystem,
        input.records,
        shanghaiDate(clock()),
        clock(),
      );
      const rows = prepared.map((p) => p.row);
      // one batch may carry the same source record twice: the last one wins, once
      const unique = [...new Map(rows.map((r) => [r.source_record_id, r])).values()];
      const result = await db.transaction().execute(async (trx) => {
        const written = unique.length === 0 ? [] : await repo.upsert(trx, EXTERNAL_TABLES[kind], unique);
        const created = written.filter((w) => w.inserted).length;
        const updated = written.length - created;
        const summary = { created, updated, unchanged: rows.length - created - updated, rejected };
        await audit.record(trx, ctx, {
          action: "external.receive",
          subjectType: "external_records",
          fields: [kind],
          detail: {
            kind,
            sourceSystem: input.sourceSystem,
            created,
            updated,
            unchanged: summary.unchanged,
            rejected: rejected.length,
          },
        });
        return summary;
      });
      result.rejected.sort((a, b) => a.index - b.index);
      return result;
    },

    async ofPerson(actor: Actor, personId: string, ctx: RequestContext) {
      const scope = personScopeOf(actor);
      const person = await personsRepository.findById(db, scope, personId);
      if (!person) throw new AppError("NOT_FOUND");
      const { spells, claims, certs } = await repo.ofPerson(db, personId);
      await audit.record(db, ctx, {
        action: "person.external_read",
        subjectType: "person",
        subjectId: personId,
        fields: ["insurance", "benefits", "certificates"],
      });
      return {
        insuranceSpells: spells.map((s) => ({
          fund: s.fund,
          employerCreditCode: s.employer_credit_code,
          fromMonth: s.from_month,
          toMonth: s.to_month,
          baseFen: s.base_fen === null ? null : Number(s.base_fen),
          sourceSystem: s.source_system,
          sourceDate: s.source_date,
        })),
        benefitClaims: claims.map((c) => ({
          claimDate: c.claim_date,
          fromMonth: c.from_month,
          toMonth: c.to_month,
          monthsEntitled: c.months_entitled,
          monthlyAmountFen: Number(c.monthly_amount_fen),
          status: c.status,
          sourceSystem: c.source_system,
          sourceDate: c.source_date,
        })),
        skillCertificates: certs.map((c) => ({
          kind: c.kind,
          name: c.name,
          level: c.level,
          certificateNoMasked: c.certificate_no_masked,
          issuedOn: c.issued_on,
          issuer: c.issuer,
          sourceSystem: c.source_system,
          sourceDate: c.source_date,
        })),
      };
    },
  };
}

function toRow(
  cipher: FieldCipher,
  kind: Kind,
  r: Record<string, unknown>,
  person: { id: string; province_code: string },
  sourceSystem: string,
  now: Date,
): Record<string, unknown> {
  const common = { source_system: sourceSystem, source_record_id: r.sourceRecordId, source_date: r.sourceDate };
  switch (kind) {
    case "insurance-spells":
      return {
        ...common,
        person_id: person.id,
        province_code: person.province_code,
        fund: r.fund,
        employer_credit_code: r.employerCreditCode ?? null,
        from_month: r.fromMonth,
        to_month: r.toMonth ?? null,
        base_fen: r.baseFen ?? null,
        imported_at: now,
      };
    case "benefit-claims":
      return {
        ...common,
        person_id: person.id,
        province_code: person.province_code,
        claim_date: r.claimDate,
        from_month: r.fromMonth,
        to_month: r.toMonth ?? null,
        months_entitled: r.monthsEntitled,
        monthly_amount_fen: r.monthlyAmountFen,
        status: r.status,
        imported_at: now,
      };
    case "skill-certificates":
      return {
        ...common,
        person_id: person.id,
        province_code: person.province_code,
        kind: r.kind,
        name: r.name,
        level: r.level ?? null,
        certificate_no_masked: r.certificateNo ? maskIdNumber(String(r.certificateNo)) : null,
        issued_on: r.issuedOn,
        issuer: r.issuer ?? null,
        imported_at: now,
      };
    case "dibao":
    case "disability": {
      const details =
        kind === "disability"
          ? {
              disabilityKind: r.kind,
              grade: r.grade,
              ...protectCertificateNumber(String(r.certificateNumber), cipher.encrypt),
            }
          : {};
      return {
        ...common,
        person_id: person.id,
        kind,
        details,
        source: "imported",
        valid_from: r.validFrom ?? null,
        valid_to: r.validTo ?? null,
        recorded_at: now,
      };
    }
  }
}
