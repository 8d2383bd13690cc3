import {
  CreatePersonAttributeBodySchema,
  CreatePersonBodySchema,
  cappedPageOf,
  ExportPersonsQuerySchema,
  ExportPersonsUnmaskedBodySchema,
  IdParamsSchema,
  ListPersonsQuerySchema,
  PersonAttributeSchema,
  PersonSchema,
  RevealBodySchema,
  RevealPurposeSchema,
  RevealResultSchema,
  UpdatePersonBodySchema,
} from "@jiuye/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { sendDownload } from "../../lib/download.ts";
import { actorOf, contextOf } from "../../plugins/auth.ts";
import type { PersonsService } from "./persons.service.ts";

const tags = ["劳动者"];
const CASE_WORKER = ["case_worker"] as const;

export function personsRoutes(deps: {
  persons: PersonsService;
  revealPurposes: Array<{ code: string; label: string }>;
}): FastifyPluginAsyncZod {
  const { persons } = deps;
  return async (app) => {
    app.get(
      "/persons",
      {
        schema: {
          tags,
          summary: "查询劳动者（辖区内，脱敏）",
          querystring: ListPersonsQuerySchema,
          response: { 200: cappedPageOf(PersonSchema) },
        },
        config: { access: CASE_WORKER },
      },
      async (req) => persons.search(actorOf(req), req.query, contextOf(req)),
    );
    const file = (format: "xlsx" | "csv") => ({ format, name: "劳动者名单", ascii: "persons" });
    app.get(
      "/persons/export",
      {
        schema: {
          tags,
          summary: "导出筛选结果（脱敏，.xlsx 或 .csv，公式已中和）",
          querystring: ExportPersonsQuerySchema,
        },
        config: { access: CASE_WORKER },
      },
      async (req, reply) =>
        sendDownload(reply, file(req.query.format), (out) =>
          persons.exportList(actorOf(req), req.query, out, contextOf(req)),
        ),
    );
    app.post(
      "/persons/export",
      {
        schema: {
          tags,
          summary: "导出完整身份证号和手机号（须说明目的，留痕）",
          body: ExportPersonsUnmaskedBodySchema,
        },
        config: { access: CASE_WORKER, revealsPersonalData: true },
      },
      async (req, reply) =>
        sendDownload(reply, file(req.body.format), (out) =>
          persons.exportList(actorOf(req), req.body, out, contextOf(req)),
        ),
    );
    app.post(
      "/persons",
      {
        schema: { tags, summary: "登记劳动者基本信息", body: CreatePersonBodySchema, response: { 201: PersonSchema } },
        config: { access: CASE_WORKER },
      },
      async (req, reply) => {
        reply.status(201);
        return persons.create(actorOf(req), req.body, contextOf(req));
      },
    );
    app.get(
      "/persons/:id",
      {
        schema: {
          tags,
          summary: "劳动者详情（脱敏，读取留痕）",
          params: IdParamsSchema,
          response: { 200: PersonSchema },
        },
        config: { access: ["case_worker", "individual"] },
      },
      async (req) => persons.get(actorOf(req), req.params.id, contextOf(req)),
    );
    app.post(
      "/persons/:id/reveal",
      {
        schema: {
          tags,
          summary: "查看完整身份证号或手机号（须说明目的，留痕）",
          params: IdParamsSchema,
          body: RevealBodySchema,
          response: { 200: RevealResultSchema },
        },
        config: { access: ["case_worker", "individual"], revealsPersonalData: true },
      },
      async (req, reply) => {
        reply.header("cache-control", "no-store");
        return persons.reveal(actorOf(req), req.params.id, req.body, contextOf(req));
      },
    );
    app.patch(
      "/persons/:id",
      {
        schema: {
          tags,
          summary: "修改学历、户籍、退休类别",
          params: IdParamsSchema,
          body: UpdatePersonBodySchema,
          response: { 200: PersonSchema },
        },
        config: { access: CASE_WORKER },
      },
      async (req) => persons.updateProfile(actorOf(req), req.params.id, req.body, contextOf(req)),
    );
    app.get(
      "/persons/:id/attributes",
      {
        schema: {
          tags,
          summary: "重点群体属性（含来源）",
          params: IdParamsSchema,
          response: { 200: z.array(PersonAttributeSchema) },
        },
        config: { access: ["case_worker", "individual"] },
      },
      async (req) => persons.attributes(actorOf(req), req.params.id, contextOf(req)),
    );
    app.post(
      "/persons/:id/attributes",
      {
        schema: {
          tags,
          summary: "登记重点群体属性",
          params: IdParamsSchema,
          body: CreatePersonAttributeBodySchema,
          response: { 201: PersonAttributeSchema },
        },
        config: { access: CASE_WORKER, idempotent: true },
      },
      async (req, reply) => {
        reply.status(201);
        return persons.addAttribute(actorOf(req), req.params.id, req.body, contextOf(req));
      },
    );
    app.get(
      "/reveal-purposes",
      {
        schema: { tags, summary: "允许的查看目的清单", response: { 200: z.array(RevealPurposeSchema) } },
        config: { access: ["case_worker", "individual"] },
      },
      async () => deps.revealPurposes,
    );
  };
}
