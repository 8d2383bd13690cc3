import { describe, expect, it } from "vitest";
import { evaluateColumnar, failedAt, populationFromSubjects, stateAt, undeterminedAt } from "./columnar.ts";
import { compilePolicy, compilePolicySet, parsePolicyYaml } from "./compile.ts";
import { addPeriod, latestStartCompleting, parsePeriod } from "./dates.ts";
import { evaluatePolicy } from "./evaluate.ts";
import { PolicyCompileError } from "./model.ts";
import { divRound, mulRate } from "./params.ts";

const compileText = (text: string, file = "test.yaml") => compilePolicy(file, parsePolicyYaml(file, text));
const errorsOf = (text: string) => {
  try {
    compileText(text);
  } catch (e) {
    if (e instanceof PolicyCompileError) return e.errors;
    throw e;
  }
  throw new Error("compiled");
};

const HEAD = `
id: t
name: 测试政策
entity: person
`;

describe("compile errors name the file, the path and say what is wrong in Chinese", () => {
  it("an unknown fact", () => {
    const errors = errorsOf(`${HEAD}
conditions:
  - { id: a, label: 条件, is: has_yacht }
`);
    expect(errors).toEqual([
      { file: "test.yaml", path: "conditions[0].is", message: expect.stringContaining("未知的事实「has_yacht」") },
    ]);
  });

  it("a type mismatch: comparing a date with a number, an enum with an unknown value, bool as a number", () => {
    const errors = errorsOf(`${HEAD}
conditions:
  - { id: a, label: 条件A, compare: { fact: birth_date, op: ">=", value: 40 } }
  - { id: b, label: 条件B, compare: { fact: sex, op: "==", value: other } }
  - { id: c, label: 条件C, compare: { fact: veteran, op: ">=", value: 1 } }
  - { id: d, label: 条件D, is: birth_date }
`);
    expect(errors.map((e) => e.path)).toEqual([
      "conditions[0].compare.right.value",
      "conditions[1].compare.right.value",
      "conditions[2].compare.left",
      "conditions[3].is",
    ]);
    expect(errors[0]!.message).toContain("类型不匹配");
    expect(errors[1]!.message).toContain("male、female");
  });

  it("conflicting overrides: two exceptions to the same base, nested regions, overlapping periods, no priority", () => {
    const errors = errorsOf(`${HEAD}
parameters:
  n:
    type: int
    label: 月数
    values:
      - { label: national, value: 12, from: 2020-01-01, source: 测试 }
      - { label: jiangsu, exception_to: national, region: "32", value: 6, from: 2021-01-01, source: 测试 }
      - { label: nanjing, exception_to: national, region: "3201", value: 3, from: 2022-01-01, source: 测试 }
conditions:
  - { id: a, label: 条件, compare: { fact: ui_contribution_months, op: ">=", param: n } }
`);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.path).toBe("parameters.n.values[2]");
    expect(errors[0]!.message).toContain("参数冲突");
    // the same two with different priorities compile
    expect(() =>
      compileText(`${HEAD}
parameters:
  n:
    type: int
    values:
      - { label: national, value: 12, from: 2020-01-01, source: 测试 }
      - { label: jiangsu, exception_to: national, region: "32", value: 6, from: 2021-01-01, source: 测试, priority: 1 }
      - { label: nanjing, exception_to: national, region: "3201", value: 3, from: 2022-01-01, source: 测试, priority: 2 }
conditions:
  - { id: a, label: 条件, compare: { fact: ui_contribution_months, op: ">=", param: n } }
`),
    ).not.toThrow();
  });

  it("a parameter value without a source, an unknown parameter, a mul_rate without a rounding mode, a prerequisite that comes later", () => {
    const errors = errorsOf(`${HEAD}
parameters:
  r: { type: rate, values: [{ label: x, value: 60%, from: 2020-01-01 }] }
conditions:
  - { id: a, label: 条件A, requires: [b], compare: { fact: ui_contribution_months, op: ">=", param: missing } }
  - { id: b, label: 条件B, is: veteran }
outputs:
  amount: { label: 金额, value: { mul_rate: { value: { fact: local_minimum_wage_fen }, rate: { param: r } } } }
`);
    const paths = errors.map((e) => e.path);
    expect(paths).toContain("parameters.r.values[0].source");
    expect(paths).toContain("conditions[0].compare.right.param");
    expect(paths).toContain("conditions[0].requires[0]");
    expect(paths).toContain("outputs.amount.value.mul_rate.round");
  });

  it("policy references: unknown policies and cycles", () => {
    const a = { id: "a", name: "甲", entity: "person", conditions: [{ id: "x", label: "乙", policy: "b" }] };
    const b = { id: "b", name: "乙", entity: "person", conditions: [{ id: "y", label: "甲", policy: "a" }] };
    expect(() =>
      compilePolicySet([
        { file: "a", doc: a },
        { file: "b", doc: b },
      ]),
    ).toThrow(/循环引用/);
    expect(() => compilePolicySet([{ file: "a", doc: a }])).toThrow(/未知的政策「b」/);
  });

  it("YAML syntax errors carry the file", () => {
    expect(() => parsePolicyYaml("bad.yaml", "id: [")).toThrow(PolicyCompileError);
  });
});

