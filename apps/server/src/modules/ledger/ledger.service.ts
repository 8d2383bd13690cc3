import { randomUUID } from "node:crypto";
import type { LedgerEventBody } from "@jiuye/contracts";
import type { Database } from "@jiuye/db";
import {
  decideLedgerEvent,
  type OpenSpell,
  type Refusal,
  type RetirementCategory,
  scopeCovers,
  shanghaiDate,
} from "@jiuye/domain";
import type { Kysely, Transaction } from "kysely";
import { AppError } from "../../errors/catalogue.ts";
import type { Actor } from "../../lib/actor.ts";
import type { Clock, Executor, RequestContext } from "../../lib/executor.ts";
import { isUniqueViolation } from "../../lib/scope.ts";
import type { AuditService } from "../audit/audit.service.ts";
import { personScopeOf } from "../persons/persons.policy.ts";
import { presentEvent, presentSpell, presentStatus } from "./ledger.presenter.ts";
import { ledgerRepository as repo } from "./ledger.repository.ts";

export type LedgerService = ReturnType<typeof createLedgerService>;

function refuse(refusals: Refusal[]): never {
  const conflict = refusals.some((r) => r.kind === "conflict") && refusals.every((r) => r.kind === "conflict");
  throw new AppError(conflict ? "LEDGER_CONFLICT" : "LEDGER_INVALID", {
    detail: refusals.map((r) => r.message).join("；"),
    errors: refusals.map((r) => ({ field: r.field, code: r.code, message: r.message })),
  });
}

/**
 * 就业失业登记: every write is an append-only event, decided by the pure rules in
 * packages/domain/src/ledger against the person's open spells (read under a row lock), with the
 * spell projection and the audit record written in the same transaction. Partial unique indexes
 * make contradictory open spells impossible even if two requests race.
 */
