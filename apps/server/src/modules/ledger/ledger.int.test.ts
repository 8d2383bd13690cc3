import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp, type TestSession } from "../../testing/harness.ts";

let t: TestApp;
let worker: TestSession; // 新街口街道
let other: TestSession; // 秦淮区

async function person(birthDate: string, sex: "male" | "female" = "male"): Promise<string> {
  return (await t.createPerson({ birthDate, sex })).id;
}
const post = (s: TestSession, id: string, payload: object, headers?: Record<string, string>) =>
  t.request(s, { method: "POST", url: `/api/v1/persons/${id}/ledger`, payload, headers });
const eventCount = async (id: string) =>
  (await sql<{ n: number }>`select count(*)::int as n from ledger_events where person_id = ${id}`.execute(t.db))
    .rows[0]!.n;

beforeAll(async () => {
  t = await createTestApp();
  worker = await t.signIn("case_worker", { regionCode: "320102003" });
  other = await t.signIn("case_worker", { regionCode: "320104" });
});
afterAll(async () => {
  expect(t.maskingViolations).toEqual([]);
  await t.close();
});

describe("就业失业登记", () => {
  it("unemployment, then employment (which closes the unemployment), with a timeline and status", async () => {
    const id = await person("1990-05-10");
    const u = await post(worker, id, { type: "unemployment", date: "2026-09-01", ableAndWilling: true });
    expect(u.statusCode).toBe(201);
    expect(u.json().current).toMatchObject({ status: "unemployed", label: "登记失业" });
    const e = await post(worker, id, {
      type: "employment",
      date: "2026-10-15",
      form: "employer",
      employerName: "南京示例科技有限公司",
      contractType: "fixed_term",
    });
    expect(e.statusCode).toBe(201);
    expect(e.json().alsoRecorded).toEqual([
      expect.objectContaining({ type: "unemployment_end", reason: "employed", date: "2026-10-15" }),
    ]);
    expect(e.json().current.status).toBe("employed");
    const h = await t.request(worker, { method: "GET", url: `/api/v1/persons/${id}/ledger` });
    expect(h.json().events.map((x: { summary: string }) => x.summary)).toEqual([
      "失业登记",
      "失业登记注销：实现就业",
      "就业登记：单位就业（南京示例科技有限公司）",
    ]);
    expect(h.json().spells.map((s: { kind: string; endedOn: string | null }) => [s.kind, s.endedOn])).toEqual([
      ["unemployment", "2026-10-15"],
      ["employment", null],
    ]);
    // each registration left its audit row, naming the event (written in the event's own statement)
    const audited = await t.db
      .selectFrom("audit_log")
      .select(["action", "detail", "actor_id", "province_code"])
      .where("subject_id", "=", id)
      .where("action", "in", ["ledger.unemployment", "ledger.employment"])
      .orderBy("seq")
      .execute();
    expect(audited.map((a) => a.action)).toEqual(["ledger.unemployment", "ledger.employment"]);
    const detail = (d: unknown) => (typeof d === "string" ? JSON.parse(d) : d) as { event: string };
    expect(detail(audited[0]!.detail).event).toBe(u.json().event.id);
    expect(detail(audited[1]!.detail).event).toBe(e.json().event.id);
    expect(audited[0]).toMatchObject({ actor_id: worker.userId, province_code: "32" });
  });

  it("refuses unemployment while employed, explaining why, and writes nothing", async () => {
    const id = await person("1988-01-01");
    await post(worker, id, { type: "employment", date: "2025-01-01", form: "employer", employerName: "某物流公司" });
    const before = await eventCount(id);
    const res = await post(worker, id, { type: "unemployment", date: "2026-11-01", ableAndWilling: true });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      code: "LEDGER_CONFLICT",
      errors: [{ code: "LEDGER_STILL_EMPLOYED", field: "type" }],
    });
    expect(res.json().errors[0].message).toContain("某物流公司");
    expect(await eventCount(id)).toBe(before);
    // after the employment ends, the registration is accepted
    expect((await post(worker, id, { type: "employment_end", date: "2026-10-31", reason: "layoff" })).statusCode).toBe(
      201,
    );
    expect(
      (await post(worker, id, { type: "unemployment", date: "2026-11-01", ableAndWilling: true })).statusCode,
    ).toBe(201);
  });

  it("refuses people past the statutory retirement month and dates before birth (422)", async () => {
    const old = await person("1965-05-20");
    const r = await post(worker, old, { type: "unemployment", date: "2025-07-01", ableAndWilling: true });
    expect(r.statusCode).toBe(422);
    expect(r.json().errors[0]).toMatchObject({ code: "LEDGER_NOT_WORKING_AGE" });
    expect(r.json().errors[0].message).toContain("2025-07");
    const young = await person("2000-01-01");
    expect(
      (await post(worker, young, { type: "employment", date: "1999-12-31", form: "flexible" })).json().errors[0].code,
    ).toBe("LEDGER_DATE_BEFORE_BIRTH");
  });

  it("50 simultaneous identical registrations: exactly one 201 and 49 × 409", async () => {
    const id = await person("1992-02-02");
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        post(worker, id, { type: "unemployment", date: "2026-11-02", ableAndWilling: true }),
      ),
    );
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 201)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(49);
    expect(await eventCount(id)).toBe(1);
  });

  it("Idempotency-Key: same key and body replays the stored response; a different body is 422", async () => {
    const id = await person("1993-03-03");
    const body = { type: "unemployment", date: "2026-11-03", ableAndWilling: true };
    const first = await post(worker, id, body, { "idempotency-key": "k-1" });
    const again = await post(worker, id, body, { "idempotency-key": "k-1" });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.headers["idempotent-replayed"]).toBe("true");
    expect(again.json()).toEqual(first.json());
    expect(await eventCount(id)).toBe(1);
    const different = await post(worker, id, { ...body, date: "2026-11-04" }, { "idempotency-key": "k-1" });
    expect(different.statusCode).toBe(422);
    expect(different.json().code).toBe("IDEMPOTENCY_KEY_REUSED");
    // keys are per user: another worker's key of the same name is independent (and out of scope here)
    expect((await post(other, id, body, { "idempotency-key": "k-1" })).statusCode).toBe(404);
  });

  it("a correction voids a mistaken registration without deleting anything", async () => {
    const id = await person("1991-07-07");
    const u = await post(worker, id, { type: "unemployment", date: "2026-11-05", ableAndWilling: true });
    const eventId = u.json().event.id;
    const c = await post(worker, id, {
      type: "correction",
      date: "2026-11-06",
      correctsEventId: eventId,
      reason: "wrong_entry",
      note: "录入错误，人员未到场",
    });
    expect(c.statusCode).toBe(201);
    expect(c.json().current.status).toBe("none");
    const h = (await t.request(worker, { method: "GET", url: `/api/v1/persons/${id}/ledger` })).json();
    expect(h.events).toHaveLength(2);
    expect(h.events[0]).toMatchObject({ id: eventId, correctedBy: c.json().event.id });
    expect(h.events[1].summary).toContain("更正：作废2026-11-05 的失业登记");
    const twice = await post(worker, id, {
      type: "correction",
      date: "2026-11-06",
      correctsEventId: eventId,
      reason: "wrong_entry",
      note: "再次更正",
    });
    expect(twice.statusCode).toBe(409);
  });

  it("is append-only: the database refuses UPDATE and DELETE", async () => {
    await expect(sql`update ledger_events set event_date = '2000-01-01'`.execute(t.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from ledger_events`.execute(t.db)).rejects.toThrow(/append-only/);
  });

  it("is region-scoped: another district's worker gets 404 for reading and writing", async () => {
    const id = await person("1990-01-01");
    expect((await t.request(other, { method: "GET", url: `/api/v1/persons/${id}/ledger` })).statusCode).toBe(404);
    expect((await post(other, id, { type: "unemployment", date: "2026-11-01", ableAndWilling: true })).statusCode).toBe(
      404,
    );
    expect(await eventCount(id)).toBe(0);
  });

  it("an individual sees their own history and cannot write", async () => {
    const id = await person("1994-04-04");
    await post(worker, id, { type: "employment", date: "2026-01-01", form: "platform" });
    const self = await t.signIn("individual", { personId: id });
    const h = await t.request(self, { method: "GET", url: `/api/v1/persons/${id}/ledger` });
    expect(h.statusCode).toBe(200);
    expect(h.json().current.label).toBe("就业（新就业形态（平台））");
    expect((await post(self, id, { type: "unemployment", date: "2026-11-01", ableAndWilling: true })).statusCode).toBe(
      403,
    );
  });

  it("rejects malformed events with field errors", async () => {
    const id = await person("1990-01-01");
    const r = await post(worker, id, { type: "layoff", date: "2026-11-01" });
    expect(r.statusCode).toBe(400);
    const r2 = await post(worker, id, { type: "employment", date: "2026-13-01", form: "employer" });
    expect(r2.statusCode).toBe(400);
    expect(r2.json().errors.map((e: { field: string }) => e.field)).toContain("date");
  });
});
