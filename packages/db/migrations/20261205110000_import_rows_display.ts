import { type Kysely, sql } from "kysely";

/**
 * A valid staged row no longer stores its display (only rejected rows are reported; one rejected
 * at commit is shown from its protected payload), which roughly halves what a large import stages.
 * Every row still has something to show.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table import_rows alter column display drop not null;
    alter table import_rows add constraint import_rows_shown check (display is not null or payload is not null);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    alter table import_rows drop constraint import_rows_shown;
    update import_rows set display = '{}'::jsonb where display is null;
    alter table import_rows alter column display set not null;
  `.execute(db);
}
