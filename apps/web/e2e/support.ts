import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createTestDatabase } from "@jiuye/db/test-harness";
import { buildApp, createFieldCipher, loadConfig, seedDemoCity, totpCodeAt } from "@jiuye/server";
import type { FastifyInstance } from "fastify";
import { type Browser, chromium, type Page } from "playwright-core";

export const SCREENSHOT_DIR = resolve(import.meta.dirname, "../../../test-results/screenshots");

/** Debian's chromium, never a downloaded browser. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export interface E2EServer {
  app: FastifyInstance;
  /** The server's database, for a test that must move time (e.g. past a notice period). */
  db: Awaited<ReturnType<typeof createTestDatabase>>["db"];
  baseUrl: string;
  close(): Promise<void>;
}

/** The real server with the built web app on a fresh database seeded with the demo city. */
export async function startE2EServer(): Promise<E2EServer> {
  const handle = await createTestDatabase({ regions: false });
  const config = loadConfig({
    JIUYE_SECRET_KEY: Buffer.alloc(32, 3).toString("base64"),
    JIUYE_LOG_LEVEL: "warn",
    JIUYE_PORT: "0",
    JIUYE_HOST: "127.0.0.1",
    // uploads (roster imports) go to a throwaway directory, not the repository's ./data
    JIUYE_DATA_DIR: mkdtempSync(join(tmpdir(), "jiuye-e2e-")),
  });
  await seedDemoCity(handle.db, createFieldCipher(config.secretKey), { persons: 300, regionsOnlyDemoCity: true });
  const app = await buildApp({ db: handle.db, config });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const addr = app.server.address();
  const port = typeof addr === "object" && addr ? addr.port : 0;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return {
    app,
    db: handle.db,
    baseUrl: `http://127.0.0.1:${port}`,
    close: async () => {
      await app.close();
      await handle.close();
    },
  };
}

/** Signs in through the login form, answering the TOTP prompt when it appears. */
export async function loginAs(page: Page, baseUrl: string, username: string, password: string, totpSecret?: string) {
  await page.goto(`${baseUrl}/login`);
  await page.fill("#username", username);
  await page.fill("#password", password);
  await page.click("button[type=submit]");
  if (totpSecret) {
    await page.waitForSelector("#totpCode");
    await page.fill("#totpCode", totpCodeAt(totpSecret, new Date()));
    await page.click("button[type=submit]");
  }
  await page.waitForSelector("[data-testid=current-user]");
}

/** Opens 劳动者查询, searches a name and opens the first matching person's drawer. */
export async function openPerson(page: Page, name: string) {
  await page.click("text=劳动者查询");
  await page.fill("#search-name", name);
  await page.click("button:has-text('查 询'), button:has-text('查询')");
  await page.locator(".ant-table-row", { hasText: name }).first().click();
}

/** A page in a fresh zh-CN context (1440×1000) whose uncaught errors are collected in `pageErrors`. */
export async function newPage(browser: Browser, pageErrors: string[]): Promise<Page> {
  const context = await browser.newContext({ locale: "zh-CN", viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  page.on("pageerror", (e) => pageErrors.push(e.message));
  return page;
}
