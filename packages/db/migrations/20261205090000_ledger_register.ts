import { type Kysely, sql } from "kysely";

/**
 * 实名台账: the ledger listed newest first (GET /ledger). Without this index every page of a
 * city's list sorted all of its events.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index ledger_events_date_idx on ledger_events (event_date desc, recorded_at desc, id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index ledger_events_date_idx`.execute(db);
}
