/**
 * `npm run bench -- explain`: per-subject evaluation with the full trace (the self-check and the
 * what-if API) of the whole catalogue, over 20,000 generated subjects (persons and employers).
 * Prints p50 / p99 / max per subject. Target: p99 ≤ 5 ms for the whole catalogue.
 */
import { addPeriod, createRandom, evaluateAll, FACTS, type Subject } from "@jiuye/domain";
import { loadShippedPolicies } from "../apps/server/src/modules/policies/catalogue.ts";

const N = Number(process.env.BENCH_SUBJECTS ?? 20_000);
const asOf = "2026-11-28";
const policies = loadShippedPolicies();
const rnd = createRandom(5050);

function subject(entity: "person" | "employer"): Subject {
  const facts: Record<string, unknown> = {};
  for (const [name, def] of Object.entries(FACTS[entity])) {
    if (rnd.next() < 0.1) continue;
    if (def.type === "bool") facts[name] = rnd.next() < 0.3;
    else if (def.type === "enum") facts[name] = rnd.pick(Object.keys(def.values!));
    else if (def.type === "date") facts[name] = addPeriod(asOf, { years: 0, months: 0, days: rnd.int(0, 20_000) }, -1);
    else if (def.type === "money") facts[name] = rnd.int(100_000, 30_000_000);
    else if (def.type === "rate") facts[name] = rnd.int(200, 600);
    else facts[name] = rnd.int(0, 200);
  }
  return {
    region: rnd.pick(["320102", "320205", "320505", "110101", "310101"]),
    facts,
    paid: { vocational_training: null },
  };
}

const times: number[] = [];
let conditions = 0;
for (let i = 0; i < N; i++) {
  const entity = i % 5 === 0 ? "employer" : "person";
  const s = subject(entity);
  const t = performance.now();
  const rs = evaluateAll(
    policies.filter((p) => p.entity === entity),
    s,
    asOf,
  );
  times.push(performance.now() - t);
  conditions += rs.reduce((n, r) => n + r.conditions.length, 0);
}
const sorted = [...times].sort((a, b) => a - b);
const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
console.log(
  `explain bench: ${N.toLocaleString()} subjects × the whole catalogue (${policies.length} policies), full trace`,
);
console.log(
  `  per subject: p50 ${at(0.5).toFixed(3)} ms, p99 ${at(0.99).toFixed(3)} ms, max ${sorted[sorted.length - 1]!.toFixed(2)} ms`,
);
console.log(`  (${(conditions / N).toFixed(1)} traced conditions per subject on average)`);
console.log("  target: p99 ≤ 5 ms");
