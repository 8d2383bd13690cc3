import type { ColumnType, Generated, Insertable, Selectable } from "kysely";

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** 行政区划 (regions): provinces → cities → counties → streets (乡镇/街道) → communities (社区/村). */
export interface RegionsTable {
  code: string;
  name: string;
  level: number;
  parent_code: string | null;
}

export interface UsersTable {
  id: Generated<string>;
  username: string;
  display_name: string;
  role: string;
  region_code: string | null;
  person_id: string | null;
  password_hash: string;
  must_change_password: Generated<boolean>;
  totp_secret_enc: string | null;
  totp_enabled: Generated<boolean>;
  disabled: Generated<boolean>;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  last_login_at: Date | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SessionsTable {
  id: string; // SHA-256 of the token; the token itself is never stored
  user_id: string;
  csrf_token: string;
  ip: string | null;
  user_agent: string | null;
  totp_verified: boolean;
  created_at: Timestamp;
  last_seen_at: Timestamp;
}

export interface AuditLogTable {
  seq: Generated<number>;
  at: Timestamp;
  actor_id: string | null;
  actor_role: string | null;
  ip: string | null;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  fields: string[];
  purpose: string | null;
  outcome: string;
  request_id: string | null;
  detail: Record<string, unknown> | null;
}

/** The hash chain over audit rows, in sealing (commit) order. */
export interface AuditChainTable {
  pos: Generated<number>;
  seq: number;
  prev_hash: string;
  hash: string;
  sealed_at: Timestamp;
}

/** 劳动者 (people): the foundation's minimal person record; the registry issue extends it. */
export interface PersonsTable {
  id: Generated<string>;
  name: string;
  id_number_enc: string;
  id_number_bidx: string;
  id_number_masked: string;
  phone_enc: string | null;
  phone_bidx: string | null;
  phone_masked: string | null;
  sex: string;
  birth_date: string;
  residence_region_code: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface Database {
  regions: RegionsTable;
  users: UsersTable;
  sessions: SessionsTable;
  audit_log: AuditLogTable;
  audit_chain: AuditChainTable;
  persons: PersonsTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type PersonRow = Selectable<PersonsTable>;
export type AuditRow = Selectable<AuditLogTable>;
export type RegionRow = Selectable<RegionsTable>;
