import { WAGE_PERCENTILES } from "@jiuye/domain";
import { sql } from "kysely";
import type { Executor } from "../../lib/executor.ts";
import { prefixPattern } from "../../lib/scope.ts";

/** The whole installation ("") or a region subtree. */
function pattern(prefix: string) {
  return prefix === "" ? "%" : prefixPattern(prefix);
}

/** Monthly equivalent of a posting's pay midpoint (非全日制 hourly × 174 hours). */
const MONTHLY_MID = sql`((postings.salary_min_fen + postings.salary_max_fen) / 2.0) * (case when postings.salary_type = 'hourly' then 174 else 1 end)`;

/** Postings open at some time in [from, until): published before the end, not closed before the start. */
function openIn(from: string, until: string) {
  return sql`postings.published_at < ${until}::date and (postings.closed_at is null or postings.closed_at >= ${from}::date)`;
}

/** Seekers registered at some time in [from, until). */
function registeredIn(from: string, until: string) {
  return sql`seekers.created_at < ${until}::date and (seekers.status = 'active' or seekers.updated_at >= ${from}::date)`;
}

/** Aggregates only: nothing here returns a person or a posting. */
export const marketRepository = {
  async vacanciesBy(
    db: Executor,
    prefix: string,
    key: "region" | "occupation",
    len: number,
    from: string,
    until: string,
  ) {
    const group =
      key === "region" ? sql`left(postings.region_code, ${len})` : sql`left(postings.occupation_code, ${len})`;
    const r = await sql<{ key: string; vacancies: string; postings: string }>`
      select ${group} as key, sum(postings.headcount) as vacancies, count(*) as postings
      from postings
      where postings.region_code like ${pattern(prefix)} and ${openIn(from, until)}
      group by 1`.execute(db);
    return r.rows.map((x) => ({ key: x.key, vacancies: Number(x.vacancies), postings: Number(x.postings) }));
  },

  async seekersBy(
    db: Executor,
    prefix: string,
    key: "region" | "occupation",
    len: number,
    from: string,
    until: string,
  ) {
    const r =
      key === "region"
        ? await sql<{ key: string; seekers: string }>`
            select left(seekers.region_code, ${len}) as key, count(*) as seekers from seekers
            where seekers.region_code like ${pattern(prefix)} and ${registeredIn(from, until)}
            group by 1`.execute(db)
        : // a seeker counts once in each occupation group of their intentions
          await sql<{ key: string; seekers: string }>`
            select g.key, count(distinct seekers.id) as seekers
            from seekers cross join lateral (select distinct left(o, ${len}) as key from unnest(seekers.occupations) o) g
            where seekers.region_code like ${pattern(prefix)} and ${registeredIn(from, until)}
            group by 1`.execute(db);
    return r.rows.map((x) => ({ key: x.key, seekers: Number(x.seekers) }));
  },

  async wages(db: Executor, prefix: string, len: number, from: string, until: string) {
    const ps = sql.raw(`array[${WAGE_PERCENTILES.join(",")}]::float8[]`);
    const r = await sql<{ key: string; n: string; p: number[] }>`
      select left(postings.occupation_code, ${len}) as key, count(*) as n,
        percentile_cont(${ps}) within group (order by ${MONTHLY_MID}) as p
      from postings
      where postings.region_code like ${pattern(prefix)} and ${openIn(from, until)}
      group by 1 order by 1`.execute(db);
    return r.rows.map((x) => ({ key: x.key, postings: Number(x.n), percentiles: (x.p ?? []).map(Number) }));
  },
};
