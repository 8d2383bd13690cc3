import { GB4754_SECTIONS } from "@jiuye/domain";
import { type Kysely, sql } from "kysely";

/**
 * Registries: province code on the large tables (partitioning / Citus, see docs/scaling.md),
 * households (家庭), employers (用人单位) with GB/T 4754 industries, records imported from other
 * systems (each idempotent by source_system + source_record_id), and roster import staging.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table persons add column province_code char(2);
    update persons set province_code = left(residence_region_code, 2);
    alter table persons alter column province_code set not null;
    alter table persons add constraint persons_province check (province_code = left(residence_region_code, 2));
    alter table audit_log add column province_code char(2);
    -- 'secondary_vocational' (20 characters) did not fit the first definition
    alter table persons alter column education type varchar(24);

    create table industries (
      code varchar(2) primary key,
      section char(1) not null,
      name text not null,
      level varchar(8) not null check (level in ('section','division')),
      version varchar(16) not null default 'GB/T4754-2017'
    );

    create table employers (
      id uuid primary key default gen_random_uuid(),
      province_code char(2) not null,
      credit_code varchar(18) not null,
      credit_code_override boolean not null default false,
      credit_code_override_reason text,
      name varchar(200) not null,
      industry_code varchar(2) not null references industries(code),
      ownership varchar(24) not null,
      size_class varchar(8) check (size_class in ('large','medium','small','micro')),
      region_code varchar(12) not null references regions(code),
      address text,
      contact_name varchar(64),
      contact_phone_enc text,
      contact_phone_masked varchar(16),
      headcount integer check (headcount >= 0),
      insured_headcount integer check (insured_headcount >= 0),
      headcount_as_of date,
      created_by uuid references users(id),
      created_at timestamptz not null,
      updated_at timestamptz not null,
      constraint employers_province check (province_code = left(region_code, 2)),
      constraint employers_override_reason check (not credit_code_override or credit_code_override_reason is not null),
      constraint employers_insured check (insured_headcount is null or headcount is null or insured_headcount <= headcount)
    );
    create unique index employers_credit_code_key on employers(credit_code);
    create index employers_region_idx on employers(region_code varchar_pattern_ops);
    create index employers_name_idx on employers(name varchar_pattern_ops);

    alter table users add column employer_id uuid references employers(id);
    alter table users add constraint users_employer check (role <> 'employer' or employer_id is not null) not valid;

    create table households (
      id uuid primary key default gen_random_uuid(),
      province_code char(2) not null,
      region_code varchar(12) not null references regions(code),
      address text,
      created_by uuid references users(id),
      created_at timestamptz not null,
      constraint households_province check (province_code = left(region_code, 2))
    );
    create index households_region_idx on households(region_code varchar_pattern_ops);
    create table household_members (
      id uuid primary key default gen_random_uuid(),
      household_id uuid not null references households(id),
      person_id uuid not null references persons(id),
      relation varchar(12) not null check (relation in ('head','spouse','child','parent','sibling','grandchild','grandparent','other')),
      joined_on date not null,
      left_on date,
      constraint household_members_dates check (left_on is null or left_on >= joined_on)
    );
    -- a person belongs to one household at a time; a household has one current head
    create unique index household_members_current_key on household_members(person_id) where left_on is null;
    create unique index household_members_head_key on household_members(household_id) where left_on is null and relation = 'head';
    create index household_members_household_idx on household_members(household_id);

    -- Facts owned by other systems: never edited by hand, each with its source and date.
    alter table person_attributes add column source_record_id varchar(64);
    alter table person_attributes add column source_date date;
    create unique index person_attributes_source_key on person_attributes(source_system, source_record_id)
      where source_record_id is not null;

    create table insurance_spells (
      id uuid primary key default gen_random_uuid(),
      province_code char(2) not null,
      person_id uuid not null references persons(id),
      employer_credit_code varchar(18),
      fund varchar(12) not null check (fund in ('pension','unemployment','medical','injury')),
      from_month char(7) not null check (from_month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
      to_month char(7) check (to_month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
      base_fen bigint check (base_fen >= 0),
      source_system varchar(64) not null,
      source_record_id varchar(64) not null,
      source_date date not null,
      imported_at timestamptz not null,
      constraint insurance_spells_months check (to_month is null or to_month >= from_month),
      constraint insurance_spells_source_key unique (source_system, source_record_id)
    );
    create index insurance_spells_person_idx on insurance_spells(person_id, fund);

    create table benefit_claims (
      id uuid primary key default gen_random_uuid(),
      province_code char(2) not null,
      person_id uuid not null references persons(id),
      claim_date date not null,
      from_month char(7) not null,
      to_month char(7),
      months_entitled integer not null check (months_entitled between 0 and 24),
      monthly_amount_fen bigint not null check (monthly_amount_fen >= 0),
      status varchar(12) not null check (status in ('paying','suspended','ended')),
      source_system varchar(64) not null,
      source_record_id varchar(64) not null,
      source_date date not null,
      imported_at timestamptz not null,
      constraint benefit_claims_source_key unique (source_system, source_record_id)
    );
    create index benefit_claims_person_idx on benefit_claims(person_id);

    create table skill_certificates (
      id uuid primary key default gen_random_uuid(),
      province_code char(2) not null,
      person_id uuid not null references persons(id),
      kind varchar(24) not null check (kind in ('skill_level','special_operation','professional_qualification')),
      name text not null,
      level smallint check (level between 1 and 5),
      certificate_no_masked varchar(40),
      issued_on date not null,
      issuer text,
      source_system varchar(64) not null,
      source_record_id varchar(64) not null,
      source_date date not null,
      imported_at timestamptz not null,
      constraint skill_certificates_source_key unique (source_system, source_record_id)
    );
    create index skill_certificates_person_idx on skill_certificates(person_id);

    -- 花名册 imports: one job per (kind, file hash, importing user); rows staged in protected form.
    create table import_jobs (
      id uuid primary key default gen_random_uuid(),
      province_code char(2),
      kind varchar(16) not null check (kind in ('persons','employers','ledger')),
      file_name text not null,
      file_sha256 char(64) not null,
      format varchar(8) not null check (format in ('csv','xlsx')),
      mode varchar(8) not null check (mode in ('atomic','chunked')),
      status varchar(12) not null check (status in ('queued','staging','staged','committing','committed','failed')),
      scope_region_code varchar(12),
      total_rows integer not null default 0,
      accepted_rows integer not null default 0,
      rejected_rows integer not null default 0,
      committed_rows integer not null default 0,
      -- staged rows up to this row number are committed (valid ones) — one update per chunk, not per row
      committed_through integer not null default 0,
      processed_rows integer not null default 0,
      file_size bigint not null default 0,
      bytes_read bigint not null default 0,
      dry_run boolean not null default false,
      file_path text,
      error text,
      started_at timestamptz,
      created_by uuid not null references users(id),
      created_at timestamptz not null,
      updated_at timestamptz not null,
      finished_at timestamptz
    );
    create unique index import_jobs_file_key on import_jobs(created_by, kind, file_sha256);
    create table import_rows (
      job_id uuid not null references import_jobs(id) on delete cascade,
      row_no integer not null,
      status varchar(10) not null check (status in ('valid','rejected','committed')),
      payload jsonb,
      display jsonb not null,
      errors jsonb,
      primary key (job_id, row_no)
    );
    create index import_rows_status_idx on import_rows(job_id, status, row_no);
  `.execute(db);

  const rows = GB4754_SECTIONS.flatMap((s) => [
    { code: s.code, section: s.code, name: s.name, level: "section" },
    ...s.divisions.map(([code, name]) => ({ code, section: s.code, name, level: "division" })),
  ]);
  await db.insertInto("industries").values(rows).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop table if exists import_rows;
    drop table if exists import_jobs;
    drop table if exists skill_certificates;
    drop table if exists benefit_claims;
    drop table if exists insurance_spells;
    drop index if exists person_attributes_source_key;
    alter table person_attributes drop column if exists source_date;
    alter table person_attributes drop column if exists source_record_id;
    drop table if exists household_members;
    drop table if exists households;
    alter table users drop constraint if exists users_employer;
    alter table users drop column if exists employer_id;
    drop table if exists employers;
    drop table if exists industries;
    alter table audit_log drop column if exists province_code;
    alter table persons drop constraint if exists persons_province;
    alter table persons drop column if exists province_code;
  `.execute(db);
}
