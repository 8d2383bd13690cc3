import { type Kysely, sql } from "kysely";

/**
 * Rosters (花名册) of the records other systems own — 参保记录, 失业保险金领取, 职业技能证书, 低保,
 * 残疾人证 — go through the same import jobs as persons, employers and ledger events.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table import_jobs drop constraint import_jobs_kind_check`.execute(db);
  await sql`alter table import_jobs add constraint import_jobs_kind_check
            check (kind in ('persons','employers','ledger','insurance','benefits','certificates','dibao','disability'))`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table import_jobs drop constraint import_jobs_kind_check`.execute(db);
  await sql`alter table import_jobs add constraint import_jobs_kind_check check (kind in ('persons','employers','ledger'))`.execute(
    db,
  );
}
