import { z } from "zod";
import { RegionCodeSchema } from "./common.ts";

export const RegionSchema = z
  .object({
    code: z.string(),
    name: z.string(),
    level: z.number().int(),
    parentCode: z.string().nullable(),
    childCount: z.number().int(),
  })
  .meta({ id: "Region" });
export type Region = z.infer<typeof RegionSchema>;

export const RegionChildrenQuerySchema = z.strictObject({ parent: RegionCodeSchema.optional() });
export const RegionSearchQuerySchema = z.strictObject({
  q: z.string().trim().min(1, "请输入名称").max(50),
  within: RegionCodeSchema.optional(),
});
export const RegionParamsSchema = z.strictObject({ code: RegionCodeSchema });
export const RegionDetailSchema = z.object({ region: RegionSchema, path: z.array(RegionSchema) });
