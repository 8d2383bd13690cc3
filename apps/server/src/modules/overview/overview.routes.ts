import { OverviewSchema } from "@jiuye/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { actorOf } from "../../plugins/auth.ts";
import type { OverviewService } from "./overview.service.ts";

export function overviewRoutes(overview: OverviewService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      "/overview",
      {
        schema: { tags: ["概览"], summary: "工作台概览（仅汇总数据）", response: { 200: OverviewSchema } },
        config: { access: "authenticated" },
      },
      async (req) => overview.forActor(actorOf(req)),
    );
  };
}
