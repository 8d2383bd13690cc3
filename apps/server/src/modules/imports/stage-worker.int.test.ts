import { appendFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DatabaseHandle } from "@jiuye/db";
import { createTestDatabase } from "@jiuye/db/test-harness";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caseWorkerActor } from "../../lib/actor.ts";
import { createFieldCipher } from "../../lib/field-cipher.ts";
import { insertPersons, insertUser } from "../../seed/factories.ts";
import { writePersonRoster } from "../../seed/roster-file.ts";
import { createTestClock } from "../../testing/harness.ts";
import { createAuditService } from "../audit/audit.service.ts";
import { createLedgerService } from "../ledger/ledger.service.ts";
import { createImportsService } from "./imports.service.ts";

/**
 * A large direct person import stages its rows in a worker thread; a small one in the main thread.
 * Both must give the same result on the same file: bad rows, a duplicate in the file across the
 * 5,000-row batches, and someone already registered (the COPY fails, the batch goes in again).
 */
let h: DatabaseHandle;
let dir: string;
const cipher = createFieldCipher(Buffer.alloc(32, 7));
const clock = createTestClock();
let userId: string;
let regions: string[];

beforeAll(async () => {
  h = await createTestDatabase();
  dir = mkdtempSync(join(tmpdir(), "jiuye-stage-worker-"));
  userId = (
    await insertUser(h.db, cipher, {
      username: "stage_worker_test",
      role: "case_worker",
      regionCode: "3201",
      password: "Stage-Worker-Pass-1",
    })
  ).toString();
  regions = (
    await h.db.selectFrom("regions").select("code").where("level", "=", 5).orderBy("code").limit(40).execute()
  ).map((r) => r.code);
}, 60_000);
afterAll(async () => {
  await h?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function importWith(file: string, stageWorkerMinBytes: number) {
  const audit = createAuditService({ clock: clock.now });
  const imports = createImportsService({
    db: h.db,
    audit,
    cipher,
    clock: clock.now,
    dataDir: dir,
    maxUnzippedBytes: 1 << 30,
    ledger: createLedgerService({ db: h.db, audit, clock: clock.now }),
    stageWorkerMinBytes,
  });
  const actor = caseWorkerActor({
    userId,
    username: "stage_worker_test",
    displayName: "stage_worker_test",
    regionCode: "3201",
    sessionId: "test",
  });
  const ctx = { actorId: userId, actorRole: "case_worker", ip: null, requestId: "test", provinceCode: "32" };
  const size = readFileSync(file).length;
  const { job } = await imports.start(
    actor,
    { kind: "persons", fileName: "roster.csv", path: file, size, dryRun: false, mode: "atomic", copy: false },
    ctx,
  );
  await imports.run(job.id);
  const done = await imports.get(actor, job.id);
  const rejected = await h.db
    .selectFrom("import_rows")
    .select(["row_no", "errors", "payload"])
    .where("job_id", "=", job.id)
    .orderBy("row_no")
    .execute();
  return { done, rejected };
}

describe("a large person import staged in a worker thread", () => {
  it("gives the same result as staging in the main thread", async () => {
    const results = [];
    for (const [n, threshold] of [
      [0, 0],
      [1, Number.MAX_SAFE_INTEGER],
    ] as const) {
      const file = join(dir, `roster-${n}.csv`);
      // the second file holds different people (offset), laid out the same way
      const made = await writePersonRoster(file, { rows: 6_000, regions, badEvery: 500, offset: n * 100_000 });
      const lines = readFileSync(file, "utf8").split("\r\n");
      // rows are numbered as in Excel (the header is row 1): row 6,002, appended, repeats row 11's
      // person (a batch holds 5,000 rows); row 22's person is registered before the import
      appendFileSync(file, `${lines[10]}\r\n`);
      const [name, idNumber, , region] = lines[21]!.split(",");
      const birth = `${idNumber!.slice(6, 10)}-${idNumber!.slice(10, 12)}-${idNumber!.slice(12, 14)}`;
      await insertPersons(h.db, cipher, [
        { name: name!, idNumber: idNumber!, sex: "male", birthDate: birth, residenceRegionCode: region! },
      ]);
      const r = await importWith(file, threshold);
      expect(made.bad).toBe(12);
      expect(r.done).toMatchObject({ status: "committed", total_rows: 6_001, rejected_rows: 14, accepted_rows: 5_987 });
      const codes = r.rejected.map((x) => [x.row_no, (x.errors as Array<{ code: string }>)[0]!.code]);
      expect(codes.filter(([, c]) => c === "DUPLICATE_IN_FILE")).toEqual([[6_002, "DUPLICATE_IN_FILE"]]);
      expect(codes.filter(([, c]) => c === "PERSON_EXISTS")).toEqual([[22, "PERSON_EXISTS"]]);
      // the person already registered is kept for the report in protected form only
      const exists = r.rejected.find((x) => x.row_no === 22)!.payload as Record<string, string>;
      expect(exists.id_number_masked).toBe(`${idNumber!.slice(0, 3)}${"*".repeat(11)}${idNumber!.slice(-4)}`);
      expect(cipher.decrypt(exists.id_number_enc!)).toBe(idNumber);
      expect(JSON.stringify(r.rejected)).not.toContain(idNumber);
      results.push(codes.map(([row, code]) => `${row}:${code}`));
    }
    expect(results[0]).toEqual(results[1]);
  }, 120_000);
});
