import { type Database, prepareStatement } from "@jiuye/db";
import {
  type Compilable,
  type CompiledQuery,
  type Kysely,
  type RawBuilder,
  type SelectQueryBuilder,
  sql,
  type Transaction,
} from "kysely";

/** A connection or an open transaction: repositories take one as their first argument. */
export type Executor = Kysely<Database> | Transaction<Database>;

/** Request-derived facts every audited use case needs. */
export interface RequestContext {
  actorId: string | null;
  actorRole: string | null;
  ip: string | null;
  requestId: string | null;
  /** Province of the actor's region scope, carried onto audit rows (partitioning key). */
  provinceCode?: string | null;
}

export type Clock = () => Date;

/**
 * Runs a hot query of fixed shape as a named prepared statement on the PostgreSQL server (planned
 * once per connection; see `prepareStatement`); on embedded PGlite it simply executes.
 */
export async function executePrepared<O>(db: Executor, query: Compilable<O> | RawBuilder<O>): Promise<O[]> {
  // a query builder compiles by itself; a raw `sql` template needs the executor's dialect
  const compiled = (query as { compile(on: Executor): CompiledQuery<O> }).compile(db);
  prepareStatement(compiled.sql);
  return (await db.executeQuery(compiled)).rows;
}

/** Lists count their matches up to this many; beyond it the caller is told to narrow the filter. */
export const LIST_COUNT_CAP = 10_000;

/**
 * How many rows a list query matches, counted up to `cap` (`capped` when there are more): a
 * city's full count cost PostgreSQL hundreds of milliseconds to a second per page view, while
 * the page itself takes milliseconds. Used by repositories for list totals.
 */
export async function cappedCount<DB, TB extends keyof DB>(
  db: Executor,
  query: SelectQueryBuilder<DB, TB, object>,
  cap: number,
): Promise<{ total: number; capped: boolean }> {
  const r = await db
    .selectFrom(
      query
        .select(sql<number>`1`.as("one"))
        .limit(cap + 1)
        .as("c"),
    )
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  const n = Number(r.n);
  return { total: Math.min(n, cap), capped: n > cap };
}
