/**
 * The columnar evaluator: the same compiled policies over a whole population held as typed
 * arrays (OpenFisca's method). Each node of the compiled form becomes one loop over the subjects;
 * conditions produce a state per subject (0 不满足, 1 满足, 2 信息不足, 3 未判断), a policy a state,
 * a bitmask of failed and undetermined top-level conditions (the batch "reasons") and its amount.
 * Must agree with evaluatePolicy on every subject: policies.differential.test.ts proves it.
 */
import { addPeriod, dateOfDay, dayNumber, fullMonths, fullYears, latestStartCompleting, type Period } from "./dates.ts";
import { normaliseFact } from "./evaluate.ts";
import { FACTS } from "./facts.ts";
import type { CNode, CompareOp, CompiledPolicy, VNode } from "./model.ts";
import { mulRate, resolveParam, roundTo, stepValue } from "./params.ts";

type Num = ArrayLike<number> & { [i: number]: number };

export interface Column {
  /** bool 0/1; enum: index in the fact's value list; date: day number; int/money/rate: the number. */
  v: Num;
  /** 1 = known; null = all known. */
  k: Uint8Array | null;
}

export interface Population {
  n: number;
  ids?: string[];
  /** Index into `regions` for each subject. */
  regionOf: Int32Array | Uint16Array | Uint32Array;
  regions: string[];
  cols: Record<string, Column>;
  /** Last payment day number by policy id: k = 0 → history unknown; v = NEVER → never paid. */
  paid?: Record<string, Column>;
}

export const NEVER = -1e9;

export interface ColumnarResult {
  policyId: string;
  /** 0 不满足, 1 满足, 2 信息不足 */
  state: Uint8Array;
  failed: Uint32Array;
  undetermined: Uint32Array;
  /** amount output in 分, NaN when not met or unknown */
  amount: Float64Array;
  conflicts: string[];
}

/** A value over the population: one number, one per region, or one per subject. */
type V =
  | { t: "s"; v: number; known: boolean }
  | { t: "r"; v: Float64Array; k: Uint8Array }
  | { t: "p"; v: Num; k: Uint8Array | null };

interface Ctx {
  pop: Population;
  asOf: string;
  asOfDay: number;
  results: Map<string, ColumnarResult>;
  conflicts: Set<string>;
  policy: CompiledPolicy;
  /** resolved parameter values by region index (raw values) */
  paramCache: Map<string, { values: unknown[]; known: Uint8Array; uniform: boolean }>;
}

function paramByRegion(ctx: Ctx, name: string) {
  let hit = ctx.paramCache.get(name);
  if (hit) return hit;
  const p = ctx.policy.params[name]!;
  const values: unknown[] = new Array(ctx.pop.regions.length);
  const known = new Uint8Array(ctx.pop.regions.length);
  const seen = new Map<string, unknown>();
  let uniform = true;
  let first: string | null = null;
  for (const [i, region] of ctx.pop.regions.entries()) {
    const r = resolveParam(p, ctx.asOf, region);
    if (r.ok) {
      values[i] = r.value;
      known[i] = 1;
      const key = r.chosen.label;
      if (first === null) first = key;
      else if (first !== key) uniform = false;
      seen.set(key, r.value);
    } else {
      uniform = false;
      ctx.conflicts.add(`${p.label}@${region}`);
    }
  }
  hit = { values, known, uniform: uniform && ctx.pop.regions.length > 0 };
  ctx.paramCache.set(name, hit);
  return hit;
}

/** Map a raw parameter value to its columnar number (dates → day numbers, enums → index). */
function numeric(n: VNode, raw: unknown): number {
  if (n.type === "date") return dayNumber(raw as string);
  if (n.type === "bool") return raw ? 1 : 0;
  if (n.type === "enum") return -1; // enum params are not used in numeric kernels
  return raw as number;
}

/** Materialise a value per subject. */
function perSubject(ctx: Ctx, x: V): { v: Num; k: Uint8Array | null } {
  const n = ctx.pop.n;
  if (x.t === "p") return x;
  const v = new Float64Array(n);
  const k = new Uint8Array(n);
  if (x.t === "s") {
    v.fill(x.v);
    k.fill(x.known ? 1 : 0);
    return { v, k };
  }
  const ro = ctx.pop.regionOf;
  for (let i = 0; i < n; i++) {
    const r = ro[i]!;
    v[i] = x.v[r]!;
    k[i] = x.k[r]!;
  }
  return { v, k };
}

