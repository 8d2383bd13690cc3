import { formatFen } from "../jobs/minimum-wage.ts";
import { parseRate } from "./compile.ts";
import { addPeriod, dayNumber, fullMonths, fullYears, isDate, type Period, periodText } from "./dates.ts";
import { type Entity, FACTS, type FactDef } from "./facts.ts";
import type { Citation, CNode, CompareOp, CompiledPolicy, GroupKind, Param, ValueType, VNode } from "./model.ts";
import { compareOp, conflictText, mulRate, resolveParam, roundTo, stepValue } from "./params.ts";

/** A subject as the engine sees it: facts by name, its region and what it was paid before. */
export interface Subject {
  id?: string;
  /** Residence (person) or registration (employer) region code. */
  region: string;
  facts: Record<string, unknown>;
  /** Last payment date by policy id; null = never paid. Absent = unknown history. */
  paid?: Record<string, string | null>;
  /** The household's members' facts, the subject included. Absent = household unknown. */
  members?: { facts: Record<string, unknown> }[];
  /** An employer's employees (open 就业登记 at the employer) with their person facts. Absent = unknown. */
  employees?: { facts: Record<string, unknown> }[];
}

/** The pseudo-fact a `members:` condition misses when the household is not known. */
export const MEMBERS_FACT = "$members";
/** The pseudo-fact an `employees:` aggregation misses when the employer's roster is not known. */
export const EMPLOYEES_FACT = "$employees";
const GROUP_FACT: Record<GroupKind, string> = { household: MEMBERS_FACT, employees: EMPLOYEES_FACT };
const GROUP_LABEL: Record<GroupKind, string> = { household: "家庭成员", employees: "职工" };

/** The label of a fact or of a group pseudo-fact, for "信息不足" lists. */
export function missingLabel(defs: Record<string, FactDef>, m: string): string {
  return m === MEMBERS_FACT ? "家庭成员信息" : m === EMPLOYEES_FACT ? "职工名册（就业登记）" : (defs[m]?.label ?? m);
}

/** "职工中一、二级残疾人的人数" / "家庭成员的月收入合计". */
export function aggLabel(n: Extract<VNode, { k: "agg" }>, defs: Record<string, FactDef>): string {
  const who = `${GROUP_LABEL[n.over]}${n.where ? `中${n.where.label}者` : ""}`;
  if (n.fn === "count") return `${who}的人数`;
  const def = (n.over === "household" ? defs : FACTS.person)[n.sumFact!]!;
  return `${who}的${def.label}合计`;
}

type WhereResult = { state: Exclude<State, "not_evaluated">; trace: ConditionTrace };

/**
 * Evaluate `where` (or "everyone" when null) for each member of a group; null when the group is
 * unknown. Members are persons: an employee's facts are read with the person facts the policy's
 * employee aggregations use; a household member's with the policy's own facts.
 */
function eachMember(env: Env, over: GroupKind, where: CNode | null, top: State[]) {
  const group = over === "household" ? env.subject.members : env.subject.employees;
  if (!group) return null;
  const defs = over === "household" ? env.defs : FACTS.person;
  const names = over === "household" ? env.policy.facts : env.policy.employeeFacts;
  return group.map((m) => {
    const facts: Record<string, unknown> = {};
    for (const name of names) facts[name] = normaliseFact(defs[name]!, m.facts[name]);
    const r: WhereResult | null = where
      ? condition({ ...env, defs, facts, subject: { ...env.subject, facts: m.facts } }, where, top)
      : null;
    return { facts, state: r ? r.state : ("met" as const), trace: r?.trace ?? null };
  });
}

export type State = "met" | "not_met" | "unknown" | "not_evaluated";
export const STATE_TEXT: Record<State, string> = {
  met: "满足",
  not_met: "不满足",
  unknown: "信息不足",
  not_evaluated: "未判断",
};

export interface ConditionTrace {
  id: string;
  label: string;
  state: State;
  /** One sentence in Chinese: the fact, its value, the threshold and the source. */
  text: string;
  value: string | null;
  threshold: string | null;
  distance: string | null;
  source: string | null;
  missing: string[];
  children?: ConditionTrace[];
}

export interface ParamUse {
  name: string;
  label: string;
  value: string;
  valueLabel: string;
  source: string;
  verified: boolean;
}

