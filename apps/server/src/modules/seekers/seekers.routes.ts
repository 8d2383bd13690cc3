import {
  ConfirmHireBodySchema,
  CreateReferralBodySchema,
  CreateSeekerBodySchema,
  FeedbackBodySchema,
  IdParamsSchema,
  OkSchema,
  RecommendationSchema,
  RecommendationsQuerySchema,
  ReferralSchema,
  SeekerSchema,
  UpdateReferralBodySchema,
  UpdateSeekerBodySchema,
} from "@jiuye/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { actorOf, contextOf } from "../../plugins/auth.ts";
import type { ReferralsService } from "../referrals/referrals.service.ts";
import type { SeekersService } from "./seekers.service.ts";

const tags = ["求职与推荐"];

export function seekersRoutes(deps: { seekers: SeekersService; referrals: ReferralsService }): FastifyPluginAsyncZod {
  const { seekers, referrals } = deps;
  return async (app) => {
    app.post(
      "/seekers",
      {
        schema: {
          tags,
          summary: "求职登记（本人或经办人员代办）",
          body: CreateSeekerBodySchema,
          response: { 201: SeekerSchema },
        },
        config: { access: ["case_worker", "individual"], idempotent: true },
      },
      async (req, reply) => {
        reply.status(201);
        return seekers.create(actorOf(req), req.body, contextOf(req));
      },
    );
    app.get(
      "/seekers/:id",
      {
        schema: { tags, summary: "求职登记详情", params: IdParamsSchema, response: { 200: SeekerSchema } },
        config: { access: ["case_worker", "individual"] },
      },
      async (req) => seekers.get(actorOf(req), req.params.id),
    );
    app.patch(
      "/seekers/:id",
      {
        schema: {
          tags,
          summary: "修改求职登记",
          params: IdParamsSchema,
          body: UpdateSeekerBodySchema,
          response: { 200: SeekerSchema },
        },
        config: { access: ["case_worker", "individual"] },
      },
      async (req) => seekers.update(actorOf(req), req.params.id, req.body, contextOf(req)),
    );
    app.get(
      "/persons/:id/seeker",
      {
        schema: { tags, summary: "劳动者的有效求职登记", params: IdParamsSchema, response: { 200: SeekerSchema } },
        config: { access: ["case_worker", "individual"] },
      },
      async (req) => seekers.ofPerson(actorOf(req), req.params.id),
    );
    app.get(
      "/seekers/:id/recommendations",
      {
        schema: {
          tags,
          summary: "为求职者推荐岗位（含分项解释）",
          params: IdParamsSchema,
          querystring: RecommendationsQuerySchema,
          response: { 200: z.array(RecommendationSchema) },
        },
        config: { access: ["case_worker", "individual"] },
      },
      async (req) => seekers.recommendPostings(actorOf(req), req.params.id, req.query.k),
    );
    app.get(
      "/postings/:id/candidates",
      {
        schema: {
          tags,
          summary: "为岗位推荐求职者（用人单位只能看到同意展示的求职者，姓名脱敏）",
          params: IdParamsSchema,
          querystring: RecommendationsQuerySchema,
          response: { 200: z.array(RecommendationSchema) },
        },
        config: { access: ["case_worker", "employer"] },
      },
      async (req) => seekers.recommendSeekers(actorOf(req), req.params.id, req.query.k),
    );
    app.post(
      "/seekers/:id/feedback",
      {
        schema: {
          tags,
          summary: "推荐反馈：本人标记“不相关”，经办人员隐藏或置顶（留痕）",
          params: IdParamsSchema,
          body: FeedbackBodySchema,
          response: { 200: OkSchema },
        },
        config: { access: ["case_worker", "individual"] },
      },
      async (req) => seekers.feedback(actorOf(req), req.params.id, req.body, contextOf(req)),
    );
    app.post(
      "/referrals",
      {
        schema: {
          tags,
          summary: "职业介绍：推荐求职者到岗位",
          body: CreateReferralBodySchema,
          response: { 201: ReferralSchema },
        },
        config: { access: ["case_worker"], idempotent: true },
      },
      async (req, reply) => {
        reply.status(201);
        return referrals.create(actorOf(req), req.body, contextOf(req));
      },
    );
    app.get(
      "/seekers/:id/referrals",
      {
        schema: {
          tags,
          summary: "求职者的推荐记录",
          params: IdParamsSchema,
          response: { 200: z.array(ReferralSchema) },
        },
        config: { access: ["case_worker"] },
      },
      async (req) => referrals.ofSeeker(actorOf(req), req.params.id),
    );
    app.patch(
      "/referrals/:id",
      {
        schema: {
          tags,
          summary: "记录推荐结果（面试、录用、未录用及原因、无回应）",
          params: IdParamsSchema,
          body: UpdateReferralBodySchema,
          response: { 200: ReferralSchema },
        },
        config: { access: ["case_worker"] },
      },
      async (req) => referrals.recordOutcome(actorOf(req), req.params.id, req.body, contextOf(req)),
    );
    app.post(
      "/referrals/:id/employment",
      {
        schema: {
          tags,
          summary: "确认录用并办理就业登记",
          params: IdParamsSchema,
          body: ConfirmHireBodySchema,
          response: { 200: ReferralSchema },
        },
        config: { access: ["case_worker"] },
      },
      async (req) => referrals.confirmHire(actorOf(req), req.params.id, req.body, contextOf(req)),
    );
  };
}
