import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Writable } from "node:stream";
import type { LedgerEventBody } from "@jiuye/contracts";
import type { Database, ImportJobsTable } from "@jiuye/db";
import {
  EDUCATION_LABELS,
  type EducationLevel,
  EMPLOYER_ROSTER_COLUMNS,
  EXTERNAL_KIND_OF,
  EXTERNAL_ROSTER_COLUMNS,
  EXTERNAL_ROSTER_KINDS,
  type ExternalRosterKind,
  HUKOU_LABELS,
  LEDGER_ROSTER_COLUMNS,
  mapRosterHeaders,
  PERSON_ROSTER_COLUMNS,
  type RosterColumn,
  shanghaiDate,
} from "@jiuye/domain";
import { type Kysely, type Selectable, sql, type Transaction } from "kysely";
import { AppError } from "../../errors/catalogue.ts";
import { type Actor, caseWorkerActor } from "../../lib/actor.ts";
import type { Clock, Executor, RequestContext } from "../../lib/executor.ts";
import type { FieldCipher } from "../../lib/field-cipher.ts";
import { fromJson } from "../../lib/json.ts";
import { isUniqueViolation } from "../../lib/scope.ts";
import { csvLine, rosterTemplate, streamingSheet } from "../../lib/spreadsheet.ts";
import type { AuditService } from "../audit/audit.service.ts";
import { externalRepository, type SourcedTable } from "../external/external.repository.ts";
import { EXTERNAL_TABLES, type Kind } from "../external/external.service.ts";
import type { LedgerService } from "../ledger/ledger.service.ts";
import { personsRepository } from "../persons/persons.repository.ts";
import { createEmployerRosterStager } from "./employer-roster.stage.ts";
import { createExternalRosterStager } from "./external-roster.stage.ts";
import { personLine, personPayload, importsRepository as repo, type StagedRow } from "./imports.repository.ts";
import { createLedgerRosterStager } from "./ledger-roster.stage.ts";
import { createPersonRosterStager, PERSON_EXISTS } from "./person-roster.stage.ts";
import { formatOf, openRoster, type RawRow, RosterFileError, scanZip } from "./roster-reader.ts";
import { rosterContext } from "./roster-stager.ts";
import { startStageWorker } from "./stage-worker-client.ts";

export type ImportJob = Selectable<ImportJobsTable>;
export type ImportsService = ReturnType<typeof createImportsService>;
export type ImportKind = "persons" | "employers" | "ledger" | ExternalRosterKind;

interface StagerDeps {
  cipher: FieldCipher;
  index: Record<string, number>;
  today: string;
  ctx: { today: string; regionKnown(code: string): boolean; regionInScope(code: string): boolean };
  db: Kysely<Database>;
  scope: string;
  now: () => Date;
  /** Rows go straight to the registry: the insert itself finds people already registered. */
  direct: boolean;
}

const EXTERNAL_ROSTER_TITLES: Record<ExternalRosterKind, string> = {
  insurance: "参保记录花名册",
  benefits: "失业保险金领取花名册",
  certificates: "职业技能证书花名册",
  dibao: "低保对象花名册",
  disability: "持证残疾人花名册",
};

/** What differs between roster kinds: columns, how a row is staged, how staged rows are committed. */
interface RosterKindSpec {
  title: string;
  columns: readonly RosterColumn[];
  stager(d: StagerDeps): (batch: RawRow[]) => Promise<StagedRow[]>;
  /** Commits the valid staged rows in (from, to]; returns how many were committed. */
  commit(
    trx: Transaction<Database>,
    job: ImportJob,
    from: number,
    to: number,
    deps: { ledger: LedgerService; now: Date },
  ): Promise<number>;
  /**
   * How a staged valid row rejected at commit is shown in the error report: its protected
   * payload's values by column key (kinds whose stager keeps every row's display need none).
   */
  displayOf?(payload: Record<string, unknown>): Record<string, string>;
  /**
   * Kinds that a real import writes straight to the registry while reading the file (no staged
   * valid rows): `line` turns a protected payload into the form `insert` writes (a stage worker
   * sends valid rows in that form), `insert` says for each line whether it was inserted; the
   * others (already registered) are rejected with `exists` and reported from `payloadOf`.
   */
  direct?: {
    line(payload: Record<string, unknown>): string;
    payloadOf(line: string): Record<string, unknown>;
    insert(trx: Executor, lines: string[]): Promise<boolean[]>;
    exists: { column: string; code: string; message: string };
  };
}

