import { findUnmaskedIdentifiers } from "@jiuye/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp, type TestSession } from "../../testing/harness.ts";
import { sheetRows } from "../../testing/sheets.ts";

let t: TestApp;
let xuanwu: TestSession; // 玄武区 (320102)
let qinhuai: TestSession; // 秦淮区 (320104)
const people: Record<string, { id: string; idNumber: string }> = {};
let correctedEventId = "";

const post = (s: TestSession, id: string, payload: object) =>
  t.request(s, { method: "POST", url: `/api/v1/persons/${id}/ledger`, payload });
const list = (s: TestSession, query = "") => t.request(s, { method: "GET", url: `/api/v1/ledger${query}` });

beforeAll(async () => {
  t = await createTestApp();
  xuanwu = await t.signIn("case_worker", { regionCode: "320102" });
  qinhuai = await t.signIn("case_worker", { regionCode: "320104" });
  people.wang = await t.createPerson({ birthDate: "1990-03-01", name: "王晓东" });
  people.li = await t.createPerson({ birthDate: "1988-06-15", sex: "female", name: "李静" });
  people.zhao = await t.createPerson({ birthDate: "1995-01-20", name: "赵磊" });
  people.qin = await t.createPerson({ birthDate: "1992-09-09", name: "秦远", residenceRegionCode: "320104001001" });

  const ok = async (p: Promise<{ statusCode: number; json(): { event: { id: string } } }>) => {
    const r = await p;
    expect(r.statusCode).toBe(201);
    return r.json().event.id;
  };
  await ok(
    post(xuanwu, people.wang.id, {
      type: "employment",
      date: "2026-03-02",
      form: "employer",
      employerName: '=HYPERLINK("http://x","南京钟山科技有限公司")',
      employerCreditCode: "91320102MA1XXXXX0Y",
      contractType: "fixed_term",
    }),
  );
  await ok(post(xuanwu, people.li.id, { type: "unemployment", date: "2026-05-10", ableAndWilling: true }));
  await ok(post(xuanwu, people.li.id, { type: "employment", date: "2026-08-01", form: "flexible" }));
  correctedEventId = await ok(
    post(xuanwu, people.zhao.id, { type: "unemployment", date: "2026-10-05", ableAndWilling: true }),
  );
  await ok(
    post(xuanwu, people.zhao.id, {
      type: "correction",
      date: "2026-10-06",
      correctsEventId: correctedEventId,
      reason: "wrong_entry",
      note: "录入错误，本人未到场",
    }),
  );
  await ok(post(qinhuai, people.qin.id, { type: "unemployment", date: "2026-09-01", ableAndWilling: true }));
});
afterAll(async () => {
  expect(t.maskingViolations).toEqual([]);
  await t.close();
});