export interface PolicyResult {
  policyId: string;
  policyName: string;
  hash: string;
  asOf: string;
  state: "met" | "not_met" | "unknown";
  /** The region restriction, when the subject is outside it. */
  notApplicable: string | null;
  conditions: ConditionTrace[];
  /** Ids of top-level conditions not met / without enough information (the batch reason mask). */
  failed: string[];
  undetermined: string[];
  missing: { fact: string; label: string }[];
  outputs: Record<string, { label: string; value: number | null; text: string; missing: string[] }>;
  amountFen: number | null;
  params: ParamUse[];
  conflicts: string[];
}

const OP_TEXT: Record<CompareOp, string> = {
  ">=": "不少于",
  ">": "多于",
  "<=": "不超过",
  "<": "少于",
  "==": "等于",
  "!=": "不等于",
};
const DATE_OP_TEXT: Record<CompareOp, string> = {
  ">=": "不早于",
  ">": "晚于",
  "<=": "不晚于",
  "<": "早于",
  "==": "为",
  "!=": "不为",
};

export function citationText(c: Citation | null): string | null {
  return c ? `${c.document}${c.article ? ` ${c.article}` : ""}` : null;
}

/** Normalise an inline fact to the engine's representation; undefined when absent or unusable. */
export function normaliseFact(def: FactDef, v: unknown): unknown {
  if (v === undefined || v === null) return undefined;
  switch (def.type) {
    case "bool":
      return typeof v === "boolean" ? v : undefined;
    case "int":
    case "money":
      return typeof v === "number" && Number.isSafeInteger(v) ? v : undefined;
    case "date":
      return isDate(v) ? v : undefined;
    case "enum":
      return typeof v === "string" && def.values && v in def.values ? v : undefined;
    case "rate":
      return typeof v === "number" && Number.isInteger(v) ? v : (parseRate(v) ?? undefined);
  }
}

/** Errors in inline facts (what-if evaluation): unknown names and wrong types, in Chinese. */
export function validateFacts(entity: Entity, facts: Record<string, unknown>): { path: string; message: string }[] {
  const defs = FACTS[entity];
  const out: { path: string; message: string }[] = [];
  for (const [name, v] of Object.entries(facts)) {
    const def = defs[name];
    if (!def) out.push({ path: `facts.${name}`, message: `未知的事实「${name}」` });
    else if (v !== null && normaliseFact(def, v) === undefined)
      out.push({
        path: `facts.${name}`,
        message: `${def.label}的取值不正确：应为${
          def.type === "bool"
            ? "true/false"
            : def.type === "date"
              ? "日期 YYYY-MM-DD"
              : def.type === "enum"
                ? Object.keys(def.values!).join("/")
                : def.type === "rate"
                  ? "百分比，如 4.35%"
                  : def.type === "money"
                    ? "以分为单位的整数"
                    : "整数"
        }`,
      });
  }
  return out;
}

export function formatValue(type: ValueType, v: unknown, def?: FactDef | null, unit?: string | null): string {
  if (v === undefined || v === null) return "未知";
  switch (type) {
    case "bool":
      return v ? "是" : "否";
    case "money":
      return `${formatFen(v as number)}元`;
    case "rate":
      return `${(v as number) / 100}%`;
    case "enum":
      return def?.values?.[v as string] ?? String(v);
    case "period":
      return periodText(v as Period);
    case "int":
      return `${v}${unit ?? def?.unit ?? ""}`;
    default:
      return String(v);
  }
}

type Val = { ok: true; v: unknown } | { ok: false; missing: string[] };

interface Env {
  policy: CompiledPolicy;
  subject: Subject;
  asOf: string;
  defs: Record<string, FactDef>;
  facts: Record<string, unknown>;
  results: Map<string, PolicyResult>;
  params: Map<string, ParamUse>;
  conflicts: Set<string>;
}

function param(env: Env, name: string): Val {
  const p: Param = env.policy.params[name]!;
  const r = resolveParam(p, env.asOf, env.subject.region);
  if (!r.ok) {
    env.conflicts.add(conflictText(p, r));
    return { ok: false, missing: [] };
  }
  if (!env.params.has(name)) {
    const simple = p.type !== "steps" && p.type !== "table";
    env.params.set(name, {
      name,
      label: p.label,
      value: JSON.stringify(r.value),
      // a table or steps is named by the value chosen (its label), a single value by itself
      valueLabel: simple ? formatValue(p.type as ValueType, r.value, null, p.unit) : r.chosen.label,
      source: citationText(r.chosen.source) ?? "",
      verified: r.chosen.verified,
    });
  }
  return { ok: true, v: r.value };
}