const str = (v: unknown) => (v === null || v === undefined ? "" : String(v));

/** A report row for a staged row kept without display: the kind's values under the column headers. */
function displayFromPayload(spec: RosterKindSpec, payload: unknown): Record<string, string> {
  const byKey = payload && spec.displayOf ? spec.displayOf(fromJson<Record<string, unknown>>(payload)) : {};
  return Object.fromEntries(spec.columns.map((c) => [c.header, byKey[c.key] ?? ""]));
}

export const ROSTER_KINDS: Record<ImportKind, RosterKindSpec> = {
  persons: {
    title: "劳动者花名册",
    columns: PERSON_ROSTER_COLUMNS,
    stager: (d) =>
      createPersonRosterStager({
        cipher: d.cipher,
        index: d.index,
        ctx: d.ctx,
        existing: d.direct ? undefined : (b) => repo.existingIdNumbers(d.db, b),
      }),
    commit: (trx, job, from, to) => repo.commitPersons(trx, job.id, from, to),
    direct: {
      line: personLine,
      payloadOf: personPayload,
      insert: (trx, lines) => repo.insertPersons(trx, lines),
      exists: PERSON_EXISTS,
    },
    displayOf: (p) => ({
      name: str(p.name),
      idNumber: str(p.id_number_masked),
      phone: str(p.phone_masked),
      residenceRegionCode: str(p.residence_region_code),
      education: p.education ? (EDUCATION_LABELS[p.education as EducationLevel] ?? str(p.education)) : "",
      hukouType: p.hukou_type ? (HUKOU_LABELS[p.hukou_type as keyof typeof HUKOU_LABELS] ?? "") : "",
      hukouRegionCode: str(p.hukou_region_code),
    }),
  },
  employers: {
    title: "用人单位花名册",
    columns: EMPLOYER_ROSTER_COLUMNS,
    stager: (d) =>
      createEmployerRosterStager({
        cipher: d.cipher,
        index: d.index,
        ctx: d.ctx,
        existing: (c) => repo.existingCreditCodes(d.db, c),
      }),
    commit: (trx, job, from, to) => repo.commitEmployers(trx, job.id, from, to, job.created_by),
    displayOf: (p) => ({
      name: str(p.name),
      creditCode: str(p.credit_code),
      industryCode: str(p.industry_code),
      regionCode: str(p.region_code),
      headcount: str(p.headcount),
      insuredHeadcount: str(p.insured_headcount),
      headcountAsOf: str(p.headcount_as_of),
      contactName: str(p.contact_name),
      contactPhone: str(p.contact_phone_masked),
    }),
  },
  ledger: {
    title: "就业失业登记花名册",
    columns: LEDGER_ROSTER_COLUMNS,
    stager: (d) =>
      createLedgerRosterStager({
        cipher: d.cipher,
        index: d.index,
        today: d.today,
        persons: async (b) =>
          new Map(
            (await personsRepository.byIdNumberIndexes(d.db, { kind: "region", prefix: d.scope }, b)).map((p) => [
              p.id_number_bidx,
              p.id,
            ]),
          ),
      }),
    commit: (trx, job, from, to, { ledger }) => commitLedgerRows(trx, job, from, to, ledger),
  },
  ...(Object.fromEntries(
    EXTERNAL_ROSTER_KINDS.map((kind): [ExternalRosterKind, RosterKindSpec] => [
      kind,
      {
        title: EXTERNAL_ROSTER_TITLES[kind],
        columns: EXTERNAL_ROSTER_COLUMNS[kind],
        stager: (d: StagerDeps) =>
          createExternalRosterStager({
            kind,
            cipher: d.cipher,
            index: d.index,
            db: d.db,
            scope: d.scope,
            today: d.today,
            now: d.now,
          }),
        commit: (trx, job, from, to, { now }) =>
          commitExternalRows(trx, EXTERNAL_TABLES[EXTERNAL_KIND_OF[kind] as Kind], job, from, to, now),
      },
    ]),
  ) as Record<ExternalRosterKind, RosterKindSpec>),
};

