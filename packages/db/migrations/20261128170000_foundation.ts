import { type Kysely, sql } from "kysely";

/** Regions, accounts, sessions, the append-only hash-chained audit log and minimal persons. */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table regions (
      code varchar(12) primary key check (code ~ '^[0-9]+$' and length(code) in (2,4,6,9,12)),
      name text not null,
      level smallint not null check (level between 1 and 5),
      parent_code varchar(12) references regions(code)
    );
    create index regions_parent_idx on regions(parent_code);
    create index regions_code_prefix_idx on regions(code varchar_pattern_ops);

    create table persons (
      id uuid primary key default gen_random_uuid(),
      name text not null check (length(name) between 1 and 50),
      id_number_enc text not null,
      id_number_bidx char(64) not null unique,
      id_number_masked varchar(18) not null,
      phone_enc text,
      phone_bidx char(64),
      phone_masked varchar(11),
      sex varchar(6) not null check (sex in ('male','female')),
      birth_date date not null,
      residence_region_code varchar(12) not null references regions(code),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index persons_region_idx on persons(residence_region_code varchar_pattern_ops);
    create index persons_phone_bidx_idx on persons(phone_bidx);
    create index persons_name_idx on persons(name);

    create table users (
      id uuid primary key default gen_random_uuid(),
      username varchar(64) not null,
      display_name text not null,
      role varchar(16) not null check (role in ('admin','auditor','analyst','case_worker','employer','individual')),
      region_code varchar(12) references regions(code),
      person_id uuid references persons(id),
      password_hash text not null,
      must_change_password boolean not null default false,
      totp_secret_enc text,
      totp_enabled boolean not null default false,
      disabled boolean not null default false,
      failed_logins integer not null default 0,
      locked_until timestamptz,
      last_login_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      -- analysts and case workers always work inside a region; admin/auditor may cover the whole installation
      constraint users_staff_region check (role not in ('analyst','case_worker') or region_code is not null)
    );
    create unique index users_username_key on users(lower(username));

    create table sessions (
      id char(64) primary key,
      user_id uuid not null references users(id) on delete cascade,
      csrf_token varchar(64) not null,
      ip varchar(64),
      user_agent text,
      totp_verified boolean not null default false,
      created_at timestamptz not null,
      last_seen_at timestamptz not null
    );
    create index sessions_user_idx on sessions(user_id);

    create table audit_log (
      seq bigserial primary key,
      at timestamptz not null,
      actor_id uuid,
      actor_role varchar(16),
      ip varchar(64),
      action varchar(64) not null,
      subject_type varchar(32),
      subject_id text,
      fields text[] not null default '{}',
      purpose varchar(64),
      outcome varchar(16) not null,
      request_id varchar(64),
      detail jsonb
    );
    create index audit_log_at_idx on audit_log(at);
    create index audit_log_actor_idx on audit_log(actor_id);
    create index audit_log_subject_idx on audit_log(subject_id);

    -- 等保 2.0: audit records are append-only. The database itself refuses changes.
    create function audit_log_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only' using errcode = '42501';
    end $$;
    create trigger audit_log_no_update before update or delete on audit_log
      for each row execute function audit_log_append_only();
    create trigger audit_log_no_truncate before truncate on audit_log
      for each statement execute function audit_log_append_only();

    -- The hash chain over audit rows, appended by a single sealer in commit order (a request only
    -- inserts its audit row, so audited requests do not queue behind one global lock).
    -- hash_n = sha256(hash_{n-1} || canonical(audit row)); see packages/domain/src/audit.
    create table audit_chain (
      pos bigserial primary key,
      seq bigint not null unique,
      prev_hash char(64) not null,
      hash char(64) not null unique,
      sealed_at timestamptz not null default now()
    );
    create trigger audit_chain_no_update before update or delete on audit_chain
      for each row execute function audit_log_append_only();
    create trigger audit_chain_no_truncate before truncate on audit_chain
      for each statement execute function audit_log_append_only();
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop table if exists audit_chain;
    drop table if exists audit_log;
    drop function if exists audit_log_append_only();
    drop table if exists sessions;
    drop table if exists users;
    drop table if exists persons;
    drop table if exists regions;
  `.execute(db);
}
