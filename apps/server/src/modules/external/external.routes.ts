import {
  ExternalBatchBodySchema,
  ExternalBatchResultSchema,
  ExternalKindSchema,
  IdParamsSchema,
  PersonExternalSchema,
} from "@jiuye/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { actorOf, contextOf } from "../../plugins/auth.ts";
import type { ExternalService } from "./external.service.ts";

const tags = ["外部系统数据"];

export function externalRoutes(deps: { external: ExternalService }): FastifyPluginAsyncZod {
  const { external } = deps;
  return async (app) => {
    app.post(
      "/external/:kind",
      {
        schema: {
          tags,
          summary: "接收其他系统的数据（参保记录、失业保险金、技能证书、低保、残疾人证），按源系统记录号幂等",
          params: z.strictObject({ kind: ExternalKindSchema }),
          body: ExternalBatchBodySchema,
          response: { 200: ExternalBatchResultSchema },
        },
        config: { access: ["case_worker"] },
      },
      async (req) => external.receive(actorOf(req), req.params.kind, req.body, contextOf(req)),
    );
    app.get(
      "/persons/:id/external",
      {
        schema: {
          tags,
          summary: "劳动者的参保、失业保险金和技能证书记录（来自其他系统，只读）",
          params: IdParamsSchema,
          response: { 200: PersonExternalSchema },
        },
        config: { access: ["case_worker", "individual"] },
      },
      async (req) => external.ofPerson(actorOf(req), req.params.id, contextOf(req)),
    );
  };
}
