import { createHash } from "node:crypto";
import { parse as parseYaml } from "yaml";
import { canonicalJson } from "../audit/audit-chain.ts";
import { isDate, parsePeriod } from "./dates.ts";
import { type Entity, FACTS, type FactDef } from "./facts.ts";
import type {
  CBody,
  Citation,
  CNode,
  CompareOp,
  CompiledPolicy,
  CompileError,
  GroupKind,
  Output,
  Param,
  ParamType,
  ParamValue,
  RoundMode,
  ValueType,
  VNode,
} from "./model.ts";
import { PolicyCompileError } from "./model.ts";

const TYPE_NAMES: Record<string, string> = {
  bool: "是/否",
  int: "整数",
  money: "金额（分）",
  date: "日期",
  enum: "枚举",
  rate: "比率",
  period: "期限",
  steps: "分段表",
  table: "对照表",
};
const OPS: CompareOp[] = [">=", ">", "<=", "<", "==", "!="];
const ROUND: RoundMode[] = ["half_up", "floor", "ceil"];
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** "5.5%" → 550 basis points; a number is taken as a fraction (0.6 → 6000). */
export function parseRate(v: unknown): number | null {
  if (typeof v === "number" && Number.isFinite(v)) return Math.round(v * 10_000);
  if (typeof v === "string") {
    const m = /^(\d+(?:\.\d{1,2})?)%$/.exec(v.trim());
    if (m) return Math.round(Number(m[1]) * 100);
  }
  return null;
}

/** Parse a policy YAML file; YAML syntax errors become compile errors with the line. */
export function parsePolicyYaml(file: string, text: string): unknown {
  try {
    return parseYaml(text, { prettyErrors: true });
  } catch (e) {
    throw new PolicyCompileError([{ file, path: "", message: `YAML 格式错误：${(e as Error).message}` }]);
  }
}

interface Ctx {
  file: string;
  entity: Entity;
  facts: Record<string, FactDef>;
  params: Record<string, Param>;
  errors: CompileError[];
  usedFacts: Set<string>;
  dependsOn: Set<string>;
  topIds: string[];
  knownPolicies: Set<string> | null;
  ids: Set<string>;
  /** Inside a `members:` / `employees:` where-clause: no nesting, no other policy, no payment history. */
  inMembers?: boolean;
  /** Person facts read inside employee aggregations. */
  employeeFacts: Set<string>;
}

function err(ctx: Ctx, path: string, message: string): void {
  ctx.errors.push({ file: ctx.file, path, message });
}

const GROUP_NAMES: Record<GroupKind, string> = { household: "家庭成员", employees: "职工" };

/** Household aggregations belong to person policies, employee aggregations to employer policies; no nesting. */
function groupAllowed(ctx: Ctx, over: GroupKind, path: string): boolean {
  if (ctx.inMembers) {
    err(ctx, path, "成员条件中不能再嵌套成员汇总");
    return false;
  }
  if (over === "household" && ctx.entity !== "person") {
    err(ctx, path, "家庭成员汇总只适用于个人政策");
    return false;
  }
  if (over === "employees" && ctx.entity !== "employer") {
    err(ctx, path, "职工汇总只适用于单位政策");
    return false;
  }
  return true;
}

/**
 * Compile inside a group's member scope: members are persons, so an employee aggregation reads
 * person facts (recorded in `employeeFacts`); no nesting, no other policy, no payment history.
 */
function inGroup<T>(ctx: Ctx, over: GroupKind, f: () => T): T {
  const saved = { facts: ctx.facts, usedFacts: ctx.usedFacts };
  ctx.inMembers = true;
  if (over === "employees") {
    ctx.facts = FACTS.person;
    ctx.usedFacts = ctx.employeeFacts;
  }
  try {
    return f();
  } finally {
    ctx.inMembers = false;
    ctx.facts = saved.facts;
    ctx.usedFacts = saved.usedFacts;
  }
}

/** A fact that can be summed over members (an integer or an amount). */
function summable(ctx: Ctx, name: unknown, path: string) {
  const f = factRef(ctx, name, path);
  if (f && f.type !== "int" && f.type !== "money") {
    err(ctx, path, `类型不匹配：${f.label}不能合计`);
    return null;
  }
  return f;
}

function citation(ctx: Ctx, v: unknown, path: string): Citation | null {
  if (v === undefined || v === null) return null;
  if (typeof v === "string" && v.trim()) return { document: v.trim() };
  if (isObj(v) && typeof v.document === "string" && v.document.trim()) {
    return { document: v.document.trim(), ...(typeof v.article === "string" ? { article: v.article } : {}) };
  }
  err(ctx, path, "出处应写明文件名称或文号（document），可附条款（article）");
  return null;
}

