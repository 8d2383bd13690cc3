import { sql } from "kysely";
import type { Executor } from "../../lib/executor.ts";
import { containsPattern, prefixPattern } from "../../lib/scope.ts";

const withChildCount = sql<number>`(select count(*)::int from regions c where c.parent_code = regions.code)`.as(
  "child_count",
);

export const regionsRepository = {
  children(db: Executor, parent: string | null) {
    const q = db.selectFrom("regions").select(["code", "name", "level", "parent_code", withChildCount]);
    return (parent ? q.where("parent_code", "=", parent) : q.where("parent_code", "is", null))
      .orderBy("code")
      .execute();
  },

  byCodes(db: Executor, codes: string[]) {
    if (codes.length === 0) return Promise.resolve([]);
    return db
      .selectFrom("regions")
      .select(["code", "name", "level", "parent_code", withChildCount])
      .where("code", "in", codes)
      .orderBy("code")
      .execute();
  },

  search(db: Executor, q: string, within: string | null) {
    let query = db
      .selectFrom("regions")
      .select(["code", "name", "level", "parent_code", withChildCount])
      .where("name", "like", containsPattern(q));
    if (within) query = query.where("code", "like", prefixPattern(within));
    return query.orderBy("level").orderBy("code").limit(50).execute();
  },
};
