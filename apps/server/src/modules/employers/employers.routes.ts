import {
  CreateEmployerAccountBodySchema,
  CreateEmployerBodySchema,
  EmployerAccountSchema,
  EmployerSchema,
  ExportEmployersQuerySchema,
  IdParamsSchema,
  IndustrySchema,
  ListEmployersQuerySchema,
  pageOf,
  UpdateEmployerBodySchema,
} from "@jiuye/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { sendDownload } from "../../lib/download.ts";
import { actorOf, contextOf } from "../../plugins/auth.ts";
import type { EmployersService } from "./employers.service.ts";

const tags = ["用人单位"];

export function employersRoutes(deps: { employers: EmployersService }): FastifyPluginAsyncZod {
  const { employers } = deps;
  return async (app) => {
    app.get(
      "/industries",
      {
        schema: {
          tags,
          summary: "国民经济行业分类（GB/T 4754-2017 门类、大类）",
          response: { 200: z.array(IndustrySchema) },
        },
        config: { access: "authenticated" },
      },
      async () => (await employers.industries()) as Array<z.infer<typeof IndustrySchema>>,
    );
    app.get(
      "/employers",
      {
        schema: {
          tags,
          summary: "查询用人单位（经办人员：辖区内；用人单位：本单位）",
          querystring: ListEmployersQuerySchema,
          response: { 200: pageOf(EmployerSchema) },
        },
        config: { access: ["case_worker", "employer"] },
      },
      async (req) => employers.search(actorOf(req), req.query),
    );
    app.get(
      "/employers/export",
      {
        schema: {
          tags,
          summary: "导出筛选结果（.xlsx 或 .csv，联系电话脱敏，公式已中和）",
          querystring: ExportEmployersQuerySchema,
        },
        config: { access: ["case_worker"] },
      },
      async (req, reply) =>
        sendDownload(reply, { format: req.query.format, name: "用人单位名单", ascii: "employers" }, (out) =>
          employers.exportList(actorOf(req), req.query, out, contextOf(req)),
        ),
    );
    app.post(
      "/employers",
      {
        schema: { tags, summary: "登记用人单位", body: CreateEmployerBodySchema, response: { 201: EmployerSchema } },
        config: { access: ["case_worker"], idempotent: true },
      },
      async (req, reply) => {
        reply.status(201);
        return employers.create(actorOf(req), req.body, contextOf(req));
      },
    );
    app.get(
      "/employers/:id",
      {
        schema: { tags, summary: "用人单位详情", params: IdParamsSchema, response: { 200: EmployerSchema } },
        config: { access: ["case_worker", "employer"] },
      },
      async (req) => employers.get(actorOf(req), req.params.id),
    );
    app.patch(
      "/employers/:id",
      {
        schema: {
          tags,
          summary: "修改用人单位信息（用人单位本身只能修改联系人和人数）",
          params: IdParamsSchema,
          body: UpdateEmployerBodySchema,
          response: { 200: EmployerSchema },
        },
        config: { access: ["case_worker", "employer"] },
      },
      async (req) => employers.update(actorOf(req), req.params.id, req.body, contextOf(req)),
    );
    app.post(
      "/employers/:id/accounts",
      {
        schema: {
          tags,
          summary: "为用人单位开通账号（临时密码只显示一次）",
          params: IdParamsSchema,
          body: CreateEmployerAccountBodySchema,
          response: { 201: EmployerAccountSchema },
        },
        config: { access: ["case_worker"] },
      },
      async (req, reply) => {
        reply.status(201);
        reply.header("cache-control", "no-store");
        return employers.createAccount(actorOf(req), req.params.id, req.body, contextOf(req));
      },
    );
  };
}