/**
 * Other systems' records from a roster: the staged rows (already the table's rows, protected) are
 * written with the same idempotent upsert as the API — a newer source date updates, the same
 * record again changes nothing — the last of a file's duplicates winning, as in one API batch.
 */
async function commitExternalRows(
  trx: Transaction<Database>,
  table: SourcedTable,
  job: ImportJob,
  from: number,
  to: number,
  now: Date,
): Promise<number> {
  const staged = await repo.validRows(trx, job.id, from, to);
  const stamp = table === "person_attributes" ? "recorded_at" : "imported_at";
  const rows = staged.map((r) => {
    const p = fromJson<{ row: Record<string, unknown> }>(r.payload);
    return { ...p.row, [stamp]: now };
  });
  const unique = [...new Map(rows.map((r) => [`${r.source_system}\u0000${r.source_record_id}`, r])).values()];
  for (let i = 0; i < unique.length; i += 1000) await externalRepository.upsert(trx, table, unique.slice(i, i + 1000));
  return staged.length;
}

/**
 * Ledger rows go through the same decision as a registration made by hand (open spells, working
 * age, dates), one by one in row order, each under a savepoint: a refused row is rolled back and
 * marked rejected with the Chinese reason; the others commit with the chunk.
 */
async function commitLedgerRows(
  trx: Transaction<Database>,
  job: ImportJob,
  from: number,
  to: number,
  ledger: LedgerService,
): Promise<number> {
  let committed = 0;
  const actor = caseWorkerActor({
    userId: job.created_by,
    username: "import",
    displayName: "花名册导入",
    regionCode: job.scope_region_code,
    sessionId: `import:${job.id}`,
  });
  const ctx: RequestContext = {
    actorId: job.created_by,
    actorRole: "case_worker",
    ip: null,
    requestId: `import:${job.id}`,
    provinceCode: job.province_code,
  };
  for (const row of await repo.validRows(trx, job.id, from, to)) {
    const payload = fromJson<{ person_id: string; event: LedgerEventBody }>(row.payload);
    await sql`savepoint ledger_row`.execute(trx);
    try {
      await ledger.recordIn(trx, actor, payload.person_id, payload.event, ctx);
      await sql`release savepoint ledger_row`.execute(trx);
      await repo.markRow(trx, job.id, row.row_no, "committed", null);
      committed++;
    } catch (e) {
      await sql`rollback to savepoint ledger_row`.execute(trx);
      const refusal =
        e instanceof AppError
          ? (e.errors?.map((x) => ({ column: "登记类型", code: x.code, message: x.message })) ?? [
              { column: "登记类型", code: e.code, message: e.detail ?? e.message },
            ])
          : isUniqueViolation(e)
            ? [{ column: "登记类型", code: "LEDGER_CONFLICT", message: "与本人当前的就业失业登记状态矛盾（重复登记）" }]
            : null;
      if (!refusal) throw e;
      await repo.markRow(trx, job.id, row.row_no, "rejected", refusal);
    }
  }
  return committed;
}

/** Rows per commit transaction in chunked mode (each chunk is all-or-nothing and resumable). */
export const COMMIT_CHUNK = 10_000;

export interface ImportsDeps {
  db: Kysely<Database>;
  audit: AuditService;
  cipher: FieldCipher;
  clock: Clock;
  dataDir: string;
  maxUnzippedBytes: number;
  ledger: LedgerService;
  onError?: (jobId: string, e: unknown) => void;
  /** Files at least this large stage a direct person import in a worker thread (tests lower it). */
  stageWorkerMinBytes?: number;
}

/** ~7,000 person rows: below it, starting a worker (~0.5 s) costs more than it saves. */
const STAGE_WORKER_MIN_BYTES = 1 << 20;

/**
 * Lets timers and requests run between batches: embedded PGlite executes SQL synchronously, so a
 * loop of awaited queries would otherwise starve the event loop (progress polls, HTTP requests).
 */
const yieldToEventLoop = () => new Promise<void>((r) => setTimeout(r, 0));

