import type { Database } from "@jiuye/db";
import {
  type Column,
  dateOfDay,
  dayNumber,
  effectiveRetirementCategory,
  MINIMUM_WAGE_STANDARDS,
  minimumWageFor,
  NEVER,
  PERSON_FACTS,
  type Population,
  type RetirementCategory,
  retirementStartDate,
} from "@jiuye/domain";
import { type Kysely, type RawBuilder, sql } from "kysely";
import type { Executor } from "../../lib/executor.ts";

/**
 * Facts for the policy engine, read from the registries, the ledger (就业失业登记), records from
 * other systems and earlier decisions. Closed world for recorded statuses: a key-group status,
 * an insurance record or a certificate that is not in the registry counts as absent (否 / 0);
 * facts the platform does not hold (在校生、助学贷款、见习、公益性岗位、失地农民 …) stay unknown, so
 * a policy that needs them answers 信息不足 and the self-check asks for them.
 */

/**
 * The SQL of the person rows of facts; `where` restricts the persons. Each source is aggregated by
 * person in its own subquery restricted by `person_id in (persons where …)` (a hash semi-join for a
 * region, an index lookup for one person) and joined once: no CTE is referenced twice, so the
 * planner keeps its estimates (with a shared CTE it estimated 10^21 rows and chose sorts and nested
 * loops). Unordered: the caller does not need an order.
 */
