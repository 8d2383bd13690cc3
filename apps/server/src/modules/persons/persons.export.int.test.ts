import { findUnmaskedIdentifiers } from "@jiuye/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRandom, insertPersons, syntheticPerson } from "../../seed/factories.ts";
import { createTestApp, type TestApp, type TestSession } from "../../testing/harness.ts";
import { sheetRows } from "../../testing/sheets.ts";

let t: TestApp;
let xuanwu: TestSession;
const rnd = createRandom(99);
const mine = [
  { ...syntheticPerson(rnd, "320102003001"), name: "=cmd|' /C calc'!A0" },
  { ...syntheticPerson(rnd, "320102003001"), name: "@SUM(1+1)" },
  ...Array.from({ length: 30 }, () => syntheticPerson(rnd, "320102003002")),
];
const theirs = syntheticPerson(rnd, "320104001001");

beforeAll(async () => {
  t = await createTestApp();
  await insertPersons(t.db, t.cipher, [...mine, theirs]);
  xuanwu = await t.signIn("case_worker", { regionCode: "320102" });
});
afterAll(async () => {
  expect(t.maskingViolations).toEqual([]);
  await t.close();
});

describe("exporting a filtered list", () => {
  it("exports the whole filtered scope to .xlsx, masked, with formulas neutralised in every cell", async () => {
    const res = await t.request(xuanwu, { method: "GET", url: "/api/v1/persons/export?format=xlsx" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-disposition"]).toContain(encodeURIComponent("劳动者名单.xlsx"));
    const rows = await sheetRows(res.rawPayload);
    expect(rows[0]!.slice(0, 3)).toEqual(["姓名", "公民身份号码", "手机号码"]);
    expect(rows).toHaveLength(mine.length + 1);
    const names = rows.map((r) => r[0]);
    expect(names).toContain("'=cmd|' /C calc'!A0");
    expect(names).toContain("'@SUM(1+1)");
    expect(names).not.toContain(theirs.name);
    for (const r of rows.slice(1)) {
      expect(r[1]).toMatch(/^\d{3}\*{11}[\dX]{4}$/);
      for (const cell of r) expect(/^[=+\-@\t\r]/.test(cell), cell).toBe(false);
    }
    expect(findUnmaskedIdentifiers(rows.flat().join(" "))).toEqual([]);
    expect(await t.auditCount("person.export")).toBe(1);
  });

  it("exports CSV with a BOM, neutralised, honouring the filter", async () => {
    const res = await t.request(xuanwu, {
      method: "GET",
      url: "/api/v1/persons/export?format=csv&regionCode=320102003001",
    });
    expect(res.statusCode).toBe(200);
    expect([...res.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(res.rawPayload.subarray(3).toString("utf8").startsWith("姓名,公民身份号码")).toBe(true);
    const lines = res.body.trim().split("\r\n");
    expect(lines).toHaveLength(3);
    expect(lines.some((l) => l.startsWith("'=cmd|' /C calc'!A0,"))).toBe(true);
    expect(findUnmaskedIdentifiers(res.body)).toEqual([]);
  });

  it("exports full numbers only with a listed purpose, recording the purpose and row count", async () => {
    const before = await t.auditCount("person.export_unmasked");
    const bad = await t.request(xuanwu, {
      method: "POST",
      url: "/api/v1/persons/export",
      payload: { format: "csv", purpose: "curiosity" },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe("purpose");
    expect(await t.auditCount("person.export_unmasked")).toBe(before);

    const res = await t.request(xuanwu, {
      method: "POST",
      url: "/api/v1/persons/export",
      payload: { format: "csv", purpose: "benefit_payment", regionCode: "320102003001" },
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(mine[0]!.idNumber);
    expect(res.body).toContain(mine[0]!.phone);
    const audit = await t.db
      .selectFrom("audit_log")
      .select(["purpose", "detail", "province_code"])
      .where("action", "=", "person.export_unmasked")
      .executeTakeFirstOrThrow();
    expect(audit.purpose).toBe("benefit_payment");
    expect(audit.province_code).toBe("32");
    expect((typeof audit.detail === "string" ? JSON.parse(audit.detail) : audit.detail).rows).toBe(2);
  });
});
