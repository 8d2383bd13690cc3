import { AuditEntrySchema, AuditVerifySchema, ListAuditQuerySchema, pageOf } from "@jiuye/contracts";
import type { Database } from "@jiuye/db";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { Kysely } from "kysely";
import { auditRepository } from "./audit.repository.ts";
import type { AuditService } from "./audit.service.ts";

const AUDITOR = ["auditor"] as const;
const tags = ["安全审计"];

export function auditRoutes(deps: { db: Kysely<Database>; audit: AuditService }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      "/audit",
      {
        schema: {
          tags,
          summary: "审计日志",
          querystring: ListAuditQuerySchema,
          response: { 200: pageOf(AuditEntrySchema) },
        },
        config: { access: AUDITOR },
      },
      async (req) => {
        const { page, pageSize, ...filter } = req.query;
        const { rows, total } = await auditRepository.list(deps.db, filter, page, pageSize);
        return {
          items: rows.map((r) => ({
            seq: Number(r.seq),
            at: new Date(r.at).toISOString(),
            actorId: r.actor_id,
            actorName: r.actor_name ?? null,
            actorRole: r.actor_role,
            ip: r.ip,
            action: r.action,
            subjectType: r.subject_type,
            subjectId: r.subject_id,
            fields: r.fields ?? [],
            purpose: r.purpose,
            outcome: r.outcome,
            requestId: r.request_id,
          })),
          total,
          page,
          pageSize,
        };
      },
    );
    app.post(
      "/audit/verify",
      {
        schema: { tags, summary: "校验审计日志哈希链", response: { 200: AuditVerifySchema } },
        config: { access: AUDITOR },
      },
      async () => deps.audit.verify(deps.db),
    );
  };
}