function literal(ctx: Ctx, type: ValueType, v: unknown, path: string, enumValues?: string[]): VNode | null {
  const bad = (what: string) => {
    err(ctx, path, `类型不匹配：应为${what}，实际为 ${JSON.stringify(v)}`);
    return null;
  };
  switch (type) {
    case "bool":
      return typeof v === "boolean" ? { k: "lit", type, value: v } : bad("是/否");
    case "int":
    case "money":
      return typeof v === "number" && Number.isSafeInteger(v)
        ? { k: "lit", type, value: v }
        : bad(type === "money" ? "以分为单位的整数金额" : "整数");
    case "date":
      return isDate(v) ? { k: "lit", type, value: v } : bad("日期（YYYY-MM-DD）");
    case "rate": {
      const r = parseRate(v);
      return r === null ? bad("比率（如 5.5%）") : { k: "lit", type, value: r };
    }
    case "period": {
      const p = typeof v === "string" ? parsePeriod(v) : null;
      return p ? { k: "lit", type, value: p } : bad("期限（如 P6M、P2Y）");
    }
    case "enum":
      if (typeof v === "string" && (!enumValues || enumValues.includes(v))) return { k: "lit", type, value: v };
      return bad(`以下取值之一：${(enumValues ?? []).join("、")}`);
  }
}

function factRef(ctx: Ctx, name: unknown, path: string): (FactDef & { name: string }) | null {
  if (typeof name !== "string" || !(name in ctx.facts)) {
    err(ctx, path, `未知的事实「${String(name)}」：${ctx.entity === "person" ? "个人" : "单位"}没有这一项数据`);
    return null;
  }
  ctx.usedFacts.add(name);
  return { ...ctx.facts[name]!, name };
}

function paramRef(ctx: Ctx, name: unknown, path: string): Param | null {
  if (typeof name !== "string" || !(name in ctx.params)) {
    err(ctx, path, `未定义的参数「${String(name)}」`);
    return null;
  }
  return ctx.params[name]!;
}

