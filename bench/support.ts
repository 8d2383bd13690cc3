import { spawn } from "node:child_process";
import { join, resolve } from "node:path";

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