/**
 * Three-stage pipeline over a roster: while batch N is written, batch N+1 is validated and
 * protected (in a worker thread for large person imports) and batch N+2 is read from the file, so
 * the database, the worker and the main thread work at the same time. Rows at or below `after` are
 * skipped (a resumed import); reader batches are gathered to at least `unit` rows. `stage` runs
 * its batches in the order given (see `createRosterStager`).
 */
async function pipelined(
  batches: AsyncIterable<RawRow[]>,
  opts: { after: number; unit: number },
  stage: (rows: RawRow[]) => Promise<StagedRow[]>,
  write: (staged: StagedRow[], lastRow: number) => Promise<void>,
): Promise<void> {
  let writing: Promise<void> = Promise.resolve();
  let staging: { staged: Promise<StagedRow[]>; last: number } | null = null;
  let todo: RawRow[] = [];
  /** Writes the batch being staged once it is ready and the write before it has finished. */
  const writeStaged = async () => {
    if (!staging) return;
    const { staged, last } = staging;
    staging = null;
    const rows = await staged;
    await writing;
    writing = write(rows, last);
    // a failed write must not go unobserved while the next batch is prepared
    writing.catch(() => {});
  };
  const flush = async () => {
    const rows = todo;
    todo = [];
    const next = { staged: stage(rows), last: rows[rows.length - 1]!.rowNo };
    next.staged.catch(() => {});
    await writeStaged();
    staging = next;
    await yieldToEventLoop();
  };
  for await (const batch of batches) {
    for (const r of batch) if (r.rowNo > opts.after) todo.push(r);
    if (todo.length >= opts.unit) await flush();
  }
  if (todo.length > 0) await flush();
  await writeStaged();
  await writing;
}

async function sha256File(path: string): Promise<string> {
  const h = createHash("sha256");
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest("hex");
}

/**
 * 花名册 import: upload → staged rows (validated, protected) → dry-run report or commit, atomic
 * (default) or in resumable chunks. A job is keyed by (importing user, kind, file hash): importing
 * the same file again returns the same job, and an interrupted job resumes where it stopped.
 */