/** A value expression; `expect` is the type the context needs (or null when the expression decides). */
function value(ctx: Ctx, v: unknown, path: string, expect: ValueType | null, enumValues?: string[]): VNode | null {
  if (!isObj(v) || Object.keys(v).length !== 1) {
    if (expect) return literal(ctx, expect, v, path, enumValues);
    err(
      ctx,
      path,
      "表达式应为 {fact|param|as_of|years_since|months_since|add|sub|mul|mul_rate|min|max|round|step|lookup|if|count|sum: …}",
    );
    return null;
  }
  const [key, arg] = Object.entries(v)[0]!;
  const p = `${path}.${key}`;
  const check = (node: VNode | null): VNode | null => {
    if (node && expect && node.type !== expect) {
      err(ctx, path, `类型不匹配：此处需要${TYPE_NAMES[expect]}，表达式为${TYPE_NAMES[node.type]}`);
      return null;
    }
    return node;
  };
  switch (key) {
    case "fact": {
      const f = factRef(ctx, arg, p);
      if (!f) return null;
      return check({
        k: "fact",
        name: f.name,
        type: f.type,
        ...(f.values ? { enumValues: Object.keys(f.values) } : {}),
      });
    }
    case "param": {
      const prm = paramRef(ctx, arg, p);
      if (!prm) return null;
      if (prm.type === "steps" || prm.type === "table") {
        err(ctx, p, `参数「${prm.name}」是${TYPE_NAMES[prm.type]}，应通过 step 或 lookup 使用`);
        return null;
      }
      return check({ k: "param", name: prm.name, type: prm.type });
    }
    case "as_of":
      return check({ k: "asOf", type: "date" });
    case "value":
      if (!expect && Number.isSafeInteger(arg)) return { k: "lit", type: "int", value: arg as number };
      if (!expect) {
        err(ctx, p, "此处无法确定字面量的类型");
        return null;
      }
      return literal(ctx, expect, arg, p, enumValues);
    case "years_since":
    case "months_since": {
      const f = factRef(ctx, arg, p);
      if (!f) return null;
      if (f.type !== "date") {
        err(ctx, p, `类型不匹配：${f.label}不是日期`);
        return null;
      }
      return check({ k: "since", unit: key === "years_since" ? "years" : "months", fact: f.name, type: "int" });
    }
    case "add":
    case "sub":
    case "min":
    case "max":
    case "mul": {
      if (!Array.isArray(arg) || arg.length < 2 || (key !== "min" && key !== "max" && arg.length !== 2)) {
        err(ctx, p, "应为两个（min/max 可多个）表达式组成的列表");
        return null;
      }
      const args = arg.map((a, i) => value(ctx, a, `${p}[${i}]`, key === "mul" ? null : expect));
      if (args.some((a) => !a)) return null;
      const types = args.map((a) => a!.type);
      let type: ValueType;
      if (key === "mul") {
        const money = types.filter((t) => t === "money").length;
        if (types.some((t) => t !== "int" && t !== "money") || money > 1) {
          err(ctx, p, "类型不匹配：乘法只能是整数×整数或整数×金额");
          return null;
        }
        type = money ? "money" : "int";
      } else {
        if (types.some((t) => t !== types[0]) || !["int", "money", "rate"].includes(types[0]!)) {
          err(ctx, p, "类型不匹配：加减和取大取小只能在同为整数、同为金额或同为比率的值之间进行");
          return null;
        }
        type = types[0]!;
      }
      return check({ k: "arith", op: key, args: args as VNode[], type });
    }
    case "mul_rate": {
      if (!isObj(arg)) {
        err(ctx, p, "mul_rate 应写明 value、rate 和 round");
        return null;
      }
      const val = value(ctx, arg.value, `${p}.value`, null);
      const rate = value(ctx, arg.rate, `${p}.rate`, "rate");
      if (!ROUND.includes(arg.round as RoundMode)) err(ctx, `${p}.round`, "必须明确舍入方式：half_up、floor 或 ceil");
      if (!val || !rate || !ROUND.includes(arg.round as RoundMode)) return null;
      if (val.type !== "money" && val.type !== "int") {
        err(ctx, `${p}.value`, "类型不匹配：比率只能乘以金额或整数");
        return null;
      }
      return check({ k: "mulRate", value: val, rate, mode: arg.round as RoundMode, type: val.type });
    }
    case "round": {
      if (!isObj(arg) || !ROUND.includes(arg.mode as RoundMode) || !["yuan", "jiao", "fen"].includes(String(arg.to))) {
        err(ctx, p, "round 应写明 value、to（yuan/jiao/fen）和 mode（half_up/floor/ceil）");
        return null;
      }
      const val = value(ctx, arg.value, `${p}.value`, "money");
      if (!val) return null;
      const unit = arg.to === "yuan" ? 100 : arg.to === "jiao" ? 10 : 1;
      return check({ k: "round", value: val, unit, mode: arg.mode as RoundMode, type: "money" });
    }
    case "step":
    case "lookup": {
      if (!isObj(arg)) {
        err(ctx, p, `${key} 应写明 key 和 param`);
        return null;
      }
      const prm = paramRef(ctx, arg.param, `${p}.param`);
      const wanted = key === "step" ? "steps" : "table";
      if (prm && prm.type !== wanted) {
        err(ctx, `${p}.param`, `参数「${prm.name}」应为${TYPE_NAMES[wanted]}`);
        return null;
      }
      const k = value(ctx, arg.key, `${p}.key`, key === "step" ? "int" : null);
      if (!prm || !k) return null;
      if (key === "lookup" && k.type !== "enum" && k.type !== "int") {
        err(ctx, `${p}.key`, "对照表的键应为枚举或整数");
        return null;
      }
      return check({ k: key, key: k, param: prm.name, type: prm.of! });
    }
    case "if": {
      if (!isObj(arg)) {
        err(ctx, p, "if 应写明 when、then 和 else");
        return null;
      }
      const when = condition(ctx, arg.when, `${p}.when`, false);
      const then = value(ctx, arg.then, `${p}.then`, expect);
      const otherwise = value(ctx, arg.else, `${p}.else`, then?.type ?? expect);
      if (!when || !then || !otherwise) return null;
      if (then.type !== otherwise.type) {
        err(ctx, p, "类型不匹配：then 与 else 的类型不同");
        return null;
      }
      return check({ k: "if", when, then, else: otherwise, type: then.type });
    }
    case "count":
    case "sum": {
      // { count: { of: employees|household, where: … } } / { sum: { of, fact, where: … } }
      const over = isObj(arg) ? (arg.of as GroupKind) : null;
      if (!isObj(arg) || (over !== "household" && over !== "employees")) {
        err(ctx, `${p}.of`, `${key} 需要 of：household（家庭成员）或 employees（职工）`);
        return null;
      }
      if (!groupAllowed(ctx, over, p)) return null;
      const where =
        arg.where === undefined ? null : inGroup(ctx, over, () => condition(ctx, arg.where, `${p}.where`, false));
      if (arg.where !== undefined && !where) return null;
      if (key === "count") return check({ k: "agg", over, fn: "count", where, sumFact: null, type: "int" });
      const f = inGroup(ctx, over, () => summable(ctx, arg.fact, `${p}.fact`));
      if (!f) return null;
      return check({ k: "agg", over, fn: "sum", where, sumFact: f.name, type: f.type });
    }
    default:
      if (expect) return literal(ctx, expect, v, path, enumValues);
      err(ctx, p, `未知的表达式「${key}」`);
      return null;
  }
}

