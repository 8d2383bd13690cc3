import {
  ExportLedgerQuerySchema,
  ExportLedgerUnmaskedBodySchema,
  IdParamsSchema,
  LedgerEventBodySchema,
  LedgerHistorySchema,
  LedgerListSchema,
  LedgerWriteResultSchema,
  ListLedgerQuerySchema,
} from "@jiuye/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { sendDownload } from "../../lib/download.ts";
import { actorOf, contextOf } from "../../plugins/auth.ts";
import type { LedgerService } from "./ledger.service.ts";
import type { LedgerRegisterService } from "./ledger-register.service.ts";

const tags = ["就业失业登记"];

export function ledgerRoutes(ledger: LedgerService, register: LedgerRegisterService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      "/ledger",
      {
        schema: {
          tags,
          summary: "就业失业登记台账（本辖区，按登记日期倒序，脱敏，查询留痕）",
          querystring: ListLedgerQuerySchema,
          response: { 200: LedgerListSchema },
        },
        config: { access: ["case_worker"] },
      },
      async (req) => register.list(actorOf(req), req.query, contextOf(req)),
    );
    const file = (format: "xlsx" | "csv") => ({ format, name: "就业失业登记台账", ascii: "ledger" });
    app.get(
      "/ledger/export",
      {
        schema: {
          tags,
          summary: "导出台账筛选结果（脱敏，.xlsx 或 .csv，公式已中和）",
          querystring: ExportLedgerQuerySchema,
        },
        config: { access: ["case_worker"] },
      },
      async (req, reply) =>
        sendDownload(reply, file(req.query.format), (out) =>
          register.exportList(actorOf(req), req.query, out, contextOf(req)),
        ),
    );
    app.post(
      "/ledger/export",
      {
        schema: {
          tags,
          summary: "导出台账，含完整身份证号和手机号（须说明目的，留痕）",
          body: ExportLedgerUnmaskedBodySchema,
        },
        config: { access: ["case_worker"], revealsPersonalData: true },
      },
      async (req, reply) =>
        sendDownload(reply, file(req.body.format), (out) =>
          register.exportList(actorOf(req), req.body, out, contextOf(req)),
        ),
    );
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