function value(ctx: Ctx, node: VNode): V {
  const n = ctx.pop.n;
  switch (node.k) {
    case "fact": {
      const col = ctx.pop.cols[node.name];
      if (!col) return { t: "s", v: 0, known: false };
      return { t: "p", v: col.v, k: col.k };
    }
    case "param": {
      const p = paramByRegion(ctx, node.name);
      if (p.uniform) return { t: "s", v: numeric(node, p.values[0]), known: true };
      const v = new Float64Array(p.values.length);
      for (let r = 0; r < v.length; r++) v[r] = p.known[r] ? numeric(node, p.values[r]) : 0;
      return { t: "r", v, k: p.known };
    }
    case "lit":
      return { t: "s", v: numeric(node, node.value), known: true };
    case "asOf":
      return { t: "s", v: ctx.asOfDay, known: true };
    case "since": {
      const col = ctx.pop.cols[node.fact];
      const out = new Float64Array(n);
      const k = new Uint8Array(n);
      if (!col) return { t: "p", v: out, k };
      for (let i = 0; i < n; i++) {
        if (col.k && !col.k[i]) continue;
        const d = dateOfDay(col.v[i]!);
        out[i] = node.unit === "years" ? fullYears(d, ctx.asOf) : fullMonths(d, ctx.asOf);
        k[i] = 1;
      }
      return { t: "p", v: out, k };
    }
    case "arith": {
      const xs = node.args.map((a) => value(ctx, a));
      if (xs.every((x) => x.t === "s")) {
        const vs = xs.map((x) => (x as { v: number }).v);
        const known = xs.every((x) => (x as { known: boolean }).known);
        return { t: "s", v: arithScalar(node.op, vs), known };
      }
      const ps = xs.map((x) => perSubject(ctx, x));
      const out = new Float64Array(n);
      const k = new Uint8Array(n);
      const tmp: number[] = new Array(ps.length);
      for (let i = 0; i < n; i++) {
        let ok = 1;
        for (let j = 0; j < ps.length; j++) {
          const pk = ps[j]!.k;
          if (pk && !pk[i]) ok = 0;
          tmp[j] = ps[j]!.v[i]!;
        }
        if (!ok) continue;
        out[i] = arithScalar(node.op, tmp);
        k[i] = 1;
      }
      return { t: "p", v: out, k };
    }
    case "mulRate": {
      const a = perSubject(ctx, value(ctx, node.value));
      const r = perSubject(ctx, value(ctx, node.rate));
      const out = new Float64Array(n);
      const k = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        if ((a.k && !a.k[i]) || (r.k && !r.k[i])) continue;
        out[i] = mulRate(a.v[i]!, r.v[i]!, node.mode);
        k[i] = 1;
      }
      return { t: "p", v: out, k };
    }
    case "round": {
      const a = perSubject(ctx, value(ctx, node.value));
      const out = new Float64Array(n);
      const k = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        if (a.k && !a.k[i]) continue;
        out[i] = roundTo(a.v[i]!, node.unit, node.mode);
        k[i] = 1;
      }
      return { t: "p", v: out, k };
    }
    case "step":
    case "lookup": {
      const key = perSubject(ctx, value(ctx, node.key));
      const table = paramByRegion(ctx, node.param);
      const out = new Float64Array(n);
      const k = new Uint8Array(n);
      const ro = ctx.pop.regionOf;
      const enumKeys =
        node.key.k === "fact" && node.key.type === "enum"
          ? Object.keys(FACTS[ctx.policy.entity][node.key.name]!.values!)
          : null;
      for (let i = 0; i < n; i++) {
        if (key.k && !key.k[i]) continue;
        const r = ro[i]!;
        if (!table.known[r]) continue;
        const t = table.values[r];
        const kv = key.v[i]!;
        const raw =
          node.k === "step"
            ? stepValue(t as { min: number; value: unknown }[], kv)
            : (t as Record<string, unknown>)[enumKeys ? enumKeys[kv]! : String(kv)];
        if (raw === undefined || raw === null) continue;
        out[i] = raw as number;
        k[i] = 1;
      }
      return { t: "p", v: out, k };
    }
    case "if": {
      const c = condition(ctx, node.when);
      const a = perSubject(ctx, value(ctx, node.then));
      const b = perSubject(ctx, value(ctx, node.else));
      const out = new Float64Array(n);
      const k = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const s = c[i];
        if (s === 1) {
          if (a.k && !a.k[i]) continue;
          out[i] = a.v[i]!;
        } else if (s === 0) {
          if (b.k && !b.k[i]) continue;
          out[i] = b.v[i]!;
        } else continue;
        k[i] = 1;
      }
      return { t: "p", v: out, k };
    }
  }
}