function periodValue(ctx: Ctx, v: unknown, path: string): VNode | null {
  return value(ctx, isObj(v) ? v : { value: v }, path, "period");
}

const CONDITION_KINDS = [
  "compare",
  "is",
  "is_not",
  "in",
  "within",
  "since",
  "any",
  "all",
  "not",
  "policy",
  "not_received",
  "members",
  "employees",
];

function condition(ctx: Ctx, v: unknown, path: string, top: boolean): CNode | null {
  if (!isObj(v)) {
    err(ctx, path, "条件应为对象");
    return null;
  }
  const id = typeof v.id === "string" && /^[a-z][a-z0-9_]*$/.test(v.id) ? v.id : null;
  if (!id) err(ctx, `${path}.id`, "条件需要 id（小写字母、数字和下划线）");
  else if (ctx.ids.has(id)) err(ctx, `${path}.id`, `条件 id「${id}」重复`);
  else ctx.ids.add(id);
  const label = typeof v.label === "string" && v.label.trim() ? v.label.trim() : null;
  if (!label) err(ctx, `${path}.label`, "条件需要中文说明（label）");
  const source = citation(ctx, v.source, `${path}.source`);
  const kinds = Object.keys(v).filter((k) => CONDITION_KINDS.includes(k));
  if (kinds.length !== 1) {
    err(ctx, path, `条件应且只应包含以下之一：${CONDITION_KINDS.join("、")}`);
    return null;
  }
  const requires: number[] = [];
  if (v.requires !== undefined) {
    if (!top) err(ctx, `${path}.requires`, "只有顶层条件可以声明前提（requires）");
    for (const [i, r] of (Array.isArray(v.requires) ? v.requires : [v.requires]).entries()) {
      const at = ctx.topIds.indexOf(String(r));
      if (at < 0) err(ctx, `${path}.requires[${i}]`, `前提条件「${String(r)}」必须是排在前面的顶层条件`);
      else requires.push(at);
    }
  }
  const kind = kinds[0]!;
  const arg = v[kind];
  const p = `${path}.${kind}`;
  let body: CBody | null = null;
  switch (kind) {
    case "compare": {
      if (!isObj(arg) || !OPS.includes(arg.op as CompareOp)) {
        err(ctx, p, `compare 需要 op（${OPS.join(" ")}）`);
        break;
      }
      const op = arg.op as CompareOp;
      if (arg.ratio !== undefined) {
        if (!Array.isArray(arg.ratio) || arg.ratio.length !== 2) {
          err(ctx, `${p}.ratio`, "ratio 应为 [分子, 分母]");
          break;
        }
        const num = value(ctx, arg.ratio[0], `${p}.ratio[0]`, "int");
        const den = value(ctx, arg.ratio[1], `${p}.ratio[1]`, "int");
        const right = value(
          ctx,
          arg.param !== undefined ? { param: arg.param } : (arg.right ?? { value: arg.value }),
          `${p}.right`,
          "rate",
        );
        if (num && den && right) body = { k: "ratio", num, den, op, right };
        break;
      }
      const leftKey = ["fact", "years_since", "months_since"].find((k) => k in arg);
      const leftSrc = arg.left ?? (leftKey ? { [leftKey]: arg[leftKey] } : undefined);
      const left = value(ctx, leftSrc, `${p}.left`, null);
      if (!left) break;
      if (left.type === "bool" || left.type === "period") {
        err(ctx, `${p}.left`, `类型不匹配：${TYPE_NAMES[left.type]}不能比较大小，请用 is / is_not`);
        break;
      }
      const enumValues = left.k === "fact" ? left.enumValues : undefined;
      if (left.type === "enum" && op !== "==" && op !== "!=") {
        err(ctx, p, "类型不匹配：枚举只能比较相等或不等，或用 in");
        break;
      }
      const rightSrc = arg.right ?? (arg.param !== undefined ? { param: arg.param } : { value: arg.value });
      const right = value(ctx, rightSrc, `${p}.right`, left.type, enumValues);
      if (right) body = { k: "compare", left, op, right };
      break;
    }
    case "is":
    case "is_not": {
      const f = factRef(ctx, arg, p);
      if (f && f.type !== "bool") err(ctx, p, `类型不匹配：${f.label}不是是/否事实`);
      else if (f) body = { k: "is", fact: f.name, expect: kind === "is" };
      break;
    }
    case "in": {
      const f = isObj(arg) ? factRef(ctx, arg.fact, `${p}.fact`) : null;
      if (!isObj(arg)) err(ctx, p, "in 需要 fact 和 values");
      if (!f || !isObj(arg)) break;
      if (f.type !== "enum") {
        err(ctx, `${p}.fact`, `类型不匹配：${f.label}不是枚举`);
        break;
      }
      const allowed = Object.keys(f.values!);
      const values = Array.isArray(arg.values) ? arg.values : [];
      const bad = values.filter((x) => !allowed.includes(String(x)));
      if (!values.length || bad.length) {
        err(
          ctx,
          `${p}.values`,
          `${f.label}的取值只能是：${allowed.join("、")}${bad.length ? `（不认识：${bad.join("、")}）` : ""}`,
        );
        break;
      }
      body = { k: "in", fact: f.name, values: values.map(String), enumValues: allowed };
      break;
    }
    case "within":
    case "since": {
      if (!isObj(arg)) {
        err(ctx, p, `${kind} 需要 fact 和 period`);
        break;
      }
      const f = factRef(ctx, arg.fact, `${p}.fact`);
      const period = periodValue(ctx, arg.period, `${p}.period`);
      if (f && f.type !== "date") err(ctx, `${p}.fact`, `类型不匹配：${f.label}不是日期`);
      else if (f && period) body = { k: kind, fact: f.name, period };
      break;
    }
    case "any":
    case "all": {
      if (!Array.isArray(arg) || arg.length === 0) {
        err(ctx, p, `${kind} 应为非空的条件列表`);
        break;
      }
      const children = arg.map((c, i) => condition(ctx, c, `${p}[${i}]`, false));
      if (children.every(Boolean)) body = { k: kind, children: children as CNode[] };
      break;
    }
    case "not": {
      const child = condition(ctx, arg, p, false);
      if (child) body = { k: "not", child };
      break;
    }
    case "policy": {
      if (ctx.inMembers) {
        err(ctx, p, "成员条件中不能引用其他政策");
        break;
      }
      if (typeof arg !== "string" || (ctx.knownPolicies && !ctx.knownPolicies.has(arg))) {
        err(ctx, p, `引用了未知的政策「${String(arg)}」`);
        break;
      }
      ctx.dependsOn.add(arg);
      body = { k: "policy", id: arg };
      break;
    }
    case "members":
    case "employees": {
      const over: GroupKind = kind === "members" ? "household" : "employees";
      const fn = isObj(arg) ? (arg.fn as "any" | "all" | "count" | "sum") : null;
      if (!groupAllowed(ctx, over, p)) break;
      if (!isObj(arg) || !fn || !["any", "all", "count", "sum"].includes(fn)) {
        err(
          ctx,
          `${p}.fn`,
          `${kind} 需要 fn：any（有${GROUP_NAMES[over]}满足）、all（${GROUP_NAMES[over]}均满足）、count（满足的人数）或 sum（合计）`,
        );
        break;
      }
      const where = inGroup(ctx, over, () => condition(ctx, arg.where, `${p}.where`, false));
      let sumFact: string | null = null;
      let op: CompareOp | null = null;
      let right: VNode | null = null;
      if (fn === "count" || fn === "sum") {
        if (!OPS.includes(arg.op as CompareOp)) {
          err(ctx, `${p}.op`, `${fn} 需要 op（${OPS.join(" ")}）`);
          break;
        }
        op = arg.op as CompareOp;
        let type: ValueType = "int";
        if (fn === "sum") {
          const f = inGroup(ctx, over, () => summable(ctx, arg.fact, `${p}.fact`));
          if (!f) break;
          sumFact = f.name;
          type = f.type;
        }
        right = value(
          ctx,
          arg.param !== undefined ? { param: arg.param } : (arg.right ?? { value: arg.value }),
          `${p}.right`,
          type,
        );
        if (!right) break;
      }
      if (where) body = { k: "members", over, fn, where, sumFact, op, right };
      break;
    }
    case "not_received": {
      if (ctx.inMembers) {
        err(ctx, p, "成员条件中不能使用享受记录");
        break;
      }
      if (!isObj(arg) || typeof arg.policy !== "string") {
        err(ctx, p, "not_received 需要 policy 和 period");
        break;
      }
      const period = periodValue(ctx, arg.period, `${p}.period`);
      if (period) body = { k: "notReceived", policy: arg.policy, period };
      break;
    }
  }
  if (!body || !id || !label) return null;
  return { id, label, source, requires, body };
}

