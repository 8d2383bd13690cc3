import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { dropServerDatabase, importRegions, loadChinaDivision, openDatabase } from "@jiuye/db";
import { createFieldCipher, insertUser, writePersonRoster } from "@jiuye/server";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const BIN = resolve(import.meta.dirname, "../bin/jiuye.mjs");
const ROWS = 60_000;
let env: Record<string, string>;
let dataDir: string;
let serverUrl: string | undefined;
let roster: string;
let expected: { valid: number; bad: number };
let small: string;
let expectedSmall: { valid: number; bad: number };

async function withDb<T>(fn: (db: Awaited<ReturnType<typeof openDatabase>>["db"]) => Promise<T>): Promise<T> {
  const h = await openDatabase(serverUrl ? { databaseUrl: serverUrl } : { dataDir });
  try {
    return await fn(h.db);
  } finally {
    await h.close();
  }
}

const importArgs = (file = roster, ...more: string[]) => [
  BIN,
  "import",
  "persons",
  file,
  "--as",
  "kill_worker",
  ...(more.length ? more : ["--mode", "chunked"]),
];

/** Runs the import and SIGKILLs it as soon as its progress shows `phase` with `field` > 0. */
function runUntil(
  phase: "staging" | "committing",
  field: "已处理" | "已提交",
  args = importArgs(),
): Promise<{ killed: boolean; code: number | null }> {
  return new Promise((done) => {
    const child: ChildProcess = spawn(process.execPath, args, {
      env: { ...process.env, ...env, JIUYE_PROGRESS_INTERVAL_MS: "50" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let killed = false;
    let buf = "";
    child.stderr!.on("data", (c: Buffer) => {
      buf += c.toString();
      for (const line of buf.split("\n").slice(0, -1)) {
        const m = line.match(new RegExp(`^\\[import\\] ${phase} .*${field} (\\d+) 行`));
        if (!killed && m && Number(m[1]) > 0) {
          killed = true;
          child.kill("SIGKILL");
        }
      }
      buf = buf.slice(buf.lastIndexOf("\n") + 1);
    });
    child.on("exit", (code) => done({ killed, code }));
  });
}

async function state(file = "roster.csv") {
  return withDb(async (db) => {
    const job = await db.selectFrom("import_jobs").selectAll().where("file_name", "=", file).executeTakeFirst();
    const persons = (await sql<{ n: number }>`select count(*)::int as n from persons`.execute(db)).rows[0]!.n;
    const rows = await sql<{ status: string; n: number }>`
      select status, count(*)::int as n from import_rows where job_id = ${job?.id ?? null} group by status`.execute(db);
    return { job, persons, rows: Object.fromEntries(rows.rows.map((r) => [r.status, r.n])) as Record<string, number> };
  });
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "jiuye-kill-"));
  const secret = randomBytes(32).toString("base64");
  env = { JIUYE_DATA_DIR: dataDir, JIUYE_SECRET_KEY: secret, JIUYE_LOG_LEVEL: "silent" };
  if (process.env.DATABASE_URL) {
    const u = new URL(process.env.DATABASE_URL);
    u.pathname = `/jiuye_kill_${randomBytes(5).toString("hex")}`;
    serverUrl = u.toString();
    env.DATABASE_URL = serverUrl;
  } else env.DATABASE_URL = "";
  const m = spawnSync(process.execPath, [BIN, "migrate"], { env: { ...process.env, ...env }, encoding: "utf8" });
  expect(m.status, m.stderr).toBe(0);
  const regions = await withDb(async (db) => {
    await importRegions(db, loadChinaDivision({ onlyPrefix: "3201", communitiesOf: ["3201"] }));
    await insertUser(db, createFieldCipher(Buffer.from(secret, "base64")), {
      username: "kill_worker",
      role: "case_worker",
      regionCode: "320102",
      password: "Kill-Worker-Pass-1",
    });
    const communities = await db
      .selectFrom("regions")
      .select("code")
      .where("code", "like", "320102%")
      .where("level", "=", 5)
      .orderBy("code")
      .limit(3)
      .execute();
    return [...communities.map((c) => c.code), "320102003"];
  });
  roster = join(dataDir, "roster.csv");
  expected = await writePersonRoster(roster, {
    rows: ROWS,
    regions,
    badEvery: 97,
  });
  small = join(dataDir, "small.csv");
  expectedSmall = await writePersonRoster(small, { rows: 20_000, regions, badEvery: 89, offset: ROWS });
}, 120_000);
afterAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  if (serverUrl) await dropServerDatabase(serverUrl);
});

