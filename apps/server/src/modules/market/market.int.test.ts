import { ExcelJS } from "@jiuye/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRandom, syntheticIdNumber } from "../../seed/factories.ts";
import { createTestApp, type TestApp, type TestSession } from "../../testing/harness.ts";

let t: TestApp;
let employer: TestSession;
let xuanwu: TestSession;
let qinhuai: TestSession;
let analyst: TestSession;
const rnd = createRandom(1414);

async function publish(over: Record<string, unknown>) {
  const created = await t.request(employer, {
    method: "POST",
    url: "/api/v1/postings",
    payload: {
      title: "岗位",
      occupationCode: "6-31-01-03",
      description: "负责设备日常维护与巡检，按规程作业。",
      headcount: 1,
      regionCode: "320102003",
      salaryType: "monthly",
      salaryMinFen: 600_000,
      salaryMaxFen: 700_000,
      contractType: "fixed_term",
      workType: "full_time",
      validUntil: "2027-03-31",
      ...over,
    },
  });
  expect(created.statusCode, created.body).toBe(201);
  const sub = await t.request(employer, { method: "POST", url: `/api/v1/postings/${created.json().id}/submit` });
  expect(sub.json().status).toBe("published");
  return created.json().id as string;
}

async function seeker(occupations: string[], community = "320102003001") {
  const person = await t.request(xuanwu, {
    method: "POST",
    url: "/api/v1/persons",
    payload: {
      name: "求职者",
      idNumber: syntheticIdNumber(rnd, "320102", "1991-01-01", "male"),
      residenceRegionCode: community,
    },
  });
  expect(person.statusCode, person.body).toBe(201);
  const s = await t.request(xuanwu, {
    method: "POST",
    url: "/api/v1/seekers",
    payload: { personId: person.json().id, occupations },
  });
  expect(s.statusCode, s.body).toBe(201);
}

beforeAll(async () => {
  t = await createTestApp();
  employer = await t.signIn("employer");
  xuanwu = await t.signIn("case_worker", { regionCode: "320102" });
  qinhuai = await t.signIn("case_worker", { regionCode: "320104" });
  analyst = await t.signIn("analyst", { regionCode: "3201" });
  // 10 electrician postings with 1 vacancy each, pay 6000–15000 (midpoints 6500 … 15500)
  for (let i = 0; i < 10; i++)
    await publish({ salaryMinFen: (6000 + i * 1000) * 100, salaryMaxFen: (7000 + i * 1000) * 100 });
  // 3 cashier postings with 2 vacancies each
  for (let i = 0; i < 3; i++)
    await publish({ occupationCode: "4-01-02-04", headcount: 2, description: "负责收银与顾客服务，排班制。" });
  // 4 electrician seekers (one also wants cashier work), 2 cashier seekers
  await seeker(["6-31-01-03"]);
  await seeker(["6-31-01-03"]);
  await seeker(["6-31-01-01"]);
  await seeker(["6-31-01-03", "4-01-02-04"]);
  await seeker(["4-01-02-04"]);
  await seeker(["4-01-02-04"]);
});
afterAll(async () => {
  await t.close();
});

describe("market indicators", () => {
  it("求人倍率 by occupation group shows its inputs: vacancies ÷ seekers", async () => {
    const res = await t.request(xuanwu, {
      method: "GET",
      url: "/api/v1/market/vacancy-ratio?by=middle&quarter=2026Q4",
    });
    expect(res.statusCode, res.body).toBe(200);
    const rows = res.json().rows as Array<{ key: string; vacancies: number; seekers: number; ratio: number }>;
    expect(rows.find((r) => r.key === "6-31")).toMatchObject({ vacancies: 10, seekers: 4, ratio: 2.5 });
    expect(rows.find((r) => r.key === "4-01")).toMatchObject({ vacancies: 6, seekers: 3, ratio: 2 });
    expect(res.json().total).toMatchObject({ vacancies: 16, seekers: null });
    const byRegion = (
      await t.request(xuanwu, { method: "GET", url: "/api/v1/market/vacancy-ratio?quarter=2026Q4" })
    ).json();
    expect(byRegion.rows).toEqual([
      expect.objectContaining({ key: "320102003", vacancies: 16, seekers: 6, ratio: 2.67 }),
    ]);
    expect(byRegion.total).toEqual({ vacancies: 16, seekers: 6, ratio: 2.67 });
    // another quarter has none of this activity
    const earlier = (
      await t.request(xuanwu, { method: "GET", url: "/api/v1/market/vacancy-ratio?quarter=2026Q2" })
    ).json();
    expect(earlier.total).toEqual({ vacancies: 0, seekers: 0, ratio: null });
  });

  it("工资价位 publishes percentiles only behind enough postings", async () => {
    const res = await t.request(analyst, { method: "GET", url: "/api/v1/market/wages?level=detailed&quarter=2026Q4" });
    expect(res.statusCode, res.body).toBe(200);
    const rows = res.json().rows as Array<{ key: string; postings: number; shown: boolean; values: number[] | null }>;
    const electrician = rows.find((r) => r.key === "6-31-01-03");
    // midpoints 6500, 7500, …, 15500 元: P10 = 6500 + 0.9 × 1000, P50 = (10500 + 11500) / 2
    expect(electrician).toMatchObject({ postings: 10, shown: true });
    expect(electrician?.values).toEqual([740_000, 875_000, 1_100_000, 1_325_000, 1_460_000]);
    expect(rows.find((r) => r.key === "4-01-02-04")).toMatchObject({ postings: 3, shown: false, values: null });
  });

  it("stays in the caller's region and exports a workbook", async () => {
    expect(
      (await t.request(qinhuai, { method: "GET", url: "/api/v1/market/vacancy-ratio?regionCode=320102" })).statusCode,
    ).toBe(404);
    const theirs = (
      await t.request(qinhuai, { method: "GET", url: "/api/v1/market/vacancy-ratio?quarter=2026Q4" })
    ).json();
    expect(theirs.total.vacancies).toBe(0);
    const bad = await t.request(xuanwu, { method: "GET", url: "/api/v1/market/vacancy-ratio?quarter=2026Q5" });
    expect(bad.statusCode).toBe(400);
    const file = await t.request(xuanwu, {
      method: "GET",
      url: "/api/v1/market/export?kind=vacancy-ratio&by=middle&quarter=2026Q4",
    });
    expect(file.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet("求人倍率");
    const cells = (ws?.getSheetValues() ?? []).filter(Boolean).map((r) => (r as unknown[]).slice(1));
    expect(cells[0]).toEqual(["代码", "名称", "岗位需求人数", "岗位数", "求职人数", "求人倍率"]);
    expect(cells.find((r) => r[0] === "6-31")).toEqual(["6-31", "生产辅助人员", 10, 10, 4, 2.5]);
  });
});
