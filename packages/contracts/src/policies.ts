import { z } from "zod";
import { PageQuery, pageOf, RegionCodeSchema, UuidSchema } from "./common.ts";

const DateOnly = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: "日期格式应为 YYYY-MM-DD" })
  .refine((s) => !Number.isNaN(Date.parse(s)) && new Date(s).toISOString().slice(0, 10) === s, {
    message: "日期不存在",
  });
const PolicyId = z.string().regex(/^[a-z][a-z0-9_]{1,63}$/, { message: "政策标识不正确" });
const Citation = z.object({ document: z.string(), article: z.string().optional() });
const Entity = z.enum(["person", "employer"]);
const State = z.enum(["met", "not_met", "unknown"]);

export const PolicyParamSchema = z.object({
  name: z.string(),
  label: z.string(),
  valueLabel: z.string(),
  source: z.string(),
  verified: z.boolean(),
  note: z.string().nullable(),
});

export const PolicyConditionDocSchema = z.object({
  id: z.string(),
  label: z.string(),
  depth: z.number().int(),
  /** Plain Chinese: the condition with its threshold as of the list's date. */
  text: z.string(),
  source: z.string().nullable(),
});

export const PolicySummarySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    entity: Entity,
    category: z.string(),
    region: z.string(),
    summary: z.string(),
    documents: z.array(Citation),
    howToApply: z.string(),
    paymentPeriod: z.enum(["month", "year", "once"]),
    hash: z.string(),
    version: z.number().int(),
    conditions: z.array(PolicyConditionDocSchema),
    outputs: z.array(z.object({ name: z.string(), label: z.string() })),
    params: z.array(PolicyParamSchema),
    unverifiedParams: z.number().int(),
  })
  .meta({ id: "PolicySummary" });
export type PolicySummary = z.infer<typeof PolicySummarySchema>;

export const PolicyListQuerySchema = z.strictObject({
  asOf: DateOnly.optional(),
  regionCode: RegionCodeSchema.optional(),
  entity: Entity.optional(),
});

export const ConditionTraceSchema = z.object({
  id: z.string(),
  label: z.string(),
  depth: z.number().int(),
  state: z.enum(["met", "not_met", "unknown", "not_evaluated"]),
  text: z.string(),
  value: z.string().nullable(),
  threshold: z.string().nullable(),
  distance: z.string().nullable(),
  source: z.string().nullable(),
  missing: z.array(z.string()),
});

export const FactQuestionSchema = z.object({
  fact: z.string(),
  label: z.string(),
  type: z.enum(["bool", "int", "money", "date", "enum", "rate"]),
  values: z.array(z.object({ value: z.string(), label: z.string() })).optional(),
});

export const PolicyResultSchema = z
  .object({
    policyId: z.string(),
    policyName: z.string(),
    hash: z.string(),
    asOf: z.string(),
    state: State,
    notApplicable: z.string().nullable(),
    conditions: z.array(ConditionTraceSchema),
    failed: z.array(z.string()),
    undetermined: z.array(z.string()),
    missing: z.array(z.object({ fact: z.string(), label: z.string() })),
    outputs: z.array(z.object({ name: z.string(), label: z.string(), value: z.number().nullable(), text: z.string() })),
    amountFen: z.number().nullable(),
    params: z.array(PolicyParamSchema.omit({ note: true })),
    conflicts: z.array(z.string()),
  })
  .meta({ id: "PolicyResult" });
export type PolicyResult = z.infer<typeof PolicyResultSchema>;

export const EvaluateBodySchema = z.strictObject({
  subject: z.strictObject({
    kind: Entity,
    regionCode: RegionCodeSchema,
    facts: z.record(z.string(), z.unknown()),
    /** Last payment date by policy id (null: never paid). Absent: history unknown. */
    paid: z.record(z.string(), DateOnly.nullable()).optional(),
    /** A person's household, the subject included (person facts of each member). Absent: unknown. */
    members: z
      .array(z.strictObject({ facts: z.record(z.string(), z.unknown()) }))
      .max(30)
      .optional(),
    /** An employer's roster (职工名册): person facts of each employee. Absent: unknown. */
    employees: z
      .array(z.strictObject({ facts: z.record(z.string(), z.unknown()) }))
      .max(100_000)
      .optional(),
  }),
  asOf: DateOnly,
  policyIds: z.array(PolicyId).max(50).optional(),
});

