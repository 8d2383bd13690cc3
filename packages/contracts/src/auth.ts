import { z } from "zod";
import { RoleSchema } from "./common.ts";

export const LoginBodySchema = z.strictObject({
  username: z.string().trim().min(1, "请输入用户名").max(64, "用户名过长"),
  password: z.string().min(1, "请输入密码").max(256, "密码过长"),
  totpCode: z
    .string()
    .regex(/^\d{6}$/, "动态口令应为6位数字")
    .optional(),
});

export const MeSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    role: RoleSchema,
    regionCode: z.string().nullable(),
    regionName: z.string().nullable(),
    personId: z.string().nullable(),
    employerId: z.string().nullable(),
    totpEnabled: z.boolean(),
    totpRequired: z.boolean(),
    mustChangePassword: z.boolean(),
    csrfToken: z.string(),
  })
  .meta({ id: "Me" });
export type Me = z.infer<typeof MeSchema>;

export const ChangePasswordBodySchema = z.strictObject({
  currentPassword: z.string().min(1, "请输入当前密码").max(256),
  newPassword: z.string().min(1, "请输入新密码").max(256, "密码过长"),
});

export const TotpSetupSchema = z.object({ secret: z.string(), otpauthUri: z.string() });
export const TotpCodeBodySchema = z.strictObject({ code: z.string().regex(/^\d{6}$/, "动态口令应为6位数字") });