function value(env: Env, n: VNode): Val {
  switch (n.k) {
    case "fact": {
      const v = env.facts[n.name];
      return v === undefined ? { ok: false, missing: [n.name] } : { ok: true, v };
    }
    case "param":
      return param(env, n.name);
    case "lit":
      return { ok: true, v: n.value };
    case "asOf":
      return { ok: true, v: env.asOf };
    case "since": {
      const d = env.facts[n.fact];
      if (d === undefined) return { ok: false, missing: [n.fact] };
      return { ok: true, v: n.unit === "years" ? fullYears(d as string, env.asOf) : fullMonths(d as string, env.asOf) };
    }
    case "arith": {
      const args = n.args.map((a) => value(env, a));
      const missing = args.flatMap((a) => (a.ok ? [] : a.missing));
      if (args.some((a) => !a.ok)) return { ok: false, missing };
      const xs = args.map((a) => (a as { v: number }).v);
      const v =
        n.op === "add"
          ? xs[0]! + xs[1]!
          : n.op === "sub"
            ? xs[0]! - xs[1]!
            : n.op === "mul"
              ? xs[0]! * xs[1]!
              : n.op === "min"
                ? Math.min(...xs)
                : Math.max(...xs);
      return { ok: true, v };
    }
    case "mulRate": {
      const a = value(env, n.value);
      const r = value(env, n.rate);
      if (!a.ok || !r.ok) return { ok: false, missing: [...(a.ok ? [] : a.missing), ...(r.ok ? [] : r.missing)] };
      return { ok: true, v: mulRate(a.v as number, r.v as number, n.mode) };
    }
    case "round": {
      const a = value(env, n.value);
      return a.ok ? { ok: true, v: roundTo(a.v as number, n.unit, n.mode) } : a;
    }
    case "step":
    case "lookup": {
      const key = value(env, n.key);
      const table = param(env, n.param);
      if (!key.ok) return key;
      if (!table.ok) return table;
      const v =
        n.k === "step"
          ? stepValue(table.v as { min: number; value: unknown }[], key.v as number)
          : (table.v as Record<string, unknown>)[String(key.v)];
      return v === undefined || v === null ? { ok: false, missing: [] } : { ok: true, v };
    }
    case "if": {
      const c = condition(env, n.when, []);
      if (c.state === "unknown") return { ok: false, missing: c.missing };
      return value(env, c.state === "met" ? n.then : n.else);
    }
    case "agg": {
      // a count or sum is known only when every member is known either way (and, for a sum, its fact)
      const each = eachMember(env, n.over, n.where, []);
      if (!each || each.some((m) => m.state === "unknown")) return { ok: false, missing: [GROUP_FACT[n.over]] };
      let x = 0;
      for (const m of each) {
        if (m.state !== "met") continue;
        if (!n.sumFact) x++;
        else if (m.facts[n.sumFact] === undefined) return { ok: false, missing: [GROUP_FACT[n.over]] };
        else x += m.facts[n.sumFact] as number;
      }
      return { ok: true, v: x };
    }
  }
}

function labelOf(env: Env, n: VNode): string {
  if (n.k === "fact") return env.defs[n.name]!.label;
  if (n.k === "since")
    return n.unit === "years" ? `年龄（按${env.defs[n.fact]!.label}计）` : `${env.defs[n.fact]!.label}至今月数`;
  if (n.k === "param") return env.policy.params[n.name]!.label;
  if (n.k === "asOf") return "评估日";
  if (n.k === "agg") return aggLabel(n, env.defs);
  if (n.k === "lit" && n.type === "int") return String(n.value);
  if (n.k === "arith" && (n.op === "add" || n.op === "sub" || n.op === "mul")) {
    // "2×职工中持有残疾人证者的人数−职工中三、四级残疾者的人数"
    const sign = { add: "＋", sub: "−", mul: "×" }[n.op];
    return n.args.map((a) => labelOf(env, a)).join(sign);
  }
  return "计算值";
}

function show(env: Env, n: VNode, v: unknown): string {
  if (n.k === "since") return n.unit === "years" ? `${v}周岁` : `${v}个月`;
  const def = n.k === "fact" ? env.defs[n.name] : null;
  const unit = n.k === "param" ? env.policy.params[n.name]!.unit : null;
  return formatValue(n.type, v, def, unit);
}