export const EvaluateResponseSchema = z.object({
  asOf: z.string(),
  results: z.array(PolicyResultSchema),
  questions: z.array(FactQuestionSchema),
});

export const SelfCheckBodySchema = z.strictObject({
  /** Answers to the questions of an earlier check: facts the registry does not hold. */
  answers: z.record(z.string(), z.unknown()).default({}),
  asOf: DateOnly.optional(),
});

export const SelfCheckResponseSchema = EvaluateResponseSchema.extend({
  subject: z.object({ kind: Entity, name: z.string(), regionCode: z.string() }),
});

export const CreateSweepBodySchema = z.strictObject({
  policyId: PolicyId,
  asOf: DateOnly.optional(),
  regionCode: RegionCodeSchema.optional(),
});

export const SweepSchema = z
  .object({
    id: UuidSchema,
    policyId: z.string(),
    policyName: z.string(),
    rulesetHash: z.string(),
    asOf: z.string(),
    period: z.string(),
    regionCode: z.string(),
    regionName: z.string().nullable(),
    status: z.enum(["review", "notice", "paid", "cancelled"]),
    evaluated: z.number().int(),
    eligible: z.number().int(),
    undetermined: z.number().int(),
    notEligible: z.number().int(),
    durationMs: z.number().int(),
    noticeFrom: z.string().nullable(),
    noticeUntil: z.string().nullable(),
    counts: z.object({
      pending: z.number().int(),
      approved: z.number().int(),
      rejected: z.number().int(),
      paid: z.number().int(),
      duplicate: z.number().int(),
      openObjections: z.number().int(),
    }),
    amountApprovedFen: z.number(),
    params: z.array(PolicyParamSchema.omit({ note: true })),
    createdAt: z.string(),
  })
  .meta({ id: "PolicySweep" });

