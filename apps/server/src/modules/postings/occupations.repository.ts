import type { OccupationsTable } from "@jiuye/db";
import { OCCUPATION_CATALOGUE_VERSION } from "@jiuye/domain";
import { type Insertable, sql } from "kysely";
import type { Executor } from "../../lib/executor.ts";
import { containsPattern } from "../../lib/scope.ts";

/** 职业分类大典: search by name or alias (Chinese), browse by parent. */
export const occupationsRepository = {
  list(db: Executor, f: { q?: string; level?: number; parentCode?: string; limit: number }) {
    let q = db.selectFrom("occupations").selectAll().where("version", "=", OCCUPATION_CATALOGUE_VERSION);
    if (f.level) q = q.where("level", "=", f.level);
    if (f.parentCode) q = q.where("parent_code", "=", f.parentCode);
    if (f.q) {
      const like = containsPattern(f.q);
      q = q.where((eb) =>
        eb.or([
          eb("name", "like", like),
          eb("code", "like", `${f.q}%`),
          sql<boolean>`array_to_string(aliases, '|') like ${like}`,
        ]),
      );
    }
    return q.orderBy("code").limit(f.limit).execute();
  },
  namesOf(db: Executor, codes: string[]) {
    if (codes.length === 0) return Promise.resolve([]);
    return db
      .selectFrom("occupations")
      .select(["code", "name"])
      .where("version", "=", OCCUPATION_CATALOGUE_VERSION)
      .where("code", "in", codes)
      .execute();
  },

  /** A 细类 (the level postings and seekers use) of the current catalogue. */
  detailedExists(db: Executor, code: string) {
    return db
      .selectFrom("occupations")
      .select("code")
      .where("version", "=", OCCUPATION_CATALOGUE_VERSION)
      .where("code", "=", code)
      .where("level", "=", 4)
      .executeTakeFirst();
  },

  /** Name and aliases of one occupation of the current catalogue (indexed with a posting's text). */
  find(db: Executor, code: string) {
    return db
      .selectFrom("occupations")
      .select(["name", "aliases"])
      .where("version", "=", OCCUPATION_CATALOGUE_VERSION)
      .where("code", "=", code)
      .executeTakeFirst();
  },

  async codesOf(db: Executor, version: string) {
    return (await db.selectFrom("occupations").select("code").where("version", "=", version).execute()).map(
      (r) => r.code,
    );
  },

  upsert(db: Executor, row: Insertable<OccupationsTable>) {
    return db
      .insertInto("occupations")
      .values(row)
      .onConflict((oc) =>
        oc
          .columns(["version", "code"])
          .doUpdateSet({ name: row.name, aliases: row.aliases, skills: row.skills, verified: row.verified }),
      )
      .execute();
  },
};
