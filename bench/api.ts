/**
 * API benchmark (issue: platform foundation). Starts `jiuye serve` on the PostgreSQL server in a
 * child process and loads it with autocannon over 127.0.0.1: 50 connections for 30 s on
 *   - GET /api/v1/me            authenticated: session lookup + scope, through every hook
 *   - GET /api/v1/persons/:id   authenticated + region scope + an audit row written per request
 *   - GET /api/v1/health        a bare route, for the ratio
 * Target for /me: ≥ 3,000 req/s, p99 ≤ 50 ms, 0 errors. Then measures the cold start of
 * `npm start` on an existing data directory (target ≤ 5 s to the first served request).
 * Options (env): BENCH_DATABASE_URL, BENCH_DURATION (s, default 30), BENCH_CONNECTIONS (50).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dropServerDatabase } from "@jiuye/db";
import autocannon from "autocannon";
import { BIN, freshBenchEnvironment, jiuye, ROOT, waitFor } from "./support.ts";

const duration = Number(process.env.BENCH_DURATION ?? 30);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const dbUrl = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/jiuye_bench";
const port = 18_090;
const base = `http://127.0.0.1:${port}`;
const PASSWORD = "Bench-Worker-Pass-1";

function stop(p: ChildProcess): Promise<void> {
  return new Promise((ok) => {
    p.on("exit", () => ok());
    p.kill("SIGTERM");
  });
}

async function load(title: string, path: string, headers: Record<string, string>) {
  const r = await autocannon({ url: `${base}${path}`, connections, duration, headers });
  const errors = r.errors + r.timeouts + r.non2xx;
  console.log(
    `${title.padEnd(44)} ${r.requests.average.toFixed(0).padStart(6)} req/s   p50 ${String(r.latency.p50).padStart(3)} ms   p99 ${String(r.latency.p99).padStart(3)} ms   errors ${errors} (non-2xx ${r.non2xx})   total ${r.requests.total}`,
  );
  return { rps: r.requests.average, p99: r.latency.p99, errors };
}

async function apiBenchmark() {
  const env = await freshBenchEnvironment(dbUrl, port);
  await jiuye(["migrate"], env);
  await jiuye(["seed", "--persons", "2000"], env);
  await jiuye(
    ["admin", "create", "--username", "bench_worker", "--role", "case_worker", "--region", "3201", "--password-stdin"],
    env,
    PASSWORD,
  );
  const server = spawn(process.execPath, [BIN, "serve"], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  try {
    await waitFor(`${base}/api/v1/health`, 60_000);
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "bench_worker", password: PASSWORD }),
    });
    if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
    const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
    const list = await (await fetch(`${base}/api/v1/persons?pageSize=1`, { headers: { cookie } })).json();
    const personId = list.items[0].id as string;
    console.log(
      `\nAPI on the PostgreSQL server, ${connections} connections × ${duration} s each (autocannon, 127.0.0.1):`,
    );
    const me = await load("GET /api/v1/me (session + scope)", "/api/v1/me", { cookie });
    await load("GET /api/v1/persons/:id (session + scope + audit)", `/api/v1/persons/${personId}`, { cookie });
    const bare = await load("GET /api/v1/health (bare route)", "/api/v1/health", {});
    console.log(`ratio /me ÷ bare: ${(me.rps / bare.rps).toFixed(2)}`);
    const pass = me.rps >= 3000 && me.p99 <= 50 && me.errors === 0;
    console.log(`target /me ≥ 3000 req/s, p99 ≤ 50 ms, 0 errors: ${pass ? "MET" : "NOT MET"}`);
  } finally {
    await stop(server);
    await dropServerDatabase(dbUrl);
  }
}

async function coldStart() {
  const dataDir = mkdtempSync(join(tmpdir(), "jiuye-cold-"));
  const env = {
    ...process.env,
    DATABASE_URL: "",
    JIUYE_DATA_DIR: dataDir,
    JIUYE_PORT: String(port + 1),
    JIUYE_LOG_LEVEL: "warn",
  };
  const url = `http://127.0.0.1:${port + 1}/api/v1/health`;
  // first start seeds the demo city; not measured
  let p = spawn("npm", ["start", "--silent"], { cwd: ROOT, env, stdio: "ignore", detached: true });
  await waitFor(url, 180_000);
  await stopGroup(p);
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    p = spawn("npm", ["start", "--silent"], { cwd: ROOT, env, stdio: "ignore", detached: true });
    await waitFor(url, 60_000);
    times.push(performance.now() - t0);
    await stopGroup(p);
  }
  rmSync(dataDir, { recursive: true, force: true });
  const sorted = [...times].sort((a, b) => a - b);
  console.log(
    `\ncold start of \`npm start\` on an existing data directory, to the first served request: ${times.map((t) => `${(t / 1000).toFixed(2)} s`).join(", ")} (median ${(sorted[1]! / 1000).toFixed(2)} s; target ≤ 5 s)`,
  );
}

function stopGroup(p: ChildProcess): Promise<void> {
  return new Promise((ok) => {
    p.on("exit", () => ok());
    process.kill(-p.pid!, "SIGTERM");
  });
}

await apiBenchmark();
await coldStart();
