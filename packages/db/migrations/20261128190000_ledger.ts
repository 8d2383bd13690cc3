import { type Kysely, sql } from "kysely";

/**
 * 就业失业登记 ledger: append-only events, the spell projection updated in the same transaction,
 * and idempotency keys for POST requests. `province_code` is carried for partitioning (Citus).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table persons add column retirement_category varchar(10)
      check (retirement_category in ('male-60','female-55','female-50'));
    alter table persons add column death_date date;

    create table ledger_events (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references persons(id),
      province_code char(2) not null,
      type varchar(24) not null check (type in ('employment','employment_end','unemployment','unemployment_end','correction')),
      event_date date not null,
      region_code varchar(12) not null references regions(code),
      employment_form varchar(12) check (employment_form in ('employer','self_employed','flexible','platform')),
      employer_name text,
      employer_credit_code varchar(18),
      contract_type varchar(16) check (contract_type in ('fixed_term','open_ended','task_based','none')),
      contract_end date,
      reason varchar(24),
      spell_id uuid not null,
      corrects_event_id uuid references ledger_events(id),
      note text,
      recorded_by uuid references users(id),
      recorded_at timestamptz not null,
      constraint ledger_employment_fields check (type <> 'employment' or employment_form is not null),
      constraint ledger_reason check (type not in ('employment_end','unemployment_end','correction') or reason is not null),
      constraint ledger_correction_target check ((type = 'correction') = (corrects_event_id is not null)),
      constraint ledger_one_correction unique (corrects_event_id)
    );
    create index ledger_events_person_idx on ledger_events(person_id, event_date, recorded_at);
    create index ledger_events_province_idx on ledger_events(province_code, event_date);

    create trigger ledger_events_no_update before update or delete on ledger_events
      for each row execute function audit_log_append_only();
    create trigger ledger_events_no_truncate before truncate on ledger_events
      for each statement execute function audit_log_append_only();

    -- Projection: one row per employment or unemployment spell, maintained with every event.
    create table ledger_spells (
      id uuid primary key,
      person_id uuid not null references persons(id),
      province_code char(2) not null,
      kind varchar(12) not null check (kind in ('employment','unemployment')),
      employment_form varchar(12),
      employer_name text,
      region_code varchar(12) not null,
      started_on date not null,
      ended_on date,
      end_reason varchar(24),
      start_event_id uuid not null references ledger_events(id),
      end_event_id uuid references ledger_events(id),
      voided boolean not null default false,
      updated_at timestamptz not null
    );
    create index ledger_spells_person_idx on ledger_spells(person_id);
    -- The database makes contradictory states impossible, whatever the application does:
    -- one open unemployment registration per person, and one open employment with an employer.
    create unique index ledger_one_open_unemployment on ledger_spells(person_id)
      where kind = 'unemployment' and ended_on is null and not voided;
    create unique index ledger_one_open_employer_job on ledger_spells(person_id)
      where kind = 'employment' and employment_form = 'employer' and ended_on is null and not voided;

    create table idempotency_keys (
      actor_id uuid not null,
      key varchar(128) not null,
      request_hash char(64) not null,
      state varchar(8) not null check (state in ('running','done')),
      status_code integer,
      response_body text,
      created_at timestamptz not null,
      primary key (actor_id, key)
    );
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop table if exists idempotency_keys;
    drop table if exists ledger_spells;
    drop table if exists ledger_events;
    alter table persons drop column if exists death_date;
    alter table persons drop column if exists retirement_category;
  `.execute(db);
}