export function createImportsService(deps: ImportsDeps) {
  const { db, audit, cipher, clock } = deps;
  const importsDir = resolve(deps.dataDir, "imports");
  const running = new Map<string, Promise<void>>();
  // An atomic commit's transaction holds the job row until it ends (and, on embedded PGlite, the
  // only connection): meanwhile the job and its progress are answered from memory.
  const liveJobs = new Map<string, ImportJob>();
  const setLive = (job: ImportJob, patch: Partial<ImportJob>) =>
    liveJobs.set(job.id, { ...(liveJobs.get(job.id) ?? job), status: "committing", ...patch });
  const withLiveProgress = (j: ImportJob): ImportJob => liveJobs.get(j.id) ?? j;

  const ctxOf = (job: ImportJob): RequestContext => ({
    actorId: job.created_by,
    actorRole: "case_worker",
    ip: null,
    requestId: `import:${job.id}`,
    provinceCode: job.province_code,
  });

  /**
   * The job's file opened as batches of raw rows, and its kind's stager (headers mapped). A large
   * direct person import stages in a worker thread (`close` ends it).
   */
  async function openStager(job: ImportJob, direct: boolean) {
    if (!job.file_path) throw new RosterFileError("IMPORT_FILE_INVALID", "导入文件已不存在，请重新上传");
    const source = await openRoster(job.file_path, job.format as "csv" | "xlsx", deps.maxUnzippedBytes);
    const spec = ROSTER_KINDS[job.kind as ImportKind];
    const map = mapRosterHeaders(source.header, spec.columns);
    if (!map.ok) throw new RosterFileError("IMPORT_FILE_INVALID", map.errors.map((e) => e.message).join("；"));
    const regions = await repo.knownRegionCodes(db);
    const scope = job.scope_region_code ?? "";
    const today = shanghaiDate(clock());
    if (direct && job.kind === "persons" && source.size >= (deps.stageWorkerMinBytes ?? STAGE_WORKER_MIN_BYTES)) {
      const worker = startStageWorker({
        secret: cipher.keyForWorkers(),
        index: map.index,
        today,
        regions: [...regions],
        scope,
      });
      return { source, stager: worker.stage, spec, close: worker.close };
    }
    const stager = spec.stager({
      cipher,
      db,
      scope,
      index: map.index,
      today,
      ctx: rosterContext(today, regions, scope),
      now: clock,
      direct,
    });
    return { source, stager, spec, close: async () => {} };
  }

  async function stage(job: ImportJob) {
    if (!job.file_path) throw new RosterFileError("IMPORT_FILE_INVALID", "导入文件已不存在，请重新上传");
    await repo.deleteRows(db, job.id);
    const started = clock();
    await repo.updateJob(db, job.id, {
      status: "staging",
      processed_rows: 0,
      committed_through: 0,
      committed_rows: 0,
      bytes_read: 0,
      started_at: started,
      updated_at: started,
      error: null,
    });
    const { source, stager } = await openStager(job, false);
    let processed = 0;
    await pipelined(source.rows, { after: 0, unit: 1 }, stager, async (staged) => {
      await repo.insertRows(db, job.id, staged);
      processed += staged.length;
      await repo.updateJob(db, job.id, {
        processed_rows: processed,
        bytes_read: source.bytesRead(),
        updated_at: clock(),
      });
    });
    const c = await repo.counts(db, job.id);
    await repo.updateJob(db, job.id, {
      status: "staged",
      total_rows: c.valid + c.rejected,
      accepted_rows: c.valid,
      rejected_rows: c.rejected,
      bytes_read: source.size,
      processed_rows: processed,
      updated_at: clock(),
    });
    await releaseFile(job);
  }

  /** The uploaded copy holds plain identifiers: it is deleted as soon as the rows are staged. */
  async function releaseFile(job: ImportJob) {
    await removeFile(job);
    await repo.updateJob(db, job.id, { file_path: null });
  }

  /** Only an uploaded copy is deleted (the CLI imports a local file in place). */
  async function removeFile(job: ImportJob) {
    if (job.file_path && resolve(job.file_path).startsWith(importsDir)) await rm(job.file_path, { force: true });
  }

  /**
   * A real import of a kind with a direct path: each batch is read, validated and protected in Node
   * while the previous one is inserted, valid rows go straight to the registry and only rejected
   * rows are kept (for the report) — nothing is staged twice. Atomic: one transaction for the whole
   * file. Chunked: one transaction per batch that also moves the watermark (the last row number
   * written), so a rerun reads the file again, skips what is at or below it and writes the rest.
   */
  async function commitDirect(job: ImportJob) {
    const started = clock();
    // a job that was staging (an interrupted dry run, now imported for real) starts over
    const resume = job.direct ? job.committed_through : 0;
    if (!job.direct) await repo.deleteRows(db, job.id);
    const starting = {
      status: "committing",
      direct: true,
      ...(job.direct ? {} : { processed_rows: 0, committed_through: 0, committed_rows: 0, bytes_read: 0 }),
      started_at: started,
      updated_at: started,
      error: null,
    } satisfies Partial<ImportJob>;
    await repo.updateJob(db, job.id, starting);
    const { source, stager, spec, close } = await openStager(job, true);
    try {
      const { line, payloadOf, insert, exists } = spec.direct!;
      /** Writes one prepared batch; returns how many rows reached the registry. */
      const write = async (trx: Executor, staged: StagedRow[]) => {
        const valid = staged.filter((r) => r.status === "valid");
        const lines = valid.map((r) => r.line ?? line(r.payload!));
        const inserted = await insert(trx, lines);
        const rejected = staged.filter((r) => r.status === "rejected");
        let n = 0;
        valid.forEach((r, i) => {
          if (inserted[i]) n++;
          else
            rejected.push({
              rowNo: r.rowNo,
              status: "rejected",
              payload: payloadOf(lines[i]!),
              display: null,
              errors: [exists],
            });
        });
        await repo.insertRows(trx, job.id, rejected);
        return n;
      };
      let processed = job.direct ? job.processed_rows : 0;
      // a chunked import commits COMMIT_CHUNK rows per transaction
      const batching = { after: resume, unit: job.mode === "atomic" ? 5000 : COMMIT_CHUNK };
      if (job.mode === "atomic") {
        // what the job row says now (`job` is as it was read before), until the transaction ends
        setLive(job, starting);
        await db.transaction().execute(async (trx) => {
          let committed = 0;
          let last = resume;
          await pipelined(source.rows, batching, stager, async (staged, lastRow) => {
            committed += await write(trx, staged);
            processed += staged.length;
            last = lastRow;
            // the job row is written when the transaction ends: progress is kept in memory until then
            setLive(job, { processed_rows: processed, bytes_read: source.bytesRead() });
          });
          await repo.advanceWatermark(trx, job.id, last, committed, clock());
          await finishDirect(trx, job, processed, source.size);
        });
        liveJobs.delete(job.id);
      } else {
        await pipelined(source.rows, batching, stager, (staged, lastRow) =>
          db.transaction().execute(async (trx) => {
            await repo.lockWatermark(trx, job.id);
            const n = await write(trx, staged);
            processed += staged.length;
            await repo.advanceWatermark(trx, job.id, lastRow, n, clock());
            await repo.updateJob(trx, job.id, { processed_rows: processed, bytes_read: source.bytesRead() });
          }),
        );
        await db.transaction().execute((trx) => finishDirect(trx, job, processed, source.size));
      }
    } finally {
      await close();
    }
  }

  async function finishDirect(trx: Executor, job: ImportJob, processed: number, size: number) {
    const rejected = await repo.rejectedCount(trx, job.id);
    const { committed_rows: committed } = (await repo.findJob(trx, job.id))!;
    const now = clock();
    await repo.updateJob(trx, job.id, {
      status: "committed",
      total_rows: committed + rejected,
      accepted_rows: committed,
      rejected_rows: rejected,
      processed_rows: processed,
      bytes_read: size,
      file_path: null,
      finished_at: now,
      updated_at: now,
    });
    await auditCommit(trx, job, committed, rejected);
    // the file (plain identifiers) goes before the job says it is done; should this transaction
    // still fail, the job asks for the file again and resumes
    await removeFile(job);
  }

  function auditCommit(trx: Executor, job: ImportJob, committed: number, rejected: number) {
    return audit.record(trx, ctxOf(job), {
      action: "import.commit",
      subjectType: "import_job",
      subjectId: job.id,
      fields:
        job.kind === "persons" ? ["name", "idNumber", "phone", "residence"] : ["creditCode", "name", "contactPhone"],
      detail: { kind: job.kind, mode: job.mode, committed, rejected },
    });
  }

  async function commit(job: ImportJob) {
    const started = clock();
    await repo.updateJob(db, job.id, {
      status: "committing",
      processed_rows: 0,
      started_at: started,
      updated_at: started,
    });
    const finish = async (
      trx: typeof db | Parameters<Parameters<ReturnType<typeof db.transaction>["execute"]>[0]>[0],
    ) => {
      const c = await repo.counts(trx, job.id);
      const now = clock();
      await repo.updateJob(trx, job.id, {
        status: "committed",
        total_rows: c.committed + c.rejected,
        accepted_rows: c.committed,
        rejected_rows: c.rejected,
        committed_rows: c.committed,
        finished_at: now,
        updated_at: now,
      });
      await auditCommit(trx, job, c.committed, c.rejected);
    };
    if (job.mode === "atomic") {
      setLive(job, { processed_rows: 0, started_at: started });
      await db.transaction().execute(async (trx) => {
        let after = await repo.lockWatermark(trx, job.id);
        for (;;) {
          const chunk = await repo.nextChunk(trx, job.id, after, COMMIT_CHUNK);
          if (!chunk.n || chunk.last === null) break;
          const n = await ROSTER_KINDS[job.kind as ImportKind].commit(trx, job, after, chunk.last, {
            ledger: deps.ledger,
            now: clock(),
          });
          await repo.advanceWatermark(trx, job.id, chunk.last, n, clock());
          after = chunk.last;
          setLive(job, { processed_rows: after });
        }
        await finish(trx);
      });
      liveJobs.delete(job.id);
      return;
    }
    let done = 0;
    for (;;) {
      const more = await db.transaction().execute(async (trx) => {
        // the watermark moves in the same transaction as the rows it covers: a crash loses the
        // chunk in flight and nothing else, and a rerun starts after the last committed chunk
        const after = await repo.lockWatermark(trx, job.id);
        const chunk = await repo.nextChunk(trx, job.id, after, COMMIT_CHUNK);
        if (!chunk.n || chunk.last === null) return false;
        const n = await ROSTER_KINDS[job.kind as ImportKind].commit(trx, job, after, chunk.last, {
          ledger: deps.ledger,
          now: clock(),
        });
        await repo.advanceWatermark(trx, job.id, chunk.last, n, clock());
        done += chunk.n;
        await repo.updateJob(trx, job.id, { processed_rows: done });
        return true;
      });
      if (!more) break;
      await yieldToEventLoop();
    }
    await db.transaction().execute(finish);
  }

  async function run(jobId: string): Promise<void> {
    const existing = running.get(jobId);
    if (existing) return existing;
    const p = (async () => {
      try {
        let job = await repo.findJob(db, jobId);
        if (!job) return;
        // a real import of a kind with a direct path that has not started staging rows for a dry
        // run's confirmation, or a direct import interrupted while committing
        const fresh = job.status === "queued" || job.status === "staging";
        if (
          (fresh && !job.dry_run && ROSTER_KINDS[job.kind as ImportKind].direct) ||
          (job.status === "committing" && job.direct)
        ) {
          await commitDirect(job);
          return;
        }
        if (job.status === "queued" || job.status === "staging") {
          await stage(job);
          job = (await repo.findJob(db, jobId))!;
        }
        if ((job.status === "staged" && !job.dry_run) || job.status === "committing") await commit(job);
      } catch (e) {
        const message =
          e instanceof RosterFileError ? e.message : "导入过程中发生系统错误，请稍后重试（已暂存的数据不会重复导入）";
        await repo.updateJob(db, jobId, { status: "failed", error: message, updated_at: clock() });
        const job = await repo.findJob(db, jobId);
        if (job) await releaseFile(job).catch(() => {});
        if (!(e instanceof RosterFileError)) deps.onError?.(jobId, e);
      } finally {
        running.delete(jobId);
        liveJobs.delete(jobId);
      }
    })();
    running.set(jobId, p);
    return p;
  }

  function ownJob(actor: Actor, job: ImportJob | undefined): ImportJob {
    if (!job || job.created_by !== actor.userId) throw new AppError("NOT_FOUND");
    return job;
  }

  return {
    run,
    isRunning: (id: string) => running.has(id),

    /**
     * Registers an uploaded (or, from the CLI, local) file as an import job and starts it. The same
     * file from the same user returns its existing job: committed → nothing new is created;
     * interrupted → it resumes; a dry run followed by a real import commits the staged rows.
     */
    async start(
      actor: Actor,
      input: {
        kind: ImportKind;
        fileName: string;
        path: string;
        size: number;
        dryRun: boolean;
        mode: "atomic" | "chunked";
        copy: boolean;
      },
      ctx: RequestContext,
    ): Promise<{ job: ImportJob; reused: boolean }> {
      if (actor.role !== "case_worker" || !actor.regionCode) throw new AppError("FORBIDDEN");
      let format: "csv" | "xlsx";
      try {
        format = formatOf(input.fileName);
        if (format === "xlsx") await scanZip(input.path, deps.maxUnzippedBytes);
      } catch (e) {
        if (input.copy) await rm(input.path, { force: true });
        if (e instanceof RosterFileError)
          throw new AppError(e.code, { errors: [{ field: "file", code: e.code, message: e.message }] });
        throw e;
      }
      const sha = await sha256File(input.path);
      const now = clock();
      let job = await repo.findByFile(db, actor.userId, input.kind, sha);
      let reused = !!job;
      if (!job) {
        job = await repo.insertJob(db, {
          kind: input.kind,
          file_name: input.fileName.slice(0, 200),
          file_sha256: sha,
          format,
          mode: input.mode,
          status: "queued",
          dry_run: input.dryRun,
          file_size: input.size,
          scope_region_code: actor.regionCode,
          province_code: actor.regionCode.slice(0, 2),
          created_by: actor.userId,
          created_at: now,
          updated_at: now,
        });
        // a concurrent identical upload won the insert: use its job
        if (!job) {
          job = (await repo.findByFile(db, actor.userId, input.kind, sha))!;
          reused = true;
        } else {
          await audit.record(db, ctx, {
            action: input.dryRun ? "import.dry_run" : "import.start",
            subjectType: "import_job",
            subjectId: job.id,
            detail: { kind: input.kind, fileName: input.fileName, rows: null, mode: input.mode },
          });
        }
      }
      const needsFile = job.status === "queued" || job.status === "staging" || job.status === "failed";
      if (needsFile && !running.has(job.id)) {
        let path = input.path;
        if (input.copy) {
          await mkdir(importsDir, { recursive: true, mode: 0o700 });
          path = join(importsDir, `${job.id}.${format}`);
          await rename(input.path, path);
        }
        await repo.updateJob(db, job.id, {
          file_path: path,
          status: job.status === "failed" ? "queued" : job.status,
          mode: input.mode,
          dry_run: input.dryRun,
          updated_at: now,
        });
      } else {
        if (input.copy) await rm(input.path, { force: true });
        // a dry run confirmed by importing the same file for real
        if (job.status === "staged" && job.dry_run && !input.dryRun) {
          await repo.updateJob(db, job.id, { dry_run: false, mode: input.mode, updated_at: now });
        }
      }
      void run(job.id);
      return { job: (await repo.findJob(db, job.id))!, reused };
    },

    /** Commits a job that a dry run staged. */
    async commitStaged(actor: Actor, id: string, mode: "atomic" | "chunked" | undefined, ctx: RequestContext) {
      const job = ownJob(actor, await repo.findJob(db, id));
      if (job.status !== "staged") {
        throw new AppError("IMPORT_NOT_READY", {
          errors: [
            {
              field: "status",
              code: "IMPORT_NOT_READY",
              message: `任务状态为“${job.status}”，只有试导入完成的任务可以提交`,
            },
          ],
        });
      }
      await repo.updateJob(db, id, { dry_run: false, ...(mode ? { mode } : {}), updated_at: clock() });
      await audit.record(db, ctx, { action: "import.confirm", subjectType: "import_job", subjectId: id });
      void run(id);
      return (await repo.findJob(db, id))!;
    },

    async get(actor: Actor, id: string) {
      const live = liveJobs.get(id);
      return ownJob(actor, live ?? (await repo.findJob(db, id)));
    },

    list: async (actor: Actor) => (await repo.listJobs(db, actor.userId, 20)).map(withLiveProgress),

    /** Every rejected row with its masked values and Chinese reasons, as .xlsx. */
    async writeReport(actor: Actor, id: string, out: Writable, ctx: RequestContext) {
      const job = ownJob(actor, await repo.findJob(db, id));
      const spec = ROSTER_KINDS[job.kind as ImportKind];
      const columns = spec.columns.map((c) => c.header);
      await audit.record(db, ctx, {
        action: "import.report",
        subjectType: "import_job",
        subjectId: id,
        fields: ["name", "idNumberMasked"],
      });
      const sheet = streamingSheet(out, "错误报告", ["行号", ...columns, "错误原因"]);
      let after = 0;
      for (;;) {
        const rows = await repo.rejectedRows(db, id, after, 5000);
        if (rows.length === 0) break;
        for (const r of rows) {
          const display = fromJson<Record<string, string> | null>(r.display) ?? displayFromPayload(spec, r.payload);
          const errors = fromJson<Array<{ column: string; message: string }>>(r.errors);
          sheet.add([
            r.row_no,
            ...columns.map((c) => display[c] ?? ""),
            errors.map((e) => `【${e.column}】${e.message}`).join("；"),
          ]);
        }
        after = rows[rows.length - 1]!.row_no;
      }
      await sheet.end();
    },

    template: (kind: ImportKind) => rosterTemplate(ROSTER_KINDS[kind].title, ROSTER_KINDS[kind].columns),
    titleOf: (kind: ImportKind) => ROSTER_KINDS[kind].title,

    csvLine,

    /** Resumes jobs a crash or restart interrupted (called once at start). */
    async resumeUnfinished(): Promise<number> {
      const jobs = await repo.unfinishedJobs(db);
      for (const j of jobs) void run(j.id);
      return jobs.length;
    },
  };
}
