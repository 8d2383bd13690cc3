import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp, type TestSession } from "../../testing/harness.ts";

let t: TestApp;
let worker: TestSession;
let other: TestSession;
const idNumbers = new Map<string, string>();

async function person(birthDate: string, sex: "male" | "female"): Promise<string> {
  const { id, idNumber } = await t.createPerson({ birthDate, sex, name: "档案测试" });
  idNumbers.set(id, idNumber);
  return id;
}

beforeAll(async () => {
  t = await createTestApp();
  worker = await t.signIn("case_worker", { regionCode: "320102003" });
  other = await t.signIn("case_worker", { regionCode: "320104" });
});
afterAll(async () => {
  expect(t.maskingViolations).toEqual([]);
  await t.close();
});

describe("person profile", () => {
  it("records education, 户籍 and a retirement category that the ledger then uses", async () => {
    const id = await person("1975-01-15", "female");
    // with the default (later) 55-year rule she may still register as unemployed in 2026 …
    const patch = await t.request(worker, {
      method: "PATCH",
      url: `/api/v1/persons/${id}`,
      payload: {
        education: "high_school",
        hukouType: "rural",
        hukouRegionCode: "320102",
        retirementCategory: "female-50",
      },
    });
    expect(patch.statusCode).toBe(200);
    expect(patch.json()).toMatchObject({
      education: "high_school",
      hukouType: "rural",
      retirementCategory: "female-50",
    });
    // … but in a 50-year post she reached retirement age in 2025-02
    const r = await t.request(worker, {
      method: "POST",
      url: `/api/v1/persons/${id}/ledger`,
      payload: { type: "unemployment", date: "2026-11-01", ableAndWilling: true },
    });
    expect(r.statusCode).toBe(422);
    expect(r.json().errors[0]).toMatchObject({ code: "LEDGER_NOT_WORKING_AGE" });
    expect(r.json().errors[0].message).toContain("2025-02");
  });

  it("refuses a retirement category that contradicts the sex, and bad values, writing nothing", async () => {
    const id = await person("1980-01-01", "male");
    const bad = await t.request(worker, {
      method: "PATCH",
      url: `/api/v1/persons/${id}`,
      payload: { retirementCategory: "female-55" },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({ field: "retirementCategory", code: "RETIREMENT_CATEGORY_SEX" });
    const wrong = await t.request(worker, {
      method: "PATCH",
      url: `/api/v1/persons/${id}`,
      payload: { education: "kindergarten" },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors[0].field).toBe("education");
    const row = await t.db
      .selectFrom("persons")
      .select(["retirement_category", "education"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ retirement_category: null, education: null });
  });
});

describe("key-group attributes (重点群体)", () => {
  it("stores a disability certificate encrypted and shows it only masked", async () => {
    const id = await person("1985-06-06", "male");
    const cert = `${idNumbers.get(id)}43`;
    const res = await t.request(worker, {
      method: "POST",
      url: `/api/v1/persons/${id}/attributes`,
      payload: {
        kind: "disability",
        details: { certificateNumber: cert, disabilityKind: "physical", grade: 3 },
        source: "verified",
        validFrom: "2020-01-01",
      },
    });
    expect(res.statusCode).toBe(201);
    expect(res.body).not.toContain(cert);
    expect(res.body).not.toContain(cert.slice(0, 18));
    expect(res.json()).toMatchObject({
      kind: "disability",
      label: "残疾人",
      source: "verified",
      verifiedBy: worker.userId,
      details: { grade: 3, certificateNumberMasked: `${cert.slice(0, 3)}***********${cert.slice(14, 18)}43` },
    });
    const stored = await sql<{
      d: string;
    }>`select details::text as d from person_attributes where person_id = ${id}`.execute(t.db);
    expect(stored.rows[0]!.d).not.toContain(cert.slice(0, 18));
  });

  it("lists attributes with their source; declared ones name no verifier", async () => {
    const id = await person("2001-09-01", "female");
    await t.request(worker, {
      method: "POST",
      url: `/api/v1/persons/${id}/attributes`,
      payload: {
        kind: "graduate",
        details: { school: "南京大学", graduationDate: "2026-06-30", degree: "bachelor" },
        source: "declared",
      },
    });
    const list = await t.request(worker, { method: "GET", url: `/api/v1/persons/${id}/attributes` });
    expect(list.json()).toEqual([
      expect.objectContaining({
        kind: "graduate",
        label: "高校毕业生",
        source: "declared",
        verifiedBy: null,
        details: { school: "南京大学", graduationDate: "2026-06-30", degree: "bachelor" },
      }),
    ]);
    // searchable by key group, within scope only
    const found = await t.request(worker, { method: "GET", url: "/api/v1/persons?keyGroup=graduate" });
    expect(found.json().items.map((p: { id: string }) => p.id)).toEqual([id]);
    expect((await t.request(other, { method: "GET", url: "/api/v1/persons?keyGroup=graduate" })).json().total).toBe(0);
    const self = await t.signIn("individual", { personId: id });
    expect((await t.request(self, { method: "GET", url: `/api/v1/persons/${id}/attributes` })).statusCode).toBe(200);
  });

  it("validates details per kind and stays in scope", async () => {
    const id = await person("1990-01-01", "male");
    const bad = await t.request(worker, {
      method: "POST",
      url: `/api/v1/persons/${id}/attributes`,
      payload: {
        kind: "disability",
        details: { certificateNumber: "123", disabilityKind: "physical", grade: 5 },
        source: "declared",
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(["details.certificateNumber", "details.grade"]);
    const imported = await t.request(worker, {
      method: "POST",
      url: `/api/v1/persons/${id}/attributes`,
      payload: { kind: "dibao", details: {}, source: "imported" },
    });
    expect(imported.statusCode).toBe(400);
    const foreign = await t.request(other, {
      method: "POST",
      url: `/api/v1/persons/${id}/attributes`,
      payload: { kind: "veteran", details: { dischargeDate: "2015-09-01" }, source: "declared" },
    });
    expect(foreign.statusCode).toBe(404);
    expect((await t.request(other, { method: "GET", url: `/api/v1/persons/${id}/attributes` })).statusCode).toBe(404);
  });
});
