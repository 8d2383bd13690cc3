import { sql } from "kysely";
import type { Executor } from "../../lib/executor.ts";
import { prefixPattern } from "../../lib/scope.ts";

/** Aggregates only: counts, never rows of people. */
export const overviewRepository = {
  async personsByChild(db: Executor, prefix: string | null, childLength: number) {
    let q = db
      .selectFrom("persons")
      .select([
        sql<string>`substr(residence_region_code, 1, ${childLength})`.as("code"),
        sql<number>`count(*)::int`.as("n"),
      ]);
    if (prefix) q = q.where("residence_region_code", "like", prefixPattern(prefix));
    return q.groupBy(sql`1`).orderBy(sql`1`).execute();
  },

  regionNames(db: Executor, codes: string[]) {
    if (!codes.length) return Promise.resolve([]);
    return db.selectFrom("regions").select(["code", "name"]).where("code", "in", codes).execute();
  },

  async usersByRole(db: Executor, prefix: string | null) {
    let q = db
      .selectFrom("users")
      .select(["role", sql<number>`count(*)::int`.as("n")])
      .where("disabled", "=", false);
    if (prefix) q = q.where("region_code", "like", prefixPattern(prefix));
    return q.groupBy("role").execute();
  },

  async auditSince(db: Executor, since: Date) {
    const r = await db
      .selectFrom("audit_log")
      .select([
        sql<number>`count(*)::int`.as("total"),
        sql<number>`count(*) filter (where outcome = 'denied')::int`.as("denied"),
        sql<number>`count(*) filter (where action = 'person.reveal')::int`.as("reveals"),
      ])
      .where("at", ">=", since)
      .executeTakeFirstOrThrow();
    return r;
  },
};
