import { z } from "zod";
import { PageQuery, RegionCodeSchema } from "./common.ts";

const OWNERSHIP = [
  "state_owned",
  "collective",
  "private",
  "joint_stock",
  "foreign",
  "hk_mo_tw",
  "individual_business",
  "public_institution",
  "government",
  "social_organization",
  "other",
] as const;
const SIZE = ["large", "medium", "small", "micro"] as const;
const Mobile = z
  .string()
  .trim()
  .regex(/^1[3-9]\d{9}$/, { message: "联系电话应为11位手机号码" });
const DateOnly = z.iso.date({ message: "日期格式应为 YYYY-MM-DD" });
const Count = z.number().int().min(0, { message: "人数不能为负数" }).max(10_000_000);

export const IndustrySchema = z
  .object({ code: z.string(), section: z.string(), name: z.string(), level: z.enum(["section", "division"]) })
  .meta({ id: "Industry" });

export const EmployerSchema = z
  .object({
    id: z.string(),
    creditCode: z.string(),
    creditCodeOverride: z.boolean(),
    name: z.string(),
    industryCode: z.string(),
    industryName: z.string().nullable(),
    sectionCode: z.string().nullable(),
    sectionName: z.string().nullable(),
    ownership: z.enum(OWNERSHIP),
    sizeClass: z.enum(SIZE).nullable(),
    regionCode: z.string(),
    regionName: z.string().nullable(),
    address: z.string().nullable(),
    contactName: z.string().nullable(),
    contactPhoneMasked: z.string().nullable(),
    headcount: z.number().int().nullable(),
    insuredHeadcount: z.number().int().nullable(),
    headcountAsOf: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: "Employer" });
export type Employer = z.infer<typeof EmployerSchema>;

export const ListEmployersQuerySchema = z.strictObject({
  ...PageQuery,
  q: z.string().trim().max(100).optional(),
  creditCode: z.string().trim().max(18).optional(),
  industryCode: z.string().trim().max(2).optional(),
  regionCode: RegionCodeSchema.optional(),
});

export const ExportEmployersQuerySchema = z.strictObject({
  q: z.string().trim().max(100).optional(),
  industryCode: z.string().trim().max(2).optional(),
  regionCode: RegionCodeSchema.optional(),
  format: z.enum(["xlsx", "csv"], { message: "导出格式应为 xlsx 或 csv" }).default("xlsx"),
});

const headcountFields = {
  headcount: Count.optional(),
  insuredHeadcount: Count.optional(),
  headcountAsOf: DateOnly.optional(),
  contactName: z.string().trim().min(1).max(64).optional(),
  contactPhone: Mobile.optional(),
  address: z.string().trim().max(200).optional(),
};

export const CreateEmployerBodySchema = z.strictObject({
  creditCode: z.string().trim().min(1, "请输入统一社会信用代码").max(18, "统一社会信用代码应为18位"),
  /** An audited exception for a real legacy code that fails the GB 32100 checksum. */
  creditCodeOverrideReason: z.string().trim().min(4, "请说明例外原因（至少4个字）").max(200).optional(),
  name: z.string().trim().min(2, "请输入单位名称").max(200, "单位名称不超过200个字符"),
  industryCode: z
    .string()
    .trim()
    .regex(/^\d{2}$/, { message: "行业应为 GB/T 4754-2017 大类两位代码" }),
  ownership: z.enum(OWNERSHIP, { message: "单位类型不正确" }),
  sizeClass: z.enum(SIZE, { message: "企业规模应为大型、中型、小型或微型" }).optional(),
  regionCode: RegionCodeSchema,
  ...headcountFields,
});

export const UpdateEmployerBodySchema = z.strictObject({
  name: z.string().trim().min(2).max(200).optional(),
  industryCode: z
    .string()
    .trim()
    .regex(/^\d{2}$/, { message: "行业应为 GB/T 4754-2017 大类两位代码" })
    .optional(),
  sizeClass: z.enum(SIZE).optional(),
  ...headcountFields,
});

export const CreateEmployerAccountBodySchema = z.strictObject({
  username: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.-]{3,64}$/, "用户名应为3-64位字母、数字、下划线、点或横线"),
  displayName: z.string().trim().min(1, "请输入联系人姓名").max(50),
});
export const EmployerAccountSchema = z.object({
  userId: z.string(),
  username: z.string(),
  temporaryPassword: z.string(),
});
