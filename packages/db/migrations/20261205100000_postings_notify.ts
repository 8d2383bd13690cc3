import { type Kysely, sql } from "kysely";

/**
 * Every statement that changes postings notifies channel `jiuye_postings`: servers listening on
 * it poll their search index at once instead of at the next 500 ms tick (a posting published or
 * withdrawn in another process is searchable within 1 s, with room to spare). One notification
 * per statement, not per row: a bulk load sends one.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function postings_notify() returns trigger language plpgsql as $$
    begin
      perform pg_notify('jiuye_postings', '');
      return null;
    end $$;
    create trigger postings_notify after insert or update or delete on postings
      for each statement execute function postings_notify();
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop trigger if exists postings_notify on postings;
    drop function if exists postings_notify();
  `.execute(db);
}
