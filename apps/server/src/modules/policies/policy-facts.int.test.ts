/**
 * The two registry readers of the policy engine agree: the population reader (columns, two
 * cursors, only the sources asked for, dates as day numbers from the database, households
 * checked for members outside the region) gives every person the same facts as the one-person
 * reader the self-check and candidate explanations use — on a seeded city with ledger history,
 * insurance, key groups, certificates, payments and households.
 */
import { closure, householdNeeds, PERSON_FACTS, paymentHistoryPolicies, populationFromSubjects } from "@jiuye/domain";
import { sql } from "kysely";
import { afterAll, beforeAll, expect, it } from "vitest";
import { seedPopulation } from "../../seed/population.ts";
import { createTestApp, type TestApp } from "../../testing/harness.ts";
import { loadShippedPolicies } from "./catalogue.ts";
import { policyFactsRepository, sourcesFor } from "./policy-facts.repository.ts";

let t: TestApp;
const asOf = "2026-11-28";
const paid = ["skill_upgrade", "vocational_training"];

beforeAll(async () => {
  t = await createTestApp();
  await seedPopulation(t.db, t.cipher, { persons: 1500, employers: 20, seed: 7, cityCode: "3201", today: asOf });
  // payments, so the payment history and this year's count are exercised too
  await sql`insert into policy_payments (policy_id, subject_kind, subject_id, period, amount_fen, as_of, ruleset_hash, params, facts, region_code, province_code)
            select case when n % 2 = 0 then 'vocational_training' else 'skill_upgrade' end, 'person', id, '2026', 100000,
                   date '2026-03-01' + (n % 200)::int, repeat('0', 64), '{}'::jsonb, '{}'::jsonb, residence_region_code, province_code
            from (select id, residence_region_code, province_code, row_number() over (order by id) as n from persons) x
            where n % 7 = 0`.execute(t.db);
}, 240_000);
afterAll(async () => {
  await t.close();
});

/** The engine's encoding of one person's facts (what a column holds), by fact name. */
function encoded(facts: Record<string, unknown>) {
  const pop = populationFromSubjects("person", [{ region: "320102", facts }]);
  return Object.fromEntries(
    Object.keys(PERSON_FACTS).map((name) => {
      const c = pop.cols[name]!;
      return [name, c.k && !c.k[0] ? null : c.v[0]];
    }),
  );
}

function row(pop: Awaited<ReturnType<typeof policyFactsRepository.personPopulation>>, i: number, names: string[]) {
  return Object.fromEntries(
    names.map((name) => {
      const c = pop.cols[name]!;
      return [name, c.k && !c.k[i] ? null : c.v[i]];
    }),
  );
}

it("every person's facts, payment history and household are the same from both readers", async () => {
  const pop = await policyFactsRepository.personPopulation(t.db, "3201", asOf, paid);
  expect(pop.n).toBeGreaterThan(1400);
  const names = Object.keys(PERSON_FACTS);
  let households = 0;
  let unemployed = 0;
  let withPayments = 0;
  for (let i = 0; i < pop.n; i += 5) {
    const one = (await policyFactsRepository.person(t.db, pop.ids[i]!, asOf, paid))!;
    expect(row(pop, i, names), pop.ids[i]).toEqual(encoded(one.facts));
    for (const id of paid) {
      const v = pop.paid![id]!.v[i]!;
      expect(v < 0 ? null : v, `${pop.ids[i]} ${id}`).toBe(
        one.paid[id] ? encoded({ birth_date: one.paid[id] }).birth_date : null,
      );
      if (one.paid[id]) withPayments++;
    }
    const m = pop.members!;
    const size = m.offsets[i + 1]! - m.offsets[i]!;
    expect(m.known[i] ? size : 0, pop.ids[i]).toBe(one.members?.length ?? 0);
    if (one.members) households++;
    if (one.facts.registered_unemployed) unemployed++;
  }
  // the seeded city exercises what is compared
  expect(households).toBeGreaterThan(100);
  expect(unemployed).toBeGreaterThan(5);
  expect(withPayments).toBeGreaterThan(10);
});

it("a sweep reads only its policy's sources: those facts are the same, the others stay unknown", async () => {
  const set = loadShippedPolicies();
  const full = await policyFactsRepository.personPopulation(t.db, "3201", asOf, paid);
  const at = new Map(full.ids.map((id, i) => [id, i]));
  for (const id of ["employment_difficulty", "unemployment_benefit", "vocational_training"]) {
    const used = set.filter((p) => closure(set, new Set([id])).has(p.id));
    const facts = [...new Set(used.flatMap((p) => p.facts))];
    const history = paymentHistoryPolicies(used);
    const sources = sourcesFor(facts, history, householdNeeds(used).used);
    const part = await policyFactsRepository.personPopulation(t.db, "3201", asOf, history, undefined, sources);
    expect(part.n).toBe(full.n);
    const read = facts.filter((f) => f in PERSON_FACTS);
    for (let i = 0; i < part.n; i++) {
      const j = at.get(part.ids[i]!)!;
      expect(row(part, i, read), `${id} ${part.ids[i]}`).toEqual(row(full, j, read));
    }
    // a fact of a source not read is unknown for everyone, never a made-up default
    if (!sources.has("ins")) expect(part.cols.ui_contribution_months!.k!.every((k) => k === 0)).toBe(true);
    if (!sources.has("c")) expect(part.cols.certificate_level!.k!.every((k) => k === 0)).toBe(true);
    expect(sources.has("household")).toBe(id === "employment_difficulty");
  }
});
