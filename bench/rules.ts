/**
 * `npm run bench -- rules`: 1,000,000 synthetic persons × the shipped person-level rules with the
 * columnar evaluator, the data already in memory (typed arrays). Prints person×rules per second
 * for eligibility (states and reason planes) and with amounts, on one thread and split across
 * worker threads. Target ≥ 100 million person×rules/s.
 * Env: BENCH_PERSONS (default 1,000,000), BENCH_ROUNDS (default 15), BENCH_THREADS (default 2).
 */
import { availableParallelism } from "node:os";
import { evaluateColumnar, failedAt, stateAt } from "@jiuye/domain";
import { loadShippedPolicies } from "../apps/server/src/modules/policies/catalogue.ts";
import { evaluateInWorkers, syntheticPersonPopulation } from "../apps/server/src/modules/policies/columnar-pool.ts";

const N = Number(process.env.BENCH_PERSONS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const THREADS = Number(process.env.BENCH_THREADS ?? 2);
const asOf = "2026-11-28";

const policies = loadShippedPolicies().filter((p) => p.entity === "person");
const ids = policies.map((p) => p.id);
console.log(`rules bench: ${N.toLocaleString()} persons × ${policies.length} person-level policies, as of ${asOf}`);
console.log(`  policies: ${ids.join(", ")}`);
console.log(`  machine: ${availableParallelism()} cores, node ${process.version}`);

let t = performance.now();
const pop = syntheticPersonPopulation(N, 20261128, asOf, true);
console.log(
  `  generated the population (${Object.keys(pop.cols).length} fact columns, shared memory) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
);

const pr = N * policies.length;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
// the first runs include JIT warm-up: the figure is the median of the last 10 runs
const report = (label: string, runs: number[]) => {
  const steady = median(runs.slice(-10));
  console.log(
    `  ${label.padEnd(30)} first run ${runs[0]!.toFixed(0)} ms; steady median ${steady.toFixed(0)} ms → ${(((pr / steady) * 1000) / 1e6).toFixed(1)} million person×rules/s`,
  );
};

for (const amounts of [false, true]) {
  const runs: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    t = performance.now();
    evaluateColumnar(policies, pop, asOf, { amounts });
    runs.push(performance.now() - t);
  }
  report(`1 thread, ${amounts ? "with amounts" : "eligibility"}:`, runs);
}

const pool = await evaluateInWorkers.start(THREADS, pop);
try {
  for (const amounts of [false, true]) {
    const runs: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      t = performance.now();
      const out = await pool.run(ids, asOf, { amounts });
      runs.push(performance.now() - t);
      if (r === 0 && !amounts) {
        // the threads' answer is the single-threaded answer, subject by subject
        const ref = evaluateColumnar(policies, pop, asOf, { amounts: false });
        let met = 0;
        for (const [id, res] of ref) {
          const got = out.get(id)!;
          for (let i = 0; i < N; i++) {
            if (stateAt(res, i) !== stateAt(got, i) || failedAt(res, i) !== failedAt(got, i))
              throw new Error(`worker result differs for ${id} at ${i}`);
            if (stateAt(res, i) === 1) met++;
          }
        }
        console.log(
          `  (threads agree with one thread on all ${pr.toLocaleString()} person×rules; 满足 in ${met.toLocaleString()})`,
        );
      }
    }
    report(`${THREADS} threads, ${amounts ? "with amounts" : "eligibility"}:`, runs);
  }
} finally {
  await pool.close();
}
console.log("  target: ≥ 100 million person×rules/s");
