import { blindIndexText, blindIndexValues, copyLine, copyLines, type ImportJobsTable, parseCopyLine } from "@jiuye/db";
import { type Insertable, sql, type Updateable } from "kysely";
import type { Executor } from "../../lib/executor.ts";
import { isUniqueViolation } from "../../lib/scope.ts";

/** The columns a person roster row fills (a staged commit, a direct import's COPY lines). */
const PERSON_COLUMNS = [
  "name",
  "id_number_enc",
  "id_number_bidx",
  "id_number_masked",
  "phone_enc",
  "phone_bidx",
  "phone_masked",
  "sex",
  "birth_date",
  "residence_region_code",
  "province_code",
  "education",
  "hukou_type",
  "hukou_region_code",
] as const;
const INTO_PERSONS = sql.raw(PERSON_COLUMNS.join(", "));
/** The same columns of a protected payload read as a `persons` record (`p`). */
const FROM_PAYLOAD = sql.raw(PERSON_COLUMNS.map((c) => `p.${c}`).join(", "));

/** A protected person payload as a line of the direct import's COPY. */
export const personLine = (payload: Record<string, unknown>) =>
  copyLine(PERSON_COLUMNS.map((k) => (payload[k] ?? null) as string | null));

/** The payload of a line made by `personLine` (a row reported after all). */
export function personPayload(line: string): Record<string, unknown> {
  const v = parseCopyLine(line);
  return Object.fromEntries(PERSON_COLUMNS.map((k, i) => [k, v[i]]));
}

export interface StagedRow {
  rowNo: number;
  status: "valid" | "rejected";
  payload: Record<string, unknown> | null;
  /** Masked cells under their headers, for the error report (null for a valid row of a kind that shows it from its payload). */
  display: Record<string, string> | null;
  errors: Array<{ column: string; code: string; message: string }> | null;
  /** A valid row of a direct import from a stage worker: its payload as the database copies it. */
  line?: string;
}

