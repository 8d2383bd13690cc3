import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp, type TestSession } from "../../testing/harness.ts";

let t: TestApp;
let auditor: TestSession;

beforeAll(async () => {
  t = await createTestApp();
  auditor = await t.signIn("auditor");
  // some activity to audit
  for (const role of ["case_worker", "analyst", "admin"] as const) await t.signIn(role);
});
afterAll(async () => {
  expect(t.maskingViolations).toEqual([]);
  await t.close();
});

describe("audit log", () => {
  it("lists entries newest first with actor names, filterable by action", async () => {
    const res = await t.request(auditor, { method: "GET", url: "/api/v1/audit?action=auth.&pageSize=50" });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.total).toBeGreaterThanOrEqual(4);
    expect(body.items.every((e: { action: string }) => e.action.startsWith("auth."))).toBe(true);
    const seqs = body.items.map((e: { seq: number }) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a: number, b: number) => b - a));
    expect(body.items[0].actorName).toBeTruthy();
  });

  it("an intact chain verifies; a changed row and a removed row are detected", async () => {
    const ok = await t.request(auditor, { method: "POST", url: "/api/v1/audit/verify" });
    expect(ok.json()).toMatchObject({ ok: true, brokenAtSeq: null });
    const total = ok.json().checked;
    expect(total).toBeGreaterThanOrEqual(4);

    const rows = await t.db.selectFrom("audit_log").select("seq").orderBy("seq").execute();
    const target = rows[2]!.seq;
    // Tampering needs a superuser switching the append-only trigger off: exactly what the chain is for.
    await sql`alter table audit_log disable trigger audit_log_no_update`.execute(t.db);
    await sql`update audit_log set ip = '1.2.3.4' where seq = ${target}`.execute(t.db);
    await sql`alter table audit_log enable trigger audit_log_no_update`.execute(t.db);
    const changed = await t.request(auditor, { method: "POST", url: "/api/v1/audit/verify" });
    expect(changed.json()).toMatchObject({ ok: false, brokenAtSeq: target, reason: "hash_mismatch" });
  });

  it("a removed row breaks the chain at the next row", async () => {
    const t2 = await createTestApp();
    try {
      const a = await t2.signIn("auditor");
      for (let i = 0; i < 3; i++) await t2.signIn("case_worker");
      expect((await t2.request(a, { method: "POST", url: "/api/v1/audit/verify" })).json().ok).toBe(true); // seals
      const rows = await t2.db.selectFrom("audit_log").select("seq").orderBy("seq").execute();
      await sql`alter table audit_log disable trigger audit_log_no_update`.execute(t2.db);
      await sql`delete from audit_log where seq = ${rows[1]!.seq}`.execute(t2.db);
      await sql`alter table audit_log enable trigger audit_log_no_update`.execute(t2.db);
      const res = await t2.request(a, { method: "POST", url: "/api/v1/audit/verify" });
      expect(res.json()).toMatchObject({ ok: false, brokenAtSeq: rows[1]!.seq, reason: "missing_row" });
      // removing the chain link as well breaks the link after it
      await sql`alter table audit_chain disable trigger audit_chain_no_update`.execute(t2.db);
      await sql`delete from audit_chain where seq = ${rows[1]!.seq}`.execute(t2.db);
      await sql`alter table audit_chain enable trigger audit_chain_no_update`.execute(t2.db);
      const res2 = await t2.request(a, { method: "POST", url: "/api/v1/audit/verify" });
      expect(res2.json()).toMatchObject({ ok: false, reason: "prev_mismatch" });
    } finally {
      await t2.close();
    }
  });

  it("the application cannot change or delete audit rows", async () => {
    await expect(t.db.updateTable("audit_log").set({ action: "x" }).execute()).rejects.toThrow(/append-only/);
    await expect(t.db.deleteFrom("audit_log").execute()).rejects.toThrow(/append-only/);
    await expect(t.db.deleteFrom("audit_chain").execute()).rejects.toThrow(/append-only/);
  });

  it("rows committed in any order are all sealed, each exactly once", async () => {
    const { createAuditService } = await import("./audit.service.ts");
    const audit = createAuditService({ clock: () => new Date() });
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        t.db
          .transaction()
          .execute((trx) =>
            audit.record(
              trx,
              { actorId: null, actorRole: null, ip: null, requestId: `c${i}` },
              { action: "test.concurrent" },
            ),
          ),
      ),
    );
    // more than one sealing chunk (500 rows), committed in one go
    await t.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 1234; i++)
        await audit.record(
          trx,
          { actorId: null, actorRole: null, ip: null, requestId: `b${i}` },
          { action: "test.bulk" },
        );
    });
    await Promise.all([audit.seal(t.db), audit.seal(t.db), audit.seal(t.db)]);
    await audit.seal(t.db);
    const unsealed = await sql<{
      n: number;
    }>`select count(*)::int as n from audit_log a where not exists (select 1 from audit_chain c where c.seq = a.seq)`.execute(
      t.db,
    );
    expect(unsealed.rows[0]!.n).toBe(0);
    const dup = await sql<{
      n: number;
    }>`select count(*)::int as n from (select seq from audit_chain group by seq having count(*) > 1) d`.execute(t.db);
    expect(dup.rows[0]!.n).toBe(0);
    // one unbroken chain across the sealing chunks: every link names the hash of the link before it
    const gaps = await sql<{ n: number }>`
      select count(*)::int as n from (select prev_hash, lag(hash) over (order by pos) as before from audit_chain) l
      where l.before is not null and l.before <> l.prev_hash`.execute(t.db);
    expect(gaps.rows[0]!.n).toBe(0);
  });
});