export function personFactsSql(
  asOf: string,
  where: ReturnType<typeof sql>,
  paidPolicies: string[],
  restrict = true,
  sources: ReadonlySet<FactSource> = ALL_SOURCES,
  /** Dates as day numbers (days since 1970-01-01, the engine's form) instead of YYYY-MM-DD. */
  days = false,
  /** A range of person ids (a part of a population read in parallel): every source is cut to it. */
  ids?: { from?: string; to?: string },
) {
  const day = (expr: RawBuilder<unknown>, name: string) =>
    days
      ? sql`(${expr} - date '1970-01-01') as ${sql.ref(name)}`
      : sql`to_char(${expr}, 'YYYY-MM-DD') as ${sql.ref(name)}`;
  const yearStart = `${asOf.slice(0, 4)}-01-01`;
  const month = asOf.slice(0, 7);
  // restricting each source to the persons in scope pays for a small scope (index lookups) and
  // costs a scan of persons per source for a large one, where the final join restricts anyway
  const scope = restrict ? sql`(select id from persons where death_date is null and ${where})` : null;
  const inRange = (column: string) =>
    sql`${ids?.from ? sql`and ${sql.ref(column)} >= ${ids.from}::uuid` : sql``} ${ids?.to ? sql`and ${sql.ref(column)} < ${ids.to}::uuid` : sql``}`;
  const inScope = (column: string) =>
    scope ? sql`and ${sql.ref(column)} in ${scope} ${inRange(column)}` : inRange(column);
  // a source the caller does not need is neither joined nor aggregated: its columns are constants
  const use = (src: FactSource, yes: RawBuilder<unknown>, no: RawBuilder<unknown>) => (sources.has(src) ? yes : no);
  const monthNo = (m: ReturnType<typeof sql>) => sql`(substr(${m}, 1, 4)::int * 12 + substr(${m}, 6, 2)::int)`;
  const joins = Object.fromEntries(
    Object.entries({
      u: sql`left join (
      select s.person_id, min(s.started_on) as started_on
      from ledger_spells s
      where s.kind = 'unemployment' and s.ended_on is null and not s.voided and s.started_on <= ${asOf} ${inScope("s.person_id")}
      group by s.person_id
    ) u on u.person_id = p.id`,
      e: sql`left join (
      select distinct on (s.person_id) s.person_id, s.employment_form, s.started_on
      from ledger_spells s
      where s.kind = 'employment' and s.ended_on is null and not s.voided and s.started_on <= ${asOf} ${inScope("s.person_id")}
      order by s.person_id, s.started_on desc
    ) e on e.person_id = p.id`,
      le: sql`left join (
      select distinct on (s.person_id) s.person_id, s.end_reason
      from ledger_spells s
      where s.kind = 'employment' and s.ended_on is not null and s.ended_on <= ${asOf} and not s.voided ${inScope("s.person_id")}
      order by s.person_id, s.ended_on desc
    ) le on le.person_id = p.id`,
      ins: sql`left join (
      select i.person_id,
        sum(case when i.fund = 'unemployment' then
          greatest(0, ${monthNo(sql`least(coalesce(i.to_month, ${month}), ${month})`)} - ${monthNo(sql`i.from_month`)} + 1)
          else 0 end)::int as ui_months,
        sum(case when i.fund = 'pension' then
          greatest(0, ${monthNo(sql`least(coalesce(i.to_month, ${month}), ${month})`)} - ${monthNo(sql`i.from_month`)} + 1)
          else 0 end)::int as pension_months,
        sum(case when i.fund = 'medical' then
          greatest(0, ${monthNo(sql`least(coalesce(i.to_month, ${month}), ${month})`)} - ${monthNo(sql`i.from_month`)} + 1)
          else 0 end)::int as medical_months,
        bool_or(i.fund = 'pension' and i.employer_credit_code is null and i.to_month is null) as flexible_paying
      from insurance_spells i
      where i.from_month <= ${month} ${inScope("i.person_id")}
      group by i.person_id
    ) ins on ins.person_id = p.id`,
      a: sql`left join (
      select pa.person_id,
        max(pa.details->>'graduationDate') filter (where pa.kind = 'graduate') as graduation_date,
        bool_or(pa.kind = 'veteran') as veteran,
        max((pa.details->>'grade')::int) filter (where pa.kind = 'disability') as disability_grade,
        bool_or(pa.kind = 'dibao') as dibao,
        bool_or(pa.kind = 'poverty_alleviated') as poverty_alleviated,
        bool_or(pa.kind = 'rural_migrant') as rural_migrant,
        bool_or(pa.kind = 'released_prisoner') as released_prisoner
      from person_attributes pa
      where (pa.valid_from is null or pa.valid_from <= ${asOf}) and (pa.valid_to is null or pa.valid_to >= ${asOf})
        ${inScope("pa.person_id")}
      group by pa.person_id
    ) a on a.person_id = p.id`,
      c: sql`left join (
      select distinct on (sc.person_id) sc.person_id, sc.level, sc.issued_on
      from skill_certificates sc
      where sc.level is not null and sc.issued_on <= ${asOf} ${inScope("sc.person_id")}
      order by sc.person_id, sc.issued_on desc
    ) c on c.person_id = p.id`,
      pay: sql`left join (
      select pp.subject_id as person_id,
        (count(*) filter (where pp.policy_id = 'skill_upgrade' and pp.as_of >= ${yearStart}))::int as skill_count,
        bool_or(pp.policy_id = 'employment_difficulty') as difficulty
      from policy_payments pp
      where pp.as_of <= ${asOf} ${inScope("pp.subject_id")}
      group by pp.subject_id
    ) pay on pay.person_id = p.id`,
      lp: sql`left join (
      -- the last payment of each policy whose history a rule reads: "policy=YYYY-MM-DD,…"
      select x.subject_id as person_id, string_agg(x.policy_id || '=' || to_char(x.last, 'YYYY-MM-DD'), ',') as last_paid
      from (
        select pp.subject_id, pp.policy_id, max(pp.as_of) as last
        from policy_payments pp
        where pp.as_of <= ${asOf} and pp.policy_id = any(${paidPolicies}::text[]) ${inScope("pp.subject_id")}
        group by pp.subject_id, pp.policy_id
      ) x
      group by x.subject_id
    ) lp on lp.person_id = p.id`,
    }).map(([src, j]) => [src, sources.has(src as FactSource) ? j : sql``]),
  ) as Record<FactSource, RawBuilder<unknown>>;
  return sql<PersonFactsRow>`
    select p.id, p.residence_region_code as region, ${day(sql`p.birth_date`, "birth_date")}, p.sex,
      p.education, p.hukou_type, p.retirement_category,
      ${use("u", sql`${day(sql`u.started_on`, "unemployed_since")}`, sql`null::text as unemployed_since`)},
      ${use(
        "e",
        sql`e.employment_form, ${day(sql`e.started_on`, "employed_since")}`,
        sql`null::text as employment_form, null::text as employed_since`,
      )},
      ${use("le", sql`le.end_reason as last_separation_reason`, sql`null::text as last_separation_reason`)},
      ${use(
        "ins",
        sql`coalesce(ins.ui_months, 0) as ui_months, coalesce(ins.flexible_paying, false) as flexible_paying,
            coalesce(ins.pension_months, 0) as pension_months, coalesce(ins.medical_months, 0) as medical_months`,
        sql`0 as ui_months, false as flexible_paying, 0 as pension_months, 0 as medical_months`,
      )},
      ${use(
        "a",
        sql`a.graduation_date, coalesce(a.veteran, false) as veteran, coalesce(a.disability_grade, 0) as disability_grade,
            coalesce(a.dibao, false) as dibao, coalesce(a.poverty_alleviated, false) as poverty_alleviated,
            coalesce(a.rural_migrant, false) as rural_migrant, coalesce(a.released_prisoner, false) as released_prisoner`,
        sql`null::text as graduation_date, false as veteran, 0 as disability_grade, false as dibao,
            false as poverty_alleviated, false as rural_migrant, false as released_prisoner`,
      )},
      ${use(
        "c",
        sql`coalesce(c.level, 0) as certificate_level, ${day(sql`c.issued_on`, "certificate_date")}`,
        sql`0 as certificate_level, null::text as certificate_date`,
      )},
      ${use("lp", sql`lp.last_paid`, sql`null::text as last_paid`)},
      ${use(
        "pay",
        sql`coalesce(pay.skill_count, 0) as skill_count, coalesce(pay.difficulty, false) as difficulty`,
        sql`0 as skill_count, false as difficulty`,
      )}
    from persons p
    ${joins.u}
    ${joins.e}
    ${joins.le}
    ${joins.ins}
    ${joins.a}
    ${joins.c}
    ${joins.pay}
    ${joins.lp}
    where p.death_date is null and ${where} ${inRange("p.id")}`;
}

