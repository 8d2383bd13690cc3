import type { Database } from "@jiuye/db";
import {
  addPeriod,
  type Column,
  dayNumber,
  EMPLOYER_FACTS,
  MINIMUM_WAGE_STANDARDS,
  minimumWageFor,
  NEVER,
  PERSON_FACTS,
  type Population,
  type RetirementCategory,
  statutoryRetirement,
} from "@jiuye/domain";
import { type Kysely, sql } from "kysely";
import type { Executor } from "../../lib/executor.ts";

/**
 * Facts for the policy engine, read from the registries, the ledger (就业失业登记), records from
 * other systems and earlier decisions. Closed world for recorded statuses: a key-group status,
 * an insurance record or a certificate that is not in the registry counts as absent (否 / 0);
 * facts the platform does not hold (在校生、助学贷款、见习、公益性岗位、失地农民 …) stay unknown, so
 * a policy that needs them answers 信息不足 and the self-check asks for them.
 */

/** The SQL of one person row of facts; `where` restricts the persons. */
function personFactsSql(asOf: string, where: ReturnType<typeof sql>) {
  const yearStart = `${asOf.slice(0, 4)}-01-01`;
  const month = asOf.slice(0, 7);
  return sql<PersonFactsRow>`
    with p as (
      select id, residence_region_code, birth_date, sex, education, hukou_type, retirement_category
      from persons
      where death_date is null and ${where}
    ),
    u as (
      select s.person_id, min(s.started_on) as started_on
      from ledger_spells s join p on p.id = s.person_id
      where s.kind = 'unemployment' and s.ended_on is null and not s.voided and s.started_on <= ${asOf}
      group by s.person_id
    ),
    e as (
      select distinct on (s.person_id) s.person_id, s.employment_form, s.started_on
      from ledger_spells s join p on p.id = s.person_id
      where s.kind = 'employment' and s.ended_on is null and not s.voided and s.started_on <= ${asOf}
      order by s.person_id, s.started_on desc
    ),
    le as (
      select distinct on (s.person_id) s.person_id, s.end_reason
      from ledger_spells s join p on p.id = s.person_id
      where s.kind = 'employment' and s.ended_on is not null and s.ended_on <= ${asOf} and not s.voided
      order by s.person_id, s.ended_on desc
    ),
    ins as (
      select i.person_id,
        sum(case when i.fund = 'unemployment' then
          greatest(0, (extract(year from to_date(least(coalesce(i.to_month, ${month}), ${month}), 'YYYY-MM'))::int * 12
                     + extract(month from to_date(least(coalesce(i.to_month, ${month}), ${month}), 'YYYY-MM'))::int)
                    - (extract(year from to_date(i.from_month, 'YYYY-MM'))::int * 12
                     + extract(month from to_date(i.from_month, 'YYYY-MM'))::int) + 1)
          else 0 end)::int as ui_months,
        bool_or(i.fund = 'pension' and i.employer_credit_code is null and i.to_month is null) as flexible_paying
      from insurance_spells i join p on p.id = i.person_id
      where i.from_month <= ${month}
      group by i.person_id
    ),
    a as (
      select pa.person_id,
        max(pa.details->>'graduationDate') filter (where pa.kind = 'graduate') as graduation_date,
        bool_or(pa.kind = 'veteran') as veteran,
        max((pa.details->>'grade')::int) filter (where pa.kind = 'disability') as disability_grade,
        bool_or(pa.kind = 'dibao') as dibao,
        bool_or(pa.kind = 'poverty_alleviated') as poverty_alleviated,
        bool_or(pa.kind = 'rural_migrant') as rural_migrant,
        bool_or(pa.kind = 'released_prisoner') as released_prisoner
      from person_attributes pa join p on p.id = pa.person_id
      where (pa.valid_from is null or pa.valid_from <= ${asOf}) and (pa.valid_to is null or pa.valid_to >= ${asOf})
      group by pa.person_id
    ),
    c as (
      select distinct on (sc.person_id) sc.person_id, sc.level, sc.issued_on
      from skill_certificates sc join p on p.id = sc.person_id
      where sc.level is not null and sc.issued_on <= ${asOf}
      order by sc.person_id, sc.issued_on desc
    ),
    hm as (
      select m.person_id, m.household_id from household_members m join p on p.id = m.person_id where m.left_on is null
    ),
    hz as (
      -- 零就业家庭 (simplified in SQL; the rule is households.ts): someone registered unemployed, nobody employed
      select m.household_id,
        bool_or(exists (select 1 from ledger_spells s where s.person_id = m.person_id and s.kind = 'unemployment' and s.ended_on is null and not s.voided))
        and not bool_or(exists (select 1 from ledger_spells s where s.person_id = m.person_id and s.kind = 'employment' and s.ended_on is null and not s.voided)) as zero
      from household_members m
      where m.left_on is null and m.household_id in (select household_id from hm)
      group by m.household_id
    ),
    pay as (
      select pp.subject_id as person_id,
        max(pp.as_of) filter (where pp.policy_id = 'vocational_training') as vocational_last,
        (count(*) filter (where pp.policy_id = 'skill_upgrade' and pp.as_of >= ${yearStart}))::int as skill_count,
        bool_or(pp.policy_id = 'employment_difficulty') as difficulty
      from policy_payments pp join p on p.id = pp.subject_id
      where pp.as_of <= ${asOf}
      group by pp.subject_id
    )
    select p.id, p.residence_region_code as region, to_char(p.birth_date, 'YYYY-MM-DD') as birth_date, p.sex,
      p.education, p.hukou_type, p.retirement_category,
      to_char(u.started_on, 'YYYY-MM-DD') as unemployed_since,
      e.employment_form, to_char(e.started_on, 'YYYY-MM-DD') as employed_since,
      le.end_reason as last_separation_reason,
      coalesce(ins.ui_months, 0) as ui_months, coalesce(ins.flexible_paying, false) as flexible_paying,
      a.graduation_date, coalesce(a.veteran, false) as veteran, coalesce(a.disability_grade, 0) as disability_grade,
      coalesce(a.dibao, false) as dibao, coalesce(a.poverty_alleviated, false) as poverty_alleviated,
      coalesce(a.rural_migrant, false) as rural_migrant, coalesce(a.released_prisoner, false) as released_prisoner,
      coalesce(c.level, 0) as certificate_level, to_char(c.issued_on, 'YYYY-MM-DD') as certificate_date,
      coalesce(hz.zero, false) as zero_household,
      to_char(pay.vocational_last, 'YYYY-MM-DD') as vocational_last, coalesce(pay.skill_count, 0) as skill_count,
      coalesce(pay.difficulty, false) as difficulty
    from p
    left join u on u.person_id = p.id
    left join e on e.person_id = p.id
    left join le on le.person_id = p.id
    left join ins on ins.person_id = p.id
    left join a on a.person_id = p.id
    left join c on c.person_id = p.id
    left join hm on hm.person_id = p.id
    left join hz on hz.household_id = hm.household_id
    left join pay on pay.person_id = p.id
    order by p.id`;
}

