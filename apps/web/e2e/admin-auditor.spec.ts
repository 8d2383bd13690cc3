import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "@jiuye/server";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type E2EServer, launchBrowser, loginAs, SCREENSHOT_DIR, startE2EServer } from "./support";

let server: E2EServer;
let browser: Browser;
const secret = (u: string) => DEMO_ACCOUNTS.find((a) => a.username === u)!.totpSecret;

beforeAll(async () => {
  server = await startE2EServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("administrator and auditor journeys", () => {
  it("an admin creates a street case worker, who signs in with the temporary password and must change it", async () => {
    const ctx = await browser.newContext({ locale: "zh-CN", viewport: { width: 1280, height: 800 } });
    const page = await ctx.newPage();
    await loginAs(page, server.baseUrl, "admin", DEMO_PASSWORD, secret("admin"));
    await page.click("text=用户管理");
    await page.click("[data-testid=create-user]");
    await page.fill("#new-username", "wang.fang");
    await page.fill("#new-displayname", "王芳");
    await page.click("#new-role");
    await page.click(".ant-select-item-option >> text=经办人员");
    await page.click("#new-region");
    await page.keyboard.type("新街口");
    // the search results re-render while typing settles: pick the option by its code, then close
    // the dropdown by clicking the modal title so it cannot cover the OK button
    await page.click('.ant-select-item-option[title*="320102003"]');
    await page.click(".ant-modal-title");
    await page.waitForSelector(".ant-select-dropdown", { state: "hidden" });
    expect(
      await page.locator("#new-region").locator("xpath=ancestor::div[contains(@class,'ant-select')][1]").textContent(),
    ).toContain("新街口街道");
    await page.click(".ant-modal-footer button.ant-btn-primary");
    const temp = (await page.locator("[data-testid=temp-password]").textContent())!.trim();
    expect(temp.length).toBeGreaterThanOrEqual(12);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/journey-admin-create-user.png` });
    await ctx.close();

    const ctx2 = await browser.newContext({ locale: "zh-CN", viewport: { width: 1280, height: 800 } });
    const p2 = await ctx2.newPage();
    await loginAs(p2, server.baseUrl, "wang.fang", temp);
    await p2.waitForSelector("text=请先修改初始密码");
    const menu = await p2.locator("[data-testid=main-menu] .ant-menu-title-content").allTextContents();
    expect(menu).toEqual(["我的账号"]);
    await ctx2.close();
  });

  it("an auditor sees the admin's actions in the audit log and verifies the hash chain", async () => {
    const ctx = await browser.newContext({ locale: "zh-CN", viewport: { width: 1280, height: 800 } });
    const page = await ctx.newPage();
    await loginAs(page, server.baseUrl, "auditor", DEMO_PASSWORD, secret("auditor"));
    await page.click("text=审计日志");
    await page.waitForSelector("td >> text=创建账号");
    await page.click("[data-testid=audit-verify]");
    const result = await page.locator("[data-testid=audit-verify-result]").textContent();
    expect(result).toMatch(/哈希链完整：已校验 \d+ 条记录/);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/journey-auditor-verify.png`, fullPage: true });
    await ctx.close();
  });

  it("the region browser opens the user's own region and expands it", async () => {
    const ctx = await browser.newContext({ locale: "zh-CN", viewport: { width: 1280, height: 800 } });
    const page = await ctx.newPage();
    await loginAs(page, server.baseUrl, "xuanwu_worker", DEMO_PASSWORD);
    await page.click("[data-testid=main-menu] >> text=行政区划");
    await page.click(".ant-tree-switcher");
    await page.waitForSelector("text=新街口街道（320102003）");
    await page.screenshot({ path: `${SCREENSHOT_DIR}/journey-regions.png`, fullPage: true });
    await ctx.close();
  });
});
