import { z } from "zod";
import { PageQuery, RegionCodeSchema, RoleSchema } from "./common.ts";

export const UserSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    role: RoleSchema,
    regionCode: z.string().nullable(),
    regionName: z.string().nullable(),
    disabled: z.boolean(),
    locked: z.boolean(),
    totpEnabled: z.boolean(),
    mustChangePassword: z.boolean(),
    lastLoginAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: "User" });
export type User = z.infer<typeof UserSchema>;

export const ListUsersQuerySchema = z.strictObject({
  ...PageQuery,
  q: z.string().trim().max(64).optional(),
  role: RoleSchema.optional(),
});

export const CreateUserBodySchema = z.strictObject({
  username: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.-]{3,64}$/, "用户名应为3-64位字母、数字、下划线、点或横线"),
  displayName: z.string().trim().min(1, "请输入姓名").max(50, "姓名不超过50个字符"),
  role: z.enum(["admin", "auditor", "analyst", "case_worker"], {
    message: "员工角色应为管理员、审计员、分析员或经办人员",
  }),
  regionCode: RegionCodeSchema,
  password: z.string().max(256).optional(),
});

export const UpdateUserBodySchema = z.strictObject({
  displayName: z.string().trim().min(1, "请输入姓名").max(50).optional(),
  disabled: z.boolean().optional(),
  regionCode: RegionCodeSchema.optional(),
});

export const CreatedUserSchema = z.object({ user: UserSchema, temporaryPassword: z.string().nullable() });
export const ResetPasswordResultSchema = z.object({ temporaryPassword: z.string() });
