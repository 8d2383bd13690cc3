import { z } from "zod";
import { PageQuery, RegionCodeSchema, UuidSchema } from "./common.ts";

const RELATIONS = ["head", "spouse", "child", "parent", "sibling", "grandchild", "grandparent", "other"] as const;
const DateOnly = z.iso.date({ message: "日期格式应为 YYYY-MM-DD" });

export const HouseholdMemberInputSchema = z.strictObject({
  personId: UuidSchema,
  relation: z.enum(RELATIONS, { message: "与户主关系不正确" }),
  joinedOn: DateOnly,
});

export const CreateHouseholdBodySchema = z.strictObject({
  regionCode: RegionCodeSchema,
  address: z.string().trim().max(200).optional(),
  members: z.array(HouseholdMemberInputSchema).min(1, "家庭至少有一名成员").max(30),
});

export const LeaveHouseholdBodySchema = z.strictObject({ leftOn: DateOnly });

export const HouseholdMemberSchema = z
  .object({
    id: z.string(),
    personId: z.string(),
    name: z.string(),
    idNumberMasked: z.string(),
    sex: z.enum(["male", "female"]),
    birthDate: z.string(),
    relation: z.enum(RELATIONS),
    joinedOn: z.string(),
    leftOn: z.string().nullable(),
    workingAge: z.boolean(),
    status: z.enum(["employed", "unemployed", "none"]),
  })
  .meta({ id: "HouseholdMember" });

export const HouseholdSchema = z
  .object({
    id: z.string(),
    regionCode: z.string(),
    regionName: z.string().nullable(),
    address: z.string().nullable(),
    createdAt: z.string(),
    members: z.array(HouseholdMemberSchema),
    /** 零就业家庭 as of today, from the current members' ledger status and working age. */
    zeroEmployment: z.boolean(),
  })
  .meta({ id: "Household" });
export type Household = z.infer<typeof HouseholdSchema>;

export const ListHouseholdsQuerySchema = z.strictObject({ ...PageQuery, regionCode: RegionCodeSchema.optional() });
