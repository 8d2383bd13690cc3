import { DEMO_PASSWORD } from "@jiuye/server";
import { sql } from "kysely";
import type { Browser } from "playwright-core";
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

describe("the policy engine in a browser", () => {
  it("an individual runs the self-check and reads why one policy does not apply", async () => {
    const page = await openPage();
    await loginAs(page, server.baseUrl, "worker", DEMO_PASSWORD);
    await page.click("[data-testid=main-menu] >> text=政策自查");
    const ub = page.locator("[data-testid=result-unemployment_benefit]");
    await ub.waitFor();
    expect(await ub.innerText()).toContain("满足");
    const skill = page.locator("[data-testid=result-skill_upgrade]");
    expect(await skill.innerText()).toContain("不满足");
    expect(await skill.innerText()).toContain("未满足：企业在职职工");
    await skill.click();
    const why = page.locator("[data-testid=explanation-skill_upgrade]");
    await why.waitFor();
    const row = why.locator(".ant-table-row", { hasText: "企业在职职工" });
    expect(await row.innerText()).toContain("不满足");
    expect(await row.innerText()).toContain("人社部发〔2017〕40号");
    // the condition that holds says so, with its value and threshold
    const insured = why.locator(".ant-table-row", { hasText: "参加失业保险满规定月数" });
    expect(await insured.innerText()).toContain("满足");
    expect(await insured.innerText()).toContain("不少于 12个月");
    // facts the platform does not hold are asked for
    expect(await page.locator("[data-testid=questions]").innerText()).toContain("毕业年度在校生");
    await page.screenshot({ path: `${SCREENSHOT_DIR}/policy-self-check.png`, fullPage: true });
  });

  it("a case worker runs a sweep, approves, publishes the notice, and sees the payments recorded", async () => {
    const page = await openPage();
    await loginAs(page, server.baseUrl, "xinjiekou_worker", DEMO_PASSWORD);
    await page.click("[data-testid=main-menu] >> text=免申即享");
    await page.click("[data-testid=sweep-policy]");
    await page.locator(".ant-select-item-option", { hasText: "失业保险金" }).first().click();
    await page.click("[data-testid=run-sweep]");
    const detail = page.locator("[data-testid=sweep-detail]");
    await detail.waitFor();
    await expect.poll(() => page.locator("[data-testid=candidates] .ant-table-row").count()).toBeGreaterThan(0);
    // names are masked in the list
    expect(await page.locator("[data-testid=candidates]").innerText()).toContain("张*");
    expect(await page.locator("[data-testid=candidates]").innerText()).not.toContain("张明");
    await page.click("[data-testid=approve-all]");
    await expect.poll(() => page.locator("[data-testid=candidates]").innerText()).toContain("复核通过");
    await page.click("[data-testid=publish-notice]");
    await expect.poll(() => page.locator("[data-testid=sweep-status]").innerText()).toBe("公示中");
    await page.screenshot({ path: `${SCREENSHOT_DIR}/policy-sweep-notice.png`, fullPage: true });

    // the public notice is open to anyone, names masked
    const sweepId = (
      await sql<{ id: string }>`select id from policy_sweeps order by created_at desc limit 1`.execute(server.db)
    ).rows[0]!.id;
    const pub = await openPage();
    await pub.goto(`${server.baseUrl}/public/notices/${sweepId}`);
    const notice = pub.locator("[data-testid=public-notice]");
    await notice.waitFor();
    await expect.poll(() => notice.innerText()).toContain("张*");
    expect(await notice.innerText()).not.toContain("张明");

    // confirming before the notice period ends is refused; after it, payments are recorded
    await page.click("[data-testid=finalise]");
    await page.locator(".ant-message", { hasText: "期满后才能确认发放" }).waitFor();
    await sql`update policy_sweeps set notice_from = notice_from - 10, notice_until = notice_until - 10 where id = ${sweepId}`.execute(
      server.db,
    );
    await page.click("[data-testid=finalise]");
    await expect.poll(() => page.locator("[data-testid=sweep-status]").innerText()).toBe("已发放");
    await expect.poll(() => page.locator("[data-testid=candidates]").innerText()).toContain("已发放");
    const paid = await sql<{
      n: string;
    }>`select count(*) as n from policy_payments where sweep_id = ${sweepId}`.execute(server.db);
    expect(Number(paid.rows[0]!.n)).toBeGreaterThan(0);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/policy-sweep-paid.png`, fullPage: true });
  });
});