function arithScalar(op: string, xs: number[]): number {
  switch (op) {
    case "add":
      return xs[0]! + xs[1]!;
    case "sub":
      return xs[0]! - xs[1]!;
    case "mul":
      return xs[0]! * xs[1]!;
    case "min":
      return Math.min(...xs);
    default:
      return Math.max(...xs);
  }
}

function cmp(a: number, op: CompareOp, b: number): boolean {
  switch (op) {
    case ">=":
      return a >= b;
    case ">":
      return a > b;
    case "<=":
      return a <= b;
    case "<":
      return a < b;
    case "==":
      return a === b;
    default:
      return a !== b;
  }
}

/** Kernel: column `a` op scalar-or-region `b`; unknown where either side is. */
function compareKernel(ctx: Ctx, a: { v: Num; k: Uint8Array | null }, op: CompareOp, b: V, out: Uint8Array): void {
  const n = ctx.pop.n;
  const av = a.v;
  const ak = a.k;
  if (b.t === "s") {
    if (!b.known) {
      out.fill(2);
      return;
    }
    const bv = b.v;
    // one specialised loop per operator: the hot path of a sweep
    switch (op) {
      case ">=":
        for (let i = 0; i < n; i++) out[i] = ak !== null && ak[i] === 0 ? 2 : av[i]! >= bv ? 1 : 0;
        return;
      case ">":
        for (let i = 0; i < n; i++) out[i] = ak !== null && ak[i] === 0 ? 2 : av[i]! > bv ? 1 : 0;
        return;
      case "<=":
        for (let i = 0; i < n; i++) out[i] = ak !== null && ak[i] === 0 ? 2 : av[i]! <= bv ? 1 : 0;
        return;
      case "<":
        for (let i = 0; i < n; i++) out[i] = ak !== null && ak[i] === 0 ? 2 : av[i]! < bv ? 1 : 0;
        return;
      case "==":
        for (let i = 0; i < n; i++) out[i] = ak !== null && ak[i] === 0 ? 2 : av[i]! === bv ? 1 : 0;
        return;
      default:
        for (let i = 0; i < n; i++) out[i] = ak !== null && ak[i] === 0 ? 2 : av[i]! !== bv ? 1 : 0;
        return;
    }
  }
  if (b.t === "r") {
    const ro = ctx.pop.regionOf;
    for (let i = 0; i < n; i++) {
      const r = ro[i]!;
      out[i] = (ak !== null && ak[i] === 0) || b.k[r] === 0 ? 2 : cmp(av[i]!, op, b.v[r]!) ? 1 : 0;
    }
    return;
  }
  const bk = b.k;
  const bv = b.v;
  for (let i = 0; i < n; i++)
    out[i] = (ak !== null && ak[i] === 0) || (bk !== null && bk[i] === 0) ? 2 : cmp(av[i]!, op, bv[i]!) ? 1 : 0;
}

/**
 * "years/months since d ≥ N" ⇔ d ≤ T(N): the latest day whose full years (months) to asOf reach N.
 * fullYears is monotone in d, so one threshold per N replaces a date computation per subject.
 */
function sinceThreshold(unit: "years" | "months", need: number, asOf: string): number {
  const p: Period = unit === "years" ? { years: need, months: 0, days: 0 } : { years: 0, months: need, days: 0 };
  let d = dayNumber(addPeriod(asOf, p, -1)) + 5;
  const f = unit === "years" ? fullYears : fullMonths;
  while (f(dateOfDay(d), asOf) < need) d--;
  return d;
}

