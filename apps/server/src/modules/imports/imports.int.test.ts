import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { creditCodeCheckChar, findUnmaskedIdentifiers, idNumberCheckChar } from "@jiuye/domain";
import iconv from "iconv-lite";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "../../lib/exceljs.ts";
import { createRandom, syntheticPerson } from "../../seed/factories.ts";
import { createTestApp, type TestApp, type TestSession } from "../../testing/harness.ts";
import { sheetRows } from "../../testing/sheets.ts";

let t: TestApp;
let worker: TestSession; // 玄武区 320102
let other: TestSession; // 秦淮区 320104
let dataDir: string;
const rnd = createRandom(2021);
const HEADER = ["姓名", "公民身份号码", "手机号码", "常住地区划代码", "学历", "户籍类型", "户籍地区划代码"];

function goodRow(region = "320102003001"): string[] {
  const p = syntheticPerson(rnd, region);
  return [p.name, p.idNumber, p.phone, region, "大学本科", "城镇", "320102"];
}
/** A roster row as the error report shows it: row number, name, numbers masked, region. */
const reportedAs = (rowNo: number, r: string[]) => [
  String(rowNo),
  r[0],
  `${r[1]!.slice(0, 3)}***********${r[1]!.slice(14)}`,
  `${r[2]!.slice(0, 3)}****${r[2]!.slice(7)}`,
  r[3],
];
const badChecksum = (row: string[]) => {
  const id = row[1]!;
  return [row[0]!, id.slice(0, 17) + (idNumberCheckChar(id.slice(0, 17)) === "1" ? "2" : "1"), ...row.slice(2)];
};
const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const csv = (rows: string[][]) => rows.map((r) => r.map(quote).join(",")).join("\r\n");

async function upload(s: TestSession, name: string, body: Buffer, query = "kind=persons") {
  return t.request(s, {
    method: "POST",
    url: `/api/v1/imports?${query}`,
    payload: body as unknown as object,
    headers: { "content-type": "application/octet-stream", "x-file-name": encodeURIComponent(name) },
  });
}

