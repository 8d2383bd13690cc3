import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { creditCodeCheckChar, findUnmaskedIdentifiers, idNumberCheckChar } from "@jiuye/domain";
import { DEMO_PASSWORD, ExcelJS } from "@jiuye/server";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type E2EServer, launchBrowser, loginAs, openPerson, SCREENSHOT_DIR, startE2EServer } from "./support";

let server: E2EServer;
let browser: Browser;
let dir: string;
const pageErrors: string[] = [];

const id = (first17: string) => first17 + idNumberCheckChar(first17);
const good = [
  ["花名册甲", id("32010219880808901"), "13900001111", "320102003001", "大学本科", "城镇", "320102"],
  ["花名册乙", id("32010219880808902"), "13900002222", "320102003001", "普通高中", "农村", "320102"],
  ["花名册丙", id("32010219880808903"), "", "320102003", "", "", ""],
];
const wrong = id("32010219880808904");
const bad = [
  ["校验位错", wrong.slice(0, 17) + (wrong[17] === "1" ? "2" : "1"), "", "320102003001", "", "", ""],
  ["辖区外", id("32010419880808905"), "", "320104001", "", "", ""],
];

beforeAll(async () => {
  server = await startE2EServer();
  browser = await launchBrowser();
  dir = mkdtempSync(join(tmpdir(), "jiuye-e2e-roster-"));
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
  expect(pageErrors).toEqual([]);
});