function parseParam(ctx: Ctx, name: string, v: unknown, path: string): Param | null {
  if (!isObj(v)) {
    err(ctx, path, "参数应为对象");
    return null;
  }
  const type = v.type as ParamType;
  if (!Object.keys(TYPE_NAMES).includes(type)) {
    err(ctx, `${path}.type`, `参数类型应为：${Object.keys(TYPE_NAMES).join("、")}`);
    return null;
  }
  const of = (v.of ?? null) as ValueType | null;
  if ((type === "steps" || type === "table") && !["int", "money", "rate", "period"].includes(String(of))) {
    err(ctx, `${path}.of`, "分段表或对照表需要 of（int/money/rate/period）说明取值类型");
    return null;
  }
  const label = typeof v.label === "string" ? v.label : name;
  const values: ParamValue[] = [];
  const list = Array.isArray(v.values) ? v.values : [];
  if (!list.length) err(ctx, `${path}.values`, "参数至少需要一个取值");
  for (const [i, raw] of list.entries()) {
    const at = `${path}.values[${i}]`;
    if (!isObj(raw)) {
      err(ctx, at, "取值应为对象");
      continue;
    }
    const lbl = typeof raw.label === "string" && raw.label ? raw.label : null;
    if (!lbl) err(ctx, `${at}.label`, "每个取值需要一个标签（label），例外以它指明所针对的基础取值");
    if (!isDate(raw.from)) err(ctx, `${at}.from`, "生效日期（from）应为 YYYY-MM-DD");
    if (raw.to !== undefined && raw.to !== null && !isDate(raw.to))
      err(ctx, `${at}.to`, "截止日期（to）应为 YYYY-MM-DD");
    const region = raw.region === undefined || raw.region === null ? "" : String(raw.region);
    if (!/^(\d{2}|\d{4}|\d{6})?$/.test(region)) err(ctx, `${at}.region`, "地区应为 2、4 或 6 位行政区划代码前缀");
    const source = citation(ctx, raw.source, `${at}.source`);
    if (!source) err(ctx, `${at}.source`, "每个取值都要注明出处（文号、条款）");
    let parsed: unknown = null;
    if (type === "steps") {
      if (!Array.isArray(raw.value) || !raw.value.length) err(ctx, `${at}.value`, "分段表应为 [{min, value}] 列表");
      else {
        parsed = raw.value.map((s: unknown, j: number) => {
          const sObj = isObj(s) ? s : {};
          if (typeof sObj.min !== "number") err(ctx, `${at}.value[${j}].min`, "分段下限应为整数");
          const lit = literal(ctx, of!, sObj.value, `${at}.value[${j}].value`);
          return { min: sObj.min, value: lit && "value" in lit ? lit.value : null };
        });
        (parsed as { min: number }[]).sort((a, b) => a.min - b.min);
      }
    } else if (type === "table") {
      if (!isObj(raw.value)) err(ctx, `${at}.value`, "对照表应为 {键: 值} 映射");
      else
        parsed = Object.fromEntries(
          Object.entries(raw.value).map(([k2, x]) => {
            const lit = literal(ctx, of!, x, `${at}.value.${k2}`);
            return [k2, lit && "value" in lit ? lit.value : null];
          }),
        );
    } else {
      const lit = literal(ctx, type, raw.value, `${at}.value`);
      parsed = lit && "value" in lit ? lit.value : null;
    }
    values.push({
      label: lbl ?? `#${i}`,
      region,
      from: String(raw.from),
      to: raw.to ? String(raw.to) : null,
      exceptionTo: typeof raw.exception_to === "string" ? raw.exception_to : null,
      priority: typeof raw.priority === "number" ? raw.priority : null,
      value: parsed,
      source: source ?? { document: "" },
      verified: raw.verified === true,
      note: typeof raw.note === "string" ? raw.note : null,
    });
  }
  // Labelled exceptions (Catala): the base must exist; two values that can apply to the same
  // subject on the same day, as exceptions to the same base (or both bases), conflict unless
  // their priorities differ.
  const labels = new Set(values.map((x) => x.label));
  if (labels.size !== values.length) err(ctx, `${path}.values`, "取值的标签（label）不能重复");
  for (const [i, x] of values.entries()) {
    if (x.exceptionTo && !labels.has(x.exceptionTo))
      err(ctx, `${path}.values[${i}].exception_to`, `例外所针对的取值「${x.exceptionTo}」不存在`);
    for (const [j, y] of values.entries()) {
      if (j <= i || x.exceptionTo !== y.exceptionTo) continue;
      const overlap = x.from <= (y.to ?? "9999-12-31") && y.from <= (x.to ?? "9999-12-31");
      const nested = x.region.startsWith(y.region) || y.region.startsWith(x.region);
      if (overlap && nested && (x.priority === null || x.priority === y.priority))
        err(
          ctx,
          `${path}.values[${j}]`,
          `参数冲突：「${x.label}」与「${y.label}」${x.exceptionTo ? `都是「${x.exceptionTo}」的例外，` : ""}在同一地区、同一时期都适用且没有优先级`,
        );
    }
  }
  return { name, type, of, label, unit: typeof v.unit === "string" ? v.unit : null, values };
}

