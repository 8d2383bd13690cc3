import { z } from "zod";

export const CheckResultSchema = z
  .object({
    valid: z.boolean(),
    errors: z.array(z.object({ code: z.string(), message: z.string() })),
    warnings: z.array(z.object({ code: z.string(), message: z.string() })),
  })
  .catchall(z.unknown())
  .meta({ id: "CheckResult" });

export const IdNumberCheckBodySchema = z.strictObject({
  value: z.string().trim().min(1, "请输入身份证号码").max(32, "身份证号码过长"),
});
export const CreditCodeCheckBodySchema = z.strictObject({
  value: z.string().trim().min(1, "请输入统一社会信用代码").max(32, "统一社会信用代码过长"),
});
export const RetirementCheckBodySchema = z.strictObject({
  birth: z.string().regex(/^\d{4}-\d{2}$/, "出生年月应为 YYYY-MM"),
  sex: z.enum(["male", "female"], { message: "性别应为 male 或 female" }),
  category: z.enum(["male-60", "female-55", "female-50"], { message: "退休类别应为 male-60、female-55 或 female-50" }),
});