async function settle(s: TestSession, id: string) {
  for (let i = 0; i < 400; i++) {
    const j = (await t.request(s, { method: "GET", url: `/api/v1/imports/${id}` })).json();
    if (["committed", "failed"].includes(j.status) || (j.status === "staged" && j.dryRun)) return j;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("import did not settle");
}

const personCount = async () =>
  (await sql<{ n: number }>`select count(*)::int as n from persons`.execute(t.db)).rows[0]!.n;

/** Registers a roster row's person through the API's form (by name and ID number only); their id. */
async function registerThroughForm(row: string[]): Promise<string> {
  const created = await t.request(worker, {
    method: "POST",
    url: "/api/v1/persons",
    payload: { name: row[0], idNumber: row[1], residenceRegionCode: "320102003001" },
  });
  expect(created.statusCode).toBe(201);
  return created.json().id;
}

async function reportRows(s: TestSession, id: string) {
  const res = await t.request(s, { method: "GET", url: `/api/v1/imports/${id}/report` });
  expect(res.statusCode).toBe(200);
  return { rows: await sheetRows(res.rawPayload, "错误报告"), raw: res.rawPayload };
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "jiuye-import-"));
  t = await createTestApp({ config: { JIUYE_DATA_DIR: dataDir, JIUYE_IMPORT_MAX_BYTES: String(64 * 1024) } });
  worker = await t.signIn("case_worker", { regionCode: "320102" });
  other = await t.signIn("case_worker", { regionCode: "320104" });
});
afterAll(async () => {
  expect(t.maskingViolations).toEqual([]);
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("花名册 import", () => {
  it("serves an .xlsx template with Chinese headers, text-formatted columns, dropdowns and instructions", async () => {
    const res = await t.request(worker, { method: "GET", url: "/api/v1/imports/templates/persons" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-disposition"]).toContain("filename*=UTF-8''");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet("花名册")!;
    expect((sheet.getRow(1).values as string[]).slice(1)).toEqual([
      "*姓名",
      "*公民身份号码",
      "手机号码",
      "*常住地区划代码",
      "学历",
      "户籍类型",
      "户籍地区划代码",
    ]);
    expect(sheet.getColumn(2).numFmt).toBe("@");
    const validations = (sheet as unknown as { dataValidations: { model: Record<string, { formulae: string[] }> } })
      .dataValidations.model;
    expect(Object.values(validations).map((v) => v.formulae[0])).toContain('"城镇,农村"');
    expect(wb.getWorksheet("填写说明")).toBeDefined();
  });

  it("dry-runs a CSV with bad rows (nothing written), reports them masked, then commits the rest", async () => {
    const good = [goodRow(), goodRow("320102003"), goodRow()];
    const dup = good[0]!;
    const rows = [
      HEADER,
      good[0]!,
      badChecksum(goodRow()),
      good[1]!,
      ['=HYPERLINK("http://x")', ...goodRow().slice(1)],
      goodRow("320104001"),
      dup,
      good[2]!,
      [goodRow()[0]!, goodRow()[1]!, "12345", "320102003001", "博士后", "城镇", ""],
    ];
    const before = await personCount();
    const res = await upload(worker, "玄武区花名册.csv", Buffer.from(csv(rows)), "kind=persons&dryRun=true");
    expect(res.statusCode).toBe(202);
    const staged = await settle(worker, res.json().id);
    expect(staged).toMatchObject({ status: "staged", totalRows: 8, acceptedRows: 3, rejectedRows: 5, dryRun: true });
    expect(await personCount()).toBe(before);

    const { rows: report, raw } = await reportRows(worker, staged.id);
    expect(report[0]).toEqual(["行号", ...HEADER, "错误原因"]);
    const byLine = Object.fromEntries(report.slice(1).map((r) => [r[0], r]));
    expect(Object.keys(byLine).sort()).toEqual(["3", "5", "6", "7", "9"]);
    expect(byLine["3"]!.at(-1)).toContain("【公民身份号码】");
    expect(byLine["5"]![1]).toBe('\'=HYPERLINK("http://x")');
    expect(byLine["6"]!.at(-1)).toContain("不在您的管辖范围内");
    expect(byLine["7"]!.at(-1)).toContain("与本文件第 2 行的公民身份号码重复");
    expect(byLine["9"]!.at(-1)).toMatch(/【手机号码】.*；【学历】/);
    expect(byLine["3"]![2]).toMatch(/^\d{3}\*{11}[\dX]{4}$/);
    // every cell of every sheet (the file itself is a zip: its bytes say nothing)
    const whole = new ExcelJS.Workbook();
    await whole.xlsx.load(raw as unknown as ArrayBuffer);
    const cells: string[] = [];
    for (const ws of whole.worksheets)
      ws.eachRow((r) => cells.push(...(r.values as unknown[]).map((v) => String(v ?? ""))));
    expect(cells.length).toBeGreaterThan(8 * 5);
    expect(findUnmaskedIdentifiers(cells.join(" "))).toEqual([]);

    const commit = await t.request(worker, { method: "POST", url: `/api/v1/imports/${staged.id}/commit`, payload: {} });
    expect(commit.statusCode).toBe(202);
    const done = await settle(worker, staged.id);
    expect(done).toMatchObject({
      status: "committed",
      acceptedRows: 3,
      rejectedRows: 5,
      committedRows: 3,
      totalRows: 8,
    });
    expect(await personCount()).toBe(before + 3);
    const p = await t.db
      .selectFrom("persons")
      .selectAll()
      .where("residence_region_code", "=", "320102003")
      .executeTakeFirstOrThrow();
    expect(p).toMatchObject({ education: "bachelor", hukou_type: "urban", province_code: "32" });
    expect(p.id_number_enc).not.toContain(good[1]![1]);

    // the same file again: the same job, nothing new
    const again = await upload(worker, "玄武区花名册（副本）.csv", Buffer.from(csv(rows)));
    expect(again.json()).toMatchObject({ id: staged.id, reused: true, status: "committed" });
    expect(await personCount()).toBe(before + 3);
  });

  it("a dry run rejects people already registered, and its commit stores each person findable by ID number", async () => {
    const rows = [HEADER, goodRow(), goodRow(), goodRow()];
    const taken = rows[2]!;
    await registerThroughForm(taken);
    const staged = await settle(
      worker,
      (await upload(worker, "已有人员.csv", Buffer.from(csv(rows)), "kind=persons&dryRun=true")).json().id,
    );
    expect(staged).toMatchObject({ status: "staged", acceptedRows: 2, rejectedRows: 1, totalRows: 3 });
    const { rows: dryReport } = await reportRows(worker, staged.id);
    expect(dryReport.slice(1).map((r) => [r[0], r.at(-1)])).toEqual([
      ["3", "【公民身份号码】该公民身份号码已登记，未重复导入"],
    ]);
    await t.request(worker, { method: "POST", url: `/api/v1/imports/${staged.id}/commit`, payload: {} });
    expect(await settle(worker, staged.id)).toMatchObject({ status: "committed", committedRows: 2 });
    // each imported person is found by the blind index of their own ID number, and only they are
    for (const row of [rows[1]!, rows[3]!]) {
      const found = (await t.request(worker, { method: "GET", url: `/api/v1/persons?idNumber=${row[1]}` })).json() as {
        items: Array<{ name: string }>;
      };
      expect(found.items.map((p) => p.name)).toEqual([row[0]]);
    }
  });

  it("a person registered by someone else between dry run and commit is rejected at commit and reported masked", async () => {
    const rows = [HEADER, goodRow(), goodRow(), goodRow()];
    const before = await personCount();
    const staged = await settle(
      worker,
      (await upload(worker, "竞争.csv", Buffer.from(csv(rows)), "kind=persons&dryRun=true")).json().id,
    );
    expect(staged).toMatchObject({ acceptedRows: 3, rejectedRows: 0 });
    // meanwhile a colleague registers the second person through the form
    const taken = rows[2]!;
    await registerThroughForm(taken);
    await t.request(worker, { method: "POST", url: `/api/v1/imports/${staged.id}/commit`, payload: {} });
    const done = await settle(worker, staged.id);
    expect(done).toMatchObject({ status: "committed", committedRows: 2, rejectedRows: 1, totalRows: 3 });
    expect(await personCount()).toBe(before + 3);
    const { rows: report } = await reportRows(worker, staged.id);
    expect(report).toHaveLength(2);
    // shown from the protected payload: the name, the masked number and the region, under their headers
    expect(report[1]!.slice(0, 5)).toEqual(reportedAs(3, taken));
    expect(report[1]!.at(-1)).toBe("【公民身份号码】该公民身份号码已登记（导入期间由他人登记）");
    expect(findUnmaskedIdentifiers(report.flat().join(" "))).toEqual([]);
  });

  it("a real import writes valid rows straight to the registry, keeps only rejected rows, and rejects people already registered", async () => {
    const rows = [HEADER, goodRow(), goodRow(), badChecksum(goodRow()), goodRow(), goodRow()];
    const taken = rows[4]!;
    const registeredId = await registerThroughForm(taken);
    const before = await personCount();
    const done = await settle(worker, (await upload(worker, "直接入库.csv", Buffer.from(csv(rows)))).json().id);
    expect(done).toMatchObject({
      status: "committed",
      totalRows: 5,
      acceptedRows: 3,
      committedRows: 3,
      rejectedRows: 2,
    });
    expect(await personCount()).toBe(before + 3);
    const kept = await t.db
      .selectFrom("import_rows")
      .select(["row_no", "status"])
      .where("job_id", "=", done.id)
      .orderBy("row_no")
      .execute();
    expect(kept).toEqual([
      { row_no: 4, status: "rejected" },
      { row_no: 5, status: "rejected" },
    ]);
    const job = await t.db.selectFrom("import_jobs").selectAll().where("id", "=", done.id).executeTakeFirstOrThrow();
    expect(job).toMatchObject({ direct: true, file_path: null, committed_through: 6 });
    // the registered person is reported from the protected payload: masked, never in plain text
    const { rows: report } = await reportRows(worker, done.id);
    expect(report.slice(1).map((r) => r[0])).toEqual(["4", "5"]);
    expect(report[2]!.slice(0, 5)).toEqual(reportedAs(5, taken));
    expect(report[2]!.at(-1)).toBe("【公民身份号码】该公民身份号码已登记，未重复导入");
    expect(findUnmaskedIdentifiers(report.flat().join(" "))).toEqual([]);
    // the one already registered keeps their own record (registered without the roster's phone)
    const mine = await t.db
      .selectFrom("persons")
      .select(["phone_masked", "residence_region_code"])
      .where("id", "=", registeredId)
      .executeTakeFirstOrThrow();
    expect(mine).toEqual({ phone_masked: null, residence_region_code: "320102003001" });
  });

  it("reads GB18030 CSV (Excel's default in China) and .xlsx, committing in chunks", async () => {
    const rows = [HEADER, goodRow(), goodRow()];
    const gb = iconv.encode(csv(rows), "gb18030");
    const before = await personCount();
    const a = await settle(worker, (await upload(worker, "gbk.csv", gb)).json().id);
    expect(a).toMatchObject({ status: "committed", committedRows: 2, rejectedRows: 0 });
    const names = await t.db
      .selectFrom("persons")
      .select("name")
      .where("name", "in", [rows[1]![0]!, rows[2]![0]!])
      .execute();
    expect(names).toHaveLength(2);

    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("填写说明");
    ws.addRow(["说明"]);
    const data = wb.addWorksheet("花名册");
    data.addRow(HEADER);
    for (let i = 0; i < 5; i++) data.addRow(goodRow());
    data.addRow(["数字身份证", 320102199001010000, "", "320102003001", "", "", ""]);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    const b = await settle(worker, (await upload(worker, "roster.xlsx", xlsx, "kind=persons&mode=chunked")).json().id);
    expect(b).toMatchObject({ status: "committed", mode: "chunked", committedRows: 5, rejectedRows: 1, totalRows: 6 });
    const { rows: report } = await reportRows(worker, b.id);
    expect(report[1]!.at(-1)).toContain("存成了数字");
    expect(await personCount()).toBe(before + 7);
  });

  it("keeps jobs and reports to their owner, and refuses files that are too big, zip bombs and other formats", async () => {
    const mine = await settle(worker, (await upload(worker, "x.csv", Buffer.from(csv([HEADER, goodRow()])))).json().id);
    expect((await t.request(other, { method: "GET", url: `/api/v1/imports/${mine.id}` })).statusCode).toBe(404);
    expect((await t.request(other, { method: "GET", url: `/api/v1/imports/${mine.id}/report` })).statusCode).toBe(404);

    const jobs = async () =>
      (await sql<{ n: number }>`select count(*)::int as n from import_jobs`.execute(t.db)).rows[0]!.n;
    const before = await jobs();
    const big = await upload(worker, "big.csv", Buffer.alloc(100 * 1024, 0x41));
    expect(big.statusCode).toBe(413);
    expect(big.json().code).toBe("IMPORT_FILE_TOO_LARGE");

    // a central directory that declares 600 MB inflating from 1 KB
    const cd = Buffer.alloc(46 + 8);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt32LE(1024, 20);
    cd.writeUInt32LE(600 * 1024 * 1024, 24);
    cd.writeUInt16LE(8, 28);
    cd.write("xl/a.xml", 46, "latin1");
    const eocd = Buffer.alloc(22);
    eocd.writeUInt32LE(0x06054b50, 0);
    eocd.writeUInt16LE(1, 8);
    eocd.writeUInt16LE(1, 10);
    eocd.writeUInt32LE(cd.length, 12);
    eocd.writeUInt32LE(100, 16);
    const bomb = Buffer.concat([Buffer.alloc(100), cd, eocd]);
    const b = await upload(worker, "bomb.xlsx", bomb);
    expect(b.statusCode).toBe(413);
    expect(b.json().errors[0].message).toContain("压缩");

    const xls = await upload(worker, "old.xls", Buffer.from("abc"));
    expect(xls.statusCode).toBe(422);
    expect(xls.json()).toMatchObject({ code: "IMPORT_FILE_INVALID" });
    expect(xls.json().errors[0].message).toContain(".xlsx");
    expect(await jobs()).toBe(before);

    const headerless = await settle(
      worker,
      (await upload(worker, "wrong.csv", Buffer.from("名字,号码\r\n张三,1"))).json().id,
    );
    expect(headerless.status).toBe("failed");
    expect(headerless.error).toContain("公民身份号码");
  });

  it("imports into the worker's region only: rows for another region are rejected, not created", async () => {
    const before = await personCount();
    const j = await settle(
      other,
      (
        await upload(other, "qinhuai.csv", Buffer.from(csv([HEADER, goodRow("320102003001"), goodRow("320104001")])))
      ).json().id,
    );
    expect(j).toMatchObject({ status: "committed", committedRows: 1, rejectedRows: 1 });
    expect(await personCount()).toBe(before + 1);
    // the row for the other region (line 2) is the rejected one, with the reason
    const { rows: report } = await reportRows(other, j.id);
    expect(report.slice(1).map((r) => [r[0], r.at(-1)])).toEqual([["2", "【常住地区划代码】常住地不在您的管辖范围内"]]);
  });

  it("imports an employer roster: credit code checksum, GB/T 4754 industry, region scope, no duplicates", async () => {
    const code = (n: number) => {
      const first17 = `91320102MA1EMP${String(n).padStart(3, "0")}`;
      return first17 + creditCodeCheckChar(first17);
    };
    const header = [
      "单位名称",
      "统一社会信用代码",
      "行业代码",
      "单位类型",
      "企业规模",
      "所在地区划代码",
      "职工人数",
      "参保人数",
      "统计日期",
      "联系人",
      "联系电话",
    ];
    const rows = [
      header,
      [
        "南京导入一号物流有限公司",
        code(1),
        "54",
        "私营企业",
        "小型",
        "320102003",
        "40",
        "35",
        "2026-10-31",
        "王经理",
        "13912340001",
      ],
      ["南京导入二号餐饮有限公司", code(2), "62", "个体工商户", "微型", "320102003001", "", "", "", "", ""],
      ["行业错误有限公司", code(3), "99", "私营企业", "", "320102003", "", "", "", "", ""],
      ["辖区外有限公司", code(4), "65", "私营企业", "", "320104001", "", "", "", "", ""],
      [
        "校验位错误有限公司",
        `${code(5).slice(0, 17)}${code(5)[17] === "0" ? "1" : "0"}`,
        "65",
        "私营企业",
        "",
        "320102003",
        "",
        "",
        "",
        "",
        "",
      ],
      ["重复一号", code(1), "54", "私营企业", "", "320102003", "", "", "", "", ""],
    ];
    const before = await t.db
      .selectFrom("employers")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    const res = await upload(worker, "单位花名册.csv", Buffer.from(csv(rows)), "kind=employers");
    expect(res.statusCode).toBe(202);
    const job = await settle(worker, res.json().id);
    expect(job).toMatchObject({
      kind: "employers",
      status: "committed",
      committedRows: 2,
      rejectedRows: 4,
      totalRows: 6,
    });
    const after = await t.db
      .selectFrom("employers")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(after.n) - Number(before.n)).toBe(2);
    const e = await t.db
      .selectFrom("employers")
      .selectAll()
      .where("credit_code", "=", code(1))
      .executeTakeFirstOrThrow();
    expect(e).toMatchObject({
      industry_code: "54",
      ownership: "private",
      size_class: "small",
      contact_phone_masked: "139****0001",
    });
    expect(e.contact_phone_enc).not.toContain("13912340001");
    const { rows: report } = await reportRows(worker, job.id);
    expect(report[0]).toEqual(["行号", ...header, "错误原因"]);
    const reasons = report
      .slice(1)
      .map((r) => r.at(-1))
      .join("\n");
    expect(reasons).toContain("【行业代码】");
    expect(reasons).toContain("不在您的管辖范围内");
    expect(reasons).toContain("【统一社会信用代码】统一社会信用代码校验位不正确");
    expect(reasons).toContain("与本文件第 2 行的统一社会信用代码重复");
    expect(findUnmaskedIdentifiers(report.flat().join(" "))).toEqual([]);

    const template = await t.request(worker, { method: "GET", url: "/api/v1/imports/templates/employers" });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(template.rawPayload as unknown as ArrayBuffer);
    expect((wb.getWorksheet("花名册")!.getRow(1).values as string[]).slice(1, 4)).toEqual([
      "*单位名称",
      "*统一社会信用代码",
      "*行业代码",
    ]);
  });

  it("imports ledger events (就业失业登记) row by row through the ledger rules, rejecting contradictions with the reason", async () => {
    const a = await t.createPerson({ birthDate: "1985-03-01", residenceRegionCode: "320102003001" });
    const b = await t.createPerson({ birthDate: "1986-03-01", residenceRegionCode: "320102003001" });
    const c = await t.createPerson({ birthDate: "1987-03-01", residenceRegionCode: "320104001" });
    const header = [
      "公民身份号码",
      "登记类型",
      "登记日期",
      "就业形式",
      "单位名称",
      "统一社会信用代码",
      "合同类型",
      "注销原因",
      "有劳动能力和就业意愿",
    ];
    const rows = [
      header,
      [a.idNumber, "失业登记", "2026-11-02", "", "", "", "", "", "是"],
      [a.idNumber, "就业登记", "2026-11-10", "灵活就业", "", "", "", "", ""],
      [b.idNumber, "就业登记注销", "2026-11-10", "", "", "", "", "合同期满", ""],
      [c.idNumber, "失业登记", "2026-11-02", "", "", "", "", "", "是"],
      [a.idNumber, "失业登记", "2026-11-11", "", "", "", "", "", "是"],
      [a.idNumber, "补充登记", "2026-11-11", "", "", "", "", "", ""],
    ];
    const res = await upload(worker, "登记花名册.csv", Buffer.from(csv(rows)), "kind=ledger&mode=chunked");
    const job = await settle(worker, res.json().id);
    expect(job).toMatchObject({ kind: "ledger", status: "committed", committedRows: 2, rejectedRows: 4, totalRows: 6 });
    const events = await t.db
      .selectFrom("ledger_events")
      .select(["type", "person_id"])
      .where("person_id", "in", [a.id, b.id, c.id])
      .orderBy("recorded_at")
      .execute();
    expect(
      events
        .filter((e) => e.person_id === a.id)
        .map((e) => e.type)
        .sort(),
    ).toEqual(["employment", "unemployment", "unemployment_end"].sort());
    expect(events.filter((e) => e.person_id !== a.id)).toEqual([]);
    const { rows: report } = await reportRows(worker, job.id);
    const byLine = Object.fromEntries(report.slice(1).map((r) => [r[0], r.at(-1)]));
    expect(Object.keys(byLine).sort()).toEqual(["4", "5", "6", "7"]);
    expect(byLine["5"]).toContain("不在您的辖区");
    expect(byLine["7"]).toContain("【登记类型】");
    expect(byLine["4"]).toContain("本人没有未注销的就业登记");
    expect(byLine["6"]).toContain("请先办理就业登记注销");
  });
});
