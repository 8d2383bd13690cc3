/**
 * Data classification of every stored column (个人信息保护法; GB/T 35273-2020), in one place.
 * - public: may be shown to anyone who can see the record
 * - internal: operational data, staff only
 * - personal: 个人信息 — shown masked or to authorised roles, reads audited
 * - sensitive: 敏感个人信息 or secrets — encrypted or hashed at rest, never returned in clear
 *   without a stated purpose
 * A test fails when a column of the live schema is missing here.
 */
export type DataClass = "public" | "internal" | "personal" | "sensitive";

export const DATA_CLASSES: Record<string, Record<string, DataClass>> = {
  regions: { code: "public", name: "public", level: "public", parent_code: "public" },
  users: {
    id: "internal",
    username: "internal",
    display_name: "personal",
    role: "internal",
    region_code: "internal",
    person_id: "internal",
    password_hash: "sensitive",
    must_change_password: "internal",
    totp_secret_enc: "sensitive",
    totp_enabled: "internal",
    disabled: "internal",
    failed_logins: "internal",
    locked_until: "internal",
    last_login_at: "internal",
    created_at: "internal",
    updated_at: "internal",
  },
  sessions: {
    id: "sensitive",
    user_id: "internal",
    csrf_token: "sensitive",
    ip: "personal",
    user_agent: "internal",
    totp_verified: "internal",
    created_at: "internal",
    last_seen_at: "internal",
  },
  audit_log: {
    seq: "internal",
    at: "internal",
    actor_id: "internal",
    actor_role: "internal",
    ip: "personal",
    action: "internal",
    subject_type: "internal",
    subject_id: "internal",
    fields: "internal",
    purpose: "internal",
    outcome: "internal",
    request_id: "internal",
    detail: "internal",
  },
  audit_chain: { pos: "internal", seq: "internal", prev_hash: "internal", hash: "internal", sealed_at: "internal" },
  persons: {
    id: "internal",
    name: "personal",
    id_number_enc: "sensitive",
    id_number_bidx: "sensitive",
    id_number_masked: "personal",
    phone_enc: "sensitive",
    phone_bidx: "sensitive",
    phone_masked: "personal",
    sex: "personal",
    birth_date: "personal",
    residence_region_code: "personal",
    retirement_category: "personal",
    death_date: "personal",
    created_at: "internal",
    updated_at: "internal",
  },
  ledger_events: {
    id: "internal",
    person_id: "internal",
    province_code: "internal",
    type: "personal",
    event_date: "personal",
    region_code: "internal",
    employment_form: "personal",
    employer_name: "personal",
    employer_credit_code: "internal",
    contract_type: "personal",
    contract_end: "personal",
    reason: "personal",
    spell_id: "internal",
    corrects_event_id: "internal",
    note: "personal",
    recorded_by: "internal",
    recorded_at: "internal",
  },
  ledger_spells: {
    id: "internal",
    person_id: "internal",
    province_code: "internal",
    kind: "personal",
    employment_form: "personal",
    employer_name: "personal",
    region_code: "internal",
    started_on: "personal",
    ended_on: "personal",
    end_reason: "personal",
    start_event_id: "internal",
    end_event_id: "internal",
    voided: "internal",
    updated_at: "internal",
  },
  // Stored responses are already masked (they are what the API returned).
  idempotency_keys: {
    actor_id: "internal",
    key: "internal",
    request_hash: "internal",
    state: "internal",
    status_code: "internal",
    response_body: "personal",
    created_at: "internal",
  },
};

/** Tables owned by tooling rather than the application (migration bookkeeping). */
export const UNCLASSIFIED_TABLES = ["kysely_migration", "kysely_migration_lock"];
