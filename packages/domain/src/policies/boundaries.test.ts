/**
 * Boundary cases generated from the catalogue itself: for every numeric threshold (a comparison of
 * an integer or money fact with a parameter or literal) and every date window ("满 N", "N 内"),
 * subjects one unit below, at and above the threshold, and a check that the condition flips exactly
 * where its operator says; and for every parameter value, the day before and the day it takes
 * effect. Both evaluators are compared on all of them by differential.test.ts.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compilePolicySet } from "./compile.ts";
import { addPeriod, dateOfDay, dayNumber, type Period } from "./dates.ts";
import { type ConditionTrace, evaluatePolicy } from "./evaluate.ts";
import type { CNode, CompareOp, CompiledPolicy } from "./model.ts";
import { resolveParam } from "./params.ts";
import { SHIPPED_POLICY_DIR } from "./shipped-files.ts";

const policies = compilePolicySet(
  readdirSync(SHIPPED_POLICY_DIR)
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => ({ file: f, text: readFileSync(new URL(f, SHIPPED_POLICY_DIR), "utf8") })),
);
const asOf = "2026-11-28";
const region = "320102";

function walk(c: CNode, out: CNode[]) {
  out.push(c);
  const b = c.body;
  if (b.k === "any" || b.k === "all") for (const k of b.children) walk(k, out);
  if (b.k === "not") walk(b.child, out);
}

function traceOf(r: ConditionTrace[], id: string): ConditionTrace | undefined {
  for (const t of r) {
    if (t.id === id) return t;
    const hit = traceOf(t.children ?? [], id);
    if (hit) return hit;
  }
  return undefined;
}

const holds = (x: number, op: CompareOp, t: number) =>
  op === ">="
    ? x >= t
    : op === ">"
      ? x > t
      : op === "<="
        ? x <= t
        : op === "<"
          ? x < t
          : op === "=="
            ? x === t
            : x !== t;

function threshold(p: CompiledPolicy, n: CNode): number | null {
  if (n.body.k !== "compare") return null;
  const right = n.body.right;
  if (right.k === "lit") return right.value as number;
  if (right.k === "param") {
    const r = resolveParam(p.params[right.name]!, asOf, region);
    return r.ok ? (r.value as number) : null;
  }
  return null;
}

const cases: { policy: CompiledPolicy; node: CNode }[] = [];
for (const p of policies) {
  const nodes: CNode[] = [];
  for (const c of p.conditions) if (!c.requires.length) walk(c, nodes);
  for (const n of nodes) cases.push({ policy: p, node: n });
}

describe("every numeric threshold flips exactly at the threshold", () => {
  const numeric = cases.filter(
    ({ node }) =>
      node.body.k === "compare" && node.body.left.k === "fact" && ["int", "money"].includes(node.body.left.type),
  );
  it("finds the catalogue's thresholds", () => expect(numeric.length).toBeGreaterThan(10));
  for (const { policy, node } of numeric) {
    const b = node.body as Extract<CNode["body"], { k: "compare" }>;
    const fact = (b.left as { name: string }).name;
    const t = threshold(policy, node);
    if (t === null) continue;
    it(`${policy.id}.${node.id}: ${fact} ${b.op} ${t}`, () => {
      for (const x of [t - 1, t, t + 1]) {
        if (x < 0) continue;
        const r = evaluatePolicy(policy, { region, facts: { [fact]: x } }, asOf);
        const tr = traceOf(r.conditions, node.id)!;
        expect(tr.state, `${fact}=${x}`).toBe(holds(x, b.op, t) ? "met" : "not_met");
      }
    });
  }
});

describe("every age threshold flips on the birthday", () => {
  const ages = cases.filter(({ node }) => node.body.k === "compare" && node.body.left.k === "since");
  for (const { policy, node } of ages) {
    const b = node.body as Extract<CNode["body"], { k: "compare" }>;
    const t = threshold(policy, node);
    if (t === null) continue;
    it(`${policy.id}.${node.id}: 年龄 ${b.op} ${t}`, () => {
      const birthday = addPeriod(asOf, { years: t, months: 0, days: 0 }, -1); // turns t today
      for (const [birth, age] of [
        [dateOfDay(dayNumber(birthday) + 1), t - 1],
        [birthday, t],
      ] as const) {
        const r = evaluatePolicy(policy, { region, facts: { birth_date: birth } }, asOf);
        expect(traceOf(r.conditions, node.id)!.state, birth).toBe(holds(age, b.op, t) ? "met" : "not_met");
      }
    });
  }
});

describe("every date window ends on its last day", () => {
  const windows = cases.filter(({ node }) => node.body.k === "within" || node.body.k === "since");
  it("finds the catalogue's windows", () => expect(windows.length).toBeGreaterThan(5));
  for (const { policy, node } of windows) {
    const b = node.body as Extract<CNode["body"], { k: "within" | "since" }>;
    const period =
      b.period.k === "lit"
        ? (b.period.value as Period)
        : (() => {
            const r = resolveParam(policy.params[(b.period as { name: string }).name]!, asOf, region);
            return r.ok ? (r.value as Period) : null;
          })();
    if (!period) continue;
    it(`${policy.id}.${node.id}: ${b.k} ${JSON.stringify(period)}`, () => {
      // the start date for which asOf is exactly the end of the period
      const start = addPeriod(asOf, period, -1);
      const dayBefore = dateOfDay(dayNumber(start) - 1);
      const dayAfter = dateOfDay(dayNumber(start) + 1);
      const state = (d: string) =>
        traceOf(evaluatePolicy(policy, { region, facts: { [b.fact]: d } }, asOf).conditions, node.id)!.state;
      if (addPeriod(start, period) !== asOf) return; // month-end clamping: covered by dates tests
      if (b.k === "since") {
        expect(state(start)).toBe("met"); // 满 N on the day
        expect(state(dayAfter)).toBe("not_met");
      } else {
        expect(state(start)).toBe("met"); // still within on the last day
        expect(state(dayBefore)).toBe("not_met");
      }
    });
  }
});

describe("every parameter value takes effect on its first day", () => {
  for (const p of policies)
    for (const param of Object.values(p.params))
      for (const v of param.values) {
        it(`${p.id}.${param.name}.${v.label} from ${v.from}`, () => {
          const where = v.region ? `${v.region}${"0".repeat(6 - v.region.length)}` : "110101";
          const on = resolveParam(param, v.from, where);
          expect(on.ok && on.chosen.label, `on ${v.from}`).toBe(v.label);
          const before = resolveParam(param, dateOfDay(dayNumber(v.from) - 1), where);
          expect(before.ok ? before.chosen.label : null).not.toBe(v.label);
          if (v.to) {
            const last = resolveParam(param, v.to, where);
            expect(last.ok ? last.chosen.label : null).toBe(v.label);
            const after = resolveParam(param, dateOfDay(dayNumber(v.to) + 1), where);
            expect(after.ok ? after.chosen.label : null).not.toBe(v.label);
          }
        });
      }
});
