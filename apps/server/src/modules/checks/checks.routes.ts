import {
  CheckResultSchema,
  CreditCodeCheckBodySchema,
  IdNumberCheckBodySchema,
  RetirementCheckBodySchema,
} from "@jiuye/contracts";
import type { Database } from "@jiuye/db";
import { creditCodeCheck, idNumberCheck, maskIdNumber, retirementCheck, shanghaiDate } from "@jiuye/domain";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { Kysely } from "kysely";
import type { Clock } from "../../lib/executor.ts";
import { checksRepository } from "./checks.repository.ts";

const tags = ["校验工具"];
const STAFF_AND_INTEGRATORS = ["admin", "analyst", "case_worker", "employer"] as const;

/**
 * Stateless validators: nothing is stored or audited, and the ID number is echoed only masked
 * (the caller already has it).
 */
export function checksRoutes(deps: { db: Kysely<Database>; clock: Clock }): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      "/checks/id-number",
      {
        schema: {
          tags,
          summary: "校验身份证号码（不保存）",
          body: IdNumberCheckBodySchema,
          response: { 200: CheckResultSchema },
        },
        config: { access: STAFF_AND_INTEGRATORS },
      },
      async (req) => {
        const trimmed = req.body.value.trim().toUpperCase();
        const area = /^\d{6}/.test(trimmed) ? await checksRepository.areaName(deps.db, trimmed.slice(0, 6)) : undefined;
        const r = idNumberCheck(trimmed, shanghaiDate(deps.clock()), (code) =>
          code === trimmed.slice(0, 6) ? area : undefined,
        );
        if (typeof r.normalized === "string") r.normalized = maskIdNumber(r.normalized);
        if (typeof r.converted === "string") {
          r.converted = maskIdNumber(r.converted);
          r.errors = r.errors.map((e) => ({
            ...e,
            message: "身份证号码为15位旧号码，请改用18位号码（可用 jiuye check id-number 在本机转换）",
          }));
        }
        return r;
      },
    );
    app.post(
      "/checks/credit-code",
      {
        schema: {
          tags,
          summary: "校验统一社会信用代码",
          body: CreditCodeCheckBodySchema,
          response: { 200: CheckResultSchema },
        },
        config: { access: STAFF_AND_INTEGRATORS },
      },
      async (req) => creditCodeCheck(req.body.value),
    );
    app.post(
      "/checks/retirement",
      {
        schema: {
          tags,
          summary: "计算法定退休年龄（渐进式延迟退休）",
          body: RetirementCheckBodySchema,
          response: { 200: CheckResultSchema },
        },
        config: { access: STAFF_AND_INTEGRATORS },
      },
      async (req) => retirementCheck(req.body, shanghaiDate(deps.clock())),
    );
  };
}
