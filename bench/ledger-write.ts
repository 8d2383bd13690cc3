/**
 * Ledger write benchmark (issue: registries and the ledger). `jiuye serve` on the PostgreSQL
 * server with a seeded city; autocannon at 50 connections for 30 s, each request registering a
 * different person as unemployed (POST /api/v1/persons/:id/ledger: session, scope, row lock,
 * rules, event + spell projection + audit row in one transaction). Afterwards the rows are
 * counted: events written must equal the 201 responses (0 lost) with at most one open
 * unemployment per person (0 duplicated). Target: ≥ 500 events/s.
 * Options (env): BENCH_DATABASE_URL, BENCH_DURATION (s, default 30), BENCH_CONNECTIONS (50), BENCH_PERSONS (150000).
 */
import { spawn } from "node:child_process";
import { dropServerDatabase, openDatabase } from "@jiuye/db";
import autocannon from "autocannon";
import { sql } from "kysely";
import { BIN, freshBenchEnvironment, jiuye, waitFor } from "./support.ts";

const duration = Number(process.env.BENCH_DURATION ?? 30);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const persons = Number(process.env.BENCH_PERSONS ?? 150_000);
const dbUrl = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/jiuye_bench_ledger";
const port = 18_092;
const base = `http://127.0.0.1:${port}`;
const PASSWORD = "Bench-Worker-Pass-1";

const env = await freshBenchEnvironment(dbUrl, port);
const t0 = performance.now();
await jiuye(["seed", "--persons", String(persons)], env);
console.log(`seeded ${persons} persons in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
await jiuye(
  ["admin", "create", "--username", "bench_worker", "--role", "case_worker", "--region", "3201", "--password-stdin"],
  env,
  PASSWORD,
);

// working-age people with no open registration (the seeded population has years of history), so
// every request is a valid registration; only the benchmark's own events are counted after
const h = await openDatabase({ databaseUrl: dbUrl });
const ids = (
  await sql<{
    id: string;
  }>`select id from persons p where birth_date between '1976-01-01' and '2005-01-01'
        and not exists (select 1 from ledger_spells s where s.person_id = p.id and s.ended_on is null and not s.voided)
      order by id`.execute(h.db)
).rows.map((r) => r.id);
console.log(`${ids.length} working-age persons available`);

const profile = process.env.BENCH_PROFILE ? ["--cpu-prof", "--cpu-prof-dir", process.env.BENCH_PROFILE] : [];
const server = spawn(process.execPath, [...profile, BIN, "serve"], {
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
  const me = await login.json();
  const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
  let next = 0;
  const result = await autocannon({
    url: base,
    connections,
    duration,
    requests: [
      {
        method: "POST",
        setupRequest: (req: autocannon.Request) => {
          const id = ids[next++ % ids.length];
          return {
            ...req,
            path: `/api/v1/persons/${id}/ledger`,
            headers: { cookie, "x-csrf-token": me.csrfToken, "content-type": "application/json" },
            body: JSON.stringify({ type: "unemployment", date: "2026-11-02", ableAndWilling: true }),
          };
        },
      },
    ],
  });
  const created = result["2xx"];
  const events = Number(
    (
      await sql<{
        n: number;
      }>`select count(*)::int as n from ledger_events where event_date = '2026-11-02' and type = 'unemployment'`.execute(
        h.db,
      )
    ).rows[0]!.n,
  );
  const dup = Number(
    (
      await sql<{
        n: number;
      }>`select count(*)::int as n from (select person_id from ledger_spells where kind = 'unemployment' and ended_on is null group by person_id having count(*) > 1) d`.execute(
        h.db,
      )
    ).rows[0]!.n,
  );
  const eps = created / duration;
  console.log(
    `\nPOST /api/v1/persons/:id/ledger (unemployment), ${connections} connections × ${duration} s on the PostgreSQL server:`,
  );
  console.log(
    `  ${eps.toFixed(0)} events/s   p50 ${result.latency.p50} ms   p99 ${result.latency.p99} ms   201: ${created}   non-2xx: ${result.non2xx}   errors: ${result.errors + result.timeouts}`,
  );
  console.log(
    // autocannon stops counting at the deadline; requests still in flight then commit after it
    `  rows after: ${events} events for ${created} × 201 (lost: ${created - Math.min(created, events)}; committed after the deadline: ${Math.max(0, events - created)}); persons with two open unemployment spells: ${dup}`,
  );
  console.log(`  (requests beyond ${ids.length} reuse persons and are refused 409, as they must be)`);
  console.log(
    `target ≥ 500 events/s, 0 lost, 0 duplicated: ${eps >= 500 && events >= created && dup === 0 ? "MET" : "NOT MET"}`,
  );
} finally {
  server.kill("SIGTERM");
  await new Promise((r) => server.on("exit", r));
  await h.close();
  await dropServerDatabase(dbUrl);
}