export const CandidateSchema = z.object({
  id: UuidSchema,
  subjectId: UuidSchema,
  name: z.string(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  amountFen: z.number().nullable(),
  status: z.enum(["pending", "approved", "rejected", "paid", "duplicate"]),
  decisionReason: z.string().nullable(),
  openObjections: z.number().int(),
});

export const CandidatesQuerySchema = z.strictObject({
  ...PageQuery,
  status: z.enum(["pending", "approved", "rejected", "paid", "duplicate"]).optional(),
});
export const CandidatePageSchema = pageOf(CandidateSchema);

export const CandidateDetailSchema = CandidateSchema.extend({
  result: PolicyResultSchema,
  objections: z.array(
    z.object({
      id: UuidSchema,
      text: z.string(),
      status: z.enum(["open", "upheld", "dismissed"]),
      resolution: z.string().nullable(),
      submittedAt: z.string(),
    }),
  ),
});

export const DecideCandidatesBodySchema = z
  .strictObject({
    candidateIds: z.array(UuidSchema).min(1).max(1000).optional(),
    allPending: z.boolean().optional(),
    decision: z.enum(["approve", "reject"], { message: "决定应为 approve（通过）或 reject（不通过）" }),
    reason: z.string().trim().max(500).optional(),
  })
  .refine((b) => b.candidateIds || b.allPending, {
    message: "请选择候选对象，或选择全部待审核对象",
    path: ["candidateIds"],
  })
  .refine((b) => b.decision === "approve" || (b.reason && b.reason.length >= 2), {
    message: "不通过时必须填写理由",
    path: ["reason"],
  });

export const PublishNoticeBodySchema = z.strictObject({
  noticeDays: z.number().int().min(1, "公示期至少1天").max(30, "公示期最长30天").optional(),
});

export const ObjectionBodySchema = z.strictObject({
  candidateId: UuidSchema,
  text: z.string().trim().min(5, "异议内容至少5个字").max(1000, "异议内容最多1000字"),
});

export const ResolveObjectionBodySchema = z.strictObject({
  decision: z.enum(["upheld", "dismissed"], { message: "处理结果应为 upheld（异议成立）或 dismissed（异议不成立）" }),
  resolution: z.string().trim().min(2, "请填写处理意见").max(500),
});

export const FinaliseResultSchema = z.object({
  paid: z.number().int(),
  duplicates: z.number().int(),
  messages: z.number().int(),
});

export const PublicNoticeSchema = z.object({
  id: UuidSchema,
  policyName: z.string(),
  regionName: z.string().nullable(),
  period: z.string(),
  noticeFrom: z.string(),
  noticeUntil: z.string(),
  entries: z.array(
    z.object({
      candidateId: UuidSchema,
      name: z.string(),
      regionName: z.string().nullable(),
      amountFen: z.number().nullable(),
    }),
  ),
});

export const MessageSchema = z.object({
  id: UuidSchema,
  title: z.string(),
  body: z.string(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});

export const PaymentSchema = z.object({
  id: UuidSchema,
  policyId: z.string(),
  policyName: z.string(),
  period: z.string(),
  amountFen: z.number().nullable(),
  asOf: z.string(),
  createdAt: z.string(),
});

export const UploadPolicyVersionBodySchema = z.strictObject({
  /** The policy as YAML text (the format of packages/domain/policies). */
  yaml: z.string().min(10, "请粘贴政策 YAML").max(200_000, "政策文件过大"),
  note: z.string().trim().max(500).optional(),
});

export const PolicyVersionSchema = z.object({
  id: UuidSchema,
  policyId: z.string(),
  version: z.number().int(),
  hash: z.string(),
  status: z.enum(["proposed", "active", "rejected", "superseded"]),
  note: z.string().nullable(),
  uploadedAt: z.string(),
  decidedAt: z.string().nullable(),
  decisionReason: z.string().nullable(),
  impact: z
    .object({
      regionCode: z.string(),
      asOf: z.string(),
      evaluated: z.number().int(),
      before: z.number().int(),
      after: z.number().int(),
      gain: z.number().int(),
      lose: z.number().int(),
      examples: z.array(z.object({ name: z.string(), change: z.enum(["gain", "lose"]) })),
    })
    .nullable(),
});

export const DecideVersionBodySchema = z.strictObject({
  decision: z.enum(["approve", "reject"], { message: "决定应为 approve 或 reject" }),
  reason: z.string().trim().min(2, "请填写理由").max(500),
});

export const ApplyBodySchema = z.strictObject({
  policyId: PolicyId,
  /** Facts the registry does not hold, as answered by the applicant. */
  answers: z.record(z.string(), z.unknown()).default({}),
});

export const ApplicationSchema = z
  .object({
    id: UuidSchema,
    policyId: z.string(),
    policyName: z.string(),
    subjectKind: Entity,
    subjectName: z.string(),
    regionCode: z.string(),
    period: z.string(),
    status: z.enum(["submitted", "approved", "rejected"]),
    result: PolicyResultSchema,
    submittedAt: z.string(),
    decidedAt: z.string().nullable(),
    decisionReason: z.string().nullable(),
    letter: z.string().nullable(),
  })
  .meta({ id: "PolicyApplication" });

export const DecideApplicationBodySchema = z
  .strictObject({
    decision: z.enum(["approve", "reject"], { message: "决定应为 approve（批准）或 reject（不予批准）" }),
    reason: z.string().trim().max(500).optional(),
  })
  .refine((b) => b.decision === "approve" || (b.reason && b.reason.length >= 2), {
    message: "不予批准时必须说明理由",
    path: ["reason"],
  });

export type Sweep = z.infer<typeof SweepSchema>;
export type Candidate = z.infer<typeof CandidateSchema>;
export type CandidateDetail = z.infer<typeof CandidateDetailSchema>;
export type PublicNotice = z.infer<typeof PublicNoticeSchema>;
export type Message = z.infer<typeof MessageSchema>;
export type Payment = z.infer<typeof PaymentSchema>;
export type PolicyApplication = z.infer<typeof ApplicationSchema>;
export type FactQuestion = z.infer<typeof FactQuestionSchema>;
export type SelfCheckResponse = z.infer<typeof SelfCheckResponseSchema>;
export type PolicyVersion = z.infer<typeof PolicyVersionSchema>;

export const CreateScheduleBodySchema = z.strictObject({
  policyId: PolicyId,
  regionCode: RegionCodeSchema.optional(),
  dayOfMonth: z.number().int().min(1, "每月执行日应为1—28日").max(28, "每月执行日应为1—28日"),
});

export const ScheduleSchema = z
  .object({
    id: UuidSchema,
    policyId: z.string(),
    policyName: z.string(),
    regionCode: z.string(),
    dayOfMonth: z.number().int(),
    nextRunOn: z.string(),
    active: z.boolean(),
    lastRunAt: z.string().nullable(),
    lastSweepId: z.string().nullable(),
    lastError: z.string().nullable(),
  })
  .meta({ id: "PolicySchedule" });
export type Schedule = z.infer<typeof ScheduleSchema>;