export interface CompileOptions {
  /** Ids of the policies in the same set, to check `policy:` references. */
  knownPolicies?: Set<string>;
}

/** Validate and compile one policy document (already parsed from YAML or JSON). */
export function compilePolicy(file: string, doc: unknown, options: CompileOptions = {}): CompiledPolicy {
  const errors: CompileError[] = [];
  if (!isObj(doc)) throw new PolicyCompileError([{ file, path: "", message: "政策文件应为对象" }]);
  const entity = doc.entity as Entity;
  if (entity !== "person" && entity !== "employer")
    errors.push({ file, path: "entity", message: "entity 应为 person 或 employer" });
  const ctx: Ctx = {
    file,
    entity,
    facts: FACTS[entity] ?? {},
    params: {},
    errors,
    usedFacts: new Set(),
    employeeFacts: new Set(),
    dependsOn: new Set(),
    topIds: [],
    knownPolicies: options.knownPolicies ?? null,
    ids: new Set(),
  };
  const id = typeof doc.id === "string" && /^[a-z][a-z0-9_]*$/.test(doc.id) ? doc.id : null;
  if (!id) err(ctx, "id", "政策 id 应为小写字母、数字和下划线");
  if (typeof doc.name !== "string" || !doc.name.trim()) err(ctx, "name", "政策需要中文名称（name）");
  for (const [name, p] of Object.entries(isObj(doc.parameters) ? doc.parameters : {})) {
    const param = parseParam(ctx, name, p, `parameters.${name}`);
    if (param) ctx.params[name] = param;
  }
  const conditions: CNode[] = [];
  const list = Array.isArray(doc.conditions) ? doc.conditions : [];
  if (!list.length) err(ctx, "conditions", "政策至少需要一个条件");
  for (const [i, c] of list.entries()) {
    const node = condition(ctx, c, `conditions[${i}]`, true);
    ctx.topIds.push(isObj(c) && typeof c.id === "string" ? c.id : `#${i}`);
    if (node) conditions.push(node);
  }
  if (conditions.length > 32) err(ctx, "conditions", "顶层条件不能超过 32 个");
  const outputs: Output[] = [];
  for (const [name, o] of Object.entries(isObj(doc.outputs) ? doc.outputs : {})) {
    const at = `outputs.${name}`;
    if (!isObj(o) || typeof o.label !== "string") {
      err(ctx, at, "输出需要 label 和 value");
      continue;
    }
    const expr = value(ctx, o.value, `${at}.value`, (o.type as ValueType) ?? null);
    if (expr) outputs.push({ name, label: o.label, type: expr.type, expr });
  }
  const amount = outputs.find((o) => o.name === "amount");
  if (amount && amount.type !== "money") err(ctx, "outputs.amount", "amount 必须是金额（分）");
  const documents: Citation[] = [];
  for (const [i, d] of (Array.isArray(doc.documents) ? doc.documents : []).entries()) {
    const c = citation(ctx, d, `documents[${i}]`);
    if (c) documents.push(c);
  }
  const paymentPeriod = (doc.payment_period ?? "year") as CompiledPolicy["paymentPeriod"];
  if (!["month", "year", "once"].includes(paymentPeriod))
    err(ctx, "payment_period", "payment_period 应为 month（按月）、year（按年）或 once（一次性）");
  const region = doc.region === undefined ? "" : String(doc.region);
  if (!/^(\d{2}|\d{4}|\d{6})?$/.test(region)) err(ctx, "region", "适用地区应为行政区划代码前缀");
  if (errors.length) throw new PolicyCompileError(errors);
  return {
    id: id!,
    name: String(doc.name),
    entity,
    region,
    category: typeof doc.category === "string" ? doc.category : "",
    summary: typeof doc.summary === "string" ? doc.summary.trim() : "",
    documents,
    howToApply: typeof doc.how_to_apply === "string" ? doc.how_to_apply.trim() : "",
    params: ctx.params,
    conditions,
    outputs,
    hash: createHash("sha256").update(canonicalJson(doc)).digest("hex"),
    facts: [...ctx.usedFacts].sort(),
    employeeFacts: [...ctx.employeeFacts].sort(),
    dependsOn: [...ctx.dependsOn].sort(),
    paymentPeriod,
  };
}