describe("three-valued results and prerequisites", () => {
  const p = compileText(`${HEAD}
conditions:
  - { id: registered, label: 已失业登记, is: registered_unemployed }
  - id: group
    label: 属于对象
    any:
      - { id: vet, label: 退役军人, is: veteran }
      - { id: grad, label: 高校毕业生, is: graduate }
  - { id: long, label: 失业满6个月, requires: [registered], since: { fact: unemployed_since, period: P6M } }
`);
  const run = (facts: Record<string, unknown>) => evaluatePolicy(p, { region: "320102", facts }, "2026-11-28");

  it("满足 needs every condition; one 不满足 decides even if others are unknown", () => {
    expect(run({ registered_unemployed: true, veteran: true, unemployed_since: "2026-05-28" }).state).toBe("met");
    const r = run({ registered_unemployed: false });
    expect(r.state).toBe("not_met");
    expect(r.failed).toEqual(["registered"]);
    // group is unknown (no facts): reported, but the result is 不满足
    expect(r.undetermined).toEqual(["group"]);
  });

  it("any: one true child is enough although another is unknown; all false → 不满足; else 信息不足 naming the facts", () => {
    expect(run({ registered_unemployed: true, veteran: true, unemployed_since: "2026-01-01" }).state).toBe("met");
    const r = run({ registered_unemployed: true, veteran: false, unemployed_since: "2026-01-01" });
    expect(r.state).toBe("unknown");
    expect(r.missing).toEqual([{ fact: "graduate", label: "高校毕业生" }]);
    expect(
      run({ registered_unemployed: true, veteran: false, graduate: false, unemployed_since: "2026-01-01" }).state,
    ).toBe("not_met");
  });

  it("a condition whose prerequisite is not met is 未判断, not a misleading ✔ or ✘", () => {
    const r = run({ registered_unemployed: false, veteran: true, unemployed_since: "2020-01-01" });
    const long = r.conditions.find((c) => c.id === "long")!;
    expect(long.state).toBe("not_evaluated");
    expect(long.text).toContain("未判断");
    expect(r.failed).toEqual(["registered"]);
  });

  it("distance to a date threshold: 还差 N 天满 6 个月", () => {
    const r = run({ registered_unemployed: true, veteran: true, unemployed_since: "2026-06-20" });
    const long = r.conditions.find((c) => c.id === "long")!;
    expect(long.state).toBe("not_met");
    expect(long.text).toContain("还差 22 天满 6个月（2026-12-20）");
  });

  it("the columnar evaluator marks the same conditions", () => {
    const subjects = [
      { registered_unemployed: false },
      { registered_unemployed: true, veteran: false, unemployed_since: "2026-01-01" },
      { registered_unemployed: true, veteran: true, unemployed_since: "2026-06-20" },
    ].map((facts) => ({ region: "320102", facts }));
    const c = evaluateColumnar([p], populationFromSubjects("person", subjects), "2026-11-28").get("t")!;
    expect([0, 1, 2].map((i) => stateAt(c, i))).toEqual([0, 2, 0]);
    expect([0, 1, 2].map((i) => failedAt(c, i))).toEqual([0b001, 0, 0b100]);
    expect([0, 1, 2].map((i) => undeterminedAt(c, i))).toEqual([0b010, 0b010, 0]);
  });
});