function sinceDistance(env: Env, n: Extract<VNode, { k: "since" }>, op: CompareOp, target: number): string | null {
  // the day on which "years/months since ≥ target" becomes true
  if (op !== ">=" && op !== ">") return null;
  const need = op === ">=" ? target : target + 1;
  const from = env.facts[n.fact] as string;
  const when = addPeriod(
    from,
    n.unit === "years" ? { years: need, months: 0, days: 0 } : { years: 0, months: need, days: 0 },
  );
  const days = dayNumber(when) - dayNumber(env.asOf);
  return days > 0 ? `还差 ${days} 天满 ${need}${n.unit === "years" ? " 周岁" : " 个月"}（${when}）` : null;
}

function labelOfFact(env: Env, m: string): string {
  return missingLabel(env.defs, m);
}

interface CResult {
  state: Exclude<State, "not_evaluated">;
  missing: string[];
  trace: ConditionTrace;
}

function condition(env: Env, c: CNode, top: State[]): CResult {
  const source = citationText(c.source);
  const suffix = source ? `（${source}）` : "";
  const mk = (
    state: CResult["state"],
    text: string,
    extra: Partial<ConditionTrace> = {},
    missing: string[] = [],
  ): CResult => ({
    state,
    missing,
    trace: {
      id: c.id,
      label: c.label,
      state,
      text,
      value: null,
      threshold: null,
      distance: null,
      source,
      missing: missing.map((m) => labelOfFact(env, m)),
      ...extra,
    },
  });
  const unknown = (missing: string[], extra: Partial<ConditionTrace> = {}) =>
    mk(
      "unknown",
      missing.length
        ? `${c.label}：缺少「${[...new Set(missing)].map((m) => labelOfFact(env, m)).join("」「")}」，无法判断`
        : `${c.label}：${[...env.conflicts].join("；") || "无法判断"}`,
      extra,
      [...new Set(missing)],
    );
  const b = c.body;
  switch (b.k) {
    case "compare":
    case "ratio": {
      const right = value(env, b.right);
      let leftV: Val;
      let leftLabel: string;
      let leftShow: string | null = null;
      if (b.k === "ratio") {
        const num = value(env, b.num);
        const den = value(env, b.den);
        leftLabel = `${labelOf(env, b.num)}÷${labelOf(env, b.den)}`;
        if (!num.ok || !den.ok)
          leftV = { ok: false, missing: [...(num.ok ? [] : num.missing), ...(den.ok ? [] : den.missing)] };
        else if ((den.v as number) <= 0) leftV = { ok: false, missing: [(b.den as { name?: string }).name ?? "?"] };
        else {
          leftV = { ok: true, v: [num.v, den.v] };
          leftShow = `${num.v}÷${den.v}=${(((num.v as number) / (den.v as number)) * 100).toFixed(2)}%`;
        }
      } else {
        leftV = value(env, b.left);
        leftLabel = labelOf(env, b.left);
        if (leftV.ok) leftShow = show(env, b.left, leftV.v);
      }
      const thrShow = right.ok ? show(env, b.right, right.v) : null;
      if (!leftV.ok || !right.ok)
        return unknown([...(leftV.ok ? [] : leftV.missing), ...(right.ok ? [] : right.missing)], {
          value: leftShow,
          threshold: thrShow,
        });
      let ok: boolean;
      if (b.k === "ratio") {
        const [num, den] = leftV.v as [number, number];
        // num/den op bp/10000 ⇔ num·10000 op bp·den (den > 0): exact
        ok = compareOp(num * 10_000, b.op, (right.v as number) * den);
      } else ok = compareOp(leftV.v as number | string, b.op, right.v as number | string);
      const isDateCmp = b.k === "compare" && b.left.type === "date";
      const opText = (isDateCmp ? DATE_OP_TEXT : OP_TEXT)[b.op];
      let distance: string | null = null;
      if (!ok && b.k === "compare") {
        if (b.left.k === "since") distance = sinceDistance(env, b.left, b.op, right.v as number);
        else if (b.left.type === "int" || b.left.type === "money") {
          const gap = Math.abs((right.v as number) - (leftV.v as number)) + (b.op === ">" || b.op === "<" ? 1 : 0);
          const gapText =
            b.left.type === "money"
              ? `${formatFen(gap)}元`
              : `${gap}${env.defs[(b.left as { name: string }).name]?.unit ?? ""}`;
          distance =
            b.op === ">=" || b.op === ">"
              ? `还差 ${gapText}`
              : b.op === "<=" || b.op === "<"
                ? `超出 ${gapText}`
                : null;
        } else if (isDateCmp) {
          const days = Math.abs(dayNumber(right.v as string) - dayNumber(leftV.v as string));
          distance = `相差 ${days} 天`;
        }
      }
      const text = `${leftLabel} ${leftShow}，${ok ? "满足" : "不满足"}「${opText} ${thrShow}」${suffix}${distance ? `；${distance}` : ""}`;
      return mk(ok ? "met" : "not_met", text, { value: leftShow, threshold: `${opText} ${thrShow}`, distance });
    }
    case "is": {
      const v = env.facts[b.fact];
      const label = env.defs[b.fact]!.label;
      if (v === undefined) return unknown([b.fact]);
      const ok = v === b.expect;
      return mk(
        ok ? "met" : "not_met",
        `${label}：${v ? "是" : "否"}，${ok ? "满足" : "不满足"}「${c.label}」${suffix}`,
        {
          value: v ? "是" : "否",
          threshold: b.expect ? "是" : "否",
        },
      );
    }
    case "in": {
      const def = env.defs[b.fact]!;
      const v = env.facts[b.fact];
      if (v === undefined) return unknown([b.fact]);
      const ok = b.values.includes(v as string);
      const allowed = b.values.map((x) => def.values![x]).join("、");
      return mk(
        ok ? "met" : "not_met",
        `${def.label}：${def.values![v as string]}，${ok ? "属于" : "不属于"}「${allowed}」${suffix}`,
        { value: def.values![v as string] ?? null, threshold: allowed },
      );
    }
    case "within":
    case "since": {
      const def = env.defs[b.fact]!;
      const d = env.facts[b.fact] as string | undefined;
      const p = value(env, b.period);
      if (b.k === "within" && d !== undefined && d > env.asOf)
        // a date after the evaluation day is not "within" any period, whatever the period is
        return mk("not_met", `${def.label} ${d}，晚于评估日 ${env.asOf}${suffix}`, { value: d, threshold: null });
      if (d === undefined || !p.ok) return unknown([...(d === undefined ? [b.fact] : []), ...(p.ok ? [] : p.missing)]);
      const period = p.v as Period;
      const end = addPeriod(d, period);
      const pt = periodText(period);
      if (b.k === "since") {
        const ok = end <= env.asOf;
        const days = dayNumber(end) - dayNumber(env.asOf);
        return mk(
          ok ? "met" : "not_met",
          `${def.label} ${d}，至 ${env.asOf} ${ok ? `已满 ${pt}` : `未满 ${pt}`}${suffix}${ok ? "" : `；还差 ${days} 天满 ${pt}（${end}）`}`,
          { value: d, threshold: `满 ${pt}`, distance: ok ? null : `还差 ${days} 天满 ${pt}` },
        );
      }
      const ok = d <= env.asOf && env.asOf <= end;
      const text = ok
        ? `${def.label} ${d}，在 ${pt} 内（至 ${end}）${suffix}`
        : d > env.asOf
          ? `${def.label} ${d}，晚于评估日 ${env.asOf}${suffix}`
          : `${def.label} ${d}，已超过 ${pt}（截至 ${end}）${suffix}；已超出 ${dayNumber(env.asOf) - dayNumber(end)} 天`;
      return mk(ok ? "met" : "not_met", text, { value: d, threshold: `${pt} 内`, distance: null });
    }
    case "any":
    case "all": {
      const kids = b.children.map((k) => condition(env, k, top));
      const states = kids.map((k) => k.state);
      const hit = b.k === "any" ? "met" : "not_met";
      const state: CResult["state"] = states.includes(hit)
        ? hit
        : states.includes("unknown")
          ? "unknown"
          : b.k === "any"
            ? "not_met"
            : "met";
      const missing = state === "unknown" ? kids.flatMap((k) => (k.state === "unknown" ? k.missing : [])) : [];
      const head = b.k === "any" ? "以下情形满足其一" : "以下条件同时满足";
      return mk(
        state,
        `${c.label}（${head}）：${STATE_TEXT[state]}${suffix}`,
        { children: kids.map((k) => k.trace) },
        missing,
      );
    }
    case "not": {
      const k = condition(env, b.child, top);
      const state = k.state === "met" ? "not_met" : k.state === "not_met" ? "met" : "unknown";
      return mk(state, `${c.label}：${STATE_TEXT[state]}（${k.trace.text}）`, { children: [k.trace] }, k.missing);
    }
    case "policy": {
      const r = env.results.get(b.id);
      if (!r) return unknown([]);
      const state = r.state;
      return mk(
        state,
        `${r.policyName}：${STATE_TEXT[state]}${state === "unknown" ? `（缺少 ${r.missing.map((m) => m.label).join("、")}）` : ""}${suffix}`,
        {},
        state === "unknown" ? r.missing.map((m) => m.fact) : [],
      );
    }
    case "members": {
      const each = eachMember(env, b.over, b.where, top);
      if (!each) return unknown([GROUP_FACT[b.over]]);
      let t = 0;
      let f = 0;
      let u = 0;
      let sum = 0;
      let sumKnown = true;
      const kids: ConditionTrace[] = [];
      for (const m of each) {
        if (m.state === "met") {
          t++;
          if (b.sumFact) {
            const x = m.facts[b.sumFact];
            if (x === undefined) sumKnown = false;
            else sum += x as number;
          }
        } else if (m.state === "not_met") f++;
        else u++;
        if (kids.length < 10 && m.trace) kids.push(m.trace);
      }
      const n = each.length;
      let state: CResult["state"];
      let threshold: string | null = null;
      if (b.fn === "any") state = t > 0 ? "met" : f === n ? "not_met" : "unknown";
      else if (b.fn === "all") state = f > 0 ? "not_met" : t === n ? "met" : "unknown";
      else {
        const r = value(env, b.right!);
        if (!r.ok) return unknown(r.missing);
        const x = r.v as number;
        threshold = `${OP_TEXT[b.op!]} ${formatValue(b.right!.type, x)}`;
        if (b.fn === "count") {
          // every count still possible given the members not known either way
          let yes = 0;
          for (let k = t; k <= t + u; k++) if (compareOp(k, b.op!, x)) yes++;
          state = yes === u + 1 ? "met" : yes === 0 ? "not_met" : "unknown";
        } else state = u > 0 || !sumKnown ? "unknown" : compareOp(sum, b.op!, x) ? "met" : "not_met";
      }
      const sumDef = b.sumFact ? (b.over === "household" ? env.defs : FACTS.person)[b.sumFact]! : null;
      const shown = sumDef ? `合计 ${formatValue(sumDef.type, sum, sumDef)}` : `${t} 人`;
      return mk(
        state,
        `${c.label}：${GROUP_LABEL[b.over]} ${n} 人中 ${t} 人满足「${b.where.label}」${u ? `，${u} 人信息不足` : ""}${threshold ? `（${shown}，标准${threshold}）` : ""}：${STATE_TEXT[state]}${suffix}`,
        { value: shown, threshold, children: kids },
        state === "unknown" ? [GROUP_FACT[b.over]] : [],
      );
    }
    case "notReceived": {
      const p = value(env, b.period);
      const history = env.subject.paid;
      const name = b.policy;
      if (!history || !p.ok) return unknown(p.ok ? [] : p.missing, { value: null });
      const last = history[name] ?? null;
      const pt = periodText(p.v as Period);
      if (last === null)
        return mk("met", `近 ${pt} 内未享受过该项补贴${suffix}`, { value: "从未享受", threshold: `${pt} 内未享受` });
      const again = addPeriod(last, p.v as Period);
      const ok = again <= env.asOf;
      return mk(
        ok ? "met" : "not_met",
        ok
          ? `上次享受于 ${last}，已满 ${pt}${suffix}`
          : `上次享受于 ${last}，${pt} 内不得重复享受${suffix}；还差 ${dayNumber(again) - dayNumber(env.asOf)} 天（${again}）`,
        { value: last, threshold: `${pt} 内未享受` },
      );
    }
  }
}

