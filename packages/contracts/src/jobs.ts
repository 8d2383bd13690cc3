import { z } from "zod";
import { PageQuery, RegionCodeSchema, UuidSchema } from "./common.ts";
import { EducationSchema } from "./person-profile.ts";

const DateOnly = z.iso.date({ message: "日期格式应为 YYYY-MM-DD" });
const OccupationCode = z
  .string()
  .regex(/^[1-8]-\d{2}-\d{2}-\d{2}$/, { message: "职业代码应为细类代码，如 6-31-01-03" });
const Fen = z.number().int({ message: "金额以分为单位，应为整数" }).min(1, { message: "金额应大于0" }).max(100_000_000);
const SkillList = z
  .array(z.string().trim().min(1).max(30, { message: "每项技能不超过30个字" }))
  .max(30, { message: "技能最多30项" });
export const WorkTypeSchema = z.enum(["full_time", "part_time", "flexible"], {
  message: "用工形式应为 full_time（全职）、part_time（非全日制）或 flexible（灵活用工）",
});
export const ContractTypeSchema = z.enum(
  ["fixed_term", "open_ended", "task_based", "part_time", "labour_service", "internship"],
  {
    message: "合同类型应为 fixed_term、open_ended、task_based、part_time、labour_service 或 internship",
  },
);
export const PostingStatusSchema = z.enum([
  "draft",
  "pending_review",
  "published",
  "rejected",
  "filled",
  "withdrawn",
  "expired",
]);

export const OccupationSchema = z
  .object({
    code: z.string(),
    name: z.string(),
    level: z.number().int(),
    parentCode: z.string().nullable(),
    aliases: z.array(z.string()),
    skills: z.array(z.string()),
    verified: z.boolean(),
  })
  .meta({ id: "Occupation" });

