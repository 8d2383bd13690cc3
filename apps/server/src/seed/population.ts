import type { Database } from "@jiuye/db";
import { createRandom, EDUCATION_LABELS, type EducationLevel, idNumberCheckChar } from "@jiuye/domain";
import { type Kysely, sql } from "kysely";
import type { FieldCipher } from "../lib/field-cipher.ts";
import { insertEmployers, insertPersons, syntheticEmployer, syntheticPerson } from "./factories.ts";
import { seedPolicyFacts } from "./policy-facts.ts";

export const SCALES = {
  demo: { persons: 3_000, employers: 300 },
  city: { persons: 1_000_000, employers: 50_000 },
  province: { persons: 5_000_000, employers: 250_000 },
} as const;
export type Scale = keyof typeof SCALES;

/**
 * Age pyramid of the working population and its neighbours (shares by 5-year band from 16),
 * shaped like the 2020 census (第七次全国人口普查): a bulge at 30–39 and 50–59.
 */
const AGE_BANDS: Array<[from: number, weight: number]> = [
  [16, 5.2],
  [20, 6.0],
  [25, 7.4],
  [30, 9.4],
  [35, 8.6],
  [40, 7.9],
  [45, 8.8],
  [50, 9.9],
  [55, 8.6],
  [60, 6.6],
  [65, 5.8],
  [70, 4.0],
];
const AGE_TOTAL = AGE_BANDS.reduce((s, [, w]) => s + w, 0);

/** Education by birth cohort: younger cohorts are more educated (shares, highest first). */
function educationFor(age: number, u: number): EducationLevel {
  const levels = Object.keys(EDUCATION_LABELS) as EducationLevel[];
  const young = [0.01, 0.05, 0.22, 0.22, 0.12, 0.14, 0.2, 0.04];
  const old = [0.002, 0.01, 0.06, 0.1, 0.1, 0.17, 0.38, 0.178];
  const w = age < 40 ? young : old;
  let acc = 0;
  for (let i = 0; i < levels.length; i++) {
    acc += w[i]!;
    if (u < acc) return levels[i]!;
  }
  return "junior_high";
}

/** Realistic shares of key groups among working-age people (order-of-magnitude, for load and demos). */
const KEY_GROUP_SHARES: Array<[kind: string, share: number]> = [
  ["veteran", 0.015],
  ["disability", 0.012],
  ["dibao", 0.01],
  ["poverty_alleviated", 0.005],
  ["released_prisoner", 0.001],
];

export interface PopulationResult {
  persons: number;
  employers: number;
  households: number;
  attributes: number;
  ledgerEvents: number;
}

/**
 * A deterministic synthetic population on the real communities of `cityCode`: people from the age
 * pyramid with education and 户籍, households of 1–5, key groups at realistic shares, employers
 * across industries and sizes, and years of 就业失业登记 history (employment spells, some ended,
 * some followed by an unemployment registration). Same seed → same population.
 */
