import type { Database } from "@jiuye/db";
import { OCCUPATION_CATALOGUE_VERSION } from "@jiuye/domain";
import { type Kysely, sql } from "kysely";
import type { Executor } from "../../lib/executor.ts";

export type OccupationsService = ReturnType<typeof createOccupationsService>;

/** 职业分类大典: search by name or alias (Chinese), browse by parent. */
export const occupationsRepository = {
  list(db: Executor, f: { q?: string; level?: number; parentCode?: string; limit: number }) {
    let q = db.selectFrom("occupations").selectAll().where("version", "=", OCCUPATION_CATALOGUE_VERSION);
    if (f.level) q = q.where("level", "=", f.level);
    if (f.parentCode) q = q.where("parent_code", "=", f.parentCode);
    if (f.q) {
      const like = `%${f.q.replace(/[%_\\]/g, "\\$&")}%`;
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
};

export function createOccupationsService(deps: { db: Kysely<Database> }) {
  const { db } = deps;
  return {
    async list(f: { q?: string; level?: number; parentCode?: string; limit: number }) {
      const rows = await occupationsRepository.list(db, f);
      return rows.map((r) => ({
        code: r.code,
        name: r.name,
        level: r.level,
        parentCode: r.parent_code,
        aliases: r.aliases,
        skills: r.skills,
        verified: r.verified,
      }));
    },
  };
}
