import { type Kysely, sql } from "kysely";

/**
 * The in-process search index polls postings changed since its last look every second (issue:
 * a posting published or withdrawn elsewhere is visible to search within 1 s): an index on
 * `updated_at` keeps that poll a range read instead of a scan of every posting.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index postings_updated_idx on postings (updated_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index postings_updated_idx`.execute(db);
}
