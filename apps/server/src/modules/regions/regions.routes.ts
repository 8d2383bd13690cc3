import {
  RegionChildrenQuerySchema,
  RegionDetailSchema,
  RegionParamsSchema,
  RegionSchema,
  RegionSearchQuerySchema,
} from "@jiuye/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RegionsService } from "./regions.service.ts";

const tags = ["行政区划"];

export function regionsRoutes(regions: RegionsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      "/regions",
      {
        schema: {
          tags,
          summary: "下级区划（不带 parent 时为省级）",
          querystring: RegionChildrenQuerySchema,
          response: { 200: z.array(RegionSchema) },
        },
        config: { access: "authenticated" },
      },
      async (req) => regions.children(req.query.parent ?? null),
    );
    app.get(
      "/regions/search",
      {
        schema: {
          tags,
          summary: "按名称查找区划",
          querystring: RegionSearchQuerySchema,
          response: { 200: z.array(RegionSchema) },
        },
        config: { access: "authenticated" },
      },
      async (req) => regions.search(req.query.q, req.query.within ?? null),
    );
    app.get(
      "/regions/:code",
      {
        schema: {
          tags,
          summary: "区划详情及上级路径",
          params: RegionParamsSchema,
          response: { 200: RegionDetailSchema },
        },
        config: { access: "authenticated" },
      },
      async (req) => regions.detail(req.params.code),
    );
  };
}
