import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp, type TestSession } from "../../testing/harness.ts";

let t: TestApp;
let worker: TestSession;

beforeAll(async () => {
  t = await createTestApp();
  worker = await t.signIn("case_worker");
});
afterAll(async () => {
  expect(t.maskingViolations).toEqual([]);
  await t.close();
});

describe("stateless checks", () => {
  it("id-number: derives sex, birth date and the current area name, echoing the number only masked", async () => {
    // 320102 玄武区 is in the test regions; sequence 123 is odd → male
    const { idNumberCheckChar } = await import("@jiuye/domain");
    const value = `32010219900101123${idNumberCheckChar("32010219900101123")}`;
    const res = await t.request(worker, { method: "POST", url: "/api/v1/checks/id-number", payload: { value } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      valid: true,
      sex: "male",
      birthDate: "1990-01-01",
      normalized: `320***********${value.slice(-4)}`,
      region: { provinceName: "江苏省", areaName: "玄武区" },
    });
    expect(res.body).not.toContain(value);
  });

  it("id-number: abolished or unknown area codes only warn; bad checksums fail with a code", async () => {
    const { idNumberCheckChar } = await import("@jiuye/domain");
    const first17 = "32019919900101123"; // 320199 is not a current county code
    const ok = await t.request(worker, {
      method: "POST",
      url: "/api/v1/checks/id-number",
      payload: { value: first17 + idNumberCheckChar(first17) },
    });
    expect(ok.json()).toMatchObject({ valid: true, warnings: [{ code: "ID_NUMBER_AREA_UNKNOWN" }] });
    const bad = await t.request(worker, {
      method: "POST",
      url: "/api/v1/checks/id-number",
      payload: { value: first17 + (idNumberCheckChar(first17) === "0" ? "1" : "0") },
    });
    expect(bad.json()).toMatchObject({ valid: false, errors: [{ code: "ID_NUMBER_CHECKSUM" }] });
  });

  it("credit-code and retirement", async () => {
    expect(
      (
        await t.request(worker, {
          method: "POST",
          url: "/api/v1/checks/credit-code",
          payload: { value: "91350100M000100Y43" },
        })
      ).json(),
    ).toMatchObject({ valid: true });
    const r = await t.request(worker, {
      method: "POST",
      url: "/api/v1/checks/retirement",
      payload: { birth: "1984-11", sex: "female", category: "female-50" },
    });
    expect(r.json()).toMatchObject({ valid: true, ageYears: 55, ageMonths: 0, retirementMonth: "2039-11" });
    const bad = await t.request(worker, {
      method: "POST",
      url: "/api/v1/checks/retirement",
      payload: { birth: "1984-11", sex: "other", category: "female-50" },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({ field: "sex" });
  });

  it("stores nothing", async () => {
    const n = async () =>
      (
        await sql<{ n: number }>`select (select count(*) from persons) + (select count(*) from audit_log) as n`.execute(
          t.db,
        )
      ).rows[0]!.n;
    const before = await n();
    await t.request(worker, {
      method: "POST",
      url: "/api/v1/checks/id-number",
      payload: { value: "11010519491231002X" },
    });
    expect(await n()).toBe(before);
  });
});