function sinceCompare(ctx: Ctx, node: Extract<VNode, { k: "since" }>, op: CompareOp, b: V, out: Uint8Array): void {
  const col = ctx.pop.cols[node.fact];
  if (!col) {
    out.fill(2);
    return;
  }
  // thresholds per region (or one) for "≥ N" and "≥ N+1"
  const thr = (need: number) => sinceThreshold(node.unit, need, ctx.asOf);
  const n = ctx.pop.n;
  const ro = ctx.pop.regionOf;
  const regionCount = b.t === "r" ? b.v.length : 1;
  const t0 = new Float64Array(regionCount); // ≥ N
  const t1 = new Float64Array(regionCount); // ≥ N+1
  const known = new Uint8Array(regionCount);
  for (let r = 0; r < regionCount; r++) {
    const N = b.t === "s" ? b.v : b.t === "r" ? b.v[r]! : 0;
    known[r] = b.t === "s" ? (b.known ? 1 : 0) : b.t === "r" ? b.k[r]! : 0;
    if (!known[r]) continue;
    t0[r] = thr(N);
    t1[r] = thr(N + 1);
  }
  if (b.t === "p") {
    // per-subject thresholds: rare; fall back to computing the value
    compareKernel(ctx, perSubject(ctx, value(ctx, node)), op, b, out);
    return;
  }
  const cv = col.v;
  const ck = col.k;
  for (let i = 0; i < n; i++) {
    const r = regionCount === 1 ? 0 : ro[i]!;
    if ((ck !== null && ck[i] === 0) || known[r] === 0) {
      out[i] = 2;
      continue;
    }
    const d = cv[i]!;
    const ge = d <= t0[r]!; // value ≥ N
    const gt = d <= t1[r]!; // value ≥ N+1
    let s: boolean;
    switch (op) {
      case ">=":
        s = ge;
        break;
      case ">":
        s = gt;
        break;
      case "<":
        s = !ge;
        break;
      case "<=":
        s = !gt;
        break;
      case "==":
        s = ge && !gt;
        break;
      default:
        s = !(ge && !gt);
    }
    out[i] = s ? 1 : 0;
  }
}

/** Per-region day thresholds for a period parameter: f(period) → day number. */
function periodThresholds(
  ctx: Ctx,
  node: VNode,
  f: (p: Period) => number,
): { t: Float64Array; k: Uint8Array; one: boolean } {
  if (node.k === "lit") return { t: Float64Array.of(f(node.value as Period)), k: Uint8Array.of(1), one: true };
  if (node.k !== "param") throw new Error("period must be a literal or a parameter");
  const p = paramByRegion(ctx, node.name);
  if (p.uniform) return { t: Float64Array.of(f(p.values[0] as Period)), k: Uint8Array.of(1), one: true };
  const t = new Float64Array(p.values.length);
  for (let r = 0; r < t.length; r++) if (p.known[r]) t[r] = f(p.values[r] as Period);
  return { t, k: p.known, one: false };
}

