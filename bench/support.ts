import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { dropServerDatabase, ensureServerDatabase } from "@jiuye/db";

export const ROOT = resolve(import.meta.dirname, "..");
export const BIN = join(ROOT, "apps/cli/bin/jiuye.mjs");

/** Runs a `jiuye` command to completion (stdin optional), failing on a non-zero exit. */
export function jiuye(args: string[], env: Record<string, string>, input?: string): Promise<void> {
  return new Promise((ok, fail) => {
    const p = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...env },
      stdio: ["pipe", "ignore", "inherit"],
    });
    p.stdin.end(input ?? "");
    p.on("exit", (c) => (c === 0 ? ok() : fail(new Error(`jiuye ${args.join(" ")} exited ${c}`))));
  });
}

/** Polls a URL until it answers 2xx; returns the milliseconds it took. */
export async function waitFor(url: string, timeoutMs: number): Promise<number> {
  const t0 = performance.now();
  while (performance.now() - t0 < timeoutMs) {
    try {
      const r = await fetch(url);
      if (r.ok) return performance.now() - t0;
    } catch {}
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timeout waiting for ${url}`);
}

/**
 * A fresh database on the PostgreSQL server and the environment for a `jiuye serve` benchmark
 * against it: loopback only, rate limit off (one client would trip it), quiet logs.
 */
export async function freshBenchEnvironment(dbUrl: string, port: number): Promise<Record<string, string>> {
  await dropServerDatabase(dbUrl);
  await ensureServerDatabase(dbUrl);
  return {
    DATABASE_URL: dbUrl,
    JIUYE_PORT: String(port),
    JIUYE_HOST: "127.0.0.1",
    JIUYE_LOG_LEVEL: "warn",
    JIUYE_RATE_LIMIT_PER_MINUTE: "0",
    JIUYE_DB_POOL_SIZE: "20",
    JIUYE_DATA_DIR: mkdtempSync(join(tmpdir(), "jiuye-bench-")),
  };
}
