import { type Kysely, sql } from "kysely";

/**
 * Policy engine (政策快办、免申即享; seed §二十六): uploaded policy versions (the shipped catalogue is
 * version 0, in the code), sweeps over the population and their candidates, public notices (公示)
 * with objections, payments (one per subject, policy and period — the database refuses a second),
 * the notification outbox, and applications.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table policy_versions (
      id uuid primary key default gen_random_uuid(),
      policy_id varchar(64) not null,
      version integer not null check (version > 0),
      hash char(64) not null,
      source jsonb not null,
      status varchar(12) not null check (status in ('proposed','active','rejected','superseded')),
      impact jsonb,
      note text,
      uploaded_by uuid not null references users(id),
      uploaded_at timestamptz not null default now(),
      decided_by uuid references users(id),
      decided_at timestamptz,
      decision_reason text,
      unique (policy_id, version),
      -- the uploader cannot approve their own change
      check (decided_by is null or decided_by <> uploaded_by)
    );
    create unique index policy_versions_one_active on policy_versions(policy_id) where status = 'active';
    create unique index policy_versions_one_proposed on policy_versions(policy_id) where status = 'proposed';

    create table policy_sweeps (
      id uuid primary key default gen_random_uuid(),
      policy_id varchar(64) not null,
      policy_name text not null,
      ruleset_hash char(64) not null,
      params jsonb not null,
      as_of date not null,
      period varchar(16) not null,
      region_code varchar(12) not null,
      province_code char(2),
      status varchar(12) not null check (status in ('review','notice','paid','cancelled')),
      evaluated integer not null,
      eligible integer not null,
      undetermined integer not null,
      not_eligible integer not null,
      duration_ms integer not null,
      notice_days integer,
      notice_from date,
      notice_until date,
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      published_by uuid references users(id),
      published_at timestamptz,
      finalised_by uuid references users(id),
      finalised_at timestamptz
    );
    create index policy_sweeps_region_idx on policy_sweeps(region_code, created_at desc);

    create table policy_candidates (
      id uuid primary key default gen_random_uuid(),
      sweep_id uuid not null references policy_sweeps(id),
      subject_kind varchar(8) not null check (subject_kind in ('person','employer')),
      subject_id uuid not null,
      region_code varchar(12) not null,
      province_code char(2),
      amount_fen bigint,
      facts jsonb not null,
      status varchar(12) not null default 'pending' check (status in ('pending','approved','rejected','paid','duplicate')),
      decided_by uuid references users(id),
      decided_at timestamptz,
      decision_reason text,
      unique (sweep_id, subject_id)
    );
    create index policy_candidates_sweep_idx on policy_candidates(sweep_id, status);

    create table policy_objections (
      id uuid primary key default gen_random_uuid(),
      candidate_id uuid not null references policy_candidates(id),
      sweep_id uuid not null references policy_sweeps(id),
      text text not null,
      submitted_by uuid references users(id),
      submitted_at timestamptz not null default now(),
      status varchar(10) not null default 'open' check (status in ('open','upheld','dismissed')),
      resolution text,
      resolved_by uuid references users(id),
      resolved_at timestamptz
    );
    create index policy_objections_sweep_idx on policy_objections(sweep_id, status);

    create table policy_payments (
      id uuid primary key default gen_random_uuid(),
      policy_id varchar(64) not null,
      subject_kind varchar(8) not null,
      subject_id uuid not null,
      period varchar(16) not null,
      amount_fen bigint,
      province_code char(2),
      region_code varchar(12) not null,
      sweep_id uuid references policy_sweeps(id),
      candidate_id uuid references policy_candidates(id),
      application_id uuid,
      ruleset_hash char(64) not null,
      params jsonb not null,
      as_of date not null,
      facts jsonb not null,
      approved_by uuid references users(id),
      created_at timestamptz not null default now(),
      -- 一人一策一期一次: a rerun or a concurrent approval can never pay twice
      unique (policy_id, subject_id, period)
    );
    create index policy_payments_subject_idx on policy_payments(subject_id, policy_id, created_at desc);

    create table outbox_messages (
      id uuid primary key default gen_random_uuid(),
      dedupe_key text not null unique,
      channel varchar(8) not null check (channel in ('in_app','sms')),
      recipient_kind varchar(8) not null check (recipient_kind in ('person','employer')),
      recipient_id uuid not null,
      title text not null,
      body text not null,
      status varchar(8) not null default 'pending' check (status in ('pending','sent','failed','skipped')),
      attempts integer not null default 0,
      last_error text,
      created_at timestamptz not null default now(),
      sent_at timestamptz,
      read_at timestamptz
    );
    create index outbox_pending_idx on outbox_messages(created_at) where status = 'pending';
    create index outbox_recipient_idx on outbox_messages(recipient_id, created_at desc);

    -- 定期比对: a sweep a case worker asks to run every month on a given day
    create table policy_schedules (
      id uuid primary key default gen_random_uuid(),
      policy_id varchar(64) not null,
      region_code varchar(12) not null,
      day_of_month smallint not null check (day_of_month between 1 and 28),
      next_run_on date not null,
      active boolean not null default true,
      created_by uuid not null references users(id),
      created_at timestamptz not null default now(),
      last_run_at timestamptz,
      last_sweep_id uuid references policy_sweeps(id),
      last_error text
    );
    create unique index policy_schedules_one_active on policy_schedules(policy_id, region_code) where active;

    create table policy_applications (
      id uuid primary key default gen_random_uuid(),
      policy_id varchar(64) not null,
      subject_kind varchar(8) not null check (subject_kind in ('person','employer')),
      subject_id uuid not null,
      region_code varchar(12) not null,
      province_code char(2),
      period varchar(16) not null,
      facts jsonb not null,
      result jsonb not null,
      ruleset_hash char(64) not null,
      as_of date not null,
      status varchar(10) not null default 'submitted' check (status in ('submitted','approved','rejected')),
      applicant_user_id uuid not null references users(id),
      submitted_at timestamptz not null default now(),
      decided_by uuid references users(id),
      decided_at timestamptz,
      decision_reason text,
      letter text,
      unique (policy_id, subject_id, period)
    );
    create index policy_applications_region_idx on policy_applications(region_code, status);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop table if exists policy_applications;
    drop table if exists policy_schedules;
    drop table if exists outbox_messages;
    drop table if exists policy_payments;
    drop table if exists policy_objections;
    drop table if exists policy_candidates;
    drop table if exists policy_sweeps;
    drop table if exists policy_versions;
  `.execute(db);
}