function condition(ctx: Ctx, c: CNode): Uint8Array {
  const n = ctx.pop.n;
  const out = new Uint8Array(n);
  const b = c.body;
  const ro = ctx.pop.regionOf;
  switch (b.k) {
    case "compare": {
      const right = value(ctx, b.right);
      if (b.left.k === "since") sinceCompare(ctx, b.left, b.op, right, out);
      else if (b.left.type === "enum") {
        // enum equality: compare indices
        const col = ctx.pop.cols[(b.left as { name: string }).name];
        const values = (b.left as { enumValues?: string[] }).enumValues!;
        const idx = b.right.k === "lit" ? values.indexOf(b.right.value as string) : -1;
        if (!col) out.fill(2);
        else compareKernel(ctx, col, b.op, { t: "s", v: idx, known: idx >= 0 }, out);
      } else compareKernel(ctx, perSubjectOrColumn(ctx, value(ctx, b.left)), b.op, right, out);
      return out;
    }
    case "ratio": {
      const num = perSubject(ctx, value(ctx, b.num));
      const den = perSubject(ctx, value(ctx, b.den));
      const right = perSubject(ctx, value(ctx, b.right));
      for (let i = 0; i < n; i++) {
        if ((num.k && !num.k[i]) || (den.k && !den.k[i]) || (right.k && !right.k[i]) || den.v[i]! <= 0) {
          out[i] = 2;
          continue;
        }
        out[i] = cmp(num.v[i]! * 10_000, b.op, right.v[i]! * den.v[i]!) ? 1 : 0;
      }
      return out;
    }
    case "is": {
      const col = ctx.pop.cols[b.fact];
      if (!col) {
        out.fill(2);
        return out;
      }
      const want = b.expect ? 1 : 0;
      const v = col.v;
      const k = col.k;
      for (let i = 0; i < n; i++) out[i] = k !== null && k[i] === 0 ? 2 : v[i] === want ? 1 : 0;
      return out;
    }
    case "in": {
      const col = ctx.pop.cols[b.fact];
      if (!col) {
        out.fill(2);
        return out;
      }
      const member = new Uint8Array(b.enumValues.length);
      for (const x of b.values) member[b.enumValues.indexOf(x)] = 1;
      const v = col.v;
      const k = col.k;
      for (let i = 0; i < n; i++) out[i] = k !== null && k[i] === 0 ? 2 : member[v[i]!] ? 1 : 0;
      return out;
    }
    case "within":
    case "since": {
      const col = ctx.pop.cols[b.fact];
      if (!col) {
        out.fill(2);
        return out;
      }
      const asOfDay = ctx.asOfDay;
      const prevDay = dateOfDay(asOfDay - 1);
      // since: d ≤ L(p, asOf); within: d ≤ asOf and addPeriod(d, p) ≥ asOf ⇔ d > L(p, asOf − 1)
      const th =
        b.k === "since"
          ? periodThresholds(ctx, b.period, (p) => latestStartCompleting(p, ctx.asOf))
          : periodThresholds(ctx, b.period, (p) => latestStartCompleting(p, prevDay));
      const v = col.v;
      const k = col.k;
      for (let i = 0; i < n; i++) {
        const r = th.one ? 0 : ro[i]!;
        if ((k !== null && k[i] === 0) || th.k[r] === 0) {
          out[i] = 2;
          continue;
        }
        const d = v[i]!;
        out[i] = b.k === "since" ? (d <= th.t[r]! ? 1 : 0) : d <= asOfDay && d > th.t[r]! ? 1 : 0;
      }
      return out;
    }
    case "any":
    case "all": {
      const kids = b.children.map((k) => condition(ctx, k));
      const hit = b.k === "any" ? 1 : 0;
      const miss = 1 - hit;
      out.fill(miss);
      for (const kid of kids)
        for (let i = 0; i < n; i++) {
          const s = kid[i]!;
          if (s === hit) out[i] = hit;
          else if (s === 2 && out[i] !== hit) out[i] = 2;
        }
      return out;
    }
    case "not": {
      const kid = condition(ctx, b.child);
      for (let i = 0; i < n; i++) out[i] = kid[i] === 2 ? 2 : 1 - kid[i]!;
      return out;
    }
    case "policy": {
      const r = ctx.results.get(b.id);
      if (!r) out.fill(2);
      else out.set(r.state);
      return out;
    }
    case "notReceived": {
      const col = ctx.pop.paid?.[b.policy];
      const th = periodThresholds(ctx, b.period, (p) => latestStartCompleting(p, ctx.asOf));
      if (!col) {
        out.fill(2);
        return out;
      }
      for (let i = 0; i < n; i++) {
        const r = th.one ? 0 : ro[i]!;
        if ((col.k !== null && col.k[i] === 0) || th.k[r] === 0) {
          out[i] = 2;
          continue;
        }
        const d = col.v[i]!;
        out[i] = d === NEVER || d <= th.t[r]! ? 1 : 0;
      }
      return out;
    }
  }
}

function perSubjectOrColumn(ctx: Ctx, x: V): { v: Num; k: Uint8Array | null } {
  return x.t === "p" ? x : perSubject(ctx, x);
}

