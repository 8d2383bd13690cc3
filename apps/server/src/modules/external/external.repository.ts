import { sql } from "kysely";
import type { Executor } from "../../lib/executor.ts";

const inserted = sql<boolean>`(xmax = 0)`.as("inserted");

export type SourcedTable = "insurance_spells" | "benefit_claims" | "skill_certificates" | "person_attributes";

/**
 * Records owned by other systems. Upserts are keyed by (source_system, source_record_id); a record
 * only replaces the stored one when its source date is newer, so resending a batch changes nothing.
 */
export const externalRepository = {
  /**
   * One upsert for every kind: the conflict key is (source_system, source_record_id) and every other
   * column of the row is replaced, but only by a record with a newer source date. Returns whether
   * each written row was inserted (xmax = 0) or updated; unchanged rows are not returned.
   */
  upsert(db: Executor, table: SourcedTable, rows: Array<Record<string, unknown>>) {
    const updated = Object.keys(rows[0] ?? {}).filter((c) => c !== "source_system" && c !== "source_record_id");
    const values =
      table === "person_attributes" ? rows.map((r) => ({ ...r, details: JSON.stringify(r.details) })) : rows;
    return db
      .insertInto(table)
      .values(values as never)
      .onConflict((oc) => {
        const target = oc.columns(["source_system", "source_record_id"]);
        // person_attributes holds declared attributes too: its source key is a partial unique index
        return (table === "person_attributes" ? target.where("source_record_id", "is not", null) : target)
          .doUpdateSet((eb) => Object.fromEntries(updated.map((c) => [c, eb.ref(`excluded.${c}` as never)])) as never)
          .where(sql.ref(`${table}.source_date`), "<", sql.ref("excluded.source_date"));
      })
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
