import { type Period, periodText } from "./dates.ts";
import { aggLabel, type ConditionTrace, citationText, formatValue } from "./evaluate.ts";
import { FACTS } from "./facts.ts";
import type { CNode, CompiledPolicy, ValueType, VNode } from "./model.ts";
import { resolveParam } from "./params.ts";

const OP: Record<string, string> = {
  ">=": "不少于",
  ">": "多于",
  "<=": "不超过",
  "<": "少于",
  "==": "为",
  "!=": "不为",
};
const DATE_OP: Record<string, string> = {
  ">=": "不早于",
  ">": "晚于",
  "<=": "不晚于",
  "<": "早于",
  "==": "为",
  "!=": "不为",
};

export interface ConditionDoc {
  id: string;
  label: string;
  depth: number;
  text: string;
  source: string | null;
}

export interface ParamDoc {
  name: string;
  label: string;
  valueLabel: string;
  source: string;
  verified: boolean;
  note: string | null;
}

/**
 * A policy in plain Chinese as of a date for a region: each condition with its threshold, and the
 * parameter values in force with their sources (the public policy list, 政策清单).
 */
export function describePolicy(policy: CompiledPolicy, asOf: string, region: string) {
  const defs = FACTS[policy.entity];
  const params: ParamDoc[] = [];
  const valueText = (n: VNode): string => {
    switch (n.k) {
      case "param": {
        const p = policy.params[n.name]!;
        const r = resolveParam(p, asOf, region);
        return r.ok ? formatValue(p.type as ValueType, r.value, null, p.unit) : "（该地区、该日期无有效取值）";
      }
      case "lit":
        return n.type === "period" ? periodText(n.value as Period) : formatValue(n.type, n.value);
      case "asOf":
        return "评估日";
      case "fact":
        return defs[n.name]!.label;
      case "agg":
        return aggLabel(n, defs);
      default:
        return "按规定计算";
    }
  };
  for (const p of Object.values(policy.params)) {
    const r = resolveParam(p, asOf, region);
    if (!r.ok) continue;
    const simple = p.type !== "steps" && p.type !== "table";
    params.push({
      name: p.name,
      label: p.label,
      valueLabel: simple
        ? formatValue(p.type as ValueType, r.value, null, p.unit)
        : p.type === "table"
          ? Object.entries(r.value as Record<string, unknown>)
              .map(([k, v]) => `${k}：${formatValue(p.of!, v, null)}`)
              .join("；")
          : (r.value as { min: number; value: unknown }[])
              .map((s) => `≥${s.min}：${formatValue(p.of!, s.value, null)}`)
              .join("；"),
      source: citationText(r.chosen.source) ?? "",
      verified: r.chosen.verified,
      note: r.chosen.note,
    });
  }
  const out: ConditionDoc[] = [];
  const walk = (c: CNode, depth: number) => {
    const b = c.body;
    let text: string = c.label;
    switch (b.k) {
      case "compare": {
        const left =
          b.left.k === "since"
            ? b.left.unit === "years"
              ? "年龄"
              : `${defs[b.left.fact]!.label}至今月数`
            : valueText(b.left);
        const unit = b.left.k === "since" ? (b.left.unit === "years" ? "周岁" : "个月") : "";
        const op = (b.left.type === "date" ? DATE_OP : OP)[b.op];
        const right =
          b.right.k === "lit" && b.left.k === "fact" && b.left.enumValues
            ? (defs[b.left.name]!.values![b.right.value as string] ?? "")
            : valueText(b.right);
        text = `${c.label}（${left}${op}${right}${unit}）`;
        break;
      }
      case "ratio":
        text = `${c.label}（${valueText(b.num)}÷${valueText(b.den)} ${OP[b.op]} ${valueText(b.right)}）`;
        break;
      case "within":
        text = `${c.label}（${defs[b.fact]!.label}在${valueText(b.period)}内）`;
        break;
      case "since":
        text = `${c.label}（自${defs[b.fact]!.label}起满${valueText(b.period)}）`;
        break;
      case "notReceived":
        text = `${c.label}（${valueText(b.period)}内未享受过）`;
        break;
      case "members": {
        const who =
          b.over === "household"
            ? { some: "家庭中有成员", all: "家庭成员均", in: "家庭中" }
            : { some: "有职工", all: "职工均", in: "职工中" };
        const sumDef = b.sumFact ? (b.over === "household" ? defs : FACTS.person)[b.sumFact]! : null;
        text =
          b.fn === "any"
            ? `${c.label}（${who.some}${b.where.label}）`
            : b.fn === "all"
              ? `${c.label}（${who.all}${b.where.label}）`
              : `${c.label}（${who.in}${sumDef ? `${b.where.label}者的${sumDef.label}合计` : `${b.where.label}的人数`}${OP[b.op!]}${valueText(b.right!)}）`;
        break;
      }
      case "any":
        text = `${c.label}（满足以下情形之一）`;
        break;
      case "all":
        text = `${c.label}（同时满足以下条件）`;
        break;
      default:
        break;
    }
    if (c.requires.length) text += `；须先满足：${c.requires.map((i) => policy.conditions[i]!.label).join("、")}`;
    out.push({ id: c.id, label: c.label, depth, text, source: citationText(c.source) });
    if (b.k === "any" || b.k === "all") for (const k of b.children) walk(k, depth + 1);
    if (b.k === "not") walk(b.child, depth + 1);
  };
  for (const c of policy.conditions) walk(c, 0);
  return { conditions: out, params };
}

/** A trace tree as a list with depths (for tables and the API). */
export function flattenTrace(
  traces: ConditionTrace[],
  depth = 0,
): (Omit<ConditionTrace, "children"> & { depth: number })[] {
  return traces.flatMap(({ children, ...t }) => [{ ...t, depth }, ...flattenTrace(children ?? [], depth + 1)]);
}
