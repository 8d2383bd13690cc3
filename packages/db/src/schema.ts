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
  employer_id: Generated<string | null>;
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
  /** Province of the acting user's scope (null for installation-wide staff): partitioning key. */
  province_code: string | null;
}

/** The hash chain over audit rows, in sealing (commit) order. */
export interface AuditChainTable {
  pos: Generated<number>;
  seq: number;
  prev_hash: string;
  hash: string;
  sealed_at: Timestamp;
}

/**
 * A keyed blind index (HMAC-SHA-256, 32 bytes in a bytea column): read back as bytes, written as
 * bytea text — `\x` and 64 hex digits, the form FieldCipher.blindIndex makes and every query,
 * COPY line and staged payload passes. Compare read values with `blindIndexText`.
 */
export type BlindIndex = ColumnType<Uint8Array, string, string>;

/** 劳动者 (people): the foundation's minimal person record; the registry issue extends it. */
export interface PersonsTable {
  id: Generated<string>;
  name: string;
  id_number_enc: string;
  id_number_bidx: BlindIndex;
  id_number_masked: string;
  phone_enc: string | null;
  phone_bidx: ColumnType<Uint8Array | null, string | null, string | null>;
  phone_masked: string | null;
  sex: string;
  birth_date: string;
  residence_region_code: string;
  /** First two digits of residence_region_code (checked): the partitioning key. */
  province_code: string;
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
  source_record_id: string | null;
  source_date: string | null;
  verified_by: string | null;
  valid_from: string | null;
  valid_to: string | null;
  recorded_by: string | null;
  recorded_at: Timestamp;
}

/** GB/T 4754-2017 industries: 门类 (sections, one letter) and 大类 (divisions, two digits). */
export interface IndustriesTable {
  code: string;
  section: string;
  name: string;
  level: string;
  version: Generated<string>;
}