/**
 * Where the person facts come from: the person row itself (always read), the open unemployment
 * spell (u), the open employment spell (e), the last ended employment (le), insurance (ins),
 * key-group attributes (a), certificates (c), this year's payments (pay), the last payment of each
 * policy a rule reads (lp), and the household.
 */
export type FactSource = "u" | "e" | "le" | "ins" | "a" | "c" | "pay" | "lp" | "household";
export const ALL_SOURCES: ReadonlySet<FactSource> = new Set([
  "u",
  "e",
  "le",
  "ins",
  "a",
  "c",
  "pay",
  "lp",
  "household",
]);
const SOURCE_OF: Record<string, FactSource> = {
  registered_unemployed: "u",
  unemployed_since: "u",
  employed: "e",
  employment_form: "e",
  employed_since: "e",
  last_separation_reason: "le",
  ui_contribution_months: "ins",
  pension_contribution_months: "ins",
  medical_contribution_months: "ins",
  flexible_insurance_paying: "ins",
  graduate: "a",
  graduation_date: "a",
  veteran: "a",
  disability_grade: "a",
  dibao: "a",
  poverty_alleviated: "a",
  rural_migrant: "a",
  released_prisoner: "a",
  certificate_level: "c",
  certificate_date: "c",
  skill_subsidies_this_year: "pay",
  difficulty_recognised: "pay",
};

/**
 * The sources some policies need: those of the facts they (and their household rules) read, the
 * payment history when a rule reads one, the household when a rule aggregates over it. A sweep
 * reads nothing else (a source is a join over up to a million rows).
 */