describe("parameters as of a date and a region, with labelled exceptions", () => {
  const p = compileText(`${HEAD}
parameters:
  n:
    type: int
    label: 月数
    unit: 个月
    values:
      - { label: national, value: 12, from: 2020-01-01, source: 国家文件 }
      - { label: jiangsu, exception_to: national, region: "32", value: 6, from: 2021-01-01, to: 2021-12-31, source: 江苏文件, priority: 1 }
      - { label: nanjing, exception_to: jiangsu, region: "3201", value: 3, from: 2021-01-01, source: 南京文件 }
      - { label: gulou, exception_to: national, region: "320106", value: 2, from: 2021-01-01, source: 鼓楼文件, priority: 2 }
conditions:
  - { id: a, label: 缴费满规定月数, compare: { fact: ui_contribution_months, op: ">=", param: n } }
`);
  const threshold = (region: string, asOf: string) => {
    const r = evaluatePolicy(p, { region, facts: { ui_contribution_months: 0 } }, asOf);
    return { value: r.params[0]?.valueLabel ?? null, conflicts: r.conflicts, state: r.state };
  };

  it("national before the exception, the province's during its period, the city's exception to it", () => {
    expect(threshold("320102", "2020-12-31").value).toBe("12个月");
    expect(threshold("320501", "2021-06-01").value).toBe("6个月");
    expect(threshold("320102", "2021-06-01").value).toBe("3个月");
    // after the province's value ends, the city's exception has nothing to be an exception to
    // in force, but it still applies by itself: the national value is not overridden by it
    expect(threshold("110101", "2021-06-01").value).toBe("12个月");
  });

  it("two exceptions left without a priority between them are a conflict reported at evaluation", () => {
    // gulou (priority 2) and nanjing (no priority) both survive for 320106
    const r = threshold("320106", "2021-06-01");
    expect(r.conflicts[0]).toContain("参数冲突");
    expect(r.state).toBe("unknown");
  });
});

describe("dates and money", () => {
  it("periods add with month-end clamping; the threshold day matches", () => {
    expect(addPeriod("2024-01-31", parsePeriod("P1M")!)).toBe("2024-02-29");
    expect(addPeriod("2024-02-29", parsePeriod("P1Y")!)).toBe("2025-02-28");
    for (const asOf of ["2025-02-28", "2024-02-29", "2026-03-31", "2026-11-28"])
      for (const p of ["P1M", "P6M", "P1Y", "P2Y", "P12M", "P30D"]) {
        const period = parsePeriod(p)!;
        const last = latestStartCompleting(period, asOf);
        const day = (d: number) => new Date(d * 86_400_000).toISOString().slice(0, 10);
        expect(addPeriod(day(last), period) <= asOf, `${asOf} ${p}`).toBe(true);
        expect(addPeriod(day(last + 1), period) > asOf, `${asOf} ${p}`).toBe(true);
      }
  });

  it("rates multiply exactly in 分 with the declared rounding", () => {
    expect(mulRate(5, 3000, "half_up")).toBe(2); // 1.5 → 2 (a float 5*0.3 is 1.4999…)
    expect(mulRate(5, 3000, "floor")).toBe(1);
    expect(mulRate(1, 1, "ceil")).toBe(1);
    expect(mulRate(-5, 3000, "half_up")).toBe(-2);
    expect(divRound(7, 2, "half_up")).toBe(4);
    expect(divRound(-7, 2, "half_up")).toBe(-4);
  });
});

describe("aggregations over the household (members: any / all / count / sum)", () => {
  const p = compileText(`${HEAD}
conditions:
  - id: two_unemployed
    label: 家庭中至少两人失业登记
    members: { fn: count, where: { id: m_reg, label: 已失业登记, is: registered_unemployed }, op: ">=", value: 2 }
  - id: low_income
    label: 在职成员合计缴费基数不超过6000元
    members: { fn: sum, where: { id: m_emp, label: 在职, is: employed }, fact: flexible_insurance_monthly_fen, op: "<=", value: 600000 }
`);
  const run = (members: Record<string, unknown>[] | undefined) =>
    evaluatePolicy(
      p,
      { region: "320102", facts: {}, ...(members ? { members: members.map((facts) => ({ facts })) } : {}) },
      "2026-11-28",
    );

  it("count is 满足 only when every still-possible count satisfies it, 不满足 when none does", () => {
    const base = { employed: false, flexible_insurance_monthly_fen: 0 };
    expect(
      run([
        { ...base, registered_unemployed: true },
        { ...base, registered_unemployed: true },
      ]).conditions[0]!.state,
    ).toBe("met");
    expect(
      run([
        { ...base, registered_unemployed: true },
        { ...base, registered_unemployed: false },
      ]).conditions[0]!.state,
    ).toBe("not_met");
    // one known, one unknown: 1 or 2 — undecided
    const r = run([{ ...base, registered_unemployed: true }, { ...base }]);
    expect(r.conditions[0]!.state).toBe("unknown");
    expect(r.conditions[0]!.text).toContain("家庭成员 2 人中 1 人满足「已失业登记」，1 人信息不足");
  });

  it("sum adds the fact over the members who satisfy the clause; an unknown household is 信息不足", () => {
    const r = run([
      { employed: true, registered_unemployed: false, flexible_insurance_monthly_fen: 400000 },
      { employed: true, registered_unemployed: false, flexible_insurance_monthly_fen: 300000 },
      { employed: false, registered_unemployed: true, flexible_insurance_monthly_fen: 900000 },
    ]);
    expect(r.conditions[1]!.state).toBe("not_met");
    expect(r.conditions[1]!.value).toBe("合计 7000元");
    const none = run(undefined);
    expect(none.state).toBe("unknown");
    expect(none.missing).toEqual([{ fact: "$members", label: "家庭成员信息" }]);
  });

  it("members rules are person-only and do not nest", () => {
    const nested = errorsOf(`${HEAD}
conditions:
  - id: a
    label: 嵌套
    members: { fn: any, where: { id: b, label: 内层, members: { fn: any, where: { id: c, label: 最内, is: veteran } } } }
`);
    expect(nested[0]!.message).toContain("不能再嵌套");
    const employer = errorsOf(`
id: t
name: 单位
entity: employer
conditions:
  - { id: a, label: 成员, members: { fn: any, where: { id: b, label: 在职, is: employed } } }
`);
    expect(employer[0]!.message).toContain("只适用于个人政策");
  });
});