/** Evaluate policies (in dependency order) over a population. */
export function evaluateColumnar(
  policies: readonly CompiledPolicy[],
  pop: Population,
  asOf: string,
): Map<string, ColumnarResult> {
  const results = new Map<string, ColumnarResult>();
  const n = pop.n;
  for (const policy of policies) {
    const ctx: Ctx = {
      pop,
      asOf,
      asOfDay: dayNumber(asOf),
      results,
      conflicts: new Set(),
      policy,
      paramCache: new Map(),
    };
    const state = new Uint8Array(n).fill(1);
    const failed = new Uint32Array(n);
    const undetermined = new Uint32Array(n);
    const top: Uint8Array[] = [];
    for (const [ci, c] of policy.conditions.entries()) {
      const s = condition(ctx, c);
      if (c.requires.length)
        for (const req of c.requires) {
          const rs = top[req]!;
          for (let i = 0; i < n; i++) if (rs[i] !== 1) s[i] = 3;
        }
      top.push(s);
      const bit = 1 << ci;
      for (let i = 0; i < n; i++) {
        const x = s[i];
        if (x === 0) {
          failed[i]! |= bit;
          state[i] = 0;
        } else if (x === 2) {
          undetermined[i]! |= bit;
          if (state[i] === 1) state[i] = 2;
        }
      }
    }
    // outside the policy's region: 不满足 with no condition reasons
    if (policy.region) {
      const outside = new Uint8Array(pop.regions.length);
      for (const [r, code] of pop.regions.entries()) outside[r] = code.startsWith(policy.region) ? 0 : 1;
      const ro = pop.regionOf;
      for (let i = 0; i < n; i++)
        if (outside[ro[i]!]) {
          state[i] = 0;
          failed[i] = 0;
          undetermined[i] = 0;
        }
    }
    const amount = new Float64Array(n).fill(Number.NaN);
    const out = policy.outputs.find((o) => o.name === "amount");
    if (out) {
      const a = perSubject(ctx, value(ctx, out.expr));
      for (let i = 0; i < n; i++) if (state[i] === 1 && (a.k === null || a.k[i] === 1)) amount[i] = a.v[i]!;
    }
    results.set(policy.id, { policyId: policy.id, state, failed, undetermined, amount, conflicts: [...ctx.conflicts] });
  }
  return results;
}

/** Build the columns of a population from per-subject facts (tests, what-if batches, loaders). */
export function populationFromSubjects(
  entity: "person" | "employer",
  subjects: { region: string; facts: Record<string, unknown>; paid?: Record<string, string | null> }[],
  paidPolicies: string[] = [],
): Population {
  const defs = FACTS[entity];
  const n = subjects.length;
  const regions: string[] = [];
  const regionIndex = new Map<string, number>();
  const regionOf = new Int32Array(n);
  const cols: Record<string, Column> = {};
  for (const [name, def] of Object.entries(defs)) {
    const v = def.type === "bool" || def.type === "enum" ? new Uint8Array(n) : new Float64Array(n);
    const k = new Uint8Array(n);
    const keys = def.values ? Object.keys(def.values) : null;
    for (let i = 0; i < n; i++) {
      const raw = normaliseFact(def, subjects[i]!.facts[name]);
      if (raw === undefined) continue;
      const x =
        def.type === "bool"
          ? raw
            ? 1
            : 0
          : def.type === "enum"
            ? keys!.indexOf(raw as string)
            : def.type === "date"
              ? dayNumber(raw as string)
              : (raw as number);
      v[i] = x;
      k[i] = 1;
    }
    cols[name] = { v, k };
  }
  for (let i = 0; i < n; i++) {
    const r = subjects[i]!.region;
    let idx = regionIndex.get(r);
    if (idx === undefined) {
      idx = regions.length;
      regions.push(r);
      regionIndex.set(r, idx);
    }
    regionOf[i] = idx;
  }
  const paid: Record<string, Column> = {};
  for (const p of paidPolicies) {
    const v = new Float64Array(n);
    const k = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const h = subjects[i]!.paid;
      if (!h) continue;
      const d = h[p];
      v[i] = d ? dayNumber(d) : NEVER;
      k[i] = 1;
    }
    paid[p] = { v, k };
  }
  return { n, regionOf, regions, cols, paid };
}
