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
  retirement_category: string | null;
  death_date: string | null;
  education: string | null;
  hukou_type: string | null;
  hukou_region_code: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** 就业失业登记 events: append-only. */
export interface LedgerEventsTable {
  id: Generated<string>;
  person_id: string;
  province_code: string;
  type: string;
  event_date: string;
  region_code: string;
  employment_form: string | null;
  employer_name: string | null;
  employer_credit_code: string | null;
  contract_type: string | null;
  contract_end: string | null;
  reason: string | null;
  spell_id: string;
  corrects_event_id: string | null;
  note: string | null;
  recorded_by: string | null;
  recorded_at: Timestamp;
}

/** Projection of the ledger: employment and unemployment spells. */
export interface LedgerSpellsTable {
  id: string;
  person_id: string;
  province_code: string;
  kind: string;
  employment_form: string | null;
  employer_name: string | null;
  region_code: string;
  started_on: string;
  ended_on: string | null;
  end_reason: string | null;
  start_event_id: string;
  end_event_id: string | null;
  voided: Generated<boolean>;
  updated_at: Timestamp;
}

export interface IdempotencyKeysTable {
  actor_id: string;
  key: string;
  request_hash: string;
  state: string;
  status_code: number | null;
  response_body: string | null;
  created_at: Timestamp;
}

/** 重点群体 attributes of a person, each with where it came from. */
export interface PersonAttributesTable {
  id: Generated<string>;
  person_id: string;
  kind: string;
  details: Record<string, unknown>;
  source: string;
  source_system: string | null;
  verified_by: string | null;
  valid_from: string | null;
  valid_to: string | null;
  recorded_by: string | null;
  recorded_at: Timestamp;
}

export interface Database {
  regions: RegionsTable;
  users: UsersTable;
  sessions: SessionsTable;
  audit_log: AuditLogTable;
  audit_chain: AuditChainTable;
  persons: PersonsTable;
  person_attributes: PersonAttributesTable;
  ledger_events: LedgerEventsTable;
  ledger_spells: LedgerSpellsTable;
  idempotency_keys: IdempotencyKeysTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type PersonRow = Selectable<PersonsTable>;
export type AuditRow = Selectable<AuditLogTable>;
export type RegionRow = Selectable<RegionsTable>;
