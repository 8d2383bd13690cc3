import type { Database } from "@jiuye/db";
import { type Kysely, sql } from "kysely";

/**
 * Records from other systems that the policy engine reads, for a synthetic population: unemployment
 * insurance (失业保险参保) for about half of the working-age, pension insurance paid as a flexible
 * worker for those in flexible or platform work, and skill certificates for a few. Deterministic:
 * each choice hashes the person's id. Idempotent: (source_system, source_record_id) is unique.
 */
export async function seedPolicyFacts(db: Kysely<Database>, opts: { today: string; regionPrefix?: string }) {
  const month = opts.today.slice(0, 7);
  const prefix = `${opts.regionPrefix ?? ""}%`;
  // fresh statistics after the bulk load: without them the planner nests loops over a million rows
  await sql`analyze persons`.execute(db);
  await sql`analyze ledger_spells`.execute(db);
  await sql`
    insert into insurance_spells (province_code, person_id, fund, employer_credit_code, from_month, to_month, base_fen, source_system, source_record_id, source_date, imported_at)
    select p.province_code, p.id, 'unemployment', null,
      to_char(date_trunc('month', ${opts.today}::date) - ((abs(hashtext(p.id::text)) % 150) + 3) * interval '1 month', 'YYYY-MM'),
      case when u.started_on is not null then least(to_char(u.started_on - interval '1 month', 'YYYY-MM'), ${month}) end,
      500000, 'seed-si', 'ui-' || p.id, ${opts.today}, now()
    from persons p
    left join ledger_spells u on u.person_id = p.id and u.kind = 'unemployment' and u.ended_on is null and not u.voided
    where p.residence_region_code like ${prefix}
      and p.birth_date between ${opts.today}::date - interval '59 years' and ${opts.today}::date - interval '20 years'
      and abs(hashtext(p.id::text)) % 100 < 55
      and (u.started_on is null
        or to_char(u.started_on - interval '1 month', 'YYYY-MM')
           >= to_char(date_trunc('month', ${opts.today}::date) - ((abs(hashtext(p.id::text)) % 150) + 3) * interval '1 month', 'YYYY-MM'))
    on conflict (source_system, source_record_id) do nothing`.execute(db);
  await sql`
    insert into insurance_spells (province_code, person_id, fund, employer_credit_code, from_month, to_month, base_fen, source_system, source_record_id, source_date, imported_at)
    select p.province_code, p.id, 'pension', null, to_char(e.started_on, 'YYYY-MM'), null, 420000,
      'seed-si', 'flex-' || p.id, ${opts.today}, now()
    from persons p
    join ledger_spells e on e.person_id = p.id and e.kind = 'employment' and e.ended_on is null and not e.voided
      and e.employment_form in ('flexible', 'platform')
    where p.residence_region_code like ${prefix} and to_char(e.started_on, 'YYYY-MM') <= ${month}
    on conflict (source_system, source_record_id) do nothing`.execute(db);
  await sql`
    insert into skill_certificates (province_code, person_id, kind, name, level, certificate_no_masked, issued_on, issuer, source_system, source_record_id, source_date, imported_at)
    select p.province_code, p.id, 'skill_level',
      (array['电工','焊工','育婴员','养老护理员','中式烹调师','健康管理师'])[abs(hashtext(p.id::text || 'c')) % 6 + 1],
      3 + abs(hashtext(p.id::text || 'l')) % 3, null,
      ${opts.today}::date - (abs(hashtext(p.id::text || 'd')) % 600) * interval '1 day', '江苏省职业技能鉴定中心',
      'seed-cert', 'cert-' || p.id, ${opts.today}, now()
    from persons p
    where p.residence_region_code like ${prefix}
      and p.birth_date between ${opts.today}::date - interval '59 years' and ${opts.today}::date - interval '18 years'
      and abs(hashtext(p.id::text || 'c')) % 100 < 7
    on conflict (source_system, source_record_id) do nothing`.execute(db);
}

/**
 * The demo individual's story, so the self-check has something to say: an electrician laid off
 * two months ago after seven years with insurance, registered unemployed since, with an
 * intermediate (四级) electrician certificate — 失业保险金 applies; 技能提升补贴 does not (he is no
 * longer employed), and the page says why.
 */
export async function seedDemoStory(
  db: Kysely<Database>,
  personId: string,
  today: string,
  employer: { name: string; creditCode: string },
) {
  const day = (n: number) => new Date(Date.parse(`${today}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
  const started = "2019-03-01";
  const ended = day(60);
  const unemployed = day(55);
  const region = "320102003001";
  const now = new Date();
  const [employment, end, unemployment] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
  const [spell, uSpell] = [crypto.randomUUID(), crypto.randomUUID()];
  await db.transaction().execute(async (tx) => {
    await sql`delete from insurance_spells where person_id = ${personId}`.execute(tx);
    await sql`delete from skill_certificates where person_id = ${personId}`.execute(tx);
    await tx
      .insertInto("ledger_events")
      .values([
        {
          id: employment,
          person_id: personId,
          province_code: "32",
          type: "employment",
          event_date: started,
          region_code: region,
          employment_form: "employer",
          employer_name: employer.name,
          employer_credit_code: employer.creditCode,
          contract_type: "fixed_term",
          spell_id: spell,
          recorded_at: now,
        },
        {
          id: end,
          person_id: personId,
          province_code: "32",
          type: "employment_end",
          event_date: ended,
          region_code: region,
          reason: "layoff",
          spell_id: spell,
          recorded_at: now,
        },
        {
          id: unemployment,
          person_id: personId,
          province_code: "32",
          type: "unemployment",
          event_date: unemployed,
          region_code: region,
          spell_id: uSpell,
          recorded_at: now,
        },
      ] as never)
      .execute();
    await tx
      .insertInto("ledger_spells")
      .values([
        {
          id: spell,
          person_id: personId,
          province_code: "32",
          kind: "employment",
          employment_form: "employer",
          employer_name: employer.name,
          region_code: region,
          started_on: started,
          ended_on: ended,
          end_reason: "layoff",
          start_event_id: employment,
          end_event_id: end,
          updated_at: now,
        },
        {
          id: uSpell,
          person_id: personId,
          province_code: "32",
          kind: "unemployment",
          region_code: region,
          started_on: unemployed,
          start_event_id: unemployment,
          updated_at: now,
        },
      ] as never)
      .execute();
    await sql`
      insert into insurance_spells (province_code, person_id, fund, employer_credit_code, from_month, to_month, base_fen, source_system, source_record_id, source_date, imported_at)
      values ('32', ${personId}, 'unemployment', ${employer.creditCode}, '2019-03', ${day(90).slice(0, 7)}, 680000, 'demo-si', 'zm-ui', ${today}, now())`.execute(
      tx,
    );
    await sql`
      insert into skill_certificates (province_code, person_id, kind, name, level, certificate_no_masked, issued_on, issuer, source_system, source_record_id, source_date, imported_at)
      values ('32', ${personId}, 'skill_level', '电工', 4, null, ${day(120)}, '江苏省职业技能鉴定中心', 'demo-cert', 'zm-cert', ${today}, now())`.execute(
      tx,
    );
  });
}
