import type { CompareOp, Param, ParamValue, RoundMode } from "./model.ts";

export type Resolved =
  | { ok: true; value: unknown; chosen: ParamValue }
  | { ok: false; reason: "none" | "conflict"; candidates: ParamValue[] };

/**
 * The value of a parameter as of a date for a subject in `region`: the values in force there
 * that no other value in force is an exception to. One left → it; several with distinct
 * priorities → the highest; otherwise a conflict, reported, never "last one wins".
 */
export function resolveParam(param: Param, asOf: string, region: string): Resolved {
  const live = param.values.filter(
    (v) => v.from <= asOf && (v.to === null || asOf <= v.to) && region.startsWith(v.region),
  );
  const overridden = new Set(live.filter((v) => v.exceptionTo).map((v) => v.exceptionTo));
  const left = live.filter((v) => !overridden.has(v.label));
  if (left.length === 1) return { ok: true, value: left[0]!.value, chosen: left[0]! };
  if (left.length === 0) return { ok: false, reason: "none", candidates: [] };
  const prios = left.map((v) => v.priority);
  if (prios.every((p) => p !== null) && new Set(prios).size === prios.length) {
    const best = left.reduce((a, b) => (b.priority! > a.priority! ? b : a));
    return { ok: true, value: best.value, chosen: best };
  }
  return { ok: false, reason: "conflict", candidates: left };
}

export function conflictText(param: Param, r: Extract<Resolved, { ok: false }>): string {
  return r.reason === "none"
    ? `参数「${param.label}」在该日期、该地区没有有效取值`
    : `参数冲突：「${param.label}」的 ${r.candidates.map((c) => `「${c.label}」`).join("与")} 同时适用且没有优先级`;
}

/** a × rate (basis points) ÷ 10 000, rounded as the policy says; exact for |a × rate| < 2^53. */
export function mulRate(a: number, bp: number, mode: RoundMode): number {
  return divRound(a * bp, 10_000, mode);
}

/** n ÷ d (d > 0) rounded: half_up rounds halves away from zero. */
export function divRound(n: number, d: number, mode: RoundMode): number {
  const q = Math.floor(n / d);
  const r = n - q * d;
  if (r === 0) return q;
  if (mode === "floor") return q;
  if (mode === "ceil") return q + 1;
  // half_up, away from zero
  if (n >= 0) return 2 * r >= d ? q + 1 : q;
  return 2 * r > d ? q + 1 : q;
}

/** Round an amount in 分 to a unit (100 = 元) */
export function roundTo(fen: number, unit: number, mode: RoundMode): number {
  return unit === 1 ? fen : divRound(fen, unit, mode) * unit;
}

/** steps: the value of the largest `min` ≤ key, or undefined below the first step. */
export function stepValue(steps: { min: number; value: unknown }[], key: number): unknown {
  let out: unknown;
  for (const s of steps) if (key >= s.min) out = s.value; // sorted by min at compile time
  return out;
}

/** `a op b` — the one comparison both evaluators use (numbers, or YYYY-MM-DD dates and enum values as strings). */
export function compareOp<T extends number | string>(a: T, op: CompareOp, b: T): boolean {
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
