import { z } from "zod";

export const EducationSchema = z.enum(
  [
    "doctorate",
    "master",
    "bachelor",
    "junior_college",
    "secondary_vocational",
    "high_school",
    "junior_high",
    "primary_or_below",
  ],
  {
    message:
      "学历应为 doctorate、master、bachelor、junior_college、secondary_vocational、high_school、junior_high 或 primary_or_below",
  },
);

export const UpdatePersonBodySchema = z.strictObject({
  education: EducationSchema.nullable().optional(),
  hukouType: z
    .enum(["urban", "rural"], { message: "户籍类型应为 urban（城镇）或 rural（农村）" })
    .nullable()
    .optional(),
  hukouRegionCode: z
    .string()
    .regex(/^(\d{6}|\d{9}|\d{12})$/, "户籍地应为县级及以下区划代码")
    .nullable()
    .optional(),
  retirementCategory: z
    .enum(["male-60", "female-55", "female-50"], { message: "退休类别应为 male-60、female-55 或 female-50" })
    .nullable()
    .optional(),
});

const DateSchema = z.iso.date({ message: "日期格式应为 YYYY-MM-DD" });
const common = {
  source: z.enum(["declared", "verified"], { message: "来源应为 declared（本人申报）或 verified（经办核验）" }),
  validFrom: DateSchema.optional(),
  validTo: DateSchema.optional(),
};

export const CreatePersonAttributeBodySchema = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({
      kind: z.literal("graduate"),
      details: z.strictObject({
        school: z.string().trim().min(1, "请填写毕业院校").max(100),
        graduationDate: DateSchema,
        degree: z.enum(["doctorate", "master", "bachelor", "junior_college"], {
          message: "学历层次应为博士、硕士、本科或专科",
        }),
      }),
      ...common,
    }),
    z.strictObject({ kind: z.literal("veteran"), details: z.strictObject({ dischargeDate: DateSchema }), ...common }),
    z.strictObject({
      kind: z.literal("disability"),
      details: z.strictObject({
        certificateNumber: z
          .string()
          .trim()
          .regex(/^\d{17}[\dX]\d{2}$/, "残疾人证号应为身份证号码加两位数字（共20位）"),
        disabilityKind: z.enum(["visual", "hearing", "speech", "physical", "intellectual", "mental", "multiple"], {
          message: "请选择残疾类别",
        }),
        grade: z.number().int().min(1, "残疾等级为1-4级").max(4, "残疾等级为1-4级"),
      }),
      ...common,
    }),
    z.strictObject({
      kind: z.literal("dibao"),
      details: z.strictObject({ note: z.string().max(200).optional() }),
      ...common,
    }),
    z.strictObject({
      kind: z.literal("poverty_alleviated"),
      details: z.strictObject({ note: z.string().max(200).optional() }),
      ...common,
    }),
    z.strictObject({
      kind: z.literal("rural_migrant"),
      details: z.strictObject({ note: z.string().max(200).optional() }),
      ...common,
    }),
    z.strictObject({
      kind: z.literal("released_prisoner"),
      details: z.strictObject({ releaseDate: DateSchema }),
      ...common,
    }),
  ],
  { message: "重点群体类别不正确" },
);

export const PersonAttributeSchema = z
  .object({
    id: z.string(),
    kind: z.string(),
    label: z.string(),
    details: z.record(z.string(), z.unknown()),
    source: z.string(),
    sourceSystem: z.string().nullable(),
    verifiedBy: z.string().nullable(),
    validFrom: z.string().nullable(),
    validTo: z.string().nullable(),
    recordedAt: z.string(),
  })
  .meta({ id: "PersonAttribute" });
