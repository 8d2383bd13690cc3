import type { Database } from "@jiuye/db";
import type { Kysely, Transaction } from "kysely";

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