export function sourcesFor(facts: readonly string[], paidPolicies: readonly string[], household: boolean) {
  const out = new Set<FactSource>();
  for (const f of facts) if (SOURCE_OF[f]) out.add(SOURCE_OF[f]!);
  if (paidPolicies.length) out.add("lp");
  if (household) out.add("household");
  return out;
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
  pension_months: number;
  medical_months: number;
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
  last_paid: string | null;
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

/**
 * Statutory retirement date (2025 gradual-retirement decision): the first day of the retirement
 * month, with the category the ledger uses when none is recorded — so a person is of working age
 * for a policy exactly when 就业失业登记 says so.
 */
export function retirementDateOf(birth: string, sex: string, category: string | null): string {
  return retirementStartDate(
    birth,
    effectiveRetirementCategory({
      sex: sex as "male" | "female",
      retirementCategory: category as RetirementCategory | null,
    }),
  );
}

/** "policy=YYYY-MM-DD,…" → last payment date by policy, every policy asked for present (null = never paid). */
function lastPaidOf(text: string | null, paidPolicies: string[]): Record<string, string | null> {
  const paid: Record<string, string | null> = Object.fromEntries(paidPolicies.map((id) => [id, null]));
  for (const pair of text ? text.split(",") : []) {
    const [id, date] = pair.split("=");
    paid[id!] = date!;
  }
  return paid;
}

/** A row → the engine's facts (what-if format) and the payment history the engine reads. */
export function personFactsOf(row: PersonFactsRow, asOf: string, paidPolicies: string[]) {
  const wage = minimumWageFor(MINIMUM_WAGE_STANDARDS, row.region, asOf);
  const facts: Record<string, unknown> = {
    birth_date: row.birth_date,
    sex: row.sex,
    education: row.education ? EDUCATION_FACT[row.education] : undefined,
    hukou_type: row.hukou_type ?? undefined,
    retirement_date: retirementDateOf(row.birth_date, row.sex, row.retirement_category),
    registered_unemployed: row.unemployed_since !== null,
    unemployed_since: row.unemployed_since ?? undefined,
    employed: row.employment_form !== null,
    employment_form: row.employment_form ?? undefined,
    employed_since: row.employed_since ?? undefined,
    last_separation_reason: row.last_separation_reason ?? undefined,
    ui_contribution_months: Number(row.ui_months),
    pension_contribution_months: Number(row.pension_months),
    medical_contribution_months: Number(row.medical_months),
    flexible_insurance_paying: row.flexible_paying,
    graduate: row.graduation_date !== null,
    graduation_date: row.graduation_date ?? undefined,
    veteran: row.veteran,
    disability_grade: Number(row.disability_grade),
    dibao: row.dibao,
    poverty_alleviated: row.poverty_alleviated,
    rural_migrant: row.rural_migrant,
    released_prisoner: row.released_prisoner,
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
    paid: lastPaidOf(row.last_paid, paidPolicies),
  };
}

export const policyFactsRepository = {
  /** One person's facts as of a date (with the payment history of `paidPolicies`), or null. */
  async person(ex: Executor, personId: string, asOf: string, paidPolicies: string[]) {
    const { rows } = await personFactsSql(asOf, sql`id = ${personId}`, paidPolicies).execute(ex);
    if (!rows[0]) return null;
    // the household (the person included), for 零就业家庭 and other member rules; unknown without one
    const { rows: household } = await personFactsSql(
      asOf,
      sql`id in (select m.person_id from household_members m
                 where m.left_on is null and m.household_id = (select household_id from household_members where person_id = ${personId} and left_on is null))`,
      [],
    ).execute(ex);
    const members = household.length ? household.map((r) => ({ facts: personFactsOf(r, asOf, []).facts })) : undefined;
    return { id: rows[0].id, ...personFactsOf(rows[0], asOf, paidPolicies), ...(members ? { members } : {}) };
  },

  /**
   * An employer's roster (职工名册) as of a date with each employee's person facts: the living
   * people whose 就业登记 open on that date names the employer's 统一社会信用代码. Closed world,
   * like the other registry facts: nobody registered means no employees.
   */
  async employees(ex: Executor, creditCode: string, asOf: string) {
    const { rows } = await personFactsSql(
      asOf,
      sql`id in (select s.person_id from ledger_events e join ledger_spells s on s.start_event_id = e.id
                 where e.employer_credit_code = ${creditCode} and s.kind = 'employment' and not s.voided
                   and s.started_on <= ${asOf} and (s.ended_on is null or s.ended_on > ${asOf}))`,
      [],
    ).execute(ex);
    return rows.map((r) => ({ facts: personFactsOf(r, asOf, []).facts }));
  },

  /**
   * Every living person under `regionPrefix` as columns, read through a cursor in batches: one
   * text line per person (parsing one field is ~4× cheaper than 25 columns a row), each source
   * table aggregated once, with the person's household so members rules can be evaluated; a
   * household with a member outside the region is marked unknown. `onBatch` reports progress.
   */
  async personPopulation(
    db: Kysely<Database>,
    regionPrefix: string,
    asOf: string,
    paidPolicies: string[],
    onBatch?: (done: number, total: number) => void,
    /** Only these sources are read (see sourcesFor); the facts of the others stay unknown. */
    sources: ReadonlySet<FactSource> = ALL_SOURCES,
  ): Promise<Population & { ids: string[] }> {
    const has = (src: FactSource) => sources.has(src);
    const where = sql`residence_region_code like ${`${regionPrefix}%`}`;
    const n = Number(
      (await sql<{ n: string }>`select count(*) as n from persons where death_date is null and ${where}`.execute(db))
        .rows[0]!.n,
    );
    const all = Number(
      (await sql<{ n: string }>`select count(*) as n from persons where death_date is null`.execute(db)).rows[0]!.n,
    );
    {
      const cols: Record<string, Column> = {};
      for (const name of Object.keys(PERSON_FACTS)) cols[name] = { v: new Float64Array(n), k: new Uint8Array(n) };
      // payment history is known for everyone (no payment = never paid): NEVER until a payment says otherwise
      const paid: Record<string, Column> = Object.fromEntries(
        paidPolicies.map((id) => [id, { v: new Float64Array(n).fill(NEVER), k: null }]),
      );
      const ids: string[] = new Array(n);
      const regionOf = new Int32Array(n);
      const regions: string[] = [];
      const regionIndex = new Map<string, number>();
      const enumIndex = Object.fromEntries(
        Object.entries(PERSON_FACTS)
          .filter(([, d]) => d.values)
          .map(([name, d]) => [name, new Map(Object.keys(d.values!).map((v, k) => [v, k]))]),
      );
      const wageByRegion = new Map<string, number | null>();
      const householdOf = new Int32Array(n).fill(-1);
      const households = new Map<string, number>();
      const householdSize: number[] = [];
      let i = 0;
      // One text line per person, with only the fields of the sources read, each with its reader:
      // columns bound once, dates as day numbers from the database, caches keyed by numbers.
      type Reader = (x: string, at: number) => void;
      const fields: { expr: RawBuilder<unknown>; read: Reader }[] = [];
      const field = (expr: RawBuilder<unknown>, read: Reader) => fields.push({ expr, read });
      const col = (name: string) => {
        const c = cols[name]!;
        const v = c.v;
        const k = c.k!;
        return (at: number, x: number) => {
          v[at] = x;
          k[at] = 1;
        };
      };
      const num = (name: string): Reader => {
        const put = col(name);
        return (x, at) => put(at, Number(x));
      };
      const flag = (name: string): Reader => {
        const put = col(name);
        return (x, at) => put(at, x === "1" ? 1 : 0);
      };
      const day = (name: string): Reader => {
        const put = col(name);
        return (x, at) => {
          if (x) put(at, Number(x));
        };
      };
      const isoDay = (name: string): Reader => {
        const put = col(name);
        return (x, at) => {
          if (x) put(at, dayNumber(x));
        };
      };
      const present = (name: string): Reader => {
        const put = col(name);
        return (x, at) => put(at, x ? 1 : 0);
      };
      const enumOf = (name: string): Reader => {
        const put = col(name);
        const index = enumIndex[name]!;
        return (x, at) => {
          const k = x ? index.get(x) : undefined;
          if (k !== undefined) put(at, k);
        };
      };
      const both =
        (...rs: Reader[]): Reader =>
        (x, at) => {
          for (const r of rs) r(x, at);
        };
      const text = (name: string) => sql`coalesce(f.${sql.ref(name)}::text, '')`;
      field(sql`f.id::text`, (x, at) => {
        ids[at] = x;
      });
      const putWage = col("local_minimum_wage_fen");
      field(sql`f.region`, (x, at) => {
        let r = regionIndex.get(x);
        if (r === undefined) {
          r = regions.length;
          regions.push(x);
          regionIndex.set(x, r);
        }
        regionOf[at] = r;
        let wage = wageByRegion.get(x);
        if (wage === undefined) {
          wage = minimumWageFor(MINIMUM_WAGE_STANDARDS, x, asOf)?.monthlyFen ?? null;
          wageByRegion.set(x, wage);
        }
        if (wage !== null) putWage(at, wage);
      });
      // birth day, sex and retirement category in one field: the statutory retirement date depends on
      // nothing else (cached by birth day and category)
      const putBirth = col("birth_date");
      const putSex = col("sex");
      const putRetire = col("retirement_date");
      const sexIndex = enumIndex.sex!;
      const categories = ["", "male-60", "female-55", "female-50"];
      const retireCache = new Map<number, number>();
      field(sql`concat(f.birth_date, ',', f.sex, ',', coalesce(f.retirement_category, ''))`, (x, at) => {
        const [b, sex, category] = x.split(",") as [string, string, string];
        const birth = Number(b);
        putBirth(at, birth);
        const sx = sexIndex.get(sex);
        if (sx !== undefined) putSex(at, sx);
        const key = birth * 16 + (sx ?? 2) * 4 + Math.max(0, categories.indexOf(category));
        let retire = retireCache.get(key);
        if (retire === undefined) {
          retire = dayNumber(retirementDateOf(dateOfDay(birth), sex, category || null));
          retireCache.set(key, retire);
        }
        putRetire(at, retire);
      });
      field(text("education"), enumOf("education"));
      field(text("hukou_type"), enumOf("hukou_type"));
      if (has("u")) field(text("unemployed_since"), both(present("registered_unemployed"), day("unemployed_since")));
      if (has("e")) {
        field(text("employment_form"), both(present("employed"), enumOf("employment_form")));
        field(text("employed_since"), day("employed_since"));
      }
      if (has("le")) field(text("last_separation_reason"), enumOf("last_separation_reason"));
      if (has("ins")) {
        field(sql`f.ui_months::text`, num("ui_contribution_months"));
        field(sql`f.pension_months::text`, num("pension_contribution_months"));
        field(sql`f.medical_months::text`, num("medical_contribution_months"));
        field(sql`f.flexible_paying::int::text`, flag("flexible_insurance_paying"));
      }
      if (has("a")) {
        field(text("graduation_date"), both(present("graduate"), isoDay("graduation_date")));
        field(sql`f.veteran::int::text`, flag("veteran"));
        field(sql`f.disability_grade::text`, num("disability_grade"));
        field(sql`f.dibao::int::text`, flag("dibao"));
        field(sql`f.poverty_alleviated::int::text`, flag("poverty_alleviated"));
        field(sql`f.rural_migrant::int::text`, flag("rural_migrant"));
        field(sql`f.released_prisoner::int::text`, flag("released_prisoner"));
      }
      if (has("c")) {
        field(sql`f.certificate_level::text`, num("certificate_level"));
        field(text("certificate_date"), day("certificate_date"));
      }
      if (has("lp"))
        field(text("last_paid"), (x, at) => {
          if (!x) return;
          for (const pair of x.split(",")) {
            const [id, date] = pair.split("=");
            const c = paid[id!];
            if (c) c.v[at] = dayNumber(date!);
          }
        });
      if (has("pay")) {
        field(sql`f.skill_count::text`, num("skill_subsidies_this_year"));
        field(sql`f.difficulty::int::text`, flag("difficulty_recognised"));
      }
      if (has("household"))
        field(sql`concat(hm.household_id, ',', hs.size)`, (x, at) => {
          if (x === ",0" || x === ",") return;
          const comma = x.indexOf(",");
          const key = x.slice(0, comma);
          if (!key) return;
          let h = households.get(key);
          if (h === undefined) {
            h = householdSize.length;
            households.set(key, h);
            householdSize.push(Number(x.slice(comma + 1)));
          }
          householdOf[at] = h;
        });
      const readers = fields.map((f) => f.read);
      const parse = (rows: { l: string }[]) => {
        for (const { l } of rows) {
          if (i >= n) break;
          const f = l.split("|");
          for (let j = 0; j < readers.length; j++) readers[j]!(f[j]!, i);
          i++;
        }
        onBatch?.(i, n);
      };
      // Two cursors over the two halves of the id space, on two connections (PostgreSQL never runs a
      // cursor's plan in parallel; two halves keep both cores busy), and each fetches its next batch
      // before the current one is parsed, so the database and this process work at the same time.
      // On the embedded database the two transactions simply run one after the other.
      const restrict = n * 3 < all;
      const PIVOT = "80000000-0000-0000-0000-000000000000";
      const readPart = (part: { from?: string; to?: string }) =>
        db.transaction().execute(async (tx) => {
          // the aggregations hash up to a million rows each: memory instead of spilling to disk
          await sql`set local work_mem = '256MB'`.execute(tx);
          // every row will be fetched: plan for all of them, not for the first 10 % (a cursor's default,
          // which picks merge joins over the primary key — random heap reads, measured 3× slower)
          await sql`set local cursor_tuple_fraction = 1.0`.execute(tx);
          const cursor = `policy_facts_${Math.random().toString(36).slice(2)}`;
          await sql`declare ${sql.raw(cursor)} no scroll cursor for
        select concat_ws('|', ${sql.join(fields.map((f) => f.expr))}) as l
        from (${personFactsSql(asOf, where, paidPolicies, restrict, sources, true, part)}) f
        ${
          !has("household")
            ? sql`cross join (select null::uuid as household_id) hm cross join (select 0 as size) hs`
            : restrict
              ? sql`left join household_members hm on hm.person_id = f.id and hm.left_on is null
        left join (select household_id, count(*)::int as size from household_members where left_on is null group by household_id) hs
          on hs.household_id = hm.household_id`
              : sql`left join (select person_id, household_id from household_members
                          where left_on is null ${part.from ? sql`and person_id >= ${part.from}::uuid` : sql``}
                            ${part.to ? sql`and person_id < ${part.to}::uuid` : sql``}) hm on hm.person_id = f.id
                    cross join (select 0 as size) hs`
        }`.execute(tx);
          const fetch = () => sql.raw<{ l: string }>(`fetch 20000 from ${cursor}`).execute(tx);
          let pending = fetch();
          for (;;) {
            const { rows } = await pending;
            if (!rows.length) break;
            pending = fetch();
            parse(rows);
          }
          await sql.raw(`close ${cursor}`).execute(tx);
        });
      // A household is read whole or not at all. For a small scope each household's size comes with
      // its rows; for a large one (most people in scope) the few households with a member who is not
      // read — living outside the region, or dead — are found from the persons' side, at the same time.
      const crossing =
        has("household") && !restrict
          ? sql<{ h: string }>`select distinct hm.household_id::text as h
              from persons p join household_members hm on hm.person_id = p.id and hm.left_on is null
              where not (p.death_date is null and ${where})`.execute(db)
          : null;
      const [outside] = await Promise.all([crossing, readPart({ to: PIVOT }), readPart({ from: PIVOT })]);
      if (outside) {
        const cross = new Set(outside.rows.map((r) => r.h));
        for (const [id, h] of households) householdSize[h] = cross.has(id) ? -1 : 0;
        for (let k = 0; k < i; k++)
          if (householdOf[k]! >= 0 && householdSize[householdOf[k]!] !== -1) householdSize[householdOf[k]!]!++;
      }
      // households as index lists; one with a member outside the region (fewer seen than it has) is unknown
      const seen = new Int32Array(householdSize.length);
      for (let k = 0; k < i; k++) if (householdOf[k]! >= 0) seen[householdOf[k]!]!++;
      const start = new Int32Array(householdSize.length + 1);
      for (let h = 0; h < householdSize.length; h++) start[h + 1] = start[h]! + seen[h]!;
      const byHousehold = new Int32Array(start[householdSize.length]!);
      const fill = start.slice(0, householdSize.length);
      for (let k = 0; k < i; k++) {
        const h = householdOf[k]!;
        if (h >= 0) byHousehold[fill[h]!++] = k;
      }
      const offsets = new Int32Array(i + 1);
      const known = new Uint8Array(i);
      let total = 0;
      for (let k = 0; k < i; k++) {
        const h = householdOf[k]!;
        if (h >= 0 && seen[h] === householdSize[h]) total += seen[h]!;
      }
      const index = new Int32Array(total);
      let at = 0;
      for (let k = 0; k < i; k++) {
        offsets[k] = at;
        const h = householdOf[k]!;
        if (h < 0 || seen[h] !== householdSize[h]) continue;
        known[k] = 1;
        index.set(byHousehold.subarray(start[h]!, start[h + 1]!), at);
        at += seen[h]!;
      }
      offsets[i] = at;
      return {
        n: i,
        ids: ids.slice(0, i),
        regionOf,
        regions,
        cols,
        paid,
        members: { offsets, index, known },
      };
    }
  },
};