export async function seedPopulation(
  db: Kysely<Database>,
  cipher: FieldCipher,
  opts: {
    persons: number;
    employers: number;
    seed: number;
    cityCode: string;
    today: string;
    onProgress?: (step: string, done: number, total: number) => void;
  },
): Promise<PopulationResult> {
  const rnd = createRandom(opts.seed);
  const communities = (
    await db
      .selectFrom("regions")
      .select("code")
      .where("level", "=", 5)
      .where("code", "like", `${opts.cityCode}%`)
      .orderBy("code")
      .execute()
  ).map((r) => r.code);
  if (communities.length === 0) throw new Error(`no communities under ${opts.cityCode}: import regions first`);
  const streets = [...new Set(communities.map((c) => c.slice(0, 9)))];
  const thisYear = Number(opts.today.slice(0, 4));
  const seqs = new Map<string, number>();
  const result: PopulationResult = { persons: 0, employers: 0, households: 0, attributes: 0, ledgerEvents: 0 };

  const employerRows = Array.from({ length: opts.employers }, () => syntheticEmployer(rnd, rnd.pick(streets)));
  const employerIds = await insertEmployers(db, employerRows, opts.today);
  result.employers = employerIds.length;
  opts.onProgress?.("用人单位", employerIds.length, opts.employers);

  const BATCH = 5_000;
  const now = new Date();
  for (let start = 0; start < opts.persons; start += BATCH) {
    const n = Math.min(BATCH, opts.persons - start);
    const people: Array<
      ReturnType<typeof syntheticPerson> & {
        education: EducationLevel;
        hukouType: string;
        age: number;
        household: number;
        relation: string;
      }
    > = [];
    let household = -1;
    let householdLeft = 0;
    let householdCommunity = communities[0]!;
    for (let i = 0; i < n; i++) {
      if (householdLeft === 0) {
        household++;
        householdLeft = rnd.pick([1, 2, 2, 3, 3, 3, 4, 4, 5]);
        householdCommunity = rnd.pick(communities);
      }
      const relation =
        householdLeft === 0
          ? "other"
          : people.length && people[people.length - 1]!.household === household
            ? rnd.pick(["spouse", "child", "child", "parent"])
            : "head";
      householdLeft--;
      let u = rnd.next() * AGE_TOTAL;
      let band = AGE_BANDS[0]![0];
      for (const [from, w] of AGE_BANDS) {
        if (u < w) {
          band = from;
          break;
        }
        u -= w;
      }
      const age = band + rnd.int(0, 4);
      const p = syntheticPerson(rnd, householdCommunity);
      const birthDate = `${thisYear - age}-${String(rnd.int(1, 12)).padStart(2, "0")}-${String(rnd.int(1, 28)).padStart(2, "0")}`;
      const key = `${householdCommunity.slice(0, 6)}${birthDate}${p.sex}`;
      const k = seqs.get(key) ?? rnd.int(0, 40);
      seqs.set(key, k + 1);
      const first17 = `${householdCommunity.slice(0, 6)}${birthDate.replace(/-/g, "")}${String((k % 500) * 2 + (p.sex === "male" ? 1 : 0)).padStart(3, "0")}`;
      people.push({
        ...p,
        birthDate,
        idNumber: first17 + idNumberCheckChar(first17),
        education: educationFor(age, rnd.next()),
        hukouType: rnd.next() < 0.7 ? "urban" : "rural",
        age,
        household,
        relation,
      });
    }
    const ids = await insertPersons(db, cipher, people);
    if (ids.length !== people.length) throw new Error("synthetic ID numbers collided; use another seed");
    result.persons += ids.length;
    await sql`
      update persons p set education = v.education, hukou_type = v.hukou_type, hukou_region_code = left(p.residence_region_code, 6)
      from unnest(${ids}::uuid[], ${people.map((p) => p.education)}::text[], ${people.map((p) => p.hukouType)}::text[])
        as v(id, education, hukou_type)
      where p.id = v.id`.execute(db);

    // households
    const byHousehold = new Map<number, number[]>();
    people.forEach((p, i) => {
      byHousehold.set(p.household, [...(byHousehold.get(p.household) ?? []), i]);
    });
    const hh = [...byHousehold.values()];
    const hhRows = hh.map((members) => ({
      province_code: people[members[0]!]!.residenceRegionCode.slice(0, 2),
      region_code: people[members[0]!]!.residenceRegionCode,
      address: null,
      created_by: null,
      created_at: now,
    }));
    const hhIds = (await db.insertInto("households").values(hhRows).returning("id").execute()).map((r) => r.id);
    const memberRows = hh.flatMap((members, h) =>
      members.map((i, j) => ({
        household_id: hhIds[h]!,
        person_id: ids[i]!,
        relation: j === 0 ? "head" : people[i]!.relation === "head" ? "other" : people[i]!.relation,
        joined_on: `${thisYear - 10}-01-01`,
      })),
    );
    for (let i = 0; i < memberRows.length; i += 2_000)
      await db
        .insertInto("household_members")
        .values(memberRows.slice(i, i + 2_000))
        .execute();
    result.households += hhIds.length;

    // key groups
    const attrs: Array<Record<string, unknown>> = [];
    people.forEach((p, i) => {
      if (
        p.age >= 22 &&
        p.age <= 24 &&
        ["bachelor", "master", "junior_college"].includes(p.education) &&
        rnd.next() < 0.6
      )
        attrs.push({
          person_id: ids[i],
          kind: "graduate",
          details: JSON.stringify({ graduationYear: thisYear - (p.age - 22) }),
          source: "imported",
          source_system: "xuexin",
          recorded_at: now,
        });
      if (p.hukouType === "rural" && p.age < 60 && rnd.next() < 0.25)
        attrs.push({
          person_id: ids[i],
          kind: "rural_migrant",
          details: "{}",
          source: "declared",
          source_system: null,
          recorded_at: now,
        });
      for (const [kind, share] of KEY_GROUP_SHARES)
        if (rnd.next() < share)
          attrs.push({
            person_id: ids[i],
            kind,
            details: "{}",
            source: "imported",
            source_system: "seed",
            recorded_at: now,
          });
    });
    for (let i = 0; i < attrs.length; i += 2_000)
      await db
        .insertInto("person_attributes")
        .values(attrs.slice(i, i + 2_000) as never)
        .execute();
    result.attributes += attrs.length;

    // ledger history: an employment spell for most working-age people; some ended, some then registered unemployed
    const events: Array<Record<string, unknown>> = [];
    const spells: Array<Record<string, unknown>> = [];
    people.forEach((p, i) => {
      if (p.age < 18 || p.age >= 60 || rnd.next() > 0.62 || employerIds.length === 0) return;
      const region = p.residenceRegionCode;
      const startYear = Math.max(thisYear - (p.age - 18), thisYear - 8) + rnd.int(0, 3);
      const started = `${Math.min(startYear, thisYear - 1)}-${String(rnd.int(1, 12)).padStart(2, "0")}-01`;
      const spellId = crypto.randomUUID();
      const eventId = crypto.randomUUID();
      const employer = rnd.int(0, employerRows.length - 1);
      events.push({
        id: eventId,
        person_id: ids[i],
        province_code: region.slice(0, 2),
        type: "employment",
        event_date: started,
        region_code: region,
        employment_form: "employer",
        employer_name: employerRows[employer]!.name,
        employer_credit_code: employerRows[employer]!.creditCode,
        contract_type: "fixed_term",
        spell_id: spellId,
        recorded_at: now,
      });
      const ends = rnd.next() < 0.08;
      let endEventId: string | null = null;
      let ended: string | null = null;
      let endReason: string | null = null;
      if (ends) {
        endEventId = crypto.randomUUID();
        ended = `${thisYear}-0${rnd.int(1, 9)}-15`;
        if (ended <= started) ended = `${thisYear}-10-15`;
        endReason = rnd.pick(["contract_expiry", "voluntary", "involuntary"]);
        events.push({
          id: endEventId,
          person_id: ids[i],
          province_code: region.slice(0, 2),
          type: "employment_end",
          event_date: ended,
          region_code: region,
          reason: endReason,
          spell_id: spellId,
          recorded_at: now,
        });
      }
      spells.push({
        id: spellId,
        person_id: ids[i],
        province_code: region.slice(0, 2),
        kind: "employment",
        employment_form: "employer",
        employer_name: employerRows[employer]!.name,
        region_code: region,
        started_on: started,
        ended_on: ended,
        end_reason: endReason,
        start_event_id: eventId,
        end_event_id: endEventId,
        updated_at: now,
      });
      if (ends && ended) {
        const uSpell = crypto.randomUUID();
        const uEvent = crypto.randomUUID();
        events.push({
          id: uEvent,
          person_id: ids[i],
          province_code: region.slice(0, 2),
          type: "unemployment",
          event_date: ended,
          region_code: region,
          spell_id: uSpell,
          recorded_at: now,
        });
        spells.push({
          id: uSpell,
          person_id: ids[i],
          province_code: region.slice(0, 2),
          kind: "unemployment",
          region_code: region,
          started_on: ended,
          start_event_id: uEvent,
          updated_at: now,
        });
      }
    });
    for (let i = 0; i < events.length; i += 2_000)
      await db
        .insertInto("ledger_events")
        .values(events.slice(i, i + 2_000) as never)
        .execute();
    for (let i = 0; i < spells.length; i += 2_000)
      await db
        .insertInto("ledger_spells")
        .values(spells.slice(i, i + 2_000) as never)
        .execute();
    result.ledgerEvents += events.length;
    opts.onProgress?.("劳动者", start + n, opts.persons);
  }
  await seedPolicyFacts(db, { today: opts.today, regionPrefix: opts.cityCode });
  // statistics for every table after the bulk load, as an operator would after a migration of
  // records: autovacuum may take hours to get to it, and the planner guesses badly until then
  await sql`analyze`.execute(db);
  return result;
}