/** 用人单位 registry. */
export interface EmployersTable {
  id: Generated<string>;
  province_code: string;
  credit_code: string;
  credit_code_override: Generated<boolean>;
  credit_code_override_reason: string | null;
  name: string;
  industry_code: string;
  ownership: string;
  size_class: string | null;
  region_code: string;
  address: string | null;
  contact_name: string | null;
  contact_phone_enc: string | null;
  contact_phone_masked: string | null;
  headcount: number | null;
  insured_headcount: number | null;
  headcount_as_of: string | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** 家庭 */
export interface HouseholdsTable {
  id: Generated<string>;
  province_code: string;
  region_code: string;
  address: string | null;
  created_by: string | null;
  created_at: Timestamp;
}

export interface HouseholdMembersTable {
  id: Generated<string>;
  household_id: string;
  person_id: string;
  relation: string;
  joined_on: string;
  left_on: string | null;
}

/** Columns every record imported from another system carries. */
interface SourcedColumns {
  id: Generated<string>;
  province_code: string;
  person_id: string;
  source_system: string;
  source_record_id: string;
  source_date: string;
  imported_at: Timestamp;
}

/** 参保记录 from the social-insurance system. */
export interface InsuranceSpellsTable extends SourcedColumns {
  employer_credit_code: string | null;
  fund: string;
  from_month: string;
  to_month: string | null;
  base_fen: string | number | null;
}

/** 失业保险金 claims from the unemployment-insurance system. */
export interface BenefitClaimsTable extends SourcedColumns {
  claim_date: string;
  from_month: string;
  to_month: string | null;
  months_entitled: number;
  monthly_amount_fen: string | number;
  status: string;
}

/** 职业资格/技能等级证书 */
export interface SkillCertificatesTable extends SourcedColumns {
  kind: string;
  name: string;
  level: number | null;
  certificate_no_masked: string | null;
  issued_on: string;
  issuer: string | null;
}

export interface ImportJobsTable {
  id: Generated<string>;
  province_code: string | null;
  kind: string;
  file_name: string;
  file_sha256: string;
  format: string;
  mode: string;
  status: string;
  scope_region_code: string | null;
  total_rows: Generated<number>;
  accepted_rows: Generated<number>;
  rejected_rows: Generated<number>;
  committed_rows: Generated<number>;
  committed_through: Generated<number>;
  processed_rows: Generated<number>;
  file_size: Generated<string | number>;
  bytes_read: Generated<string | number>;
  dry_run: Generated<boolean>;
  /** Valid rows go straight to the registry as the file is read (no staging); resumed from the watermark. */
  direct: Generated<boolean>;
  /** The uploaded file while it is being staged; deleted once staged (it holds plain identifiers). */
  file_path: string | null;
  error: string | null;
  started_at: Timestamp | null;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  finished_at: Timestamp | null;
}

/** A staged roster row: the protected (encrypted/masked) payload, masked display values, errors. */
export interface ImportRowsTable {
  job_id: string;
  row_no: number;
  status: string;
  payload: unknown;
  display: unknown;
  errors: unknown;
}

/** 职业分类大典 (versioned) */
export interface OccupationsTable {
  version: string;
  code: string;
  name: string;
  level: number;
  parent_code: string | null;
  aliases: Generated<string[]>;
  skills: Generated<string[]>;
  verified: Generated<boolean>;
}

/** 最低工资标准 */
export interface MinimumWageStandardsTable {
  id: Generated<string>;
  province_code: string;
  province_name: string;
  effective_from: string;
  source: string;
  verified: Generated<boolean>;
  tiers: unknown;
  region_tiers: unknown;
  default_tier: number;
  created_by: string | null;
  created_at: Generated<Date>;
}

/** 招聘岗位 */
export interface PostingsTable {
  id: Generated<string>;
  province_code: string;
  employer_id: string;
  region_code: string;
  address: string | null;
  title: string;
  occupation_code: string;
  description: string;
  requirements: string | null;
  benefits: string | null;
  skills: Generated<string[]>;
  headcount: number;
  salary_type: string;
  salary_min_fen: number;
  salary_max_fen: number;
  education: string | null;
  experience_years: number | null;
  contract_type: string;
  work_type: string;
  is_public_welfare: Generated<boolean>;
  is_internship: Generated<boolean>;
  targets_graduates: Generated<boolean>;
  valid_until: string;
  status: string;
  findings: Generated<unknown>;
  screened_at: Timestamp | null;
  published_at: Timestamp | null;
  confirmed_at: Timestamp | null;
  closed_at: Timestamp | null;
  version: Generated<number>;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PostingSearchTable {
  posting_id: string;
  province_code: string;
  region_code: string;
  occupation_code: string;
  published_at: Timestamp;
  salary_min_monthly_fen: number;
  salary_max_monthly_fen: number;
  education_rank: number;
  work_type: string;
  title_tsv: string;
  tsv: string;
}

/** 岗位审核队列 */
export interface PostingReviewsTable {
  id: Generated<string>;
  posting_id: string;
  province_code: string;
  region_code: string;
  kind: string;
  reason: string | null;
  reported_by: string | null;
  status: string;
  decision_reason: string | null;
  decided_by: string | null;
  decided_at: Timestamp | null;
  created_at: Timestamp;
}

/** 求职登记 */
export interface SeekersTable {
  id: Generated<string>;
  person_id: string;
  province_code: string;
  region_code: string;
  occupations: string[];
  skills: Generated<string[]>;
  regions: Generated<string[]>;
  salary_expectation_fen: number | null;
  available_from: string | null;
  work_types: Generated<string[]>;
  introduction: string | null;
  employer_visible: Generated<boolean>;
  status: string;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface MatchFeedbackTable {
  id: Generated<string>;
  seeker_id: string;
  posting_id: string;
  kind: string;
  reason: string;
  created_by: string;
  created_at: Timestamp;
}

/** 职业介绍 */
export interface ReferralsTable {
  id: Generated<string>;
  province_code: string;
  seeker_id: string;
  person_id: string;
  posting_id: string;
  region_code: string;
  score: number | null;
  status: string;
  outcome_reason: string | null;
  outcome_on: string | null;
  ledger_event_id: string | null;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** 专场招聘会 */
export interface JobFairsTable {
  id: Generated<string>;
  province_code: string;
  region_code: string;
  title: string;
  theme: string;
  theme_detail: string | null;
  mode: string;
  venue: string | null;
  starts_at: Timestamp;
  ends_at: Timestamp;
  description: string | null;
  status: string;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface JobFairPostingsTable {
  fair_id: string;
  posting_id: string;
  employer_id: string;
  joined_at: Timestamp;
}

export interface JobFairRegistrationsTable {
  fair_id: string;
  person_id: string;
  registered_at: Timestamp;
}

export interface JobFairApplicationsTable {
  id: Generated<string>;
  fair_id: string;
  person_id: string;
  posting_id: string;
  status: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Uploaded versions of a policy (the shipped catalogue is in code). */
export interface PolicyVersionsTable {
  id: Generated<string>;
  policy_id: string;
  version: number;
  hash: string;
  source: unknown;
  status: string;
  impact: unknown | null;
  note: string | null;
  uploaded_by: string;
  uploaded_at: Generated<Date>;
  decided_by: string | null;
  decided_at: Timestamp | null;
  decision_reason: string | null;
}

/** 免申即享 sweeps: one policy over the population in a region, as of a date. */
export interface PolicySweepsTable {
  id: Generated<string>;
  policy_id: string;
  policy_name: string;
  ruleset_hash: string;
  params: unknown;
  as_of: string;
  period: string;
  region_code: string;
  province_code: string | null;
  status: string;
  evaluated: number;
  eligible: number;
  undetermined: number;
  not_eligible: number;
  duration_ms: number;
  notice_days: number | null;
  notice_from: string | null;
  notice_until: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
  published_by: string | null;
  published_at: Timestamp | null;
  finalised_by: string | null;
  finalised_at: Timestamp | null;
}

export interface PolicyCandidatesTable {
  id: Generated<string>;
  sweep_id: string;
  subject_kind: string;
  subject_id: string;
  region_code: string;
  province_code: string | null;
  amount_fen: string | number | null;
  facts: unknown;
  status: Generated<string>;
  decided_by: string | null;
  decided_at: Timestamp | null;
  decision_reason: string | null;
}

export interface PolicyObjectionsTable {
  id: Generated<string>;
  candidate_id: string;
  sweep_id: string;
  text: string;
  submitted_by: string | null;
  submitted_at: Generated<Date>;
  status: Generated<string>;
  resolution: string | null;
  resolved_by: string | null;
  resolved_at: Timestamp | null;
}

export interface PolicyPaymentsTable {
  id: Generated<string>;
  policy_id: string;
  subject_kind: string;
  subject_id: string;
  period: string;
  amount_fen: string | number | null;
  province_code: string | null;
  region_code: string;
  sweep_id: string | null;
  candidate_id: string | null;
  application_id: string | null;
  ruleset_hash: string;
  params: unknown;
  as_of: string;
  facts: unknown;
  approved_by: string | null;
  created_at: Generated<Date>;
}

export interface OutboxMessagesTable {
  id: Generated<string>;
  dedupe_key: string;
  channel: string;
  recipient_kind: string;
  recipient_id: string;
  title: string;
  body: string;
  status: Generated<string>;
  attempts: Generated<number>;
  last_error: string | null;
  created_at: Generated<Date>;
  sent_at: Timestamp | null;
  read_at: Timestamp | null;
}

export interface PolicySchedulesTable {
  id: Generated<string>;
  policy_id: string;
  region_code: string;
  day_of_month: number;
  next_run_on: string;
  active: Generated<boolean>;
  created_by: string;
  created_at: Generated<Date>;
  last_run_at: Timestamp | null;
  last_sweep_id: string | null;
  last_error: string | null;
}

export interface PolicyApplicationsTable {
  id: Generated<string>;
  policy_id: string;
  subject_kind: string;
  subject_id: string;
  region_code: string;
  province_code: string | null;
  period: string;
  facts: unknown;
  result: unknown;
  ruleset_hash: string;
  as_of: string;
  status: Generated<string>;
  applicant_user_id: string;
  submitted_at: Generated<Date>;
  decided_by: string | null;
  decided_at: Timestamp | null;
  decision_reason: string | null;
  letter: string | null;
}

export interface Database {
  policy_versions: PolicyVersionsTable;
  policy_sweeps: PolicySweepsTable;
  policy_candidates: PolicyCandidatesTable;
  policy_objections: PolicyObjectionsTable;
  policy_payments: PolicyPaymentsTable;
  outbox_messages: OutboxMessagesTable;
  policy_applications: PolicyApplicationsTable;
  policy_schedules: PolicySchedulesTable;
  job_fairs: JobFairsTable;
  job_fair_postings: JobFairPostingsTable;
  job_fair_registrations: JobFairRegistrationsTable;
  job_fair_applications: JobFairApplicationsTable;
  occupations: OccupationsTable;
  minimum_wage_standards: MinimumWageStandardsTable;
  postings: PostingsTable;
  posting_search: PostingSearchTable;
  posting_reviews: PostingReviewsTable;
  seekers: SeekersTable;
  match_feedback: MatchFeedbackTable;
  referrals: ReferralsTable;
  industries: IndustriesTable;
  employers: EmployersTable;
  households: HouseholdsTable;
  household_members: HouseholdMembersTable;
  insurance_spells: InsuranceSpellsTable;
  benefit_claims: BenefitClaimsTable;
  skill_certificates: SkillCertificatesTable;
  import_jobs: ImportJobsTable;
  import_rows: ImportRowsTable;
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
