import { MINIMUM_WAGE_STANDARDS, OCCUPATION_CATALOGUE_VERSION, occupationCatalogue } from "@jiuye/domain";
import { type Kysely, sql } from "kysely";

/**
 * Job market (招聘求职): the occupation catalogue (职业分类大典, versioned), minimum wages
 * (最低工资标准, versioned by province and date), postings (招聘岗位) with their screening findings
 * and a narrow search table, the moderation queue, seekers (求职登记), match feedback and
 * referrals (职业介绍).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table occupations (
      version varchar(8) not null,
      code varchar(12) not null,
      name text not null,
      level smallint not null check (level between 1 and 4),
      parent_code varchar(12),
      aliases text[] not null default '{}',
      skills text[] not null default '{}',
      verified boolean not null default false,
      primary key (version, code)
    );
    create index occupations_name_idx on occupations(name);

    create table minimum_wage_standards (
      id uuid primary key default gen_random_uuid(),
      province_code char(2) not null,
      province_name text not null,
      effective_from date not null,
      source text not null,
      verified boolean not null default false,
      tiers jsonb not null,
      region_tiers jsonb not null,
      default_tier smallint not null,
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      unique (province_code, effective_from)
    );

    create table postings (
      id uuid primary key default gen_random_uuid(),
      province_code char(2) not null,
      employer_id uuid not null references employers(id),
      region_code varchar(12) not null references regions(code),
      address text,
      title varchar(100) not null,
      occupation_code varchar(12) not null,
      description text not null,
      requirements text,
      benefits text,
      skills text[] not null default '{}',
      headcount integer not null check (headcount between 1 and 10000),
      salary_type varchar(8) not null check (salary_type in ('monthly','hourly')),
      salary_min_fen integer not null check (salary_min_fen > 0),
      salary_max_fen integer not null,
      education varchar(24),
      experience_years smallint check (experience_years between 0 and 50),
      contract_type varchar(16) not null,
      work_type varchar(12) not null check (work_type in ('full_time','part_time','flexible')),
      is_public_welfare boolean not null default false,
      is_internship boolean not null default false,
      targets_graduates boolean not null default false,
      valid_until date not null,
      status varchar(16) not null check (status in ('draft','pending_review','published','rejected','filled','withdrawn','expired')),
      findings jsonb not null default '[]',
      screened_at timestamptz,
      published_at timestamptz,
      confirmed_at timestamptz,
      closed_at timestamptz,
      version integer not null default 1,
      created_by uuid not null references users(id),
      created_at timestamptz not null,
      updated_at timestamptz not null,
      constraint postings_province check (province_code = left(region_code, 2)),
      constraint postings_salary check (salary_max_fen >= salary_min_fen),
      constraint postings_published check (status <> 'published' or (published_at is not null and confirmed_at is not null))
    );
    create index postings_employer_idx on postings(employer_id, created_at desc);
    create index postings_region_idx on postings(region_code varchar_pattern_ops);
    create index postings_status_idx on postings(status, confirmed_at) where status = 'published';

    -- The narrow search table: one row per published posting, written in the posting's
    -- transaction, so the tsvector stays out of TOAST and off the wide row (see matching.md).
    create table posting_search (
      posting_id uuid primary key references postings(id),
      province_code char(2) not null,
      region_code varchar(12) not null,
      occupation_code varchar(12) not null,
      published_at timestamptz not null,
      salary_min_monthly_fen integer not null,
      salary_max_monthly_fen integer not null,
      education_rank smallint not null,
      work_type varchar(12) not null,
      -- title tokens alone (small: relevance = title match first, then recency) and all tokens
      title_tsv tsvector not null,
      tsv tsvector not null
    );
    create index posting_search_title_tsv_idx on posting_search using gin (title_tsv);
    create index posting_search_tsv_idx on posting_search using gin (tsv);
    create index posting_search_region_idx on posting_search(region_code varchar_pattern_ops, published_at desc);
    create index posting_search_published_idx on posting_search(published_at desc);

    -- The moderation queue: screening warnings and user reports, decided by a case worker.
    create table posting_reviews (
      id uuid primary key default gen_random_uuid(),
      posting_id uuid not null references postings(id),
      province_code char(2) not null,
      region_code varchar(12) not null,
      kind varchar(16) not null check (kind in ('screening','report')),
      reason text,
      reported_by uuid references users(id),
      status varchar(12) not null check (status in ('open','approved','rejected')),
      decision_reason text,
      decided_by uuid references users(id),
      decided_at timestamptz,
      created_at timestamptz not null,
      constraint posting_reviews_decided check (status = 'open' or (decided_by is not null and decision_reason is not null))
    );
    create index posting_reviews_open_idx on posting_reviews(region_code varchar_pattern_ops, created_at) where status = 'open';
    -- one open screening review per posting; a user reports a posting once
    create unique index posting_reviews_open_screening_key on posting_reviews(posting_id) where status = 'open' and kind = 'screening';
    create unique index posting_reviews_report_key on posting_reviews(posting_id, reported_by) where kind = 'report';

    create table seekers (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references persons(id),
      province_code char(2) not null,
      region_code varchar(12) not null,
      occupations text[] not null,
      skills text[] not null default '{}',
      regions text[] not null default '{}',
      salary_expectation_fen integer check (salary_expectation_fen > 0),
      available_from date,
      work_types text[] not null default '{}',
      introduction varchar(500),
      employer_visible boolean not null default false,
      status varchar(8) not null check (status in ('active','closed')),
      created_by uuid references users(id),
      created_at timestamptz not null,
      updated_at timestamptz not null,
      constraint seekers_province check (province_code = left(region_code, 2))
    );
    create unique index seekers_person_active_key on seekers(person_id) where status = 'active';
    create index seekers_region_idx on seekers(region_code varchar_pattern_ops) where status = 'active';
    create index seekers_occupations_idx on seekers using gin (occupations) where status = 'active';

    -- "not relevant" from the seeker, hide/pin overrides from a case worker (logged)
    create table match_feedback (
      id uuid primary key default gen_random_uuid(),
      seeker_id uuid not null references seekers(id),
      posting_id uuid not null references postings(id),
      kind varchar(16) not null check (kind in ('not_relevant','hidden','pinned')),
      reason text not null,
      created_by uuid not null references users(id),
      created_at timestamptz not null,
      unique (seeker_id, posting_id, kind)
    );

    create table referrals (
      id uuid primary key default gen_random_uuid(),
      province_code char(2) not null,
      seeker_id uuid not null references seekers(id),
      person_id uuid not null references persons(id),
      posting_id uuid not null references postings(id),
      region_code varchar(12) not null,
      score smallint,
      status varchar(16) not null check (status in ('referred','interviewed','hired','not_hired','no_response')),
      outcome_reason text,
      outcome_on date,
      ledger_event_id uuid references ledger_events(id),
      created_by uuid not null references users(id),
      created_at timestamptz not null,
      updated_at timestamptz not null,
      constraint referrals_not_hired_reason check (status <> 'not_hired' or outcome_reason is not null)
    );
    create unique index referrals_pair_key on referrals(seeker_id, posting_id);
    create index referrals_region_idx on referrals(region_code varchar_pattern_ops, created_at desc);

    -- 专场招聘会: themed events with participating employers' postings, registrations and results
    create table job_fairs (
      id uuid primary key default gen_random_uuid(),
      province_code char(2) not null,
      region_code varchar(12) not null references regions(code),
      title varchar(100) not null,
      theme varchar(16) not null check (theme in ('industry','regional','key_group','graduates','general')),
      theme_detail varchar(100),
      mode varchar(8) not null check (mode in ('onsite','online','hybrid')),
      venue varchar(200),
      starts_at timestamptz not null,
      ends_at timestamptz not null,
      description text,
      status varchar(12) not null check (status in ('draft','published','closed')),
      created_by uuid not null references users(id),
      created_at timestamptz not null,
      updated_at timestamptz not null,
      constraint job_fairs_province check (province_code = left(region_code, 2)),
      constraint job_fairs_time check (ends_at > starts_at)
    );
    create index job_fairs_region_idx on job_fairs(region_code varchar_pattern_ops, starts_at desc);
    create table job_fair_postings (
      fair_id uuid not null references job_fairs(id),
      posting_id uuid not null references postings(id),
      employer_id uuid not null references employers(id),
      joined_at timestamptz not null,
      primary key (fair_id, posting_id)
    );
    create table job_fair_registrations (
      fair_id uuid not null references job_fairs(id),
      person_id uuid not null references persons(id),
      registered_at timestamptz not null,
      primary key (fair_id, person_id)
    );
    create table job_fair_applications (
      id uuid primary key default gen_random_uuid(),
      fair_id uuid not null references job_fairs(id),
      person_id uuid not null references persons(id),
      posting_id uuid not null references postings(id),
      status varchar(12) not null check (status in ('applied','hired','not_hired')),
      created_at timestamptz not null,
      updated_at timestamptz not null,
      unique (fair_id, person_id, posting_id),
      foreign key (fair_id, posting_id) references job_fair_postings(fair_id, posting_id),
      foreign key (fair_id, person_id) references job_fair_registrations(fair_id, person_id)
    );
  `.execute(db);

  const nodes = occupationCatalogue();
  await db
    .insertInto("occupations")
    .values(
      nodes.map((n) => ({
        version: OCCUPATION_CATALOGUE_VERSION,
        code: n.code,
        name: n.name,
        level: n.level,
        parent_code: n.parentCode,
        aliases: n.aliases,
        skills: n.skills,
        verified: n.verified,
      })),
    )
    .execute();
  await db
    .insertInto("minimum_wage_standards")
    .values(
      MINIMUM_WAGE_STANDARDS.map((s) => ({
        province_code: s.provinceCode,
        province_name: s.provinceName,
        effective_from: s.effectiveFrom,
        source: s.source,
        verified: s.verified,
        tiers: JSON.stringify(s.tiers),
        region_tiers: JSON.stringify(s.regionTiers),
        default_tier: s.defaultTier,
      })),
    )
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop table if exists job_fair_applications;
    drop table if exists job_fair_registrations;
    drop table if exists job_fair_postings;
    drop table if exists job_fairs;
    drop table if exists referrals;
    drop table if exists match_feedback;
    drop table if exists seekers;
    drop table if exists posting_reviews;
    drop table if exists posting_search;
    drop table if exists postings;
    drop table if exists minimum_wage_standards;
    drop table if exists occupations;
  `.execute(db);
}