/** Import jobs and their staged rows (花名册导入). */
export const importsRepository = {
  findByFile(db: Executor, createdBy: string, kind: string, sha256: string) {
    return db
      .selectFrom("import_jobs")
      .selectAll()
      .where("created_by", "=", createdBy)
      .where("kind", "=", kind)
      .where("file_sha256", "=", sha256)
      .executeTakeFirst();
  },

  insertJob(db: Executor, job: Insertable<ImportJobsTable>) {
    return db
      .insertInto("import_jobs")
      .values(job)
      .onConflict((oc) => oc.columns(["created_by", "kind", "file_sha256"]).doNothing())
      .returningAll()
      .executeTakeFirst();
  },

  findJob(db: Executor, id: string) {
    return db.selectFrom("import_jobs").selectAll().where("id", "=", id).executeTakeFirst();
  },

  listJobs(db: Executor, createdBy: string, limit: number) {
    return db
      .selectFrom("import_jobs")
      .selectAll()
      .where("created_by", "=", createdBy)
      .orderBy("created_at", "desc")
      .limit(limit)
      .execute();
  },

  unfinishedJobs(db: Executor) {
    return db
      .selectFrom("import_jobs")
      .selectAll()
      .where("status", "in", ["queued", "staging", "committing"])
      .orderBy("created_at")
      .execute();
  },

  updateJob(db: Executor, id: string, patch: Updateable<ImportJobsTable>) {
    return db.updateTable("import_jobs").set(patch).where("id", "=", id).execute();
  },

  deleteRows(db: Executor, jobId: string) {
    return db.deleteFrom("import_rows").where("job_id", "=", jobId).execute();
  },

  /**
   * One statement per batch: the rows travel as one JSON document, parsed by the server
   * (serialising a JSON string per row into a PostgreSQL array literal cost more than the rest).
   */
  async insertRows(db: Executor, jobId: string, rows: StagedRow[]) {
    if (rows.length === 0) return;
    await sql`
      insert into import_rows (job_id, row_no, status, payload, display, errors)
      select ${jobId}::uuid, r."rowNo", r.status, r.payload, r.display, r.errors
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        as r("rowNo" int, status text, payload jsonb, display jsonb, errors jsonb)
    `.execute(db);
  },

  /** Which of these blind indexes already belong to a registered person. */
  async existingIdNumbers(db: Executor, bidx: string[]): Promise<Set<string>> {
    if (bidx.length === 0) return new Set();
    const r = await sql<{ b: string }>`
      select ${blindIndexText("id_number_bidx")} as b from persons
      where id_number_bidx = any(${blindIndexValues(bidx)})`.execute(db);
    return new Set(r.rows.map((x) => x.b));
  },

  /** The row-number range of the next `size` valid rows after `after` (for chunked commits). */
  async nextChunk(db: Executor, jobId: string, after: number, size: number) {
    const r = await sql<{ last: number | null; n: number }>`
      select max(row_no) as last, count(*)::int as n from (
        select row_no from import_rows where job_id = ${jobId} and status = 'valid' and row_no > ${after}
        order by row_no limit ${size}) c`.execute(db);
    return r.rows[0]!;
  },

  /**
   * Commits staged persons rows in (from, to]: inserts them, marks each committed, or rejected
   * when someone registered the same ID number since staging — all in the caller's transaction.
   */
  async commitPersons(db: Executor, jobId: string, from: number, to: number): Promise<number> {
    const r = await sql<{ inserted: number }>`
      with ins as (
        insert into persons (${INTO_PERSONS}) select ${FROM_PAYLOAD}
        from import_rows r, jsonb_populate_record(null::persons, r.payload) p
        where r.job_id = ${jobId} and r.status = 'valid' and r.row_no > ${from} and r.row_no <= ${to}
        order by r.row_no
        on conflict (id_number_bidx) do nothing
        returning ${blindIndexText("id_number_bidx")} as b
      ), lost as (
        update import_rows r
           set status = 'rejected',
               errors = '[{"column":"公民身份号码","code":"PERSON_EXISTS","message":"该公民身份号码已登记（导入期间由他人登记）"}]'::jsonb
         where r.job_id = ${jobId} and r.status = 'valid' and r.row_no > ${from} and r.row_no <= ${to}
           and (r.payload->>'id_number_bidx') not in (select b from ins)
        returning 1
      )
      select (select count(*) from ins)::int as inserted, (select count(*) from lost)::int as lost
    `.execute(db);
    return r.rows[0]!.inserted;
  },

  /**
   * Writes protected person rows straight to the registry (a direct import): `lines` made by
   * `personLine`. Says for each whether it was inserted; someone already registered keeps their
   * record (the caller reports the others). The rows go in with COPY — for the server several
   * times cheaper than an INSERT of the same rows — under a savepoint: a COPY stops at the first
   * person already registered, and then this batch goes in again with an INSERT that skips them.
   */
  async insertPersons(db: Executor, lines: string[]): Promise<boolean[]> {
    if (lines.length === 0) return [];
    await sql`savepoint import_copy`.execute(db);
    try {
      await copyLines(db, "persons", PERSON_COLUMNS, lines);
      await sql`release savepoint import_copy`.execute(db);
      return lines.map(() => true);
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      await sql`rollback to savepoint import_copy`.execute(db);
    }
    const payloads = lines.map(personPayload);
    const r = await sql<{ b: string }>`
      insert into persons (${INTO_PERSONS}) select ${FROM_PAYLOAD}
      from jsonb_populate_recordset(null::persons, ${JSON.stringify(payloads)}::jsonb) p
      on conflict (id_number_bidx) do nothing
      returning ${blindIndexText("id_number_bidx")} as b`.execute(db);
    const inserted = new Set(r.rows.map((x) => x.b));
    return payloads.map((p) => inserted.has(String(p.id_number_bidx)));
  },

  async rejectedCount(db: Executor, jobId: string): Promise<number> {
    const r = await sql<{ n: number }>`
      select count(*)::int as n from import_rows where job_id = ${jobId} and status = 'rejected'`.execute(db);
    return r.rows[0]!.n;
  },

  async existingCreditCodes(db: Executor, codes: string[]): Promise<Set<string>> {
    if (codes.length === 0) return new Set();
    const r = await sql<{
      c: string;
    }>`select credit_code as c from employers where credit_code = any(${codes}::text[])`.execute(db);
    return new Set(r.rows.map((x) => x.c));
  },

  /** Commits staged employer rows in (from, to], like commitPersons (credit code is the key). */
  async commitEmployers(db: Executor, jobId: string, from: number, to: number, createdBy: string): Promise<number> {
    const r = await sql<{ inserted: number }>`
      with ins as (
        insert into employers (province_code, credit_code, name, industry_code, ownership, size_class, region_code,
                               headcount, insured_headcount, headcount_as_of, contact_name, contact_phone_enc,
                               contact_phone_masked, created_by, created_at, updated_at)
        select e.province_code, e.credit_code, e.name, e.industry_code, e.ownership, e.size_class, e.region_code,
               e.headcount, e.insured_headcount, e.headcount_as_of, e.contact_name, e.contact_phone_enc,
               e.contact_phone_masked, ${createdBy}::uuid, now(), now()
        from import_rows r, jsonb_populate_record(null::employers, r.payload) e
        where r.job_id = ${jobId} and r.status = 'valid' and r.row_no > ${from} and r.row_no <= ${to}
        order by r.row_no
        on conflict (credit_code) do nothing
        returning credit_code
      ), lost as (
        update import_rows r
           set status = 'rejected',
               errors = '[{"column":"统一社会信用代码","code":"EMPLOYER_EXISTS","message":"该统一社会信用代码已登记（导入期间由他人登记）"}]'::jsonb
         where r.job_id = ${jobId} and r.status = 'valid' and r.row_no > ${from} and r.row_no <= ${to}
           and (r.payload->>'credit_code') not in (select credit_code from ins)
        returning 1
      )
      select (select count(*) from ins)::int as inserted, (select count(*) from lost)::int as lost
    `.execute(db);
    return r.rows[0]!.inserted;
  },

  validRows(db: Executor, jobId: string, from: number, to: number) {
    return db
      .selectFrom("import_rows")
      .select(["row_no", "payload"])
      .where("job_id", "=", jobId)
      .where("status", "=", "valid")
      .where("row_no", ">", from)
      .where("row_no", "<=", to)
      .orderBy("row_no")
      .execute();
  },

  markRow(db: Executor, jobId: string, rowNo: number, status: "committed" | "rejected", errors: unknown) {
    return db
      .updateTable("import_rows")
      .set({ status, ...(errors ? { errors: JSON.stringify(errors) } : {}) })
      .where("job_id", "=", jobId)
      .where("row_no", "=", rowNo)
      .execute();
  },

  /** Row counts; valid rows at or below the job's watermark are committed. */
  async counts(db: Executor, jobId: string) {
    const r = await sql<{ valid: number; rejected: number; committed: number }>`
      select count(*) filter (where r.status = 'valid' and r.row_no > j.committed_through)::int as valid,
             count(*) filter (where r.status = 'rejected')::int as rejected,
             count(*) filter (where r.status = 'committed' or (r.status = 'valid' and r.row_no <= j.committed_through))::int as committed
      from import_jobs j left join import_rows r on r.job_id = j.id
      where j.id = ${jobId}`.execute(db);
    return r.rows[0] ?? { valid: 0, rejected: 0, committed: 0 };
  },

  /** Locks the job row for one commit chunk and returns its watermark. */
  async lockWatermark(db: Executor, jobId: string): Promise<number> {
    const r = await sql<{
      w: number;
    }>`select committed_through as w from import_jobs where id = ${jobId} for update`.execute(db);
    return r.rows[0]?.w ?? 0;
  },

  advanceWatermark(db: Executor, jobId: string, to: number, committed: number, now: Date) {
    return sql`
      update import_jobs set committed_through = ${to}, committed_rows = committed_rows + ${committed},
             updated_at = ${now}
      where id = ${jobId}`.execute(db);
  },

  rejectedRows(db: Executor, jobId: string, after: number, limit: number) {
    return db
      .selectFrom("import_rows")
      .select(["row_no", "display", "errors", "payload"])
      .where("job_id", "=", jobId)
      .where("status", "=", "rejected")
      .where("row_no", ">", after)
      .orderBy("row_no")
      .limit(limit)
      .execute();
  },

  async knownRegionCodes(db: Executor): Promise<Set<string>> {
    const r = await db.selectFrom("regions").select("code").execute();
    return new Set(r.map((x) => x.code));
  },
};
