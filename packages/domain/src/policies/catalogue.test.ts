/**
 * The YAML cases of every shipped policy: inputs, an as-of date, the expected result, reasons,
 * missing facts, outputs and phrases of the explanation. Every case is also run through the
 * columnar evaluator, which must give the same state, reasons and amount.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { amountAt, evaluateColumnar, failedAt, populationFromSubjects, stateAt, undeterminedAt } from "./columnar.ts";
import { compilePolicySet } from "./compile.ts";
import { describePolicy } from "./describe.ts";
import { type ConditionTrace, evaluateAll } from "./evaluate.ts";
import { resolveParam } from "./params.ts";
import { SHIPPED_CASES_DIR, SHIPPED_POLICY_DIR } from "./shipped-files.ts";

const files = readdirSync(SHIPPED_POLICY_DIR).filter((f) => f.endsWith(".yaml"));
const policies = compilePolicySet(
  files.map((f) => ({ file: f, text: readFileSync(new URL(f, SHIPPED_POLICY_DIR), "utf8") })),
);

interface Case {
  name: string;
  as_of: string;
  region: string;
  facts: Record<string, unknown>;
  paid?: Record<string, string | null>;
  /** The subject's household besides the subject (facts of each other member). */
  members?: Record<string, unknown>[];
  /** An employer's roster (person facts of each employee); absent = unknown. */
  employees?: Record<string, unknown>[];
  expect: {
    state: "met" | "not_met" | "unknown";
    failed?: string[];
    undetermined?: string[];
    not_evaluated?: string[];
    missing?: string[];
    outputs?: Record<string, number | null>;
    text?: string[];
    not_applicable?: boolean;
  };
}

const flatten = (ts: ConditionTrace[]): ConditionTrace[] => ts.flatMap((t) => [t, ...flatten(t.children ?? [])]);

it("ships the whole catalogue the issue lists, each with its cases", () => {
  expect(policies.map((p) => p.id).sort()).toEqual(
    [
      "disability_levy",
      "employment_difficulty",
      "flexible_social_insurance",
      "hiring_subsidy",
      "internship",
      "job_retention",
      "job_search_subsidy",
      "mass_layoff_duty",
      "public_welfare_post",
      "skill_upgrade",
      "startup_loan",
      "unemployment_benefit",
      "vocational_training",
    ].sort(),
  );
  for (const p of policies) {
    const cases = parse(readFileSync(new URL(`${p.id}.yaml`, SHIPPED_CASES_DIR), "utf8"), { merge: true }) as Case[];
    const states = new Set(cases.map((c) => c.expect.state));
    expect(states.has("met") && states.has("not_met"), p.id).toBe(true);
    // figures not checked against their document are shown as such in the public list
    const shown = describePolicy(p, "2026-11-28", "320102").params;
    for (const param of Object.values(p.params)) {
      const r = resolveParam(param, "2026-11-28", "320102");
      if (!r.ok) continue;
      const row = shown.find((x) => x.name === param.name);
      expect(row?.verified, `${p.id}.${param.name}`).toBe(r.chosen.verified);
      expect(row?.source, `${p.id}.${param.name}`).toContain(r.chosen.source.document);
    }
  }
});

for (const policy of policies) {
  const cases = parse(readFileSync(new URL(`${policy.id}.yaml`, SHIPPED_CASES_DIR), "utf8"), { merge: true }) as Case[];
  describe(`${policy.name} (${policy.id})`, () => {
    for (const c of cases)
      it(c.name, () => {
        const subject = {
          region: c.region,
          facts: c.facts,
          ...(c.paid ? { paid: c.paid } : {}),
          ...(c.members ? { members: [{ facts: c.facts }, ...c.members.map((facts) => ({ facts }))] } : {}),
          ...(c.employees ? { employees: c.employees.map((facts) => ({ facts })) } : {}),
        };
        const [r] = evaluateAll(policies, subject, c.as_of, new Set([policy.id]));
        const e = c.expect;
        expect(r!.state).toBe(e.state);
        if (e.failed) expect(r!.failed.sort()).toEqual([...e.failed].sort());
        if (e.undetermined) expect(r!.undetermined.sort()).toEqual([...e.undetermined].sort());
        if (e.missing) expect(r!.missing.map((m) => m.fact).sort()).toEqual([...e.missing].sort());
        if (e.not_applicable) expect(r!.notApplicable).toBeTruthy();
        const traces = flatten(r!.conditions);
        for (const id of e.not_evaluated ?? [])
          expect(traces.find((t) => t.id === id)?.state, id).toBe("not_evaluated");
        for (const [name, v] of Object.entries(e.outputs ?? {})) expect(r!.outputs[name]?.value ?? null, name).toBe(v);
        const text = traces.map((t) => t.text).join("\n");
        for (const phrase of e.text ?? []) expect(text).toContain(phrase);
        // every trace line is a sentence a person can read: no "undefined", no raw ids
        expect(text).not.toMatch(/undefined|NaN|\[object/);

        // the columnar evaluator agrees on this subject
        // the household's other members are subjects of the population too, in one household
        const others = (c.members ?? []).map((facts) => ({ region: c.region, facts }));
        const pop = populationFromSubjects(
          policy.entity,
          [subject, ...others],
          c.paid ? Object.keys(c.paid) : [],
          c.members ? [subject, ...others].map(() => 0) : undefined,
        );
        const col = evaluateColumnar(
          policies.filter((p) => p.entity === policy.entity),
          pop,
          c.as_of,
        ).get(policy.id)!;
        expect(["not_met", "met", "unknown"][stateAt(col, 0)]).toBe(r!.state);
        const bits = (mask: number) => policy.conditions.filter((_, i) => mask & (1 << i)).map((x) => x.id);
        expect(bits(failedAt(col, 0))).toEqual(r!.failed);
        expect(bits(undeterminedAt(col, 0))).toEqual(r!.undetermined);
        const amount = amountAt(col, 0);
        expect(amount).toBe(r!.amountFen);
      });
  });
}
