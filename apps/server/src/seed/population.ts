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
  type Row = Record<string, unknown> & { person_id: number };
  /** Writes one generated batch; rows name their person by index in `people` until the ids exist. */
  const writeBatch = async (b: {
    people: Array<
      ReturnType<typeof syntheticPerson> & {
        education: EducationLevel;
        hukouType: string;
        household: number;
        relation: string;
      }
    >;
    attrs: Row[];
    events: Row[];
    spells: Row[];
    done: number;
  }) => {
    const { people } = b;
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
      const members = byHousehold.get(p.household);
      if (members) members.push(i);
      else byHousehold.set(p.household, [i]);
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

    const withIds = (rows: Row[]) => rows.map((r) => ({ ...r, person_id: ids[r.person_id]! }));
    const insert = async (table: "person_attributes" | "ledger_events" | "ledger_spells", rows: Row[]) => {
      for (let i = 0; i < rows.length; i += 2_000)
        await db
          .insertInto(table)
          .values(withIds(rows.slice(i, i + 2_000)) as never)
          .execute();
    };
    await insert("person_attributes", b.attrs);
    result.attributes += b.attrs.length;
    await insert("ledger_events", b.events);
    await insert("ledger_spells", b.spells);
    result.ledgerEvents += b.events.length;
    opts.onProgress?.("劳动者", b.done, opts.persons);
  };
  let writing: Promise<void> = Promise.resolve();
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

    // key groups
    const attrs: Row[] = [];
    people.forEach((p, i) => {
      if (
        p.age >= 22 &&
        p.age <= 24 &&
        ["bachelor", "master", "junior_college"].includes(p.education) &&
        rnd.next() < 0.6
      )
        attrs.push({
          person_id: i,
          kind: "graduate",
          details: JSON.stringify({ graduationYear: thisYear - (p.age - 22) }),
          source: "imported",
          source_system: "xuexin",
          recorded_at: now,
        });
      if (p.hukouType === "rural" && p.age < 60 && rnd.next() < 0.25)
        attrs.push({
          person_id: i,
          kind: "rural_migrant",
          details: "{}",
          source: "declared",
          source_system: null,
          recorded_at: now,
        });
      for (const [kind, share] of KEY_GROUP_SHARES)
        if (rnd.next() < share)
          attrs.push({
            person_id: i,
            kind,
            details: "{}",
            source: "imported",
            source_system: "seed",
            recorded_at: now,
          });
    });

    // ledger history: an employment spell for most working-age people; some ended, some then registered unemployed
    const events: Row[] = [];
    const spells: Row[] = [];
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
        person_id: i,
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
          person_id: i,
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
        person_id: i,
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
          person_id: i,
          province_code: region.slice(0, 2),
          type: "unemployment",
          event_date: ended,
          region_code: region,
          spell_id: uSpell,
          recorded_at: now,
        });
        spells.push({
          id: uSpell,
          person_id: i,
          province_code: region.slice(0, 2),
          kind: "unemployment",
          region_code: region,
          started_on: ended,
          start_event_id: uEvent,
          updated_at: now,
        });
      }
    });
    // the next batch is generated (and its ID numbers encrypted) while this one is written
    const write = writeBatch({ people, attrs, events, spells, done: start + n });
    write.catch(() => {});
    await writing;
    writing = write;
  }
  await writing;
  await seedPolicyFacts(db, { today: opts.today, regionPrefix: opts.cityCode });
  // statistics for every table after the bulk load, as an operator would after a migration of
  // records: autovacuum may take hours to get to it, and the planner guesses badly until then
  await sql`analyze`.execute(db);
  return result;
}
