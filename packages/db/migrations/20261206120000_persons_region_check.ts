import { type Kysely, sql } from "kysely";

/**
 * A person's 常住地 must be a known region — checked once per statement instead of once per row.
 * The foreign key ran a lookup (and a row lock) in `regions` for every person inserted: about a
 * third of PostgreSQL's work in a bulk import (measured: a 1,000,000-row COPY into persons with its
 * indexes, 36.5 / 25.9 µs per row with the key, 25.5 / 17.0 without). The statement-level triggers
 * do the same check set-based over the statement's new rows, and lock the regions they reference
 * FOR KEY SHARE as the foreign key did. Regions are reference data, only ever added (the region
 * import leaves existing codes as they are): deleting one, or changing its code, is refused, so a
 * person can never be left pointing at a region that is gone.
 * On Citus (docs/scaling.md), where persons would be distributed and triggers on it are not
 * supported, this goes back to the foreign key: to a reference table it is allowed there.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table persons drop constraint persons_residence_region_code_fkey`.execute(db);
  await sql`
    create function persons_region_known() returns trigger language plpgsql as $$
    declare
      missing text;
    begin
      perform 1 from regions r
        where r.code in (select distinct n.residence_region_code from new_rows n)
        for key share;
      select n.residence_region_code into missing from new_rows n
        where not exists (select 1 from regions r where r.code = n.residence_region_code)
        limit 1;
      if missing is not null then
        raise exception 'residence_region_code % is not a known region', missing
          using errcode = '23503', table = 'persons', column = 'residence_region_code';
      end if;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger persons_region_known_insert after insert on persons
      referencing new table as new_rows for each statement execute function persons_region_known()`.execute(db);
  await sql`
    create trigger persons_region_known_update after update on persons
      referencing new table as new_rows for each statement execute function persons_region_known()`.execute(db);
  await sql`
    create function regions_keep_codes() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' or new.code is distinct from old.code then
        raise exception 'regions are only ever added: % cannot be deleted or recoded', old.code
          using errcode = '23503', table = 'regions';
      end if;
      return new;
    end $$`.execute(db);
  await sql`
    create trigger regions_keep_codes before delete or update of code on regions
      for each row execute function regions_keep_codes()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger regions_keep_codes on regions`.execute(db);
  await sql`drop function regions_keep_codes()`.execute(db);
  await sql`drop trigger persons_region_known_update on persons`.execute(db);
  await sql`drop trigger persons_region_known_insert on persons`.execute(db);
  await sql`drop function persons_region_known()`.execute(db);
  await sql`
    alter table persons add constraint persons_residence_region_code_fkey
      foreign key (residence_region_code) references regions(code)`.execute(db);
}