/**
 * Compile a set of policy files: every file, each error with its file and path; `policy:`
 * references must point into the set and must not form a cycle. Returned in dependency order.
 */
export function compilePolicySet(files: { file: string; text?: string; doc?: unknown }[]): CompiledPolicy[] {
  const docs = files.map((f) => ({ file: f.file, doc: f.doc ?? parsePolicyYaml(f.file, f.text ?? "") }));
  const known = new Set(docs.map((d) => (isObj(d.doc) ? String(d.doc.id) : "")));
  const errors: CompileError[] = [];
  const compiled: CompiledPolicy[] = [];
  for (const d of docs) {
    try {
      compiled.push(compilePolicy(d.file, d.doc, { knownPolicies: known }));
    } catch (e) {
      if (e instanceof PolicyCompileError) errors.push(...e.errors);
      else throw e;
    }
  }
  const ids = compiled.map((c) => c.id);
  for (const [i, id] of ids.entries())
    if (ids.indexOf(id) !== i) errors.push({ file: docs[i]!.file, path: "id", message: `政策 id「${id}」重复` });
  if (errors.length) throw new PolicyCompileError(errors);
  const byId = new Map(compiled.map((c) => [c.id, c]));
  const ordered: CompiledPolicy[] = [];
  const state = new Map<string, 1 | 2>();
  const visit = (p: CompiledPolicy, trail: string[]) => {
    if (state.get(p.id) === 2) return;
    if (state.get(p.id) === 1)
      throw new PolicyCompileError([
        { file: p.id, path: "conditions", message: `政策之间循环引用：${[...trail, p.id].join(" → ")}` },
      ]);
    state.set(p.id, 1);
    for (const dep of p.dependsOn) {
      const d = byId.get(dep)!;
      if (d.entity !== p.entity)
        throw new PolicyCompileError([{ file: p.id, path: "conditions", message: `引用的政策「${dep}」对象类型不同` }]);
      visit(d, [...trail, p.id]);
    }
    state.set(p.id, 2);
    ordered.push(p);
  };
  for (const p of compiled) visit(p, []);
  return ordered;
}

