import { z } from "zod";

/** problem+json (RFC 9457) with Jiuye's stable code and field errors. */
export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string(),
    detail: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), code: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: "Problem" });
export type Problem = z.infer<typeof ProblemSchema>;

export const RoleSchema = z.enum(["admin", "auditor", "analyst", "case_worker", "employer", "individual"]);
export type RoleName = z.infer<typeof RoleSchema>;

export const RegionCodeSchema = z
  .string()
  .regex(/^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/, { message: "区划代码应为2、4、6、9或12位数字" });

export const UuidSchema = z.uuid({ message: "标识格式不正确" });
export const IdParamsSchema = z.strictObject({ id: UuidSchema });

export const PageQuery = {
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
};

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  });
}

/** A page of a list whose total is counted up to a cap (lists that can match a whole city). */
export function cappedPageOf<T extends z.ZodType>(item: T) {
  return pageOf(item).extend({
    /** `total` is a lower bound: more match than were counted (narrow the filter). */
    totalCapped: z.boolean(),
  });
}

export const OkSchema = z.object({ ok: z.literal(true) });
