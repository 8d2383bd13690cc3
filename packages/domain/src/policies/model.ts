import type { Period } from "./dates.ts";
import type { Entity, FactType } from "./facts.ts";

/** Types of values in the rule language. `period` only appears as a parameter or literal. */
export type ValueType = FactType | "period";
export type ParamType = ValueType | "steps" | "table";
export type RoundMode = "half_up" | "floor" | "ceil";

export interface Citation {
  /** 文号 or the name of the law, e.g. 《中华人民共和国社会保险法》 / 人社部发〔2019〕124号 */
  document: string;
  /** 条款, e.g. 第四十五条 */
  article?: string;
}

export interface ParamValue {
  label: string;
  /** National when empty; otherwise a region-code prefix (province 2, city 4, county 6 digits). */
  region: string;
  from: string;
  /** Last day in force (inclusive); open-ended when absent. */
  to: string | null;
  /** The label of the value this one is an exception to (Catala's labelled exceptions). */
  exceptionTo: string | null;
  priority: number | null;
  value: unknown;
  source: Citation;
  verified: boolean;
  note: string | null;
}

export interface Param {
  name: string;
  type: ParamType;
  /** For steps and table: the type of the values. */
  of: ValueType | null;
  label: string;
  unit: string | null;
  values: ParamValue[];
}

export type VNode =
  | { k: "fact"; name: string; type: ValueType; enumValues?: string[] }
  | { k: "param"; name: string; type: ValueType }
  | { k: "lit"; type: ValueType; value: number | string | boolean | Period }
  | { k: "asOf"; type: "date" }
  | { k: "since"; unit: "years" | "months"; fact: string; type: "int" }
  | { k: "arith"; op: "add" | "sub" | "mul" | "min" | "max"; args: VNode[]; type: ValueType }
  | { k: "mulRate"; value: VNode; rate: VNode; mode: RoundMode; type: ValueType }
  | { k: "round"; value: VNode; unit: number; mode: RoundMode; type: "money" }
  | { k: "step"; key: VNode; param: string; type: ValueType }
  | { k: "lookup"; key: VNode; param: string; type: ValueType }
  | { k: "if"; when: CNode; then: VNode; else: VNode; type: ValueType }
  /** The number of a group's members satisfying `where` (all when null), or the sum of a fact over them. */
  | { k: "agg"; over: GroupKind; fn: "count" | "sum"; where: CNode | null; sumFact: string | null; type: ValueType };

/**
 * Who an aggregation runs over: the subject's household (家庭成员, the subject included; person
 * policies) or the employer's employees (职工: persons with an open 就业登记 at the employer;
 * employer policies). Members' conditions read person facts.
 */
export type GroupKind = "household" | "employees";

export type CompareOp = ">=" | ">" | "<=" | "<" | "==" | "!=";

export type CBody =
  | { k: "compare"; left: VNode; op: CompareOp; right: VNode }
  | { k: "ratio"; num: VNode; den: VNode; op: CompareOp; right: VNode }
  | { k: "is"; fact: string; expect: boolean }
  | { k: "in"; fact: string; values: string[]; enumValues: string[] }
  | { k: "within" | "since"; fact: string; period: VNode }
  | { k: "any" | "all"; children: CNode[] }
  | { k: "not"; child: CNode }
  | { k: "policy"; id: string }
  /**
   * Aggregation over the subject's household (the subject included): any / all members satisfy
   * `where`, the count of those who do, or the sum of a fact over them, compared with a threshold.
   */
  | {
      k: "members";
      over: GroupKind;
      fn: "any" | "all" | "count" | "sum";
      where: CNode;
      sumFact: string | null;
      op: CompareOp | null;
      right: VNode | null;
    }
  | { k: "notReceived"; policy: string; period: VNode };

export interface CNode {
  id: string;
  label: string;
  source: Citation | null;
  /** Top-level condition indexes that must be 满足 before this one is judged. */
  requires: number[];
  body: CBody;
}

export interface Output {
  name: string;
  label: string;
  type: ValueType;
  expr: VNode;
}

export interface CompiledPolicy {
  id: string;
  name: string;
  entity: Entity;
  /** Region prefix where the policy applies ('' = everywhere). */
  region: string;
  category: string;
  summary: string;
  documents: Citation[];
  howToApply: string;
  params: Record<string, Param>;
  conditions: CNode[];
  outputs: Output[];
  /** sha256 of the canonical source: stored with every decision. */
  hash: string;
  /** Facts read anywhere in the policy. */
  facts: string[];
  /** Person facts read in `employees` aggregations of an employer policy. */
  employeeFacts: string[];
  /** Other policies whose eligibility this one reads. */
  dependsOn: string[];
  /** How often a subject can receive it: each month, each calendar year, or once. */
  paymentPeriod: "month" | "year" | "once";
}

export interface CompileError {
  file: string;
  path: string;
  message: string;
}

export class PolicyCompileError extends Error {
  constructor(readonly errors: CompileError[]) {
    super(errors.map((e) => `${e.file}: ${e.path}: ${e.message}`).join("\n"));
  }
}
