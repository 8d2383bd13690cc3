import { z } from "zod";
import { PageQuery, RegionCodeSchema } from "./common.ts";

export const PersonSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    idNumberMasked: z.string(),
    phoneMasked: z.string().nullable(),
    sex: z.enum(["male", "female"]),
    birthDate: z.string(),
    residenceRegionCode: z.string(),
    residenceRegionName: z.string().nullable(),
    education: z.string().nullable(),
    hukouType: z.string().nullable(),
    hukouRegionCode: z.string().nullable(),
    retirementCategory: z.string().nullable(),
  })
  .meta({ id: "Person" });
export type Person = z.infer<typeof PersonSchema>;

export const ListPersonsQuerySchema = z.strictObject({
  ...PageQuery,
  q: z.string().trim().max(50, "关键词不超过50个字符").optional(),
  idNumber: z.string().trim().max(18, "身份证号码不超过18位").optional(),
  phone: z.string().trim().max(11).optional(),
  regionCode: RegionCodeSchema.optional(),
  keyGroup: z
    .enum(["graduate", "veteran", "disability", "dibao", "poverty_alleviated", "rural_migrant", "released_prisoner"], {
      message: "重点群体类别不正确",
    })
    .optional(),
});

export const CreatePersonBodySchema = z.strictObject({
  name: z.string().trim().min(1, "请输入姓名").max(50, "姓名不超过50个字符"),
  idNumber: z.string().trim().min(1, "请输入身份证号码").max(18, "身份证号码应为18位"),
  phone: z
    .string()
    .trim()
    .regex(/^1[3-9]\d{9}$/, "手机号码应为11位，以13-19开头")
    .optional(),
  residenceRegionCode: z.string().regex(/^(\d{9}|\d{12})$/, "常住地应为街道（9位）或社区（12位）区划代码"),
});

const PersonFilterFields = {
  q: z.string().trim().max(50, "关键词不超过50个字符").optional(),
  regionCode: RegionCodeSchema.optional(),
  keyGroup: z
    .enum(["graduate", "veteran", "disability", "dibao", "poverty_alleviated", "rural_migrant", "released_prisoner"], {
      message: "重点群体类别不正确",
    })
    .optional(),
};
const ExportFormat = z.enum(["xlsx", "csv"], { message: "导出格式应为 xlsx 或 csv" }).default("xlsx");

/** Export of a filtered list, masked. */
export const ExportPersonsQuerySchema = z.strictObject({ ...PersonFilterFields, format: ExportFormat });
/** Export with full ID and phone numbers: needs a stated purpose and is audited. */
export const ExportPersonsUnmaskedBodySchema = z.strictObject({
  ...PersonFilterFields,
  format: ExportFormat,
  purpose: z.string().min(1, "请选择导出目的").max(64),
});

export const RevealBodySchema = z.strictObject({
  field: z.enum(["idNumber", "phone"], { message: "可查看的字段为 idNumber 或 phone" }),
  purpose: z.string().min(1, "请选择查看目的").max(64),
});
export const RevealResultSchema = z.object({ field: z.string(), value: z.string().nullable() });

export const RevealPurposeSchema = z.object({ code: z.string(), label: z.string() });