/** The policies whose payment history the given policies read (`not_received:`): what a loader must fetch. */
export function paymentHistoryPolicies(policies: readonly CompiledPolicy[]): string[] {
  const out = new Set<string>();
  const walk = (c: CNode) => {
    const b = c.body;
    if (b.k === "notReceived") out.add(b.policy);
    else if (b.k === "any" || b.k === "all") b.children.forEach(walk);
    else if (b.k === "not") walk(b.child);
    else if (b.k === "members") walk(b.where);
  };
  for (const p of policies) p.conditions.forEach(walk);
  return [...out].sort();
}

/**
 * What a loader must fetch for some policies' household rules: whether any reads the household,
 * and the facts read inside those rules (what each member's snapshot needs).
 */
export function householdNeeds(policies: readonly CompiledPolicy[]): { used: boolean; facts: string[] } {
  const facts = new Set<string>();
  let used = false;
  const vwalk = (n: VNode, inside: boolean): void => {
    switch (n.k) {
      case "fact":
        if (inside) facts.add(n.name);
        break;
      case "since":
        if (inside) facts.add(n.fact);
        break;
      case "arith":
        for (const a of n.args) vwalk(a, inside);
        break;
      case "mulRate":
        vwalk(n.value, inside);
        vwalk(n.rate, inside);
        break;
      case "round":
        vwalk(n.value, inside);
        break;
      case "step":
      case "lookup":
        vwalk(n.key, inside);
        break;
      case "if":
        cwalk(n.when, inside);
        vwalk(n.then, inside);
        vwalk(n.else, inside);
        break;
      case "agg":
        if (n.over === "household") {
          used = true;
          if (n.where) cwalk(n.where, true);
          if (n.sumFact) facts.add(n.sumFact);
        }
        break;
      default:
        break;
    }
  };
  const cwalk = (c: CNode, inside: boolean): void => {
    const b = c.body;
    switch (b.k) {
      case "compare":
        vwalk(b.left, inside);
        vwalk(b.right, inside);
        break;
      case "ratio":
        vwalk(b.num, inside);
        vwalk(b.den, inside);
        vwalk(b.right, inside);
        break;
      case "is":
      case "in":
        if (inside) facts.add(b.fact);
        break;
      case "within":
      case "since":
        if (inside) facts.add(b.fact);
        vwalk(b.period, inside);
        break;
      case "any":
      case "all":
        for (const k of b.children) cwalk(k, inside);
        break;
      case "not":
        cwalk(b.child, inside);
        break;
      case "members":
        if (b.over === "household") {
          used = true;
          cwalk(b.where, true);
          if (b.sumFact) facts.add(b.sumFact);
        }
        if (b.right) vwalk(b.right, inside);
        break;
      default:
        break;
    }
  };
  for (const p of policies) {
    for (const c of p.conditions) cwalk(c, false);
    for (const o of p.outputs) vwalk(o.expr, false);
  }
  return { used, facts: [...facts].sort() };
}
