import {
  ApplyJobFairBodySchema,
  CreateJobFairBodySchema,
  IdParamsSchema,
  JobFairApplicationSchema,
  JobFairDetailSchema,
  JobFairSchema,
  JoinJobFairBodySchema,
  ListJobFairsQuerySchema,
  OkSchema,
  UpdateJobFairApplicationBodySchema,
  UpdateJobFairStatusBodySchema,
  UuidSchema,
} from "@jiuye/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { actorOf, contextOf } from "../../plugins/auth.ts";
import type { JobFairsService } from "./job-fairs.service.ts";

const tags = ["专场招聘会"];

export function jobFairsRoutes(deps: { fairs: JobFairsService }): FastifyPluginAsyncZod {
  const { fairs } = deps;
  return async (app) => {
    app.get(
      "/public/job-fairs",
      {
        schema: {
          tags,
          summary: "招聘会列表（公开）",
          querystring: ListJobFairsQuerySchema.pick({ regionCode: true }),
          response: { 200: z.array(JobFairSchema) },
        },
        config: { access: "public" },
      },
      async (req) => fairs.listPublic(req.query),
    );
    app.get(
      "/public/job-fairs/:id",
      {
        schema: {
          tags,
          summary: "招聘会详情与参会岗位（公开）",
          params: IdParamsSchema,
          response: { 200: JobFairDetailSchema },
        },
        config: { access: "public" },
      },
      async (req) => fairs.getPublic(req.params.id),
    );
    app.get(
      "/job-fairs",
      {
        schema: {
          tags,
          summary: "辖区内招聘会（含草稿）",
          querystring: ListJobFairsQuerySchema,
          response: { 200: z.array(JobFairSchema) },
        },
        config: { access: ["case_worker"] },
      },
      async (req) => fairs.list(actorOf(req), req.query),
    );
    app.post(
      "/job-fairs",
      {
        schema: {
          tags,
          summary: "创建招聘会（草稿）",
          body: CreateJobFairBodySchema,
          response: { 201: JobFairDetailSchema },
        },
        config: { access: ["case_worker"], idempotent: true },
      },
      async (req, reply) => {
        reply.status(201);
        return fairs.create(actorOf(req), req.body, contextOf(req));
      },
    );
    app.post(
      "/job-fairs/:id/status",
      {
        schema: {
          tags,
          summary: "发布或结束招聘会",
          params: IdParamsSchema,
          body: UpdateJobFairStatusBodySchema,
          response: { 200: JobFairDetailSchema },
        },
        config: { access: ["case_worker"] },
      },
      async (req) => fairs.setStatus(actorOf(req), req.params.id, req.body.status, contextOf(req)),
    );
    app.post(
      "/job-fairs/:id/postings",
      {
        schema: {
          tags,
          summary: "用人单位携已发布岗位参会",
          params: IdParamsSchema,
          body: JoinJobFairBodySchema,
          response: { 200: JobFairDetailSchema },
        },
        config: { access: ["employer", "case_worker"] },
      },
      async (req) => fairs.join(actorOf(req), req.params.id, req.body.postingId, contextOf(req)),
    );
    app.post(
      "/job-fairs/:id/registrations",
      {
        schema: { tags, summary: "劳动者报名参加招聘会", params: IdParamsSchema, response: { 200: OkSchema } },
        config: { access: ["individual"] },
      },
      async (req) => fairs.register(actorOf(req), req.params.id, contextOf(req)),
    );
    app.post(
      "/job-fairs/:id/applications",
      {
        schema: {
          tags,
          summary: "在招聘会上投递岗位",
          params: IdParamsSchema,
          body: ApplyJobFairBodySchema,
          response: { 200: OkSchema },
        },
        config: { access: ["individual"] },
      },
      async (req) => fairs.apply(actorOf(req), req.params.id, req.body.postingId, contextOf(req)),
    );
    app.get(
      "/job-fairs/:id/applications",
      {
        schema: {
          tags,
          summary: "招聘会投递记录（辖区经办人员）",
          params: IdParamsSchema,
          response: { 200: z.array(JobFairApplicationSchema) },
        },
        config: { access: ["case_worker"] },
      },
      async (req) => fairs.applications(actorOf(req), req.params.id),
    );
    app.patch(
      "/job-fairs/:id/applications/:applicationId",
      {
        schema: {
          tags,
          summary: "记录招聘会投递结果（录用/未录用）",
          params: z.strictObject({ id: UuidSchema, applicationId: UuidSchema }),
          body: UpdateJobFairApplicationBodySchema,
          response: { 200: z.array(JobFairApplicationSchema) },
        },
        config: { access: ["case_worker"] },
      },
      async (req) =>
        fairs.setApplicationStatus(
          actorOf(req),
          req.params.id,
          req.params.applicationId,
          req.body.status,
          contextOf(req),
        ),
    );
  };
}
