import { sql } from "kysely";
import type { Executor } from "../../lib/executor.ts";
import { inPersonScope, type PersonScope } from "../persons/persons.repository.ts";

const inserted = sql<boolean>`(xmax = 0)`.as("inserted");

/**
 * Records owned by other systems. Upserts are keyed by (source_system, source_record_id); a record
 * only replaces the stored one when its source date is newer, so resending a batch changes nothing.
 */
export const externalRepository = {
  personsByIdNumber(db: Executor, scope: PersonScope, bidx: string[]) {
    if (bidx.length === 0) return Promise.resolve([]);
    return db
      .selectFrom("persons")
      .select(["persons.id", "persons.id_number_bidx", "persons.province_code"])
      .where("persons.id_number_bidx", "in", bidx)
      .where(inPersonScope(scope))
      .execute();
  },

  personInScope(db: Executor, scope: PersonScope, id: string) {
    return db
      .selectFrom("persons")
      .select("persons.id")
      .where("persons.id", "=", id)
      .where(inPersonScope(scope))
      .executeTakeFirst();
  },

  upsertInsuranceSpells(db: Executor, rows: Array<Record<string, unknown>>) {
    return db
      .insertInto("insurance_spells")
      .values(rows as never)
      .onConflict((oc) =>
        oc
          .columns(["source_system", "source_record_id"])
          .doUpdateSet((eb) => ({
            person_id: eb.ref("excluded.person_id"),
            province_code: eb.ref("excluded.province_code"),
            employer_credit_code: eb.ref("excluded.employer_credit_code"),
            fund: eb.ref("excluded.fund"),
            from_month: eb.ref("excluded.from_month"),
            to_month: eb.ref("excluded.to_month"),
            base_fen: eb.ref("excluded.base_fen"),
            source_date: eb.ref("excluded.source_date"),
            imported_at: eb.ref("excluded.imported_at"),
          }))
          .where("insurance_spells.source_date", "<", sql<string>`excluded.source_date`),
      )
      .returning(inserted)
      .execute();
  },

  upsertBenefitClaims(db: Executor, rows: Array<Record<string, unknown>>) {
    return db
      .insertInto("benefit_claims")
      .values(rows as never)
      .onConflict((oc) =>
        oc
          .columns(["source_system", "source_record_id"])
          .doUpdateSet((eb) => ({
            person_id: eb.ref("excluded.person_id"),
            province_code: eb.ref("excluded.province_code"),
            claim_date: eb.ref("excluded.claim_date"),
            from_month: eb.ref("excluded.from_month"),
            to_month: eb.ref("excluded.to_month"),
            months_entitled: eb.ref("excluded.months_entitled"),
            monthly_amount_fen: eb.ref("excluded.monthly_amount_fen"),
            status: eb.ref("excluded.status"),
            source_date: eb.ref("excluded.source_date"),
            imported_at: eb.ref("excluded.imported_at"),
          }))
          .where("benefit_claims.source_date", "<", sql<string>`excluded.source_date`),
      )
      .returning(inserted)
      .execute();
  },

  upsertSkillCertificates(db: Executor, rows: Array<Record<string, unknown>>) {
    return db
      .insertInto("skill_certificates")
      .values(rows as never)
      .onConflict((oc) =>
        oc
          .columns(["source_system", "source_record_id"])
          .doUpdateSet((eb) => ({
            person_id: eb.ref("excluded.person_id"),
            province_code: eb.ref("excluded.province_code"),
            kind: eb.ref("excluded.kind"),
            name: eb.ref("excluded.name"),
            level: eb.ref("excluded.level"),
            certificate_no_masked: eb.ref("excluded.certificate_no_masked"),
            issued_on: eb.ref("excluded.issued_on"),
            issuer: eb.ref("excluded.issuer"),
            source_date: eb.ref("excluded.source_date"),
            imported_at: eb.ref("excluded.imported_at"),
          }))
          .where("skill_certificates.source_date", "<", sql<string>`excluded.source_date`),
      )
      .returning(inserted)
      .execute();
  },

  upsertAttributes(db: Executor, rows: Array<Record<string, unknown>>) {
    return db
      .insertInto("person_attributes")
      .values(rows.map((r) => ({ ...r, details: JSON.stringify(r.details) })) as never)
      .onConflict((oc) =>
        oc
          .columns(["source_system", "source_record_id"])
          .where("source_record_id", "is not", null)
          .doUpdateSet((eb) => ({
            person_id: eb.ref("excluded.person_id"),
            details: eb.ref("excluded.details"),
            valid_from: eb.ref("excluded.valid_from"),
            valid_to: eb.ref("excluded.valid_to"),
            source_date: eb.ref("excluded.source_date"),
            recorded_at: eb.ref("excluded.recorded_at"),
          }))
          .where("person_attributes.source_date", "<", sql<string>`excluded.source_date`),
      )
      .returning(inserted)
      .execute();
  },

  async ofPerson(db: Executor, personId: string) {
    const [spells, claims, certs] = await Promise.all([
      db.selectFrom("insurance_spells").selectAll().where("person_id", "=", personId).orderBy("from_month").execute(),
      db.selectFrom("benefit_claims").selectAll().where("person_id", "=", personId).orderBy("claim_date").execute(),
      db.selectFrom("skill_certificates").selectAll().where("person_id", "=", personId).orderBy("issued_on").execute(),
    ]);
    return { spells, claims, certs };
  },
};
