import { z } from "zod";
import { PageQuery } from "./common.ts";

export const AuditEntrySchema = z
  .object({
    seq: z.number().int(),
    at: z.string(),
    actorId: z.string().nullable(),
    actorName: z.string().nullable(),
    actorRole: z.string().nullable(),
    ip: z.string().nullable(),
    action: z.string(),
    subjectType: z.string().nullable(),
    subjectId: z.string().nullable(),
    fields: z.array(z.string()),
    purpose: z.string().nullable(),
    outcome: z.string(),
    requestId: z.string().nullable(),
  })
  .meta({ id: "AuditEntry" });
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const ListAuditQuerySchema = z.strictObject({
  ...PageQuery,
  action: z.string().trim().max(64).optional(),
  actorId: z.uuid({ message: "操作人标识格式不正确" }).optional(),
  subjectId: z.string().trim().max(64).optional(),
  from: z.iso.datetime({ offset: true, message: "开始时间格式不正确" }).optional(),
  to: z.iso.datetime({ offset: true, message: "结束时间格式不正确" }).optional(),
});

export const AuditVerifySchema = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  brokenAtSeq: z.number().int().nullable(),
  reason: z.string().nullable(),
});
