/**
 * Differential test: the columnar evaluator and the per-subject evaluator agree — state, the
 * failed and undetermined top-level conditions, and the amount — on every subject of a generated
 * population, on several dates, with unknown facts, regional parameters, payment histories,
 * households (person policies) and employee rosters (employer policies).
 */
import { readdirSync, readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { createRandom } from "../seed/prng.ts";
import { amountAt, evaluateColumnar, failedAt, populationFromSubjects, stateAt, undeterminedAt } from "./columnar.ts";
import { compilePolicySet } from "./compile.ts";
import { addPeriod } from "./dates.ts";
import { evaluateAll, type Subject } from "./evaluate.ts";
import { type Entity, FACTS } from "./facts.ts";
import { SHIPPED_POLICY_DIR } from "./shipped-files.ts";

const policies = compilePolicySet(
  readdirSync(SHIPPED_POLICY_DIR)
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => ({ file: f, text: readFileSync(new URL(f, SHIPPED_POLICY_DIR), "utf8") })),
);
const REGIONS = ["320102", "320105", "320205", "320505", "320106", "110101", "110105", "310101", "3201", "32"];
const PERIODS = ["P6M", "P12M", "P2Y", "P3Y", "P16Y", "P24Y", "P25Y", "P40Y", "P50Y", "P1D", "P0D"];

function generate(entity: Entity, n: number, seed: number, asOf: string): Subject[] {
  const random = createRandom(seed);
  const rnd = random.next;
  const pick = random.pick;
  const defs = FACTS[entity];
  const date = (): string => {
    // near a threshold of the catalogue half of the time, anywhere in 60 years otherwise
    if (rnd() < 0.5) {
      const base = addPeriod(asOf, { years: 0, months: 0, days: 0 });
      const p = pick(PERIODS);
      const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$/.exec(p)!;
      const back = addPeriod(
        base,
        { years: Number(m[1] ?? 0), months: Number(m[2] ?? 0), days: Number(m[3] ?? 0) },
        -1,
      );
      return addPeriod(back, { years: 0, months: 0, days: Math.floor(rnd() * 3) }, rnd() < 0.5 ? 1 : -1);
    }
    return addPeriod(asOf, { years: 0, months: 0, days: Math.floor(rnd() * 60 * 365) - 50 * 365 }, -1);
  };
  return Array.from({ length: n }, () => {
    const facts: Record<string, unknown> = {};
    for (const [name, def] of Object.entries(defs)) {
      if (rnd() < 0.12) continue; // unknown
      switch (def.type) {
        case "bool":
          facts[name] = rnd() < 0.4;
          break;
        case "enum":
          facts[name] = pick(Object.keys(def.values!));
          break;
        case "date":
          facts[name] = date();
          break;
        case "rate":
          facts[name] = Math.floor(rnd() * 800);
          break;
        case "money":
          facts[name] = Math.floor(rnd() * 30_000_000);
          break;
        default: {
          // integers near the catalogue's thresholds
          const hot = [
            0, 1, 2, 3, 5, 6, 7, 9, 10, 11, 12, 19, 20, 25, 30, 31, 55, 56, 59, 60, 100, 119, 120, 200, 1000,
          ];
          facts[name] = rnd() < 0.7 ? pick(hot) : Math.floor(rnd() * 2000);
          if (name === "certificate_level") facts[name] = Math.floor(rnd() * 6);
        }
      }
    }
    const paid = rnd() < 0.8 ? { vocational_training: rnd() < 0.5 ? null : date() } : undefined;
    return { region: pick(REGIONS), facts, ...(paid ? { paid } : {}) };
  });
}

for (const entity of ["person", "employer"] as const)
  for (const asOf of ["2026-11-28", "2024-12-31", "2028-01-01", "2019-05-24"])
    it(`${entity} policies on ${asOf}: columnar = per-subject on every subject`, () => {
      const set = policies.filter((p) => p.entity === entity);
      const seed = asOf.length * (entity === "person" ? 7 : 11) + Number(asOf.slice(0, 4));
      const generated = generate(entity, 3000, seed, asOf);
      // households of 1–4 consecutive subjects; one in ten subjects' household is unknown
      const random = createRandom(seed + 1);
      const households: (number | null)[] = [];
      for (let h = 0; households.length < generated.length; h++) {
        const size = random.int(1, 4);
        for (let k = 0; k < size && households.length < generated.length; k++) households.push(h);
      }
      for (let i = 0; i < households.length; i++) if (random.next() < 0.1) households[i] = null;
      // employers: a roster of 0–8 generated persons (disability grades 0–4, some unknown); one in ten unknown
      const workers = generate("person", 9 * generated.length, seed + 2, asOf);
      for (const w of workers)
        if (random.next() < 0.9) w.facts.disability_grade = random.next() < 0.5 ? 0 : random.int(1, 4);
      const subjects: Subject[] = generated.map((s, i) =>
        entity === "employer"
          ? random.next() < 0.1
            ? s
            : { ...s, employees: workers.slice(9 * i, 9 * i + random.int(0, 8)).map((w) => ({ facts: w.facts })) }
          : households[i] === null
            ? s
            : {
                ...s,
                members: generated.filter((_, j) => households[j] === households[i]).map((m) => ({ facts: m.facts })),
              },
      );
      const pop = populationFromSubjects(
        entity,
        subjects,
        ["vocational_training"],
        entity === "person" ? households : undefined,
      );
      const columnar = evaluateColumnar(set, pop, asOf);
      const counts = { met: 0, not_met: 0, unknown: 0 };
      for (const [i, s] of subjects.entries()) {
        for (const r of evaluateAll(set, s, asOf)) {
          const c = columnar.get(r.policyId)!;
          const p = set.find((x) => x.id === r.policyId)!;
          const bits = (mask: number) => p.conditions.filter((_, j) => mask & (1 << j)).map((x) => x.id);
          const got = {
            state: ["not_met", "met", "unknown"][stateAt(c, i)],
            failed: bits(failedAt(c, i)),
            undetermined: bits(undeterminedAt(c, i)),
            amount: amountAt(c, i),
          };
          const want = { state: r.state, failed: r.failed, undetermined: r.undetermined, amount: r.amountFen };
          if (JSON.stringify(got) !== JSON.stringify(want))
            expect({ subject: s, policy: r.policyId, ...got }).toEqual({ subject: s, policy: r.policyId, ...want });
          counts[r.state]++;
        }
      }
      // the population exercises every outcome
      expect(counts.met).toBeGreaterThan(100);
      expect(counts.not_met).toBeGreaterThan(100);
      expect(counts.unknown).toBeGreaterThan(100);
    });