/**
 * Evaluate one policy for one subject as of a date, with the full trace. `results` holds the
 * results of the policies this one refers to (evaluate in the order compilePolicySet returns).
 */
export function evaluatePolicy(
  policy: CompiledPolicy,
  subject: Subject,
  asOf: string,
  results: Map<string, PolicyResult> = new Map(),
): PolicyResult {
  const defs = FACTS[policy.entity];
  const facts: Record<string, unknown> = {};
  for (const name of policy.facts) facts[name] = normaliseFact(defs[name]!, subject.facts[name]);
  const env: Env = { policy, subject, asOf, defs, facts, results, params: new Map(), conflicts: new Set() };
  const base = {
    policyId: policy.id,
    policyName: policy.name,
    hash: policy.hash,
    asOf,
  };
  if (!subject.region.startsWith(policy.region))
    return {
      ...base,
      state: "not_met",
      notApplicable: `本政策仅适用于地区代码 ${policy.region} 开头的地区`,
      conditions: [],
      failed: [],
      undetermined: [],
      missing: [],
      outputs: {},
      amountFen: null,
      params: [],
      conflicts: [],
    };
  const states: State[] = [];
  const traces: ConditionTrace[] = [];
  const missing = new Set<string>();
  for (const c of policy.conditions) {
    if (c.requires.some((i) => states[i] !== "met")) {
      states.push("not_evaluated");
      const pre = c.requires.map((i) => policy.conditions[i]!.label).join("、");
      traces.push({
        id: c.id,
        label: c.label,
        state: "not_evaluated",
        text: `${c.label}：未判断（须先满足「${pre}」）`,
        value: null,
        threshold: null,
        distance: null,
        source: citationText(c.source),
        missing: [],
      });
      continue;
    }
    const r = condition(env, c, states);
    states.push(r.state);
    traces.push(r.trace);
    if (r.state === "unknown") for (const m of r.missing) missing.add(m);
  }
  const state = states.includes("not_met") ? "not_met" : states.includes("unknown") ? "unknown" : "met";
  const outputs: PolicyResult["outputs"] = {};
  let amountFen: number | null = null;
  if (state === "met")
    for (const o of policy.outputs) {
      const v = value(env, o.expr);
      const miss = v.ok ? [] : [...new Set(v.missing)];
      outputs[o.name] = {
        label: o.label,
        value: v.ok ? (v.v as number) : null,
        text: v.ok
          ? formatValue(o.type, v.v)
          : miss.length
            ? `缺少「${miss.map((m) => missingLabel(defs, m)).join("」「")}」，无法计算`
            : [...env.conflicts].join("；") || "无法计算",
        missing: miss.map((m) => missingLabel(defs, m)),
      };
      if (o.name === "amount" && v.ok) amountFen = v.v as number;
    }
  return {
    ...base,
    state,
    notApplicable: null,
    conditions: traces,
    failed: policy.conditions.filter((_, i) => states[i] === "not_met").map((c) => c.id),
    undetermined: policy.conditions.filter((_, i) => states[i] === "unknown").map((c) => c.id),
    missing: [...missing].map((f) => ({ fact: f, label: missingLabel(defs, f) })),
    outputs,
    amountFen,
    params: [...env.params.values()],
    conflicts: [...env.conflicts],
  };
}

