import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";

export function systemRoutes(): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      "/health",
      {
        schema: { tags: ["系统"], summary: "健康检查", response: { 200: z.object({ status: z.literal("ok") }) } },
        config: { access: "public", rateLimit: false } as any,
      },
      async () => ({
        status: "ok" as const,
      }),
    );
  };
}