describe("kill -9 during a roster import", () => {
  it("leaves no partial or duplicate rows, and after restarts accepted + rejected = total rows", async () => {
    // 1. a dry run killed while reading and staging the file: nothing reaches the registry
    const first = await runUntil("staging", "已处理", importArgs(roster, "--dry-run"));
    expect(first.killed).toBe(true);
    const afterFirst = await state();
    expect(afterFirst.persons).toBe(0);
    expect(afterFirst.job!.status).toBe("staging");

    // 2. imported for real (a direct import: rows go to the registry as the file is read), killed
    // while committing chunks: every committed chunk is whole, the registry holds exactly them
    const second = await runUntil("committing", "已提交");
    expect(second.killed).toBe(true);
    const afterSecond = await state();
    expect(afterSecond.job!.status).toBe("committing");
    expect(afterSecond.job!.direct).toBe(true);
    expect(afterSecond.persons).toBe(afterSecond.job!.committed_rows);
    expect(afterSecond.persons).toBeGreaterThan(0);
    expect(afterSecond.persons).toBeLessThan(expected.valid);
    // only rejected rows are kept, none past the watermark
    expect(afterSecond.rows.valid ?? 0).toBe(0);
    const past = await withDb(
      async (db) =>
        (
          await sql<{ n: number }>`select count(*)::int as n from import_rows r join import_jobs j on j.id = r.job_id
            where j.file_name = 'roster.csv' and r.row_no > j.committed_through`.execute(db)
        ).rows[0]!.n,
    );
    expect(past).toBe(0);

    // 3. the same command once more finishes the job
    const third = spawnSync(process.execPath, importArgs(), { env: { ...process.env, ...env }, encoding: "utf8" });
    expect(third.status, third.stderr).toBe(0);
    const summary = JSON.parse(third.stdout);
    expect(summary).toMatchObject({ status: "committed", totalRows: ROWS, rejectedRows: expected.bad });
    expect(summary.acceptedRows + summary.rejectedRows).toBe(ROWS);
    const end = await state();
    expect(end.persons).toBe(expected.valid);
    expect(end.job).toMatchObject({ committed_rows: expected.valid, rejected_rows: expected.bad, total_rows: ROWS });
    // the valid rows went to the registry without being staged; the rejected ones are kept for the report
    expect(end.rows).toEqual({ rejected: expected.bad });
    const dupes = await withDb(
      async (db) =>
        (
          await sql<{
            n: number;
          }>`select count(*)::int as n from (select id_number_bidx from persons group by 1 having count(*) > 1) d`.execute(
            db,
          )
        ).rows[0]!.n,
    );
    expect(dupes).toBe(0);

    // 4. importing the same file again creates nothing new
    const again = spawnSync(process.execPath, importArgs(), { env: { ...process.env, ...env }, encoding: "utf8" });
    expect(again.status).toBe(0);
    expect(again.stderr).toContain("此前已导入");
    expect((await state()).persons).toBe(expected.valid);

    // 5. an atomic import killed while committing leaves nothing of itself; rerun, it completes
    const atomic = () => importArgs(small, "--mode", "atomic");
    const killed = await runUntil("committing", "已处理", atomic());
    expect(killed.killed).toBe(true);
    const afterKill = await state("small.csv");
    expect(afterKill.job!.status).toBe("committing");
    expect(afterKill.persons).toBe(expected.valid);
    expect(afterKill.rows).toEqual({});
    const rerun = spawnSync(process.execPath, atomic(), { env: { ...process.env, ...env }, encoding: "utf8" });
    expect(rerun.status, rerun.stderr).toBe(0);
    expect(JSON.parse(rerun.stdout)).toMatchObject({
      status: "committed",
      totalRows: 20_000,
      acceptedRows: expectedSmall.valid,
      rejectedRows: expectedSmall.bad,
    });
    expect((await state("small.csv")).persons).toBe(expected.valid + expectedSmall.valid);
  }, 300_000);
});