export interface PersonFactsRow {
  id: string;
  region: string;
  birth_date: string;
  sex: string;
  education: string | null;
  hukou_type: string | null;
  retirement_category: string | null;
  unemployed_since: string | null;
  employment_form: string | null;
  employed_since: string | null;
  last_separation_reason: string | null;
  ui_months: number;
  flexible_paying: boolean;
  graduation_date: string | null;
  veteran: boolean;
  disability_grade: number;
  dibao: boolean;
  poverty_alleviated: boolean;
  rural_migrant: boolean;
  released_prisoner: boolean;
  certificate_level: number;
  certificate_date: string | null;
  zero_household: boolean;
  vocational_last: string | null;
  skill_count: number;
  difficulty: boolean;
}

const EDUCATION_FACT: Record<string, string> = {
  doctorate: "doctorate",
  master: "master",
  bachelor: "bachelor",
  junior_college: "junior_college",
  secondary_vocational: "secondary_vocational",
  high_school: "high_school",
  junior_high: "junior_high",
  primary_or_below: "primary_or_below",
};

/** Statutory retirement date (2025 gradual-retirement decision); unknown for a woman without a category. */
export function retirementDateOf(birth: string, sex: string, category: string | null): string | null {
  const cat = (category ?? (sex === "male" ? "male-60" : null)) as RetirementCategory | null;
  if (!cat) return null;
  const r = statutoryRetirement(birth, cat);
  return addPeriod(birth, { years: r.ageYears, months: r.ageMonths, days: 0 });
}

