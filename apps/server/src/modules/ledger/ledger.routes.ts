import { IdParamsSchema, LedgerEventBodySchema, LedgerHistorySchema, LedgerWriteResultSchema } from "@jiuye/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { actorOf, contextOf } from "../../plugins/auth.ts";
import type { LedgerService } from "./ledger.service.ts";

const tags = ["就业失业登记"];

export function ledgerRoutes(ledger: LedgerService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      "/persons/:id/ledger",
      {
        schema: {
          tags,
          summary: "就业失业登记记录与当前状态",
          params: IdParamsSchema,
          response: { 200: LedgerHistorySchema },
        },
        config: { access: ["case_worker", "individual"] },
      },
      async (req) => ledger.history(actorOf(req), req.params.id, contextOf(req)),
    );
    app.post(
      "/persons/:id/ledger",
      {
        schema: {
          tags,
          summary: "办理就业登记、失业登记、注销或更正（支持 Idempotency-Key）",
          params: IdParamsSchema,
          body: LedgerEventBodySchema,
          response: { 201: LedgerWriteResultSchema },
        },
        config: { access: ["case_worker"], idempotent: true },
      },
      async (req, reply) => {
        const result = await ledger.record(actorOf(req), req.params.id, req.body, contextOf(req));
        reply.status(201);
        return result;
      },
    );
  };
}