export const ListOccupationsQuerySchema = z.strictObject({
  q: z.string().trim().max(30).optional(),
  level: z.coerce.number().int().min(1).max(4).optional(),
  parentCode: z.string().max(12).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export const MinimumWageSchema = z
  .object({
    provinceCode: z.string(),
    regionName: z.string(),
    tier: z.number().int(),
    monthlyFen: z.number().int(),
    hourlyFen: z.number().int(),
    effectiveFrom: z.string(),
    source: z.string(),
    verified: z.boolean(),
    defaultTierUsed: z.boolean(),
  })
  .meta({ id: "MinimumWage" });

export const MinimumWageQuerySchema = z.strictObject({ regionCode: RegionCodeSchema, asOf: DateOnly.optional() });

export const CreateMinimumWageBodySchema = z.strictObject({
  provinceCode: z.string().regex(/^\d{2}$/, { message: "省级代码应为2位数字" }),
  provinceName: z.string().trim().min(2).max(20),
  effectiveFrom: DateOnly,
  source: z.string().trim().min(4, { message: "请填写文件名称和文号" }).max(300),
  verified: z.boolean().default(false),
  tiers: z
    .array(z.strictObject({ tier: z.number().int().min(1).max(9), monthlyFen: Fen, hourlyFen: Fen }))
    .min(1, { message: "至少需要一档标准" }),
  regionTiers: z.record(z.string(), z.number().int()),
  defaultTier: z.number().int().min(1).max(9),
});

export const FindingSchema = z
  .object({
    code: z.string(),
    category: z.string(),
    categoryName: z.string(),
    severity: z.enum(["block", "warn"]),
    field: z.string(),
    start: z.number().int().optional(),
    end: z.number().int().optional(),
    phrase: z.string().optional(),
    message: z.string(),
    basis: z.array(z.string()),
  })
  .meta({ id: "ScreeningFinding" });

const postingFields = {
  title: z.string().trim().min(2, { message: "岗位名称至少2个字" }).max(100, { message: "岗位名称不超过100个字" }),
  occupationCode: OccupationCode,
  description: z
    .string()
    .trim()
    .min(10, { message: "岗位描述至少10个字" })
    .max(5000, { message: "岗位描述不超过5000个字" }),
  requirements: z.string().trim().max(2000).nullable().optional(),
  benefits: z.string().trim().max(2000).nullable().optional(),
  skills: SkillList,
  headcount: z.number().int().min(1, { message: "招聘人数至少1人" }).max(10000),
  regionCode: z.string().regex(/^\d{6}(\d{3}(\d{3})?)?$/, { message: "工作地点应为区县、街道或社区代码" }),
  address: z.string().trim().max(200).nullable().optional(),
  salaryType: z.enum(["monthly", "hourly"], { message: "薪资类型应为 monthly（月薪）或 hourly（时薪）" }),
  salaryMinFen: Fen,
  salaryMaxFen: Fen,
  education: EducationSchema.nullable().optional(),
  experienceYears: z.number().int().min(0).max(50).nullable().optional(),
  contractType: ContractTypeSchema,
  workType: WorkTypeSchema,
  isPublicWelfare: z.boolean(),
  isInternship: z.boolean(),
  targetsGraduates: z.boolean(),
  validUntil: DateOnly,
};

export const CreatePostingBodySchema = z.strictObject({
  ...postingFields,
  skills: SkillList.default([]),
  isPublicWelfare: z.boolean().default(false),
  isInternship: z.boolean().default(false),
  targetsGraduates: z.boolean().default(false),
  /** Required when a case worker publishes on an employer's behalf; an employer account posts for itself. */
  employerId: UuidSchema.optional(),
});
export const UpdatePostingBodySchema = z
  .strictObject(postingFields)
  .partial()
  .extend({ version: z.number().int().min(1, { message: "请提供版本号" }) });

export const ScreenPostingBodySchema = z.strictObject({
  title: z.string().max(100).default(""),
  description: z.string().max(5000).default(""),
  requirements: z.string().max(2000).nullable().optional(),
  benefits: z.string().max(2000).nullable().optional(),
  regionCode: z.string().regex(/^\d{6}(\d{3}(\d{3})?)?$/, { message: "工作地点应为区县、街道或社区代码" }),
  salaryType: z.enum(["monthly", "hourly"]),
  salaryMinFen: Fen,
  salaryMaxFen: Fen,
  workType: WorkTypeSchema,
  targetsGraduates: z.boolean().default(false),
  isInternship: z.boolean().default(false),
});

export const ScreeningResultSchema = z
  .object({
    blocked: z.boolean(),
    needsReview: z.boolean(),
    findings: z.array(FindingSchema),
    minimumWage: MinimumWageSchema.nullable(),
  })
  .meta({ id: "ScreeningResult" });

export const PostingSchema = z
  .object({
    id: z.string(),
    employerId: z.string(),
    employerName: z.string(),
    title: z.string(),
    occupationCode: z.string(),
    occupationName: z.string().nullable(),
    description: z.string(),
    requirements: z.string().nullable(),
    benefits: z.string().nullable(),
    skills: z.array(z.string()),
    headcount: z.number().int(),
    regionCode: z.string(),
    regionName: z.string().nullable(),
    address: z.string().nullable(),
    salaryType: z.enum(["monthly", "hourly"]),
    salaryMinFen: z.number().int(),
    salaryMaxFen: z.number().int(),
    education: z.string().nullable(),
    experienceYears: z.number().int().nullable(),
    contractType: z.string(),
    workType: z.string(),
    isPublicWelfare: z.boolean(),
    isInternship: z.boolean(),
    targetsGraduates: z.boolean(),
    validUntil: z.string(),
    status: PostingStatusSchema,
    findings: z.array(FindingSchema),
    publishedAt: z.string().nullable(),
    confirmedAt: z.string().nullable(),
    /** The date by which the employer must re-confirm the posting, or it expires. */
    confirmBy: z.string().nullable(),
    version: z.number().int(),
    createdAt: z.string(),
  })
  .meta({ id: "Posting" });

export const PublicPostingSchema = PostingSchema.omit({
  findings: true,
  version: true,
  status: true,
  confirmedAt: true,
}).meta({
  id: "PublicPosting",
});

export const ListPostingsQuerySchema = z.strictObject({
  ...PageQuery,
  status: PostingStatusSchema.optional(),
  q: z.string().trim().max(50).optional(),
  regionCode: RegionCodeSchema.optional(),
  employerId: UuidSchema.optional(),
});

export const SearchPostingsQuerySchema = z.strictObject({
  q: z.string().trim().max(50, { message: "关键词不超过50个字" }).optional(),
  regionCode: RegionCodeSchema.optional(),
  occupationCode: z
    .string()
    .regex(/^[1-8](-\d{2}){0,3}$/, { message: "职业代码格式不正确" })
    .optional(),
  salaryMinFen: z.coerce.number().int().min(0).optional(),
  education: EducationSchema.optional(),
  workType: WorkTypeSchema.optional(),
  postedWithinDays: z.coerce.number().int().min(1).max(365).optional(),
  sort: z.enum(["relevance", "date"]).default("relevance"),
  page: z.coerce.number().int().min(1).max(50).default(1),
  pageSize: z.coerce.number().int().min(1).max(50).default(20),
});

export const SearchPostingsResultSchema = z.object({
  items: z.array(PublicPostingSchema),
  total: z.number().int(),
  /** True when there are more matches than were counted (the total is "at least"). */
  totalIsLowerBound: z.boolean(),
  page: z.number().int(),
  pageSize: z.number().int(),
  tookMs: z.number(),
});

export const ReasonBodySchema = z.strictObject({
  reason: z.string().trim().min(2, { message: "请填写原因（至少2个字）" }).max(500),
});
export const VersionBodySchema = z.strictObject({ version: z.number().int().min(1) });

export const ReviewSchema = z
  .object({
    id: z.string(),
    postingId: z.string(),
    postingTitle: z.string(),
    employerName: z.string(),
    regionName: z.string().nullable(),
    kind: z.enum(["screening", "report"]),
    reason: z.string().nullable(),
    findings: z.array(FindingSchema),
    status: z.enum(["open", "approved", "rejected"]),
    decisionReason: z.string().nullable(),
    decidedAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: "PostingReview" });

export const ListReviewsQuerySchema = z.strictObject({
  ...PageQuery,
  status: z.enum(["open", "approved", "rejected"]).default("open"),
});

export const DecideReviewBodySchema = z.strictObject({
  decision: z.enum(["approve", "reject"], { message: "审核结论应为 approve（通过）或 reject（驳回）" }),
  reason: z.string().trim().min(2, { message: "请填写审核理由（至少2个字）" }).max(500),
});

// ── 求职登记 ──
const seekerFields = {
  occupations: z
    .array(OccupationCode)
    .min(1, { message: "请至少选择一个求职意向职业" })
    .max(5, { message: "求职意向职业最多5个" }),
  skills: SkillList,
  regions: z.array(RegionCodeSchema).max(5, { message: "意向地区最多5个" }),
  salaryExpectationFen: Fen.nullable(),
  availableFrom: DateOnly.nullable(),
  workTypes: z.array(WorkTypeSchema).max(3),
  introduction: z.string().trim().max(500, { message: "自我介绍不超过500个字" }).nullable(),
  employerVisible: z.boolean(),
};

export const CreateSeekerBodySchema = z.strictObject({
  ...seekerFields,
  skills: SkillList.default([]),
  regions: z.array(RegionCodeSchema).max(5, { message: "意向地区最多5个" }).default([]),
  salaryExpectationFen: Fen.nullable().default(null),
  availableFrom: DateOnly.nullable().default(null),
  workTypes: z.array(WorkTypeSchema).max(3).default([]),
  introduction: z.string().trim().max(500).nullable().default(null),
  employerVisible: z.boolean().default(false),
  /** Required for case workers; an individual registers themselves. */
  personId: UuidSchema.optional(),
});
export const UpdateSeekerBodySchema = z.strictObject(seekerFields).partial();

export const SeekerSchema = z
  .object({
    id: z.string(),
    personId: z.string(),
    name: z.string().nullable(),
    regionCode: z.string(),
    occupations: z.array(z.object({ code: z.string(), name: z.string().nullable() })),
    skills: z.array(z.string()),
    regions: z.array(z.object({ code: z.string(), name: z.string().nullable() })),
    salaryExpectationFen: z.number().int().nullable(),
    availableFrom: z.string().nullable(),
    workTypes: z.array(z.string()),
    introduction: z.string().nullable(),
    employerVisible: z.boolean(),
    status: z.enum(["active", "closed"]),
    createdAt: z.string(),
  })
  .meta({ id: "Seeker" });

export const ScoreComponentSchema = z.object({
  key: z.string(),
  label: z.string(),
  points: z.number(),
  max: z.number(),
  met: z.boolean(),
  detail: z.string(),
  matchedSkills: z.array(z.string()).optional(),
  missingSkills: z.array(z.string()).optional(),
});

export const RecommendationSchema = z
  .object({
    score: z.number(),
    components: z.array(ScoreComponentSchema),
    hint: z.string().nullable(),
    notUsed: z.string(),
    pinned: z.boolean(),
    posting: PublicPostingSchema.optional(),
    seeker: z
      .object({
        id: z.string(),
        name: z.string().nullable(),
        occupations: z.array(z.string()),
        skills: z.array(z.string()),
        regionName: z.string().nullable(),
      })
      .optional(),
  })
  .meta({ id: "Recommendation" });

export const RecommendationsQuerySchema = z.strictObject({ k: z.coerce.number().int().min(1).max(50).default(20) });

export const FeedbackBodySchema = z.strictObject({
  postingId: UuidSchema,
  kind: z.enum(["not_relevant", "hidden", "pinned"], { message: "类型应为 not_relevant、hidden 或 pinned" }),
  reason: z.string().trim().min(2, { message: "请填写原因（至少2个字）" }).max(300),
});

// ── 职业介绍 ──
export const CreateReferralBodySchema = z.strictObject({ seekerId: UuidSchema, postingId: UuidSchema });
export const UpdateReferralBodySchema = z
  .strictObject({
    status: z.enum(["interviewed", "hired", "not_hired", "no_response"], {
      message: "结果应为 interviewed、hired、not_hired 或 no_response",
    }),
    reason: z.string().trim().max(300).optional(),
    outcomeOn: DateOnly,
  })
  .refine((b) => b.status !== "not_hired" || (b.reason && b.reason.length >= 2), {
    message: "未录用时请填写原因",
    path: ["reason"],
  });
export const ConfirmHireBodySchema = z.strictObject({
  startDate: DateOnly,
  contractType: z.enum(["fixed_term", "open_ended", "task_based", "none"]).default("fixed_term"),
  contractMonths: z.number().int().min(1).max(600).optional(),
});

export const ReferralSchema = z
  .object({
    id: z.string(),
    seekerId: z.string(),
    personId: z.string(),
    personName: z.string().nullable(),
    postingId: z.string(),
    postingTitle: z.string(),
    employerName: z.string(),
    score: z.number().nullable(),
    status: z.enum(["referred", "interviewed", "hired", "not_hired", "no_response"]),
    outcomeReason: z.string().nullable(),
    outcomeOn: z.string().nullable(),
    ledgerEventId: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: "Referral" });

export type Occupation = z.infer<typeof OccupationSchema>;
export type Finding = z.infer<typeof FindingSchema>;
export type ScreeningResult = z.infer<typeof ScreeningResultSchema>;
export type Posting = z.infer<typeof PostingSchema>;
export type PublicPosting = z.infer<typeof PublicPostingSchema>;
export type PostingReview = z.infer<typeof ReviewSchema>;
export type Seeker = z.infer<typeof SeekerSchema>;
export type Recommendation = z.infer<typeof RecommendationSchema>;
export type Referral = z.infer<typeof ReferralSchema>;
export type SearchPostingsResult = z.infer<typeof SearchPostingsResultSchema>;

// ── 人力资源市场供求指标 ──
const Quarter = z.string().regex(/^\d{4}Q[1-4]$/, { message: "季度格式应为 YYYYQn，如 2026Q4" });
export const VacancyRatioQuerySchema = z.strictObject({
  regionCode: RegionCodeSchema.optional(),
  quarter: Quarter.optional(),
  by: z
    .enum(["region", "major", "middle"], { message: "分组应为 region（地区）、major（职业大类）或 middle（职业中类）" })
    .default("region"),
});
export const VacancyRatioSchema = z
  .object({
    quarter: z.string(),
    quarterLabel: z.string(),
    regionCode: z.string(),
    regionName: z.string(),
    by: z.string(),
    definition: z.string(),
    rows: z.array(
      z.object({
        key: z.string(),
        name: z.string(),
        vacancies: z.number().int(),
        postings: z.number().int(),
        seekers: z.number().int(),
        ratio: z.number().nullable(),
      }),
    ),
    total: z.object({
      vacancies: z.number().int(),
      seekers: z.number().int().nullable(),
      ratio: z.number().nullable(),
    }),
  })
  .meta({ id: "VacancyRatio" });
export const WagesQuerySchema = z.strictObject({
  regionCode: RegionCodeSchema.optional(),
  quarter: Quarter.optional(),
  level: z
    .enum(["middle", "detailed"], { message: "职业层级应为 middle（中类）或 detailed（细类）" })
    .default("middle"),
});
export const WagesSchema = z
  .object({
    quarter: z.string(),
    quarterLabel: z.string(),
    regionCode: z.string(),
    regionName: z.string(),
    minSample: z.number().int(),
    percentiles: z.array(z.number()),
    rows: z.array(
      z.object({
        key: z.string(),
        name: z.string(),
        postings: z.number().int(),
        shown: z.boolean(),
        values: z.array(z.number()).nullable(),
      }),
    ),
  })
  .meta({ id: "Wages" });
export const MarketExportQuerySchema = z.strictObject({
  kind: z.enum(["vacancy-ratio", "wages"], { message: "导出类型应为 vacancy-ratio 或 wages" }),
  regionCode: RegionCodeSchema.optional(),
  quarter: Quarter.optional(),
  by: z.enum(["region", "major", "middle"]).optional(),
  level: z.enum(["middle", "detailed"]).optional(),
});
export type VacancyRatio = z.infer<typeof VacancyRatioSchema>;
export type Wages = z.infer<typeof WagesSchema>;

// ── 专场招聘会 ──
const FairTheme = z.enum(["industry", "regional", "key_group", "graduates", "general"], {
  message:
    "主题应为 industry（行业）、regional（区域）、key_group（重点群体）、graduates（高校毕业生）或 general（综合）",
});
const FairMode = z.enum(["onsite", "online", "hybrid"], {
  message: "形式应为 onsite（现场）、online（网络）或 hybrid（线上线下）",
});
export const CreateJobFairBodySchema = z
  .strictObject({
    title: z.string().trim().min(4, { message: "名称至少4个字" }).max(100),
    theme: FairTheme,
    themeDetail: z.string().trim().max(100).nullable().optional(),
    mode: FairMode,
    regionCode: RegionCodeSchema,
    venue: z.string().trim().max(200).nullable().optional(),
    startsAt: z.iso.datetime({ offset: true, message: "开始时间格式不正确" }),
    endsAt: z.iso.datetime({ offset: true, message: "结束时间格式不正确" }),
    description: z.string().trim().max(5000).nullable().optional(),
  })
  .refine((b) => b.endsAt > b.startsAt, { message: "结束时间应晚于开始时间", path: ["endsAt"] });
export const UpdateJobFairStatusBodySchema = z.strictObject({
  status: z.enum(["published", "closed"], { message: "状态应为 published（发布）或 closed（结束）" }),
});
export const JobFairSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    theme: z.string(),
    themeDetail: z.string().nullable(),
    mode: z.string(),
    regionCode: z.string(),
    regionName: z.string().nullable(),
    venue: z.string().nullable(),
    startsAt: z.string(),
    endsAt: z.string(),
    description: z.string().nullable(),
    status: z.enum(["draft", "published", "closed"]),
    results: z.object({
      employers: z.number().int(),
      postings: z.number().int(),
      vacancies: z.number().int(),
      registrations: z.number().int(),
      applications: z.number().int(),
      hires: z.number().int(),
    }),
  })
  .meta({ id: "JobFair" });