describe("aggregations over an employer's employees (employees: / count / sum)", () => {
  const EMPLOYER = `
id: t
name: 单位测试
entity: employer
`;
  const p = compileText(`${EMPLOYER}
parameters:
  share: { type: rate, label: 比例, values: [{ label: national, value: 10%, from: 2020-01-01, source: { document: 测试 }, verified: true }] }
  per_head: { type: money, label: 每人, values: [{ label: national, value: 100, from: 2020-01-01, source: { document: 测试 }, verified: true }] }
conditions:
  - id: has_veteran
    label: 招用了退役军人
    employees: { fn: any, where: { id: e_vet, label: 退役军人, is: veteran } }
  - id: share_disabled
    label: 残疾职工占职工人数的比例达到规定
    compare:
      ratio:
        - { count: { of: employees, where: { id: e_dis, label: 持有残疾人证, compare: { fact: disability_grade, op: ">=", value: 1 } } } }
        - { fact: headcount }
      op: ">="
      param: share
outputs:
  amount:
    label: 按人数计
    value: { mul: [{ param: per_head }, { count: { of: employees } }] }
`);
  const run = (employees: Record<string, unknown>[] | undefined, headcount = 10) => {
    const subject = {
      region: "320102",
      facts: { headcount },
      ...(employees ? { employees: employees.map((facts) => ({ facts })) } : {}),
    };
    const row = evaluatePolicy(p, subject, "2026-11-28");
    const col = evaluateColumnar([p], populationFromSubjects("employer", [subject]), "2026-11-28").get("t")!;
    return { row, col };
  };

  it("reads person facts of each employee, counts and sums them, and the two evaluators agree", () => {
    expect(p.employeeFacts).toEqual(["disability_grade", "veteran"]);
    expect(p.facts).toEqual(["headcount"]);
    const { row, col } = run([
      { veteran: true, disability_grade: 0 },
      { veteran: false, disability_grade: 3 },
      { veteran: false, disability_grade: 0 },
    ]);
    expect(row.state).toBe("met");
    expect(stateAt(col, 0)).toBe(1);
    expect(row.amountFen).toBe(300);
    expect(row.conditions[0]!.text).toContain("职工 3 人中 1 人满足「退役军人」");
    expect(row.conditions[1]!.text).toContain("职工中持有残疾人证者的人数÷职工人数");
    // 1 of 11 is below 10%
    const low = run([{ veteran: true, disability_grade: 1 }], 11);
    expect(low.row.failed).toEqual(["share_disabled"]);
    expect(failedAt(low.col, 0)).toBe(0b10);
  });

  it("an unknown roster or an employee not known either way is 信息不足 naming the roster", () => {
    for (const employees of [undefined, [{ veteran: true }]]) {
      const { row, col } = run(employees);
      expect(row.state).toBe("unknown");
      expect(row.missing).toEqual([{ fact: "$employees", label: "职工名册（就业登记）" }]);
      expect(stateAt(col, 0)).toBe(2);
      expect(undeterminedAt(col, 0)).toBe(employees ? 0b10 : 0b11);
    }
  });

  it("employees are for employer policies, households for person policies; members read person facts only", () => {
    const onPerson = errorsOf(`${HEAD}
conditions:
  - { id: a, label: 职工, employees: { fn: any, where: { id: b, label: 在职, is: employed } } }
`);
    expect(onPerson[0]!.message).toContain("只适用于单位政策");
    const countOnEmployer = errorsOf(`${EMPLOYER}
conditions:
  - { id: a, label: 家庭, compare: { left: { count: { of: household } }, op: ">=", value: 1 } }
`);
    expect(countOnEmployer[0]!.message).toContain("只适用于个人政策");
    const employerFactInside = errorsOf(`${EMPLOYER}
conditions:
  - { id: a, label: 职工, employees: { fn: any, where: { id: b, label: 人数, compare: { fact: headcount, op: ">", value: 1 } } } }
`);
    expect(employerFactInside[0]!.message).toContain("未知的事实「headcount」");
  });
});
