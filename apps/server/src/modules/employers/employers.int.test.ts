import { creditCodeCheckChar } from "@jiuye/domain";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRandom, syntheticCreditCode } from "../../seed/factories.ts";
import { createTestApp, type TestApp, type TestSession } from "../../testing/harness.ts";

let t: TestApp;
let xuanwu: TestSession;
let qinhuai: TestSession;
const rnd = createRandom(4754);

const body = (over: Record<string, unknown> = {}) => ({
  creditCode: syntheticCreditCode(rnd, "320102"),
  name: "南京玄武测试科技有限公司",
  industryCode: "65",
  ownership: "private",
  sizeClass: "small",
  regionCode: "320102003",
  contactName: "王经理",
  contactPhone: "13812345678",
  headcount: 40,
  insuredHeadcount: 35,
  headcountAsOf: "2026-10-31",
  ...over,
});

async function count(table: "employers" | "audit_log", where = sql`true`) {
  return (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where ${where}`.execute(t.db))
    .rows[0]!.n;
}

beforeAll(async () => {
  t = await createTestApp();
  xuanwu = await t.signIn("case_worker", { regionCode: "320102" });
  qinhuai = await t.signIn("case_worker", { regionCode: "320104" });
});
afterAll(async () => {
  expect(t.maskingViolations).toEqual([]);
  await t.close();
});

describe("用人单位 registry", () => {
  it("registers an employer with its GB/T 4754 section and division, contact phone masked", async () => {
    const res = await t.request(xuanwu, { method: "POST", url: "/api/v1/employers", payload: body() });
    expect(res.statusCode).toBe(201);
    const e = res.json();
    expect(e).toMatchObject({
      industryCode: "65",
      industryName: "软件和信息技术服务业",
      sectionCode: "I",
      sectionName: "信息传输、软件和信息技术服务业",
      contactPhoneMasked: "138****5678",
      creditCodeOverride: false,
    });
    expect(res.body).not.toContain("13812345678");
    const stored = await t.db.selectFrom("employers").selectAll().where("id", "=", e.id).executeTakeFirstOrThrow();
    expect(stored.contact_phone_enc).not.toContain("13812345678");
    expect(stored.province_code).toBe("32");
  });

  it("refuses a bad credit code, an unknown industry, a region outside scope and inconsistent headcounts, writing nothing", async () => {
    const before = await count("employers");
    const code = syntheticCreditCode(rnd, "320102");
    const wrongCheck = code.slice(0, 17) + (code[17] === "0" ? "1" : "0");
    const cases: Array<[Record<string, unknown>, number, string, string]> = [
      [{ creditCode: wrongCheck }, 422, "CREDIT_CODE_INVALID", "creditCode"],
      [{ creditCode: "91320102MA1X" }, 422, "CREDIT_CODE_INVALID", "creditCode"],
      [{ industryCode: "99" }, 422, "INDUSTRY_UNKNOWN", "industryCode"],
      [{ regionCode: "320104001" }, 422, "REGION_OUT_OF_SCOPE", "regionCode"],
      [{ insuredHeadcount: 50 }, 400, "VALIDATION_FAILED", "insuredHeadcount"],
      [{ ownership: "kolkhoz" }, 400, "VALIDATION_FAILED", "ownership"],
    ];
    for (const [over, status, codeName, field] of cases) {
      const res = await t.request(xuanwu, { method: "POST", url: "/api/v1/employers", payload: body(over) });
      expect(res.statusCode, JSON.stringify(over)).toBe(status);
      expect(res.json().code).toBe(codeName);
      expect(res.json().errors.map((x: { field: string }) => x.field)).toContain(field);
      expect(res.json().errors[0].message).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect(await count("employers")).toBe(before);
  });

  it("accepts a real legacy code failing the checksum only with a stated reason, and audits the override", async () => {
    const code = syntheticCreditCode(rnd, "320102");
    const legacy = code.slice(0, 17) + (creditCodeCheckChar(code.slice(0, 17)) === "1" ? "2" : "1");
    const res = await t.request(xuanwu, {
      method: "POST",
      url: "/api/v1/employers",
      payload: body({ creditCode: legacy, creditCodeOverrideReason: "营业执照原件代码，已核对登记机关档案" }),
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().creditCodeOverride).toBe(true);
    expect(
      await count(
        "audit_log",
        sql`action = 'employer.create_with_credit_code_override' and subject_id = ${res.json().id}::text`,
      ),
    ).toBe(1);
  });

  it("refuses a second registration of the same credit code (409), also when sent concurrently", async () => {
    const payload = body();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => t.request(xuanwu, { method: "POST", url: "/api/v1/employers", payload })),
    );
    const statuses = results.map((r) => r.statusCode).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(9);
    expect(await count("employers", sql`credit_code = ${payload.creditCode}`)).toBe(1);
  });

  it("confines case workers to their region (404 outside) and employer accounts to their own organisation", async () => {
    const mine = (await t.request(xuanwu, { method: "POST", url: "/api/v1/employers", payload: body() })).json();
    const other = (await t.request(xuanwu, { method: "POST", url: "/api/v1/employers", payload: body() })).json();
    expect((await t.request(qinhuai, { method: "GET", url: `/api/v1/employers/${mine.id}` })).statusCode).toBe(404);
    const list = (await t.request(qinhuai, { method: "GET", url: "/api/v1/employers?pageSize=200" })).json();
    expect(list.items.map((e: { id: string }) => e.id)).not.toContain(mine.id);

    const account = await t.signIn("employer", { employerId: mine.id });
    expect((await t.request(account, { method: "GET", url: `/api/v1/employers/${mine.id}` })).statusCode).toBe(200);
    expect((await t.request(account, { method: "GET", url: `/api/v1/employers/${other.id}` })).statusCode).toBe(404);
    const own = (await t.request(account, { method: "GET", url: "/api/v1/employers" })).json();
    expect(own.items.map((e: { id: string }) => e.id)).toEqual([mine.id]);

    const headcount = await t.request(account, {
      method: "PATCH",
      url: `/api/v1/employers/${mine.id}`,
      payload: { headcount: 55, insuredHeadcount: 50, headcountAsOf: "2026-11-30" },
    });
    expect(headcount.statusCode).toBe(200);
    expect(headcount.json()).toMatchObject({ headcount: 55, insuredHeadcount: 50, headcountAsOf: "2026-11-30" });
    const rename = await t.request(account, {
      method: "PATCH",
      url: `/api/v1/employers/${mine.id}`,
      payload: { name: "改名有限公司" },
    });
    expect(rename.statusCode).toBe(403);
    expect(
      (
        await t.request(account, {
          method: "PATCH",
          url: `/api/v1/employers/${other.id}`,
          payload: { headcount: 1, headcountAsOf: "2026-11-30" },
        })
      ).statusCode,
    ).toBe(404);
    expect((await t.request(account, { method: "POST", url: "/api/v1/employers", payload: body() })).statusCode).toBe(
      403,
    );
  });

  it("opens an employer account whose temporary password signs in to its own organisation only", async () => {
    const e = (await t.request(xuanwu, { method: "POST", url: "/api/v1/employers", payload: body() })).json();
    const res = await t.request(xuanwu, {
      method: "POST",
      url: `/api/v1/employers/${e.id}/accounts`,
      payload: { username: `hr.${e.id.slice(0, 8)}`, displayName: "人事专员" },
    });
    expect(res.statusCode).toBe(201);
    const login = await t.request(null, {
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { username: `hr.${e.id.slice(0, 8)}`, password: res.json().temporaryPassword },
    });
    expect(login.statusCode).toBe(200);
    expect(login.json()).toMatchObject({ role: "employer", employerId: e.id, mustChangePassword: true });
    const outside = await t.request(qinhuai, {
      method: "POST",
      url: `/api/v1/employers/${e.id}/accounts`,
      payload: { username: "hr.outside", displayName: "x" },
    });
    expect(outside.statusCode).toBe(404);
  });

  it("lists the 20 sections and 97 divisions of GB/T 4754-2017", async () => {
    const res = await t.request(xuanwu, { method: "GET", url: "/api/v1/industries" });
    const rows = res.json() as Array<{ level: string }>;
    expect(rows.filter((r) => r.level === "section")).toHaveLength(20);
    expect(rows.filter((r) => r.level === "division")).toHaveLength(97);
  });

  it("exports the filtered list masked, with formulas neutralised, within the worker's region", async () => {
    const formula = await t.request(xuanwu, {
      method: "POST",
      url: "/api/v1/employers",
      payload: body({ name: '=HYPERLINK("http://x")有限公司', contactPhone: "13700001234" }),
    });
    expect(formula.statusCode).toBe(201);
    const res = await t.request(xuanwu, { method: "GET", url: "/api/v1/employers/export?format=csv" });
    expect(res.statusCode).toBe(200);
    const text = res.rawPayload.subarray(3).toString("utf8");
    expect(text.startsWith("单位名称,统一社会信用代码")).toBe(true);
    expect(text).toContain(`"'=HYPERLINK(""http://x"")有限公司"`);
    expect(text).toContain("137****1234");
    expect(text).not.toContain("13700001234");
    const other = await t.request(qinhuai, { method: "GET", url: "/api/v1/employers/export?format=csv" });
    expect(other.rawPayload.subarray(3).toString("utf8")).not.toContain("HYPERLINK");
  });
});
