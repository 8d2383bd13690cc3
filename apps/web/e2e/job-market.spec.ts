import { DEMO_PASSWORD } from "@jiuye/server";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type E2EServer, launchBrowser, loginAs, newPage, SCREENSHOT_DIR, startE2EServer } from "./support";

let server: E2EServer;
let browser: Browser;
const pageErrors: string[] = [];

beforeAll(async () => {
  server = await startE2EServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  expect(pageErrors).toEqual([]);
});

const openPage = () => newPage(browser, pageErrors);

/** Types into an antd Select's search box and picks the option containing `option`. */
async function pick(page: Page, selector: string, typed: string, option: string) {
  await page.click(selector);
  await page.fill(selector, typed);
  await page.locator(".ant-select-item-option", { hasText: option }).first().click();
}

describe("the job market in a browser", () => {
  it("an employer posts a discriminatory ad, reads the findings, fixes it and publishes", async () => {
    const page = await openPage();
    await loginAs(page, server.baseUrl, "employer", DEMO_PASSWORD);
    await page.click("[data-testid=main-menu] >> text=招聘岗位");
    await page.click("[data-testid=new-posting]");
    await page.fill("#posting_title", "配电运维电工");
    await pick(page, "#posting_occupationCode", "低压电工", "6-31-01-03");
    await page.fill("#posting_description", "负责配电设备巡检维修，限男性，持低压电工证。");
    await pick(page, "#posting_regionCode", "玄武区", "玄武区");
    await page.fill("#posting_salaryMin", "6000");
    await page.fill("#posting_salaryMax", "9000");

    // the findings appear as the employer types: category, the phrase marked, the legal basis
    const findings = page.locator("[data-testid=findings]");
    await findings.waitFor();
    await expect.poll(() => findings.innerText()).toContain("性别限制");
    expect(await page.locator("[data-testid=finding-phrase]").first().innerText()).toBe("限男性");
    await findings.locator("text=法律依据").first().click();
    await expect.poll(() => findings.innerText()).toContain("就业促进法");

    // submitting anyway is refused with the same explanation
    await page.click("[data-testid=posting-submit]");
    const refused = page.locator("[data-testid=submit-error]");
    await refused.waitFor();
    expect(await refused.innerText()).toContain("限男性");
    await page.screenshot({ path: `${SCREENSHOT_DIR}/posting-findings.png` });

    // fixed text screens clean and publishes
    await page.fill("#posting_description", "负责配电设备巡检维修，持低压电工证，男女不限，欢迎退役军人。");
    await page.locator("[data-testid=findings-clear]").waitFor();
    await page.click("[data-testid=posting-submit]");
    await expect.poll(() => page.locator("[data-testid=posting-status]").innerText()).toBe("已发布");

    // and anyone can find it by a word inside the text
    const res = await fetch(`${server.baseUrl}/api/v1/jobs/search?q=${encodeURIComponent("退役军人")}`);
    const found = (await res.json()) as { items: Array<{ title: string }> };
    expect(found.items.map((i) => i.title)).toContain("配电运维电工");
  });

  it("a job seeker searches, opens a recommendation and reads why it fits", async () => {
    const page = await openPage();
    await loginAs(page, server.baseUrl, "worker", DEMO_PASSWORD);
    await page.click("[data-testid=main-menu] >> text=找工作");
    await page.fill("#job-search", "电工");
    await page.press("#job-search", "Enter");
    const results = page.locator("[data-testid=job-result]");
    await results.first().waitFor();
    expect(await results.count()).toBeGreaterThan(0);
    expect(await results.first().innerText()).toMatch(/电工/);

    await page.click("[data-testid=main-menu] >> text=我的求职");
    const recs = page.locator("[data-testid=recommendation]");
    await recs.first().waitFor();
    await recs.first().click();
    const why = page.locator("[data-testid=match-explanation]");
    await why.waitFor();
    const text = await why.innerText();
    expect(text).toMatch(/匹配度 \d+ 分/);
    expect(text).toContain("职业：");
    expect(text).toContain("技能：");
    expect(text).toContain("未参与计算：性别");
    await page.waitForTimeout(400); // let the drawer finish sliding in before the screenshot
    await page.screenshot({ path: `${SCREENSHOT_DIR}/recommendation-why.png` });
  });
});
