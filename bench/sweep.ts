/**
 * `npm run bench -- sweep`: a full 免申即享 sweep of one policy over a `city` population
 * (1,000,000 persons, `jiuye seed --scale city`) on the PostgreSQL server: registry facts read
 * through a cursor into columns, the columnar evaluation, and the candidate list stored (with each
 * candidate's facts snapshot) — the same code as POST /api/v1/policy-sweeps. Target ≤ 15 s.
 * The database is kept between runs; BENCH_RESEED=1 rebuilds it.
 * Env: BENCH_DATABASE_URL (…/jiuye_bench_sweep), BENCH_PERSONS (1000000), BENCH_POLICIES
 * (unemployment_benefit,vocational_training,employment_difficulty).
 */
import { dropServerDatabase, ensureServerDatabase, openDatabase } from "@jiuye/db";
import { closure, evaluateColumnar, paymentHistoryPolicies, shanghaiDate } from "@jiuye/domain";
import { sql } from "kysely";
import { caseWorkerActor } from "../apps/server/src/lib/actor.ts";
import { createFieldCipher } from "../apps/server/src/lib/field-cipher.ts";
import { createAuditService } from "../apps/server/src/modules/audit/audit.service.ts";
import { createPolicyCatalogue } from "../apps/server/src/modules/policies/catalogue.ts";
import { createPoliciesService } from "../apps/server/src/modules/policies/policies.service.ts";
import { policyFactsRepository } from "../apps/server/src/modules/policies/policy-facts.repository.ts";
import { insertUser } from "../apps/server/src/seed/factories.ts";
import { jiuye, ROOT } from "./support.ts";

const persons = Number(process.env.BENCH_PERSONS ?? 1_000_000);
const dbUrl = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/jiuye_bench_sweep";
const policyIds = (
  process.env.BENCH_POLICIES ?? "unemployment_benefit,vocational_training,employment_difficulty"
).split(",");
const secret = Buffer.alloc(32, 11).toString("base64");
const env = {
  DATABASE_URL: dbUrl,
  JIUYE_LOG_LEVEL: "warn",
  JIUYE_SECRET_KEY: secret,
  JIUYE_DATA_DIR: `${ROOT}/data/bench-sweep`,
};

async function count(): Promise<number> {
  const h = await openDatabase({ databaseUrl: dbUrl });
  try {
    return Number((await sql<{ n: string }>`select count(*) as n from persons`.execute(h.db)).rows[0]?.n ?? 0);
  } catch {
    return 0;
  } finally {
    await h.close();
  }
}

await ensureServerDatabase(dbUrl);
const have = await count();
if (process.env.BENCH_RESEED || have < persons) {
  await dropServerDatabase(dbUrl);
  await ensureServerDatabase(dbUrl);
  await jiuye(["migrate"], env);
  console.log(`seeding ${persons.toLocaleString()} persons of 南京市 (jiuye seed --scale city --persons ${persons}) …`);
  const t0 = performance.now();
  await jiuye(["seed", "--scale", "city", "--persons", String(persons)], env);
  console.log(`seeded in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
} else console.log(`reusing ${have.toLocaleString()} persons in ${dbUrl}`);

const h = await openDatabase({ databaseUrl: dbUrl });
const db = h.db;
try {
  const facts = await sql<{ ins: string; certs: string; spells: string; attrs: string }>`
    select (select count(*) from insurance_spells) as ins, (select count(*) from skill_certificates) as certs,
           (select count(*) from ledger_spells) as spells, (select count(*) from person_attributes) as attrs`.execute(
    db,
  );
  const f = facts.rows[0]!;
  console.log(
    `  registry: ${(await count()).toLocaleString()} persons, ${Number(f.spells).toLocaleString()} ledger spells, ${Number(f.attrs).toLocaleString()} key-group attributes, ${Number(f.ins).toLocaleString()} insurance spells, ${Number(f.certs).toLocaleString()} certificates`,
  );
  const username = `bench_sweeper_${Date.now()}`;
  const userId = await insertUser(db, createFieldCipher(Buffer.from(secret, "base64")), {
    username,
    role: "case_worker",
    regionCode: "3201",
    password: "Bench-Sweep-Pass-9",
  });
  const actor = caseWorkerActor({ userId, username, displayName: "比对测试", regionCode: "3201", sessionId: "bench" });
  const ctx = { actorId: userId, actorRole: "case_worker", ip: null, requestId: "bench-sweep", provinceCode: "32" };
  const catalogue = createPolicyCatalogue(db);
  await catalogue.refresh();
  const clock = () => new Date();
  const service = createPoliciesService({ db, audit: createAuditService({ clock }), clock, catalogue, noticeDays: 5 });
  const asOf = shanghaiDate(new Date());

  // the phases, measured apart once (in a function: its million-person population is garbage
  // before the sweeps run, as it would be in a server)
  await (async () => {
    let t = performance.now();
    const pop = await policyFactsRepository.personPopulation(db, "3201", asOf, paymentHistoryPolicies(catalogue.all()));
    const loadMs = performance.now() - t;
    t = performance.now();
    const set = catalogue.all();
    const results = evaluateColumnar(
      set.filter((p) => closure(set, new Set(policyIds)).has(p.id)),
      pop,
      asOf,
    );
    const evalMs = performance.now() - t;
    console.log(
      `  phases: load ${pop.n.toLocaleString()} persons' facts (every source) ${(loadMs / 1000).toFixed(1)} s (${Math.round(pop.n / (loadMs / 1000)).toLocaleString()} persons/s); evaluate ${policyIds.length} policies ${evalMs.toFixed(0)} ms`,
    );
    for (const id of policyIds) {
      const r = results.get(id)!;
      let met = 0;
      for (let w = 0; w < r.met.length; w++) {
        let x = r.met[w]!;
        while (x) {
          x &= x - 1;
          met++;
        }
      }
      console.log(`    ${id}: ${met.toLocaleString()} qualify`);
    }
  })();

  // the full sweep, end to end, as the API runs it
  for (const policyId of policyIds) {
    const t = performance.now();
    const s = await service.createSweep(actor, { policyId }, ctx);
    const ms = performance.now() - t;
    console.log(
      `  sweep ${policyId}: ${s.evaluated.toLocaleString()} persons → ${s.eligible.toLocaleString()} candidates stored (${s.undetermined.toLocaleString()} 信息不足) in ${(ms / 1000).toFixed(1)} s`,
    );
  }
  console.log("  target: ≤ 15 s for a full sweep including loading");
} finally {
  await h.close();
}
