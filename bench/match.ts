/**
 * match (issue: job market): the in-process recommendation index over the `jiuye seed` market on
 * the PostgreSQL server — top-20 postings for 1,000 seekers (target p95 ≤ 5 ms) and top-20
 * seekers for 1,000 postings (target p95 ≤ 10 ms), each list checked against the SQL reference
 * (hard filters in SQL, every candidate scored by the domain) for a sample, and the RSS of a
 * `jiuye serve` process once its index has loaded (target ≤ 1 GB).
 * Data: the `search` benchmark's postings (run it first) plus persons and seekers seeded here
 * (`jiuye seed --scale province --persons N --seekers … --seeker-share 1`).
 * Options (env): BENCH_DATABASE_URL, BENCH_PERSONS (5000000), BENCH_QUERIES (1000), BENCH_REFERENCE (100).
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { openDatabase } from "@jiuye/db";
import { createRandom, shanghaiDate } from "@jiuye/domain";
import { sql } from "kysely";
import { createAuditService } from "../apps/server/src/modules/audit/audit.service.ts";
import { createMatchIndexLoader } from "../apps/server/src/modules/seekers/match-index.ts";
import { seekersRepository } from "../apps/server/src/modules/seekers/seekers.repository.ts";
import { createSeekersService } from "../apps/server/src/modules/seekers/seekers.service.ts";
import { BIN, jiuye, ROOT } from "./support.ts";

const persons = Number(process.env.BENCH_PERSONS ?? 5_000_000);
const queries = Number(process.env.BENCH_QUERIES ?? 1000);
const referenceSample = Number(process.env.BENCH_REFERENCE ?? 100);
const dbUrl = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/jiuye_bench_jobs";
const env = {
  DATABASE_URL: dbUrl,
  JIUYE_PORT: "18094",
  JIUYE_HOST: "127.0.0.1",
  JIUYE_LOG_LEVEL: "info",
  JIUYE_SECRET_KEY: Buffer.alloc(32, 9).toString("base64"),
  JIUYE_DATA_DIR: `${ROOT}/data/bench-match`,
};

function pct(xs: number[], p: number) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? Number.NaN;
}
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;

const h = await openDatabase({ databaseUrl: dbUrl, poolSize: 4 });
const counts = async () =>
  (
    await sql<{ postings: string; seekers: string; persons: string }>`
      select (select count(*) from posting_search) as postings, (select count(*) from seekers where status = 'active') as seekers,
        (select count(*) from persons) as persons`.execute(h.db)
  ).rows[0]!;
let c = await counts();
if (Number(c.postings) === 0)
  throw new Error("no postings: run `npm run bench -- search` first (it seeds 1,000,000 postings)");
if (Number(c.persons) < persons) {
  const t0 = performance.now();
  console.log(
    `seeding ${(persons - Number(c.persons)).toLocaleString()} persons over 江苏省 and registering every working-age one as a seeker …`,
  );
  await jiuye(
    [
      "seed",
      "--scale",
      "province",
      "--persons",
      String(persons - Number(c.persons)),
      "--seekers",
      String(persons),
      "--seeker-share",
      "1",
    ],
    env,
  );
  console.log(`seeded in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  c = await counts();
}
console.log(
  `\nmatch: ${Number(c.postings).toLocaleString()} published postings, ${Number(c.seekers).toLocaleString()} active seekers (${Number(c.persons).toLocaleString()} persons) on the PostgreSQL server`,
);

// ── the index, in this process: load time, memory, latency, agreement with SQL ──
global.gc?.();
const rss0 = process.memoryUsage().rss;
const loader = createMatchIndexLoader(h.db);
const tLoad = performance.now();
await loader.loadAll();
const loadMs = performance.now() - tLoad;
global.gc?.();
const heap = process.memoryUsage();
console.log(
  `index: loaded in ${(loadMs / 1000).toFixed(1)} s; process RSS ${mb(heap.rss)} (+${mb(heap.rss - rss0)} for the index), heap used ${mb(heap.heapUsed)}`,
);

const asOf = shanghaiDate(new Date());
const rnd = createRandom(5050);
const seekerIds = (
  await sql<{ id: string }>`select id from seekers where status = 'active' order by random() limit ${queries}`.execute(
    h.db,
  )
).rows.map((r) => r.id);
const postingRows = (
  await sql<{
    id: string;
    occupation_code: string;
    skills: string[];
    region_code: string;
    salary_type: string;
    salary_min_fen: number;
    salary_max_fen: number;
    education: string | null;
    work_type: string;
  }>`
    select p.id, p.occupation_code, p.skills, p.region_code, p.salary_type, p.salary_min_fen, p.salary_max_fen, p.education, p.work_type
    from posting_search s join postings p on p.id = s.posting_id order by random() limit ${queries}`.execute(h.db)
).rows;

const seekerLat: number[] = [];
let seekerResults = 0;
for (const id of seekerIds) {
  const t0 = performance.now();
  const r = loader.index.postingsFor(id, 20, asOf);
  seekerLat.push(performance.now() - t0);
  seekerResults += r?.length ?? 0;
}
const postingLat: number[] = [];
let postingResults = 0;
for (const p of postingRows) {
  const within = p.region_code.slice(0, 4); // a city case worker's view
  const t0 = performance.now();
  const r = loader.index.seekersFor(p, 20, asOf, { within });
  postingLat.push(performance.now() - t0);
  postingResults += r.length;
}
console.log(
  `top-20 postings for ${seekerIds.length} seekers:  p50 ${pct(seekerLat, 0.5).toFixed(2)} ms  p95 ${pct(seekerLat, 0.95).toFixed(2)} ms  p99 ${pct(seekerLat, 0.99).toFixed(2)} ms  (avg ${(seekerResults / seekerIds.length).toFixed(1)} results; target p95 ≤ 5 ms: ${pct(seekerLat, 0.95) <= 5 ? "met" : "NOT met"})`,
);
console.log(
  `top-20 seekers for ${postingRows.length} postings: p50 ${pct(postingLat, 0.5).toFixed(2)} ms  p95 ${pct(postingLat, 0.95).toFixed(2)} ms  p99 ${pct(postingLat, 0.99).toFixed(2)} ms  (avg ${(postingResults / postingRows.length).toFixed(1)} results; target p95 ≤ 10 ms: ${pct(postingLat, 0.95) <= 10 ? "met" : "NOT met"})`,
);

// agreement with the SQL reference on a sample (the reference reads every candidate: slow by design)
const service = createSeekersService({
  db: h.db,
  audit: createAuditService({ clock: () => new Date() }),
  clock: () => new Date(),
  confirmDays: 30,
});
let same = 0;
let checked = 0;
const tRef = performance.now();
for (const id of seekerIds.slice(0, referenceSample / 2)) {
  const row = await seekersRepository.findById(h.db, { kind: "region", prefix: "32" }, id);
  if (!row) continue;
  const ref = await service.referencePostings(row, 20, new Set(), null);
  checked++;
  if (JSON.stringify(ref) === JSON.stringify(loader.index.postingsFor(id, 20, asOf))) same++;
}
for (const p of postingRows.slice(0, referenceSample / 2)) {
  const within = p.region_code.slice(0, 4);
  const ref = await service.referenceSeekers(
    {
      id: p.id,
      occupationCode: p.occupation_code,
      skills: p.skills,
      regionCode: p.region_code,
      salaryType: p.salary_type as "monthly",
      salaryMinFen: p.salary_min_fen,
      salaryMaxFen: p.salary_max_fen,
      education: p.education,
      workType: p.work_type as "full_time",
    },
    20,
    { kind: "region", prefix: within },
    false,
    new Set(),
    null,
  );
  checked++;
  if (JSON.stringify(ref) === JSON.stringify(loader.index.seekersFor(p, 20, asOf, { within }))) same++;
}
console.log(
  `identical to the SQL reference: ${same} of ${checked} lists (checked in ${((performance.now() - tRef) / 1000).toFixed(0)} s)`,
);
void rnd;

// ── the server process: RSS once its index has loaded ──
const server = spawn(process.execPath, [BIN, "serve"], {
  env: { ...process.env, ...env },
  stdio: ["ignore", "pipe", "inherit"],
});
// both in-process indexes live in the server: RSS once the recommendation index and the search
// index have loaded (JIUYE_SEARCH_INDEX=off leaves the search index out)
const loaded = await new Promise<string>((ok, fail) => {
  let buf = "";
  const timer = setTimeout(() => fail(new Error("server index did not load within 20 minutes")), 20 * 60_000);
  server.stdout.on("data", (d: Buffer) => {
    buf += d.toString();
    const lines = buf.split("\n");
    const match = lines.find((l) => l.includes("match index loaded"));
    const search = lines.find((l) => l.includes("search index loaded") || l.includes("search index off"));
    if (match && search) {
      clearTimeout(timer);
      ok(match);
    }
  });
});
const memory = () => {
  const status = readFileSync(`/proc/${server.pid}/status`, "utf8");
  return {
    rss: Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024,
    hwm: Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024,
  };
};
const atLoad = memory();
// and once the loads' garbage has been collected: the steady state the server runs in
await new Promise((r) => setTimeout(r, 30_000));
const { rss, hwm } = memory();
const info = JSON.parse(loaded) as { ms: number; postings: number; seekers: number };
console.log(
  `jiuye serve: index of ${info.postings.toLocaleString()} postings and ${info.seekers.toLocaleString()} seekers loaded in ${(info.ms / 1000).toFixed(1)} s, and the search index; RSS ${mb(rss)} 30 s after the loads (${mb(atLoad.rss)} as the last finished; peak ${mb(hwm)}) (target ≤ 1 GB: ${rss <= 1024 ** 3 ? "met" : "NOT met"})`,
);
server.kill("SIGTERM");
await h.close();
