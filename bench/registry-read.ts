/**
 * registry-read (issue: registries): the masked, region-scoped, audited person read and the
 * ID-number search (keyed blind index) under autocannon, 50 connections × 30 s, on the PostgreSQL
 * server with a `city` population (1,000,000 persons), beside a bare route doing one primary-key
 * query on the same table in the same run. Target: ≥ 2,500 req/s, p99 ≤ 50 ms, 0 errors.
 * The database is kept between runs (seeding 1M people takes minutes); BENCH_RESEED=1 rebuilds it.
 * Options (env): BENCH_DATABASE_URL, BENCH_PERSONS (1000000), BENCH_DURATION (30), BENCH_CONNECTIONS (50).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { dropServerDatabase, ensureServerDatabase, openDatabase } from "@jiuye/db";
import { createFieldCipher } from "@jiuye/server";
import autocannon from "autocannon";
import { BIN, jiuye, ROOT, waitFor } from "./support.ts";

const duration = Number(process.env.BENCH_DURATION ?? 30);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const persons = Number(process.env.BENCH_PERSONS ?? 1_000_000);
const dbUrl = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/jiuye_bench_registry";
const port = 18_091;
const barePort = 18_099;
const base = `http://127.0.0.1:${port}`;
const PASSWORD = "Bench-Worker-Pass-1";
const SECRET = Buffer.alloc(32, 7).toString("base64");
const env = {
  DATABASE_URL: dbUrl,
  JIUYE_PORT: String(port),
  JIUYE_HOST: "127.0.0.1",
  JIUYE_LOG_LEVEL: "warn",
  JIUYE_RATE_LIMIT_PER_MINUTE: "0",
  JIUYE_DB_POOL_SIZE: "20",
  JIUYE_SECRET_KEY: SECRET,
  JIUYE_DATA_DIR: `${ROOT}/data/bench-registry`,
};

function stop(p: ChildProcess): Promise<void> {
  return new Promise((ok) => {
    p.on("exit", () => ok());
    p.kill("SIGTERM");
  });
}

async function load(title: string, paths: string[], headers: Record<string, string>, url = base) {
  let i = 0;
  const r = await autocannon({
    url,
    connections,
    duration,
    headers,
    requests: [{ setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length]! }) }],
  });
  const errors = r.errors + r.timeouts + r.non2xx;
  console.log(
    `${title.padEnd(52)} ${r.requests.average.toFixed(0).padStart(6)} req/s   p50 ${String(r.latency.p50).padStart(3)} ms   p99 ${String(r.latency.p99).padStart(3)} ms   errors ${errors}   total ${r.requests.total}`,
  );
  return { rps: r.requests.average, p99: r.latency.p99, errors };
}

async function prepare() {
  await ensureServerDatabase(dbUrl);
  const h = await openDatabase({ databaseUrl: dbUrl });
  let have = 0;
  try {
    have = Number(
      (
        await h.db
          .selectFrom("persons")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirst()
      )?.n ?? 0,
    );
  } catch {
    have = 0;
  } finally {
    await h.close();
  }
  if (process.env.BENCH_RESEED || have < persons) {
    await dropServerDatabase(dbUrl);
    await ensureServerDatabase(dbUrl);
    await jiuye(["migrate"], env);
    const t0 = performance.now();
    console.log(`seeding ${persons.toLocaleString()} persons (jiuye seed --scale city) …`);
    await jiuye(["seed", "--scale", "city", "--persons", String(persons)], env);
    console.log(`seeded in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    await jiuye(
      [
        "admin",
        "create",
        "--username",
        "bench_worker",
        "--role",
        "case_worker",
        "--region",
        "3201",
        "--password-stdin",
      ],
      env,
      PASSWORD,
    );
  } else console.log(`reusing ${have.toLocaleString()} persons in ${dbUrl}`);
}

await prepare();
const h = await openDatabase({ databaseUrl: dbUrl });
const cipher = createFieldCipher(Buffer.from(SECRET, "base64"));
const sample = await h.db
  .selectFrom("persons")
  .select(["id", "id_number_enc"])
  .where("id", ">", "80000000-0000-0000-0000-000000000000")
  .orderBy("id")
  .limit(2000)
  .execute();
const total = await h.db
  .selectFrom("persons")
  .select((eb) => eb.fn.countAll<number>().as("n"))
  .executeTakeFirstOrThrow();
await h.close();
const server = spawn(process.execPath, [BIN, "serve"], {
  env: { ...process.env, ...env },
  stdio: ["ignore", "ignore", "inherit"],
});
const bare = spawn(process.execPath, ["--import", "tsx", `${ROOT}/bench/bare-server.ts`], {
  env: { ...process.env, DATABASE_URL: dbUrl, BARE_PORT: String(barePort) },
  stdio: ["ignore", "ignore", "inherit"],
  cwd: ROOT,
});
try {
  await waitFor(`${base}/api/v1/health`, 120_000);
  await waitFor(`http://127.0.0.1:${barePort}/persons/${sample[0]!.id}`, 30_000);
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "bench_worker", password: PASSWORD }),
  });
  if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
  // each URL must answer what it is measured for: the person, and exactly that one person found by
  // ID number (an empty search answers 200 too, and faster)
  for (const s of sample) {
    const one = await fetch(`${base}/api/v1/persons/${s.id}`, { headers: { cookie } });
    const found = await fetch(`${base}/api/v1/persons?idNumber=${cipher.decrypt(s.id_number_enc)}`, {
      headers: { cookie },
    });
    const page = (await found.json()) as { total: number; items: Array<{ id: string }> };
    if (!one.ok || ((await one.json()) as { id: string }).id !== s.id || page.total !== 1 || page.items[0]?.id !== s.id)
      throw new Error(`person ${s.id}: read ${one.status}, search found ${page.total}`);
  }
  console.log(
    `\nregistry-read: ${Number(total.n).toLocaleString()} persons on the PostgreSQL server, ${connections} connections × ${duration} s (autocannon, 127.0.0.1), 2,000 different persons rotated`,
  );
  const read = await load(
    "GET /api/v1/persons/:id (scope + mask + audit row)",
    sample.map((s) => `/api/v1/persons/${s.id}`),
    { cookie },
  );
  const search = await load(
    "GET /api/v1/persons?idNumber= (blind index + audit)",
    sample.map((s) => `/api/v1/persons?idNumber=${cipher.decrypt(s.id_number_enc)}`),
    { cookie },
  );
  const baseline = await load(
    "bare route: one primary-key query on persons",
    sample.map((s) => `/persons/${s.id}`),
    {},
    `http://127.0.0.1:${barePort}`,
  );
  console.log(
    `ratio read ÷ bare: ${(read.rps / baseline.rps).toFixed(2)}, search ÷ bare: ${(search.rps / baseline.rps).toFixed(2)}`,
  );
  for (const [name, r] of [
    ["read", read],
    ["search", search],
  ] as const) {
    const pass = r.rps >= 2500 && r.p99 <= 50 && r.errors === 0;
    console.log(`target ${name} ≥ 2500 req/s, p99 ≤ 50 ms, 0 errors: ${pass ? "MET" : "NOT MET"}`);
  }
} finally {
  await stop(server);
  bare.kill("SIGTERM");
}
