import { z } from "zod";

const DateOnly = z.iso.date({ message: "日期格式应为 YYYY-MM-DD" });
const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: "月份格式应为 YYYY-MM" });
const Fen = z.number().int().min(0, { message: "金额（分）不能为负数" }).max(10_000_000_000);

/** Every record from another system names its source record and the date the source asserts it. */
const base = {
  sourceRecordId: z.string().trim().min(1, "缺少源系统记录号").max(64),
  idNumber: z.string().trim().min(15, "公民身份号码应为18位").max(18, "公民身份号码应为18位"),
  sourceDate: DateOnly,
};

export const EXTERNAL_KINDS = [
  "insurance-spells",
  "benefit-claims",
  "skill-certificates",
  "dibao",
  "disability",
] as const;
export const ExternalKindSchema = z.enum(EXTERNAL_KINDS, { message: "数据类别不正确" });

export const ExternalRecordSchemas = {
  "insurance-spells": z.strictObject({
    ...base,
    fund: z.enum(["pension", "unemployment", "medical", "injury"], { message: "险种应为养老、失业、医疗或工伤" }),
    employerCreditCode: z.string().trim().length(18, "统一社会信用代码应为18位").optional(),
    fromMonth: Month,
    toMonth: Month.optional(),
    baseFen: Fen.optional(),
  }),
  "benefit-claims": z.strictObject({
    ...base,
    claimDate: DateOnly,
    fromMonth: Month,
    toMonth: Month.optional(),
    monthsEntitled: z.number().int().min(0).max(24, { message: "失业保险金领取期限最长24个月" }),
    monthlyAmountFen: Fen,
    status: z.enum(["paying", "suspended", "ended"], { message: "状态应为 paying、suspended 或 ended" }),
  }),
  "skill-certificates": z.strictObject({
    ...base,
    kind: z.enum(["skill_level", "special_operation", "professional_qualification"], { message: "证书类别不正确" }),
    name: z.string().trim().min(1).max(100),
    level: z.number().int().min(1).max(5).optional(),
    certificateNo: z.string().trim().max(40).optional(),
    issuedOn: DateOnly,
    issuer: z.string().trim().max(100).optional(),
  }),
  dibao: z.strictObject({ ...base, validFrom: DateOnly, validTo: DateOnly.optional() }),
  disability: z.strictObject({
    ...base,
    certificateNumber: z.string().trim().min(1).max(40),
    kind: z.enum(["visual", "hearing", "speech", "physical", "intellectual", "mental", "multiple"]),
    grade: z.number().int().min(1).max(4, { message: "残疾等级为1-4级" }),
    validFrom: DateOnly.optional(),
    validTo: DateOnly.optional(),
  }),
} as const;

export const ExternalBatchBodySchema = z.strictObject({
  sourceSystem: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, { message: "源系统标识应为2-64位小写字母、数字、点、下划线或横线" }),
  records: z.array(z.record(z.string(), z.unknown())).min(1, "至少一条记录").max(1000, "每批最多1000条"),
});

export const ExternalBatchResultSchema = z
  .object({
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    rejected: z.array(
      z.object({
        index: z.number().int(),
        sourceRecordId: z.string().nullable(),
        field: z.string(),
        code: z.string(),
        message: z.string(),
      }),
    ),
  })
  .meta({ id: "ExternalBatchResult" });

export const PersonExternalSchema = z
  .object({
    insuranceSpells: z.array(
      z.object({
        fund: z.string(),
        employerCreditCode: z.string().nullable(),
        fromMonth: z.string(),
        toMonth: z.string().nullable(),
        baseFen: z.number().nullable(),
        sourceSystem: z.string(),
        sourceDate: z.string(),
      }),
    ),
    benefitClaims: z.array(
      z.object({
        claimDate: z.string(),
        fromMonth: z.string(),
        toMonth: z.string().nullable(),
        monthsEntitled: z.number(),
        monthlyAmountFen: z.number(),
        status: z.string(),
        sourceSystem: z.string(),
        sourceDate: z.string(),
      }),
    ),
    skillCertificates: z.array(
      z.object({
        kind: z.string(),
        name: z.string(),
        level: z.number().nullable(),
        certificateNoMasked: z.string().nullable(),
        issuedOn: z.string(),
        issuer: z.string().nullable(),
        sourceSystem: z.string(),
        sourceDate: z.string(),
      }),
    ),
  })
  .meta({ id: "PersonExternalRecords" });
