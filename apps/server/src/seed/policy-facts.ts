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