export function createLedgerService(deps: { db: Kysely<Database>; audit: AuditService; clock: Clock }) {
  const { db, audit, clock } = deps;

  async function currentOf(trx: Executor, personId: string) {
    return presentStatus(await repo.openSpells(trx, personId));
  }

  async function applyCorrection(
    trx: Executor,
    actor: Actor,
    person: { id: string; residence_region_code: string },
    body: Extract<LedgerEventBody, { type: "correction" }>,
    now: Date,
  ) {
    const target = await repo.findEvent(trx, person.id, body.correctsEventId);
    if (!target)
      throw new AppError("LEDGER_INVALID", {
        errors: [{ field: "correctsEventId", code: "LEDGER_EVENT_UNKNOWN", message: "要更正的登记记录不存在" }],
      });
    if (target.type === "correction")
      throw new AppError("LEDGER_INVALID", {
        errors: [{ field: "correctsEventId", code: "LEDGER_CORRECT_CORRECTION", message: "更正记录本身不能再被更正" }],
      });
    const spell = await repo.findSpell(trx, target.spell_id);
    if (!spell || spell.voided)
      throw new AppError("LEDGER_CONFLICT", {
        errors: [{ field: "correctsEventId", code: "LEDGER_ALREADY_VOID", message: "该登记已被作废" }],
      });
    const isStart = target.type === "employment" || target.type === "unemployment";
    if (isStart && spell.ended_on) {
      throw new AppError("LEDGER_CONFLICT", {
        errors: [{ field: "correctsEventId", code: "LEDGER_SPELL_ENDED", message: "该登记已注销，请先更正其注销记录" }],
      });
    }
    if (!isStart && spell.end_event_id !== target.id) {
      throw new AppError("LEDGER_CONFLICT", {
        errors: [{ field: "correctsEventId", code: "LEDGER_ALREADY_VOID", message: "该注销记录已不再有效" }],
      });
    }
    const event = await repo.insertEvent(trx, {
      person_id: person.id,
      province_code: target.province_code,
      type: "correction",
      event_date: body.date,
      region_code: target.region_code,
      reason: body.reason,
      spell_id: target.spell_id,
      corrects_event_id: target.id,
      note: body.note,
      recorded_by: actor.userId,
      recorded_at: now,
    });
    if (isStart) await repo.voidSpell(trx, spell.id, now);
    else await repo.reopenSpell(trx, spell.id, now);
    return event;
  }

  /**
   * Records one event inside the caller's transaction: decides it against the person's open spells
   * (row-locked), writes event, projection and audit row. Used by the API and by ledger rosters.
   */
  async function recordIn(
    trx: Transaction<Database>,
    actor: Actor,
    personId: string,
    body: LedgerEventBody,
    ctx: RequestContext,
  ) {
    const now = clock();
    const today = shanghaiDate(now);
    if (body.type === "correction") {
      const person = await repo.lockPersonWithOpenSpells(trx, personScopeOf(actor), personId);
      if (!person) throw new AppError("NOT_FOUND");
      const event = await applyCorrection(trx, actor, person, body, now);
      await audit.record(trx, ctx, {
        action: "ledger.correct",
        subjectType: "person",
        subjectId: personId,
        fields: ["ledger"],
        detail: { event: event.id, corrects: body.correctsEventId },
      });
      return { event: presentEvent(event, null), alsoRecorded: [], current: await currentOf(trx, personId) };
    }
    const person = await repo.lockPersonWithOpenSpells(trx, personScopeOf(actor), personId);
    if (!person) throw new AppError("NOT_FOUND");
    const regionCode = ("regionCode" in body && body.regionCode) || person.residence_region_code;
    if (!actor.regionCode || !scopeCovers(actor.regionCode, regionCode)) {
      throw new AppError("REGION_OUT_OF_SCOPE", {
        errors: [{ field: "regionCode", code: "REGION_OUT_OF_SCOPE", message: "经办区划不在您的管辖范围内" }],
      });
    }
    const openRows = person.open_spells;
    const open: OpenSpell[] = openRows.map((s) => ({
      id: s.id,
      kind: s.kind as OpenSpell["kind"],
      form: s.employment_form as OpenSpell["form"],
      employerName: s.employer_name,
      startedOn: s.started_on,
    }));
    const decision = decideLedgerEvent(
      {
        birthDate: person.birth_date,
        sex: person.sex as "male" | "female",
        retirementCategory: person.retirement_category as RetirementCategory | null,
        deathDate: person.death_date,
      },
      open,
      body.type === "employment"
        ? { type: "employment", date: body.date, form: body.form, employerName: body.employerName }
        : body.type === "employment_end"
          ? { type: "employment_end", date: body.date, spellId: body.spellId, reason: body.reason }
          : body.type === "unemployment"
            ? { type: "unemployment", date: body.date, ableAndWilling: body.ableAndWilling }
            : { type: "unemployment_end", date: body.date, reason: body.reason },
      today,
    );
    if (decision.refusals.length) refuse(decision.refusals);
    const province = regionCode.slice(0, 2);
    const base = {
      person_id: personId,
      province_code: province,
      region_code: regionCode,
      recorded_by: actor.userId,
      recorded_at: now,
    };
    const alsoRecorded = [];
    // 就业登记 closes an open 失业登记 first (reason: employed), in the same transaction.
    for (const end of decision.alsoEnds) {
      const e = await repo.insertEvent(trx, {
        ...base,
        type: "unemployment_end",
        event_date: body.date,
        reason: end.reason,
        spell_id: end.spell.id,
        note: "因办理就业登记自动注销",
      });
      await repo.closeSpell(trx, end.spell.id, body.date, end.reason, e.id, now);
      alsoRecorded.push(presentEvent(e, null));
    }
    let event: Awaited<ReturnType<typeof repo.insertEvent>>;
    let opened: (typeof openRows)[number] | null = null;
    if (body.type === "employment" || body.type === "unemployment") {
      const employment = body.type === "employment" ? body : null;
      const eventId = randomUUID();
      event = await repo.insertStartEvent(
        trx,
        {
          ...base,
          id: eventId,
          type: body.type,
          event_date: body.date,
          spell_id: randomUUID(),
          employment_form: employment?.form ?? null,
          employer_name: employment?.employerName || null,
          employer_credit_code: employment?.employerCreditCode || null,
          contract_type: employment?.contractType ?? null,
          contract_end: employment?.contractEnd ?? null,
        },
        audit.rowOf(ctx, {
          action: `ledger.${body.type}`,
          subjectType: "person",
          subjectId: personId,
          fields: ["ledger"],
          detail: { event: eventId },
        }),
      );
      opened = {
        id: event.spell_id,
        person_id: personId,
        province_code: province,
        kind: body.type,
        employment_form: event.employment_form,
        employer_name: event.employer_name,
        region_code: regionCode,
        started_on: body.date,
        ended_on: null,
        end_reason: null,
        start_event_id: event.id,
        end_event_id: null,
        voided: false,
        updated_at: now,
      };
    } else {
      const spell = decision.endsSpell!;
      event = await repo.insertEvent(trx, {
        ...base,
        type: body.type,
        event_date: body.date,
        reason: body.reason,
        spell_id: spell.id,
      });
      await repo.closeSpell(trx, spell.id, body.date, body.reason, event.id, now);
      await audit.record(trx, ctx, {
        action: `ledger.${body.type}`,
        subjectType: "person",
        subjectId: personId,
        fields: ["ledger"],
        detail: { event: event.id },
      });
    }
    // The new state is known without reading it back: open spells minus those ended, plus the one opened.
    const ended = new Set([
      ...decision.alsoEnds.map((x) => x.spell.id),
      ...(decision.endsSpell ? [decision.endsSpell.id] : []),
    ]);
    const openAfter = [...openRows.filter((s) => !ended.has(s.id)), ...(opened ? [opened] : [])];
    return { event: presentEvent(event, null), alsoRecorded, current: presentStatus(openAfter) };
  }

  return {
    recordIn,
    async history(actor: Actor, personId: string, ctx: RequestContext) {
      return db.transaction().execute(async (trx) => {
        if (!(await repo.findPersonInScope(trx, personScopeOf(actor), personId))) throw new AppError("NOT_FOUND");
        const [events, spells, open] = await Promise.all([
          repo.events(trx, personId),
          repo.spells(trx, personId),
          repo.openSpells(trx, personId),
        ]);
        await audit.record(trx, ctx, {
          action: "ledger.read",
          subjectType: "person",
          subjectId: personId,
          fields: ["ledger"],
        });
        const byId = new Map(events.map((e) => [e.id, e]));
        const correctedBy = new Map(events.filter((e) => e.corrects_event_id).map((e) => [e.corrects_event_id!, e.id]));
        return {
          current: presentStatus(open),
          events: events.map((e) => presentEvent(e, correctedBy.get(e.id) ?? null, byId)),
          spells: spells.map(presentSpell),
        };
      });
    },

    async record(actor: Actor, personId: string, body: LedgerEventBody, ctx: RequestContext) {
      try {
        return await db.transaction().execute((trx) => recordIn(trx, actor, personId, body, ctx));
      } catch (e) {
        // The partial unique indexes are the last line: a race that slipped past the row lock.
        if (isUniqueViolation(e))
          throw new AppError("LEDGER_CONFLICT", { detail: "与本人当前的就业失业登记状态矛盾（重复登记）" });
        throw e;
      }
    },
  };
}
