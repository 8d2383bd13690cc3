import { type Database, prepareStatement } from "@jiuye/db";
import type { Compilable, CompiledQuery, Kysely, RawBuilder, Transaction } from "kysely";

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
