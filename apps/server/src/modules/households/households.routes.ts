import {
  CreateHouseholdBodySchema,
  HouseholdMemberInputSchema,
  HouseholdSchema,
  IdParamsSchema,
  LeaveHouseholdBodySchema,
  ListHouseholdsQuerySchema,
  pageOf,
  UuidSchema,
} from "@jiuye/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { actorOf, contextOf } from "../../plugins/auth.ts";
import type { HouseholdsService } from "./households.service.ts";

const tags = ["家庭"];
const CASE_WORKER = ["case_worker"] as const;

export function householdsRoutes(deps: { households: HouseholdsService }): FastifyPluginAsyncZod {
  const { households } = deps;
  return async (app) => {
    app.get(
      "/households",
      {
        schema: {
          tags,
          summary: "查询家庭（辖区内，含零就业家庭标识）",
          querystring: ListHouseholdsQuerySchema,
          response: { 200: pageOf(HouseholdSchema) },
        },
        config: { access: CASE_WORKER },
      },
      async (req) => households.list(actorOf(req), req.query, contextOf(req)),
    );
    app.post(
      "/households",
      {
        schema: {
          tags,
          summary: "登记家庭及成员",
          body: CreateHouseholdBodySchema,
          response: { 201: HouseholdSchema },
        },
        config: { access: CASE_WORKER, idempotent: true },
      },
      async (req, reply) => {
        reply.status(201);
        return households.create(actorOf(req), req.body, contextOf(req));
      },
    );
    app.get(
      "/households/:id",
      {
        schema: {
          tags,
          summary: "家庭详情（成员、就业状态、是否零就业家庭）",
          params: IdParamsSchema,
          response: { 200: HouseholdSchema },
        },
        config: { access: CASE_WORKER },
      },
      async (req) => households.get(actorOf(req), req.params.id, contextOf(req)),
    );
    app.post(
      "/households/:id/members",
      {
        schema: {
          tags,
          summary: "增加家庭成员",
          params: IdParamsSchema,
          body: HouseholdMemberInputSchema,
          response: { 200: HouseholdSchema },
        },
        config: { access: CASE_WORKER },
      },
      async (req) => households.addMember(actorOf(req), req.params.id, req.body, contextOf(req)),
    );
    app.post(
      "/households/:id/members/:memberId/leave",
      {
        schema: {
          tags,
          summary: "成员迁出家庭",
          params: z.strictObject({ id: UuidSchema, memberId: UuidSchema }),
          body: LeaveHouseholdBodySchema,
          response: { 200: HouseholdSchema },
        },
        config: { access: CASE_WORKER },
      },
      async (req) => households.leave(actorOf(req), req.params.id, req.params.memberId, req.body, contextOf(req)),
    );
    app.get(
      "/persons/:id/household",
      {
        schema: { tags, summary: "劳动者当前所在家庭", params: IdParamsSchema, response: { 200: HouseholdSchema } },
        config: { access: CASE_WORKER },
      },
      async (req) => households.ofPerson(actorOf(req), req.params.id, contextOf(req)),
    );
  };
}