export const JobFairDetailSchema = JobFairSchema.extend({ postings: z.array(PublicPostingSchema) }).meta({
  id: "JobFairDetail",
});
export const ListJobFairsQuerySchema = z.strictObject({
  regionCode: RegionCodeSchema.optional(),
  status: z.enum(["draft", "published", "closed"]).optional(),
});
export const JoinJobFairBodySchema = z.strictObject({ postingId: UuidSchema });
export const ApplyJobFairBodySchema = z.strictObject({ postingId: UuidSchema });
export const JobFairApplicationSchema = z
  .object({
    id: z.string(),
    personName: z.string().nullable(),
    postingId: z.string(),
    postingTitle: z.string(),
    employerName: z.string(),
    status: z.enum(["applied", "hired", "not_hired"]),
    createdAt: z.string(),
  })
  .meta({ id: "JobFairApplication" });
export const UpdateJobFairApplicationBodySchema = z.strictObject({
  status: z.enum(["hired", "not_hired"], { message: "结果应为 hired（录用）或 not_hired（未录用）" }),
});
export type JobFair = z.infer<typeof JobFairSchema>;
export type JobFairDetail = z.infer<typeof JobFairDetailSchema>;
export type JobFairApplication = z.infer<typeof JobFairApplicationSchema>;

export const ImportOccupationsBodySchema = z.strictObject({
  version: z.string().regex(/^\d{4}$/, { message: "版本应为年份，如 2022" }),
  rows: z
    .array(
      z.strictObject({
        code: z.string().regex(/^[1-8](-\d{2}(-\d{2}(-\d{2})?)?)?$/, {
          message: "职业代码格式应为 大类-中类-小类-细类，如 6-31-01-03",
        }),
        name: z.string().trim().min(1, { message: "请填写职业名称" }).max(100),
        aliases: z.array(z.string().trim().min(1).max(50)).max(30).default([]),
        skills: z.array(z.string().trim().min(1).max(30)).max(50).default([]),
        verified: z.boolean().default(true),
      }),
    )
    .min(1, { message: "至少导入一条职业" })
    .max(5000, { message: "一次最多导入5000条" }),
});
export const ImportOccupationsResultSchema = z.object({ inserted: z.number().int(), updated: z.number().int() });