/** A row → the engine's facts (what-if format) and the payment history the engine reads. */
export function personFactsOf(row: PersonFactsRow, asOf: string) {
  const wage = minimumWageFor(MINIMUM_WAGE_STANDARDS, row.region, asOf);
  const facts: Record<string, unknown> = {
    birth_date: row.birth_date,
    sex: row.sex,
    education: row.education ? EDUCATION_FACT[row.education] : undefined,
    hukou_type: row.hukou_type ?? undefined,
    retirement_date: retirementDateOf(row.birth_date, row.sex, row.retirement_category) ?? undefined,
    registered_unemployed: row.unemployed_since !== null,
    unemployed_since: row.unemployed_since ?? undefined,
    employed: row.employment_form !== null,
    employment_form: row.employment_form ?? undefined,
    employed_since: row.employed_since ?? undefined,
    last_separation_reason: row.last_separation_reason ?? undefined,
    ui_contribution_months: Number(row.ui_months),
    flexible_insurance_paying: row.flexible_paying,
    graduate: row.graduation_date !== null,
    graduation_date: row.graduation_date ?? undefined,
    veteran: row.veteran,
    disability_grade: Number(row.disability_grade),
    dibao: row.dibao,
    poverty_alleviated: row.poverty_alleviated,
    rural_migrant: row.rural_migrant,
    released_prisoner: row.released_prisoner,
    zero_employment_household: row.zero_household,
    certificate_level: Number(row.certificate_level),
    certificate_date: row.certificate_date ?? undefined,
    skill_subsidies_this_year: Number(row.skill_count),
    difficulty_recognised: row.difficulty,
    local_minimum_wage_fen: wage?.monthlyFen,
  };
  for (const k of Object.keys(facts)) if (facts[k] === undefined) delete facts[k];
  return {
    region: row.region,
    facts,
    paid: { vocational_training: row.vocational_last },
  };
}

