import { type Kysely, sql } from "kysely";

/**
 * A real (not dry-run) person import writes its valid rows straight to the registry while it reads
 * the file; only rejected rows are kept in import_rows. `direct` marks such a job, so a restart
 * resumes it from its watermark by reading the file again instead of looking for staged rows.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table import_jobs add column direct boolean not null default false`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table import_jobs drop column direct`.execute(db);
}
