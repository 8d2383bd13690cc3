import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp, type TestSession } from "../../testing/harness.ts";

let t: TestApp;
let worker: TestSession;
let outsider: TestSession;
let person: { id: string; idNumber: string };

const send = (s: TestSession, kind: string, records: unknown[], sourceSystem = "js-si") =>
  t.request(s, { method: "POST", url: `/api/v1/external/${kind}`, payload: { sourceSystem, records } });
const count = async (table: string) =>
  (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(t.db)).rows[0]!.n;

beforeAll(async () => {
  t = await createTestApp();
  worker = await t.signIn("case_worker", { regionCode: "320102" });
  outsider = await t.signIn("case_worker", { regionCode: "320104" });
  person = await t.createPerson({ birthDate: "1985-04-01" });
});
afterAll(async () => {
  expect(t.maskingViolations).toEqual([]);
  await t.close();
});

describe("records from other systems", () => {
  const spell = (over: Record<string, unknown> = {}) => ({
    sourceRecordId: "SI-0001",
    idNumber: person.idNumber,
    sourceDate: "2026-11-01",
    fund: "unemployment",
    employerCreditCode: "91320102MA1XXXXX00",
    fromMonth: "2024-01",
    toMonth: "2026-10",
    baseFen: 650000,
    ...over,
  });

  it("imports contribution spells idempotently by (source system, record id); a newer source date updates", async () => {
    const first = await send(worker, "insurance-spells", [
      spell(),
      spell({ sourceRecordId: "SI-0002", fund: "pension" }),
    ]);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ created: 2, updated: 0, unchanged: 0, rejected: [] });
    const again = await send(worker, "insurance-spells", [
      spell(),
      spell({ sourceRecordId: "SI-0002", fund: "pension" }),
    ]);
    expect(again.json()).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
    expect(await count("insurance_spells")).toBe(2);

    const newer = await send(
      worker,
      "insurance-spells",
      [spell({ sourceDate: "2026-11-20", toMonth: null })].map((r) => {
        const { toMonth: _, ...rest } = r;
        return rest;
      }),
    );
    expect(newer.json()).toMatchObject({ created: 0, updated: 1 });
    const older = await send(worker, "insurance-spells", [spell({ sourceDate: "2026-01-01", toMonth: "2025-01" })]);
    expect(older.json()).toMatchObject({ unchanged: 1 });
    const view = (await t.request(worker, { method: "GET", url: `/api/v1/persons/${person.id}/external` })).json();
    const unemployment = view.insuranceSpells.find((s: { fund: string }) => s.fund === "unemployment");
    expect(unemployment).toMatchObject({
      toMonth: null,
      sourceSystem: "js-si",
      sourceDate: "2026-11-20",
      baseFen: 650000,
    });

    // the same record id from another system is another record
    expect((await send(worker, "insurance-spells", [spell()], "other-si")).json().created).toBe(1);
  });

  it("rejects bad records one by one with the field and a Chinese message, keeping the good ones", async () => {
    const res = await send(worker, "benefit-claims", [
      {
        sourceRecordId: "UI-1",
        idNumber: person.idNumber,
        sourceDate: "2026-11-01",
        claimDate: "2026-10-10",
        fromMonth: "2026-11",
        monthsEntitled: 12,
        monthlyAmountFen: 198000,
        status: "paying",
      },
      {
        sourceRecordId: "UI-2",
        idNumber: person.idNumber,
        sourceDate: "2026-11-01",
        claimDate: "2026-10-10",
        fromMonth: "2026-11",
        monthsEntitled: 30,
        monthlyAmountFen: 1,
        status: "paying",
      },
      {
        sourceRecordId: "UI-3",
        idNumber: "320102198504010000",
        sourceDate: "2026-11-01",
        claimDate: "2026-10-10",
        fromMonth: "2026-11",
        monthsEntitled: 3,
        monthlyAmountFen: 1,
        status: "paying",
      },
    ]);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.created).toBe(1);
    expect(body.rejected.map((r: { index: number; field: string }) => [r.index, r.field])).toEqual([
      [1, "monthsEntitled"],
      [2, "idNumber"],
    ]);
    expect(body.rejected[0].message).toContain("24个月");
  });

  it("stores 低保 and disability as imported key-group attributes with their source, certificate masked", async () => {
    const d = await send(
      worker,
      "disability",
      [
        {
          sourceRecordId: "CDPF-9",
          idNumber: person.idNumber,
          sourceDate: "2026-06-01",
          certificateNumber: `${person.idNumber}42`,
          kind: "physical",
          grade: 3,
        },
      ],
      "cdpf",
    );
    expect(d.json().created).toBe(1);
    const b = await send(
      worker,
      "dibao",
      [{ sourceRecordId: "MZ-1", idNumber: person.idNumber, sourceDate: "2026-06-01", validFrom: "2026-01-01" }],
      "civil-affairs",
    );
    expect(b.json().created).toBe(1);
    expect(
      (
        await send(
          worker,
          "dibao",
          [{ sourceRecordId: "MZ-1", idNumber: person.idNumber, sourceDate: "2026-06-01", validFrom: "2026-01-01" }],
          "civil-affairs",
        )
      ).json().unchanged,
    ).toBe(1);
    const attrs = (await t.request(worker, { method: "GET", url: `/api/v1/persons/${person.id}/attributes` })).json();
    const disability = attrs.find((a: { kind: string }) => a.kind === "disability");
    expect(disability).toMatchObject({ source: "imported", sourceSystem: "cdpf" });
    expect(JSON.stringify(disability)).not.toContain(person.idNumber);
    expect(attrs.filter((a: { kind: string }) => a.kind === "dibao")).toHaveLength(1);
  });

  it("refuses records about people outside the caller's region without writing them", async () => {
    const before = await count("skill_certificates");
    const res = await send(outsider, "skill-certificates", [
      {
        sourceRecordId: "SK-1",
        idNumber: person.idNumber,
        sourceDate: "2026-05-01",
        kind: "skill_level",
        name: "电工",
        level: 4,
        issuedOn: "2026-04-01",
      },
    ]);
    expect(res.json()).toMatchObject({ created: 0, rejected: [{ index: 0, code: "PERSON_NOT_FOUND" }] });
    expect(await count("skill_certificates")).toBe(before);
    expect(
      (await t.request(outsider, { method: "GET", url: `/api/v1/persons/${person.id}/external` })).statusCode,
    ).toBe(404);
  });
});