export const policyFactsRepository = {
  /** One person's facts as of a date, or null when the person is not in `regionPrefix`. */
  async person(ex: Executor, personId: string, asOf: string, regionPrefix = "") {
    const { rows } = await personFactsSql(
      asOf,
      sql`id = ${personId} and residence_region_code like ${`${regionPrefix}%`}`,
    ).execute(ex);
    if (!rows[0]) return null;
    // the household (the person included), for 零就业家庭 and other member rules; unknown without one
    const { rows: household } = await personFactsSql(
      asOf,
      sql`id in (select m.person_id from household_members m
                 where m.left_on is null and m.household_id = (select household_id from household_members where person_id = ${personId} and left_on is null))`,
    ).execute(ex);
    const members = household.length ? household.map((r) => ({ facts: personFactsOf(r, asOf).facts })) : undefined;
    return { id: rows[0].id, ...personFactsOf(rows[0], asOf), ...(members ? { members } : {}) };
  },

  /**
   * Every living person under `regionPrefix` as columns, read through a cursor in batches (one
   * pass over each source table; nothing per person). `onBatch` reports progress.
   */
  async personPopulation(
    db: Kysely<Database>,
    regionPrefix: string,
    asOf: string,
    onBatch?: (done: number, total: number) => void,
  ): Promise<Population & { ids: string[]; regionCodes: string[] }> {
    return db.transaction().execute(async (tx) => {
      const total = Number(
        (
          await sql<{
            n: string;
          }>`select count(*) as n from persons where death_date is null and residence_region_code like ${`${regionPrefix}%`}`.execute(
            tx,
          )
        ).rows[0]!.n,
      );
      const n = total;
      const cols: Record<string, Column> = {};
      for (const name of Object.keys(PERSON_FACTS)) cols[name] = { v: new Float64Array(n), k: new Uint8Array(n) };
      const paidV = new Float64Array(n);
      const paidK = new Uint8Array(n).fill(1);
      const ids: string[] = new Array(n);
      const regionOf = new Int32Array(n);
      const regions: string[] = [];
      const regionIndex = new Map<string, number>();
      const enumIndex = Object.fromEntries(
        Object.entries(PERSON_FACTS)
          .filter(([, d]) => d.values)
          .map(([name, d]) => [name, new Map(Object.keys(d.values!).map((v, i) => [v, i]))]),
      );
      const wageByRegion = new Map<string, number | null>();
      const cursor = `policy_facts_${Math.random().toString(36).slice(2)}`;
      await sql`declare ${sql.raw(cursor)} no scroll cursor for ${personFactsSql(
        asOf,
        sql`residence_region_code like ${`${regionPrefix}%`}`,
      )}`.execute(tx);
      let i = 0;
      const set = (name: string, at: number, x: number) => {
        const c = cols[name]!;
        c.v[at] = x;
        c.k![at] = 1;
      };
      for (;;) {
        const { rows } = await sql.raw<PersonFactsRow>(`fetch 20000 from ${cursor}`).execute(tx);
        if (!rows.length) break;
        for (const row of rows) {
          if (i >= n) break;
          ids[i] = row.id;
          let r = regionIndex.get(row.region);
          if (r === undefined) {
            r = regions.length;
            regions.push(row.region);
            regionIndex.set(row.region, r);
          }
          regionOf[i] = r;
          const birth = dayNumber(row.birth_date);
          set("birth_date", i, birth);
          set("sex", i, enumIndex.sex!.get(row.sex) ?? 0);
          if (row.education && enumIndex.education!.has(row.education))
            set("education", i, enumIndex.education!.get(row.education)!);
          if (row.hukou_type && enumIndex.hukou_type!.has(row.hukou_type))
            set("hukou_type", i, enumIndex.hukou_type!.get(row.hukou_type)!);
          const retire = retirementDateOf(row.birth_date, row.sex, row.retirement_category);
          if (retire) set("retirement_date", i, dayNumber(retire));
          set("registered_unemployed", i, row.unemployed_since ? 1 : 0);
          if (row.unemployed_since) set("unemployed_since", i, dayNumber(row.unemployed_since));
          set("employed", i, row.employment_form ? 1 : 0);
          if (row.employment_form) set("employment_form", i, enumIndex.employment_form!.get(row.employment_form) ?? 0);
          if (row.employed_since) set("employed_since", i, dayNumber(row.employed_since));
          if (row.last_separation_reason && enumIndex.last_separation_reason!.has(row.last_separation_reason))
            set("last_separation_reason", i, enumIndex.last_separation_reason!.get(row.last_separation_reason)!);
          set("ui_contribution_months", i, Number(row.ui_months));
          set("flexible_insurance_paying", i, row.flexible_paying ? 1 : 0);
          set("graduate", i, row.graduation_date ? 1 : 0);
          if (row.graduation_date) set("graduation_date", i, dayNumber(row.graduation_date));
          set("veteran", i, row.veteran ? 1 : 0);
          set("disability_grade", i, Number(row.disability_grade));
          set("dibao", i, row.dibao ? 1 : 0);
          set("poverty_alleviated", i, row.poverty_alleviated ? 1 : 0);
          set("rural_migrant", i, row.rural_migrant ? 1 : 0);
          set("released_prisoner", i, row.released_prisoner ? 1 : 0);
          set("zero_employment_household", i, row.zero_household ? 1 : 0);
          set("certificate_level", i, Number(row.certificate_level));
          if (row.certificate_date) set("certificate_date", i, dayNumber(row.certificate_date));
          set("skill_subsidies_this_year", i, Number(row.skill_count));
          set("difficulty_recognised", i, row.difficulty ? 1 : 0);
          let wage = wageByRegion.get(row.region);
          if (wage === undefined) {
            wage = minimumWageFor(MINIMUM_WAGE_STANDARDS, row.region, asOf)?.monthlyFen ?? null;
            wageByRegion.set(row.region, wage);
          }
          if (wage !== null) set("local_minimum_wage_fen", i, wage);
          paidV[i] = row.vocational_last ? dayNumber(row.vocational_last) : NEVER;
          i++;
        }
        onBatch?.(i, n);
      }
      await sql.raw(`close ${cursor}`).execute(tx);
      // households as index lists; a household with a member outside the region is unknown
      const indexOf = new Map<string, number>();
      for (let k = 0; k < i; k++) indexOf.set(ids[k]!, k);
      const { rows: hm } = await sql<{ household_id: string; person_id: string }>`
        select m.household_id, m.person_id
        from household_members m
        where m.left_on is null and m.household_id in (
          select household_id from household_members mm join persons p on p.id = mm.person_id
          where mm.left_on is null and p.residence_region_code like ${`${regionPrefix}%`})
        order by m.household_id`.execute(tx);
      const groupOf = new Int32Array(i).fill(-1);
      const groups: number[][] = [];
      for (let k = 0; k < hm.length; ) {
        let end = k;
        while (end < hm.length && hm[end]!.household_id === hm[k]!.household_id) end++;
        const inScope = hm.slice(k, end).map((r) => indexOf.get(r.person_id));
        if (inScope.every((x) => x !== undefined)) {
          for (const x of inScope) groupOf[x!] = groups.length;
          groups.push(inScope as number[]);
        }
        k = end;
      }
      const offsets = new Int32Array(i + 1);
      const known = new Uint8Array(i);
      const index: number[] = [];
      for (let k = 0; k < i; k++) {
        offsets[k] = index.length;
        if (groupOf[k]! < 0) continue;
        known[k] = 1;
        for (const x of groups[groupOf[k]!]!) index.push(x);
      }
      offsets[i] = index.length;
      return {
        members: { offsets, index: Int32Array.from(index), known },
        n: i,
        ids: ids.slice(0, i),
        regionOf,
        regions,
        regionCodes: regions,
        cols,
        paid: { vocational_training: { v: paidV, k: paidK } },
      };
    });
  },
};

/** Employer facts from the registry; the rest (contributions, layoffs, hires) come from the caller. */
export const EMPLOYER_REGISTRY_FACTS = ["size_class", "headcount", "insured_headcount"] as const;
export { EMPLOYER_FACTS };