describe("a case worker's roster day", () => {
  it("imports a roster with bad rows, downloads the error report, then registers an imported person unemployed and employed", async () => {
    const file = join(dir, "新街口花名册.csv");
    const header = ["姓名", "公民身份号码", "手机号码", "常住地区划代码", "学历", "户籍类型", "户籍地区划代码"];
    writeFileSync(
      file,
      `\uFEFF${[header, good[0]!, bad[0]!, good[1]!, bad[1]!, good[2]!].map((r) => r.join(",")).join("\r\n")}`,
    );

    const context = await browser.newContext({
      locale: "zh-CN",
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
    });
    const page = await context.newPage();
    page.on("pageerror", (e) => pageErrors.push(e.message));
    await loginAs(page, server.baseUrl, "xinjiekou_worker", DEMO_PASSWORD);
    await page.click("text=花名册导入");

    // the template downloads as a real workbook
    const [template] = await Promise.all([page.waitForEvent("download"), page.click("text=劳动者花名册模板（.xlsx）")]);
    const tpl = new ExcelJS.Workbook();
    await tpl.xlsx.readFile((await template.path())!);
    expect(tpl.getWorksheet("花名册")).toBeDefined();

    // 1. dry run (the default): nothing is written, two rows are rejected
    await page.setInputFiles("input[type=file]", file);
    await page.waitForSelector("[data-testid=import-status] >> text=校验完成（试导入）");
    const card = (await page.locator("[data-testid=import-job]").textContent()) ?? "";
    expect(card).toContain("试导入完成，数据尚未入库");
    expect(card).toMatch(/错误行\s*2/);

    // 2. the error report: masked, Chinese reasons, one line per rejected row
    const [report] = await Promise.all([page.waitForEvent("download"), page.click("[data-testid=import-report]")]);
    expect(report.suggestedFilename()).toBe("导入错误报告.xlsx");
    const wb = new ExcelJS.Workbook();
    const reportPath = (await report.path())!;
    await wb.xlsx.readFile(reportPath);
    const rows: string[][] = [];
    wb.getWorksheet("错误报告")!.eachRow((r) =>
      rows.push((r.values as unknown[]).slice(1).map((v) => String(v ?? ""))),
    );
    expect(rows).toHaveLength(3);
    expect(rows[1]![0]).toBe("3");
    expect(rows[1]!.at(-1)).toContain("【公民身份号码】");
    expect(rows[2]!.at(-1)).toContain("不在您的管辖范围内");
    expect(findUnmaskedIdentifiers(rows.flat().join(" "))).toEqual([]);
    // every cell of every sheet (the file itself is a zip: its bytes say nothing)
    const everyCell = wb.worksheets.flatMap((ws) => {
      const out: string[] = [];
      ws.eachRow((r) => out.push(...(r.values as unknown[]).map((v) => String(v ?? ""))));
      return out;
    });
    expect(findUnmaskedIdentifiers(everyCell.join(" "))).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/journey-import-dry-run.png`, fullPage: true });

    // 3. confirm: the three good rows are registered
    await page.click("[data-testid=import-commit]");
    await page.waitForSelector("[data-testid=import-status] >> text=已完成");
    expect((await page.locator("[data-testid=import-job]").textContent()) ?? "").toMatch(/已入库\s*3/);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/journey-import-committed.png`, fullPage: true });

    // 4. the same file again creates nothing new
    await page.setInputFiles("input[type=file]", file);
    await page.waitForSelector("text=该文件此前已上传过");

    // 5. an imported person is registered unemployed, then employed, and the timeline shows both
    await openPerson(page, "花名册甲");
    const drawer = (await page.locator(".ant-drawer").textContent()) ?? "";
    expect(drawer).toContain("320***********");
    await page.click(".ant-tabs-tab >> text=就业失业登记");
    await page.waitForSelector("[data-testid=ledger-status] >> text=无有效登记");
    await page.click("[data-testid=ledger-unemployment]");
    await page.click(".ant-modal-footer button.ant-btn-primary");
    await page.waitForSelector("[data-testid=ledger-status] >> text=登记失业");
    await page.click("[data-testid=ledger-employment]");
    await page.click("#ledger-form");
    await page.click(".ant-select-item-option >> text=灵活就业");
    await page.click(".ant-modal-footer button.ant-btn-primary");
    await page.waitForSelector("[data-testid=ledger-status] >> text=就业（灵活就业）");
    const timeline = (await page.locator("[data-testid=ledger-timeline]").textContent()) ?? "";
    expect(timeline).toContain("失业登记");
    expect(timeline).toContain("失业登记注销：实现就业");
    expect(timeline).toContain("就业登记：灵活就业");
    await page.screenshot({ path: `${SCREENSHOT_DIR}/journey-import-ledger.png`, fullPage: true });
    await context.close();
  });

  it("finds those registrations in the 台账, filtered by name and type, and exports them masked", async () => {
    const context = await browser.newContext({
      locale: "zh-CN",
      viewport: { width: 1440, height: 900 },
      acceptDownloads: true,
    });
    const page = await context.newPage();
    page.on("pageerror", (e) => pageErrors.push(e.message));
    await loginAs(page, server.baseUrl, "xinjiekou_worker", DEMO_PASSWORD);
    await page.click("text=登记台账");
    await page.waitForSelector(".ant-table-row");
    await page.fill("#ledger-name", "花名册甲");
    await page.click("button[type=submit]");
    await page.waitForSelector(".ant-pagination >> text=共 3 条登记");
    const rows = await page.locator(".ant-table-row").allTextContents();
    // newest first: employment and the unemployment end it caused share a date, then the unemployment
    expect(rows.at(-1)).toContain("失业登记");
    expect(rows.join("|")).toContain("就业登记：灵活就业");
    expect(rows.join("|")).toContain("失业登记注销：实现就业");
    expect(findUnmaskedIdentifiers(rows.join(" "))).toEqual([]);

    // narrowing by type
    await page.click("#ledger-type");
    await page.click(".ant-select-item-option >> text=失业登记注销");
    await page.click("button[type=submit]");
    await page.waitForSelector(".ant-pagination >> text=共 1 条登记");

    // the export carries the same filter, masked
    await page.hover("button:has-text('导出'), button:has-text('导 出')");
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("text=导出 Excel（脱敏）")]);
    expect(download.suggestedFilename()).toBe("就业失业登记台账.xlsx");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile((await download.path())!);
    const cells: string[][] = [];
    wb.worksheets[0]!.eachRow((r) => cells.push((r.values as unknown[]).slice(1).map((v) => String(v ?? ""))));
    expect(cells).toHaveLength(2);
    expect(cells[1]!.slice(0, 4)).toEqual([
      "花名册甲",
      expect.stringMatching(/^320\*{11}[\dX]{4}$/),
      "139****1111",
      "失业登记注销",
    ]);
    expect(findUnmaskedIdentifiers(cells.flat().join(" "))).toEqual([]);

    // a row opens the person's timeline
    await page.click(".ant-table-row");
    await page.waitForSelector("[data-testid=ledger-status] >> text=就业（灵活就业）");
    await page.screenshot({ path: `${SCREENSHOT_DIR}/journey-ledger-register.png`, fullPage: true });
    await context.close();
  });

  it("registers an imported person's household, adds a member found by ID number, and records a move out", async () => {
    const context = await browser.newContext({ locale: "zh-CN", viewport: { width: 1440, height: 1000 } });
    const page = await context.newPage();
    page.on("pageerror", (e) => pageErrors.push(e.message));
    await loginAs(page, server.baseUrl, "xinjiekou_worker", DEMO_PASSWORD);
    await openPerson(page, "花名册甲");
    await page.click(".ant-tabs-tab >> text=家庭");
    await page.waitForSelector("[data-testid=household] >> text=未登记家庭信息");
    await page.click("[data-testid=household-create]");
    await page.waitForSelector("[data-testid=household] .ant-table-row >> text=花名册甲");
    // 花名册乙 is found by the full ID number (shown masked), added as spouse
    await page.fill("[data-testid=household-member-id] input", good[1]![1]!);
    await page.click("[data-testid=household-member-id] button");
    await page.waitForSelector("[data-testid=household] .ant-tag >> text=花名册乙");
    const found = (await page.locator("[data-testid=household] .ant-tag").first().textContent()) ?? "";
    expect(found).not.toContain(good[1]![1]!);
    await page.click("[data-testid=household-add]");
    await page.waitForSelector("[data-testid=household] .ant-table-row >> text=花名册乙");
    expect(await page.locator("[data-testid=household] .ant-table-row").count()).toBe(2);
    // an ID number nobody in the region has is answered in Chinese
    await page.fill("[data-testid=household-member-id] input", wrong);
    await page.click("[data-testid=household-member-id] button");
    await page.waitForSelector("text=辖区内没有该身份证号码的劳动者");
    // 花名册乙 moves out
    const rowB = page.locator("[data-testid=household] .ant-table-row", { hasText: "花名册乙" });
    await rowB.locator("button:has-text('迁出'), button:has-text('迁 出')").click();
    await page.click(".ant-popconfirm button.ant-btn-primary");
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=household] .ant-table-row").length === 1);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/journey-household.png`, fullPage: true });
    await context.close();
  });

  it("registers an employer with its GB/T 4754 industry; the employer account sees only its own organisation", async () => {
    const context = await browser.newContext({ locale: "zh-CN", viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on("pageerror", (e) => pageErrors.push(e.message));
    await loginAs(page, server.baseUrl, "xinjiekou_worker", DEMO_PASSWORD);
    await page.click("text=用人单位");
    await page.click("button:has-text('登记用人单位')");
    const first17 = "91320102MA1E2E001";
    await page.fill("#creditCode", first17 + creditCodeCheckChar(first17));
    await page.fill("#name", "南京花名册测试物流有限公司");
    await page.click("#industryCode");
    await page.keyboard.type("54 道路运输业");
    await page.click(".ant-select-item-option >> text=54 道路运输业");
    await page.click("#ownership");
    await page.click(".ant-select-item-option >> text=私营企业");
    await page.fill("#regionCode", "320102003");
    await page.fill("#contactPhone", "13912345678");
    await page.click(".ant-modal button[type=submit]");
    await page.waitForSelector(".ant-drawer >> text=G 交通运输、仓储和邮政业 / 54 道路运输业");
    const drawer = (await page.locator(".ant-drawer").textContent()) ?? "";
    expect(drawer).toContain("139****5678");
    expect(drawer).not.toContain("13912345678");
    await page.screenshot({ path: `${SCREENSHOT_DIR}/journey-employer.png`, fullPage: true });
    await context.close();

    const emp = await browser.newContext({ locale: "zh-CN", viewport: { width: 1280, height: 900 } });
    const ep = await emp.newPage();
    await loginAs(ep, server.baseUrl, "employer", DEMO_PASSWORD);
    await ep.click("text=本单位信息");
    await ep.waitForSelector("text=南京示例科技有限公司");
    expect((await ep.locator("main, .ant-layout-content").first().textContent()) ?? "").not.toContain(
      "南京花名册测试物流有限公司",
    );
    await emp.close();
  });
});
