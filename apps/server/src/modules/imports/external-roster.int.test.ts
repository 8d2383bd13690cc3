/**
 * Rosters (花名册) of the records other systems own — here 参保记录 and 残疾人证 — through the same
 * import jobs as the registries: a template with Chinese headers and dropdowns, a dry run that
 * reports each bad row under its column (masked), a commit that writes what the API would write,
 * and a second file that updates a record only when its source date is newer.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "../../lib/exceljs.ts";
import { createTestApp, type TestApp, type TestSession } from "../../testing/harness.ts";
import { sheetRows } from "../../testing/sheets.ts";

let t: TestApp;
let worker: TestSession; // 玄武区 320102
let dataDir: string;
let mine: { id: string; idNumber: string };
let elsewhere: { id: string; idNumber: string };

const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const csv = (rows: string[][]) => rows.map((r) => r.map(quote).join(",")).join("\r\n");
const INSURANCE = [
  "来源系统",
  "源系统记录号",
  "公民身份号码",
  "信息日期",
  "险种",
  "单位统一社会信用代码",
  "起始月份",
  "终止月份",
  "缴费基数（元）",
];

async function upload(name: string, body: string, query: string) {
  const res = await t.request(worker, {
    method: "POST",
    url: `/api/v1/imports?${query}`,
    payload: Buffer.from(body) as unknown as object,
    headers: { "content-type": "application/octet-stream", "x-file-name": encodeURIComponent(name) },
  });
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json() as { id: string };
}
async function settle(id: string) {
  for (let i = 0; i < 400; i++) {
    const j = (await t.request(worker, { method: "GET", url: `/api/v1/imports/${id}` })).json();
    if (["committed", "failed"].includes(j.status) || (j.status === "staged" && j.dryRun)) return j;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("import did not settle");
}
async function reportRows(id: string) {
  const res = await t.request(worker, { method: "GET", url: `/api/v1/imports/${id}/report` });
  expect(res.statusCode).toBe(200);
  return sheetRows(res.rawPayload, "错误报告");
}
const spells = async (personId: string) =>
  (
    await sql<{
      fund: string;
      from_month: string;
      to_month: string | null;
      base_fen: string | null;
      source_date: string;
    }>`
      select fund, from_month, to_month, base_fen::text, to_char(source_date, 'YYYY-MM-DD') as source_date
      from insurance_spells where person_id = ${personId} order by source_record_id`.execute(t.db)
  ).rows;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "jiuye-external-roster-"));
  t = await createTestApp({ config: { JIUYE_DATA_DIR: dataDir } });
  worker = await t.signIn("case_worker", { regionCode: "320102" });
  mine = await t.createPerson({ birthDate: "1985-04-04", residenceRegionCode: "320102003001" });
  elsewhere = await t.createPerson({ birthDate: "1986-05-05", residenceRegionCode: "320104001001" });
});
afterAll(async () => {
  expect(t.maskingViolations).toEqual([]);
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("花名册 of other systems' records", () => {
  it("serves a template per kind with the Chinese headers and option lists", async () => {
    const res = await t.request(worker, { method: "GET", url: "/api/v1/imports/templates/insurance" });
    expect(res.statusCode).toBe(200);
    expect(decodeURIComponent(String(res.headers["content-disposition"]))).toContain("参保记录花名册模板.xlsx");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1).map((v) => String(v).replace(/[*＊]/g, ""));
    expect(header).toEqual(INSURANCE);
    const fundCol = header.indexOf("险种") + 1;
    const validation = sheet.getCell(2, fundCol).dataValidation;
    expect(JSON.stringify(validation.formulae)).toContain("失业");
  });

  it("dry run reports every bad row under its column; the commit writes the records; a newer file updates only what is newer", async () => {
    const rows = [
      INSURANCE,
      ["js-si", "SI-1", mine.idNumber, "2026-10-01", "失业", "", "2018-01", "2026-02", "5000"],
      ["js-si", "SI-2", mine.idNumber, "2026-10-01", "养老", "", "2020-01", "", "4800.50"],
      ["js-si", "SI-3", mine.idNumber, "2026-10-01", "生育", "", "2020-01", "", ""],
      ["js-si", "SI-4", mine.idNumber, "2026-10-01", "医疗", "", "2020-13", "", ""],
      ["js-si", "SI-5", elsewhere.idNumber, "2026-10-01", "医疗", "", "2020-01", "", ""],
      ["JS SI", "SI-6", mine.idNumber, "2026-10-01", "医疗", "", "2020-01", "", "abc"],
    ];
    const dry = await upload("参保记录.csv", csv(rows), "kind=insurance&dryRun=true");
    const staged = await settle(dry.id);
    expect(staged).toMatchObject({ status: "staged", totalRows: 6, acceptedRows: 2, rejectedRows: 4 });
    expect(await spells(mine.id)).toEqual([]);
    const report = await reportRows(dry.id);
    const text = report.map((r) => r.join(" ")).join("\n");
    expect(text).toContain("“险种”应为：养老、失业、医疗、工伤");
    expect(text).toContain("月份格式应为 YYYY-MM");
    expect(text).toContain("不在您的辖区");
    expect(text).toContain("“缴费基数（元）”应为金额");
    // the report never shows a full ID number
    expect(text).not.toContain(mine.idNumber);
    expect(text).not.toContain(elsewhere.idNumber);

    const commit = await t.request(worker, { method: "POST", url: `/api/v1/imports/${dry.id}/commit`, payload: {} });
    expect(commit.statusCode, commit.body).toBeLessThan(300);
    expect(await settle(dry.id)).toMatchObject({ status: "committed", acceptedRows: 2, rejectedRows: 4 });
    expect(await spells(mine.id)).toEqual([
      {
        fund: "unemployment",
        from_month: "2018-01",
        to_month: "2026-02",
        base_fen: "500000",
        source_date: "2026-10-01",
      },
      { fund: "pension", from_month: "2020-01", to_month: null, base_fen: "480050", source_date: "2026-10-01" },
    ]);

    // the system sends a newer roster: SI-2 has ended (newer date), SI-1 is the same again (older date wins nothing)
    const next = [
      INSURANCE,
      ["js-si", "SI-1", mine.idNumber, "2026-09-01", "失业", "", "2018-01", "2026-03", "5000"],
      ["js-si", "SI-2", mine.idNumber, "2026-11-01", "养老", "", "2020-01", "2026-10", "4800.50"],
    ];
    const second = await upload("参保记录（更新）.csv", csv(next), "kind=insurance");
    expect(await settle(second.id)).toMatchObject({ status: "committed", acceptedRows: 2 });
    expect(await spells(mine.id)).toEqual([
      {
        fund: "unemployment",
        from_month: "2018-01",
        to_month: "2026-02",
        base_fen: "500000",
        source_date: "2026-10-01",
      },
      { fund: "pension", from_month: "2020-01", to_month: "2026-10", base_fen: "480050", source_date: "2026-11-01" },
    ]);
    // the same file again is the same job: nothing new
    const again = await upload("参保记录（更新）.csv", csv(next), "kind=insurance");
    expect(again.id).toBe(second.id);
    expect((await sql<{ n: number }>`select count(*)::int as n from insurance_spells`.execute(t.db)).rows[0]!.n).toBe(
      2,
    );
  });

  it("disability certificates from the 残联 roster become the person's recognised status (certificate number protected)", async () => {
    const rows = [
      [
        "来源系统",
        "源系统记录号",
        "公民身份号码",
        "信息日期",
        "残疾人证号",
        "残疾类别",
        "残疾等级",
        "起始日期",
        "终止日期",
      ],
      ["js-cdpf", "D-1", mine.idNumber, "2026-10-01", "32010219850404001X41", "肢体", "3", "", ""],
      ["js-cdpf", "D-2", mine.idNumber, "2026-10-01", "32010219850404001X42", "肢体", "5", "", ""],
    ];
    const job = await upload("残疾人证.csv", csv(rows), "kind=disability");
    expect(await settle(job.id)).toMatchObject({ status: "committed", acceptedRows: 1, rejectedRows: 1 });
    const attrs = (
      await sql<{ kind: string; details: Record<string, unknown> }>`
        select kind, details from person_attributes where person_id = ${mine.id} and kind = 'disability'`.execute(t.db)
    ).rows;
    expect(attrs).toHaveLength(1);
    expect(attrs[0]!.details).toMatchObject({ disabilityKind: "physical", grade: 3 });
    expect(JSON.stringify(attrs[0]!.details)).not.toContain("32010219850404001X41");
    expect((await reportRows(job.id)).map((r) => r.join(" ")).join("\n")).toContain("残疾等级为1-4级");
  });
});
