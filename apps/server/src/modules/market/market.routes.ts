import {
  MarketExportQuerySchema,
  VacancyRatioQuerySchema,
  VacancyRatioSchema,
  WagesQuerySchema,
  WagesSchema,
} from "@jiuye/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { sendDownload } from "../../lib/download.ts";
import { actorOf } from "../../plugins/auth.ts";
import type { MarketService } from "./market.service.ts";

const tags = ["市场供求分析"];

export function marketRoutes(deps: { market: MarketService }): FastifyPluginAsyncZod {
  const { market } = deps;
  return async (app) => {
    app.get(
      "/market/vacancy-ratio",
      {
        schema: {
          tags,
          summary: "求人倍率（按地区、职业大类或中类，含计算口径与分子分母）",
          querystring: VacancyRatioQuerySchema,
          response: { 200: VacancyRatioSchema },
        },
        config: { access: ["case_worker", "analyst"] },
      },
      async (req) => market.vacancyRatios(actorOf(req), req.query),
    );
    app.get(
      "/market/wages",
      {
        schema: {
          tags,
          summary: "工资价位（岗位薪资 P10/P25/P50/P75/P90，样本不足不发布）",
          querystring: WagesQuerySchema,
          response: { 200: WagesSchema },
        },
        config: { access: ["case_worker", "analyst"] },
      },
      async (req) => market.wages(actorOf(req), req.query),
    );
    app.get(
      "/market/export",
      {
        schema: { tags, summary: "导出求人倍率或工资价位（.xlsx）", querystring: MarketExportQuerySchema },
        config: { access: ["case_worker", "analyst"] },
      },
      async (req, reply) =>
        sendDownload(
          reply,
          { format: "xlsx", name: req.query.kind === "wages" ? "工资价位" : "求人倍率", ascii: req.query.kind },
          (out) => market.exportXlsx(actorOf(req), req.query, out),
        ),
    );
  };
}