/** Evaluate a compiled set (in dependency order) for one subject. */
export function evaluateAll(
  policies: readonly CompiledPolicy[],
  subject: Subject,
  asOf: string,
  only?: ReadonlySet<string>,
): PolicyResult[] {
  const results = new Map<string, PolicyResult>();
  const needed = only ? closure(policies, only) : null;
  for (const p of policies) {
    if (needed && !needed.has(p.id)) continue;
    results.set(p.id, evaluatePolicy(p, subject, asOf, results));
  }
  return [...results.values()].filter((r) => !only || only.has(r.policyId));
}

/** The policies in `only` and everything they refer to. */
export function closure(policies: readonly CompiledPolicy[], only: ReadonlySet<string>): Set<string> {
  const byId = new Map(policies.map((p) => [p.id, p]));
  const out = new Set<string>();
  const add = (id: string) => {
    if (out.has(id)) return;
    out.add(id);
    for (const d of byId.get(id)?.dependsOn ?? []) add(d);
  };
  for (const id of only) add(id);
  return out;
}

/** The payment period a decision as of `asOf` belongs to: 2026-11, 2026, or once. */
export function paymentPeriodOf(policy: CompiledPolicy, asOf: string): string {
  return policy.paymentPeriod === "month"
    ? asOf.slice(0, 7)
    : policy.paymentPeriod === "year"
      ? asOf.slice(0, 4)
      : "once";
}