describe("实名台账: the ledger as a list", () => {
  it("lists the events of people in the caller's region only, newest first, masked, with labels", async () => {
    const res = await list(xuanwu);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    // 王: 1 event; 李: unemployment, its automatic end on employment, employment; 赵: unemployment + correction
    expect(body.total).toBe(6);
    expect(body.totalCapped).toBe(false);
    const dates = body.items.map((e: { date: string }) => e.date);
    expect(dates).toEqual([...dates].sort().reverse());
    expect(body.items.map((e: { personName: string }) => e.personName)).not.toContain("秦远");
    for (const e of body.items) expect(e.idNumberMasked).toMatch(/^\d{3}\*{11}[\dX]{4}$/);
    expect(findUnmaskedIdentifiers(res.body)).toEqual([]);

    const zhao = body.items.filter((e: { personId: string }) => e.personId === people.zhao.id);
    expect(zhao.map((e: { typeLabel: string; voided: boolean }) => [e.typeLabel, e.voided])).toEqual([
      ["更正", false],
      ["失业登记", true],
    ]);
    expect(zhao[0].summary).toBe("更正：作废2026-10-05 的失业登记（录入错误，本人未到场）");
    const li = body.items.filter((e: { personId: string }) => e.personId === people.li.id);
    expect(li.map((e: { type: string; reason: string | null }) => [e.type, e.reason])).toEqual(
      expect.arrayContaining([
        ["employment", null],
        ["unemployment_end", "employed"],
        ["unemployment", null],
      ]),
    );
    expect(await t.auditCount("ledger.list")).toBeGreaterThanOrEqual(1);

    // the other district sees only its own person
    const other = (await list(qinhuai)).json();
    expect(other.items.map((e: { personName: string }) => e.personName)).toEqual(["秦远"]);
  });

  it("filters by type, dates, name, employer and office region, and pages", async () => {
    const unemployed = (await list(xuanwu, "?type=unemployment")).json();
    expect(unemployed.items.map((e: { personName: string }) => e.personName).sort()).toEqual(["李静", "赵磊"]);

    const autumn = (await list(xuanwu, "?from=2026-08-01&to=2026-10-05")).json();
    expect(autumn.items.map((e: { date: string }) => e.date).sort()).toEqual([
      "2026-08-01",
      "2026-08-01",
      "2026-10-05",
    ]);

    expect((await list(xuanwu, `?q=${encodeURIComponent("晓东")}`)).json().total).toBe(1);
    // LIKE metacharacters are matched literally, not as wildcards
    expect((await list(xuanwu, `?q=${encodeURIComponent("%")}`)).json().total).toBe(0);
    expect((await list(xuanwu, `?employer=${encodeURIComponent("_")}`)).json().total).toBe(0);
    expect((await list(xuanwu, "?employer=91320102ma1xxxxx0y")).json().items[0].personName).toBe("王晓东");
    expect((await list(xuanwu, `?employer=${encodeURIComponent("钟山科技")}`)).json().total).toBe(1);
    // a region outside the caller's subtree narrows to nothing; it never widens the scope
    expect((await list(xuanwu, "?regionCode=320104")).json().total).toBe(0);
    expect((await list(xuanwu, "?regionCode=320102003")).json().total).toBe(6);

    const page1 = (await list(xuanwu, "?pageSize=4")).json();
    const page2 = (await list(xuanwu, "?pageSize=4&page=2")).json();
    expect(page1.items).toHaveLength(4);
    expect(page2.items).toHaveLength(2);
    const ids = [...page1.items, ...page2.items].map((e: { id: string }) => e.id);
    expect(new Set(ids).size).toBe(6);
  });

  it("refuses bad filters with the field named, and other roles", async () => {
    const reversed = await list(xuanwu, "?from=2026-10-01&to=2026-09-01");
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().errors[0]).toMatchObject({ field: "querystring.to", message: "截止日期不能早于起始日期" });
    const badType = await list(xuanwu, "?type=hired");
    expect(badType.statusCode).toBe(400);
    expect(badType.json().errors[0].field).toBe("querystring.type");
    const badDate = await list(xuanwu, "?from=2026-13-01");
    expect(badDate.statusCode).toBe(400);
    expect(badDate.json().errors[0].field).toBe("querystring.from");
    const individual = await t.signIn("individual", { personId: people.wang.id });
    expect((await list(individual)).statusCode).toBe(403);
  });

  it("exports the filtered register to .xlsx, masked, formulas neutralised, audited", async () => {
    const before = await t.auditCount("ledger.export");
    const res = await t.request(xuanwu, { method: "GET", url: "/api/v1/ledger/export?format=xlsx" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-disposition"]).toContain(encodeURIComponent("就业失业登记台账.xlsx"));
    const rows = await sheetRows(res.rawPayload);
    expect(rows[0]!.slice(0, 5)).toEqual(["姓名", "公民身份号码", "手机号码", "登记类型", "登记日期"]);
    expect(rows).toHaveLength(7);
    for (const r of rows.slice(1)) {
      expect(r[1]).toMatch(/^\d{3}\*{11}[\dX]{4}$/);
      for (const cell of r) expect(/^[=+\-@\t\r]/.test(cell), cell).toBe(false);
    }
    const wang = rows.find((r) => r[0] === "王晓东")!;
    expect(wang[8]).toBe('\'=HYPERLINK("http://x","南京钟山科技有限公司")');
    expect(wang[10]).toBe("固定期限");
    expect(rows.find((r) => r[3] === "失业登记" && r[0] === "赵磊")![14]).toBe("是");
    expect(findUnmaskedIdentifiers(rows.flat().join(" "))).toEqual([]);
    expect(await t.auditCount("ledger.export")).toBe(before + 1);
  });

  it("exports full ID numbers only with a listed purpose, recording purpose and row count", async () => {
    const before = await t.auditCount("ledger.export_unmasked");
    const bad = await t.request(xuanwu, {
      method: "POST",
      url: "/api/v1/ledger/export",
      payload: { format: "csv", purpose: "curiosity" },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe("purpose");
    expect(await t.auditCount("ledger.export_unmasked")).toBe(before);

    const res = await t.request(xuanwu, {
      method: "POST",
      url: "/api/v1/ledger/export",
      payload: { format: "csv", purpose: "benefit_payment", type: "unemployment" },
    });
    expect(res.statusCode).toBe(200);
    expect([...res.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = res.body.trim().split("\r\n");
    expect(lines).toHaveLength(3);
    expect(res.body).toContain(people.li.idNumber);
    expect(res.body).toContain(people.zhao.idNumber);
    expect(res.body).not.toContain(people.wang.idNumber);
    const audit = await t.db
      .selectFrom("audit_log")
      .select(["purpose", "detail"])
      .where("action", "=", "ledger.export_unmasked")
      .executeTakeFirstOrThrow();
    expect(audit.purpose).toBe("benefit_payment");
    expect((typeof audit.detail === "string" ? JSON.parse(audit.detail) : audit.detail).rows).toBe(2);
  });
});

describe("实名台账 counts", () => {
  it("counts matching events up to a cap and says when there are more, the page unchanged", async () => {
    const { ledgerRepository } = await import("./ledger.repository.ts");
    const scope = { kind: "region", prefix: "320102" } as const;
    const exact = await ledgerRepository.register(t.db, scope, {}, 1, 4, 10);
    expect(exact).toMatchObject({ total: 6, capped: false });
    const atCap = await ledgerRepository.register(t.db, scope, {}, 1, 4, 6);
    expect(atCap).toMatchObject({ total: 6, capped: false });
    const capped = await ledgerRepository.register(t.db, scope, {}, 1, 4, 5);
    expect(capped).toMatchObject({ total: 5, capped: true });
    expect(capped.rows.map((r) => r.id)).toEqual(exact.rows.map((r) => r.id));
    expect(capped.rows).toHaveLength(4);
  });
});
