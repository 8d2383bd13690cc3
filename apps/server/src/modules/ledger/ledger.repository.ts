import type { Executor } from "../../lib/executor.ts";
import { prefixPattern } from "../../lib/scope.ts";
import type { PersonScope } from "../persons/persons.repository.ts";

export const ledgerRepository = {
  /** The person inside the caller's scope, row-locked so that one person's events are decided one at a time. */
  lockPersonInScope(db: Executor, scope: PersonScope, personId: string) {
    if (scope.kind === "none") return Promise.resolve(undefined);
    let q = db
      .selectFrom("persons")
      .select(["id", "birth_date", "sex", "retirement_category", "death_date", "residence_region_code"])
      .where("id", "=", personId);
    if (scope.kind === "region") q = q.where("residence_region_code", "like", prefixPattern(scope.prefix));
    else q = q.where("id", "=", scope.personId);
    return q.forUpdate().executeTakeFirst();
  },

  findPersonInScope(db: Executor, scope: PersonScope, personId: string) {
    if (scope.kind === "none") return Promise.resolve(undefined);
    let q = db.selectFrom("persons").select(["id"]).where("id", "=", personId);
    if (scope.kind === "region") q = q.where("residence_region_code", "like", prefixPattern(scope.prefix));
    else q = q.where("id", "=", scope.personId);
    return q.executeTakeFirst();
  },

  openSpells(db: Executor, personId: string) {
    return db
      .selectFrom("ledger_spells")
      .selectAll()
      .where("person_id", "=", personId)
      .where("ended_on", "is", null)
      .where("voided", "=", false)
      .execute();
  },

  spells(db: Executor, personId: string) {
    return db
      .selectFrom("ledger_spells")
      .selectAll()
      .where("person_id", "=", personId)
      .orderBy("started_on")
      .orderBy("updated_at")
      .execute();
  },

  events(db: Executor, personId: string) {
    return db
      .selectFrom("ledger_events")
      .selectAll()
      .where("person_id", "=", personId)
      .orderBy("event_date")
      .orderBy("recorded_at")
      .execute();
  },

  findEvent(db: Executor, personId: string, eventId: string) {
    return db
      .selectFrom("ledger_events")
      .selectAll()
      .where("person_id", "=", personId)
      .where("id", "=", eventId)
      .executeTakeFirst();
  },

  findSpell(db: Executor, spellId: string) {
    return db.selectFrom("ledger_spells").selectAll().where("id", "=", spellId).executeTakeFirst();
  },

  insertEvent(
    db: Executor,
    e: {
      person_id: string;
      province_code: string;
      type: string;
      event_date: string;
      region_code: string;
      employment_form?: string | null;
      employer_name?: string | null;
      employer_credit_code?: string | null;
      contract_type?: string | null;
      contract_end?: string | null;
      reason?: string | null;
      spell_id: string;
      corrects_event_id?: string | null;
      note?: string | null;
      recorded_by: string;
      recorded_at: Date;
    },
  ) {
    return db.insertInto("ledger_events").values(e).returningAll().executeTakeFirstOrThrow();
  },

  openSpell(
    db: Executor,
    s: {
      id: string;
      person_id: string;
      province_code: string;
      kind: string;
      employment_form: string | null;
      employer_name: string | null;
      region_code: string;
      started_on: string;
      start_event_id: string;
      updated_at: Date;
    },
  ) {
    return db.insertInto("ledger_spells").values(s).execute();
  },

  closeSpell(db: Executor, spellId: string, endedOn: string, reason: string, endEventId: string, now: Date) {
    return db
      .updateTable("ledger_spells")
      .set({ ended_on: endedOn, end_reason: reason, end_event_id: endEventId, updated_at: now })
      .where("id", "=", spellId)
      .where("ended_on", "is", null)
      .executeTakeFirstOrThrow();
  },

  voidSpell(db: Executor, spellId: string, now: Date) {
    return db.updateTable("ledger_spells").set({ voided: true, updated_at: now }).where("id", "=", spellId).execute();
  },

  reopenSpell(db: Executor, spellId: string, now: Date) {
    return db
      .updateTable("ledger_spells")
      .set({ ended_on: null, end_reason: null, end_event_id: null, updated_at: now })
      .where("id", "=", spellId)
      .execute();
  },

  regionExists(db: Executor, code: string) {
    return db.selectFrom("regions").select("code").where("code", "=", code).executeTakeFirst();
  },
};
