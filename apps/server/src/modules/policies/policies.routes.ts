import {
  ApplicationSchema,
  ApplyBodySchema,
  CandidateDetailSchema,
  CandidatePageSchema,
  CandidatesQuerySchema,
  CreateScheduleBodySchema,
  CreateSweepBodySchema,
  DecideApplicationBodySchema,
  DecideCandidatesBodySchema,
  DecideVersionBodySchema,
  EvaluateBodySchema,
  EvaluateResponseSchema,
  FinaliseResultSchema,
  IdParamsSchema,
  MessageSchema,
  ObjectionBodySchema,
  OkSchema,
  PaymentSchema,
  PolicyListQuerySchema,
  PolicySummarySchema,
  PolicyVersionSchema,
  PublicNoticeSchema,
  PublishNoticeBodySchema,
  ResolveObjectionBodySchema,
  ScheduleSchema,
  SelfCheckBodySchema,
  SelfCheckResponseSchema,
  SweepSchema,
  UploadPolicyVersionBodySchema,
  UuidSchema,
} from "@jiuye/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { actorOf, contextOf } from "../../plugins/auth.ts";
import type { PoliciesService } from "./policies.service.ts";

const tags = ["政策快办"];

export function policiesRoutes(deps: { policies: PoliciesService }): FastifyPluginAsyncZod {
  const { policies } = deps;
  return async (app) => {
    app.get(
      "/public/policies",
      {
        schema: {
          tags,
          summary: "政策清单（公开）：条件、标准、依据和办理渠道",
          querystring: PolicyListQuerySchema,
          response: { 200: z.array(PolicySummarySchema) },
        },
        config: { access: "public" },
      },
      async (req) => policies.list(req.query),
    );
    app.post(
      "/policies/evaluate",
      {
        schema: {
          tags,
          summary: "政策测算（假设情形，不读写任何档案）",
          body: EvaluateBodySchema,
          response: { 200: EvaluateResponseSchema },
        },
        config: { access: ["admin", "analyst", "case_worker"] },
      },
      async (req) => policies.evaluate(req.body),
    );
    app.post(
      "/me/policy-check",
      {
        schema: {
          tags,
          summary: "政策自查：按本人档案和补充回答判断可享受的政策",
          body: SelfCheckBodySchema,
          response: { 200: SelfCheckResponseSchema },
        },
        config: { access: ["individual", "employer"] },
      },
      async (req) => policies.selfCheck(actorOf(req), req.body, contextOf(req)),
    );
    app.get(
      "/me/messages",
      {
        schema: { tags, summary: "我的消息", response: { 200: z.array(MessageSchema) } },
        config: { access: ["individual", "employer"] },
      },
      async (req) => policies.myMessages(actorOf(req)),
    );
    app.post(
      "/me/messages/:id/read",
      {
        schema: { tags, summary: "标记消息已读", params: IdParamsSchema, response: { 200: OkSchema } },
        config: { access: ["individual", "employer"] },
      },
      async (req) => policies.markRead(actorOf(req), req.params.id),
    );
    app.get(
      "/me/payments",
      {
        schema: { tags, summary: "我享受的政策待遇", response: { 200: z.array(PaymentSchema) } },
        config: { access: ["individual", "employer"] },
      },
      async (req) => policies.myPayments(actorOf(req)),
    );
    app.get(
      "/policy-sweeps",
      {
        schema: { tags, summary: "辖区内的免申即享比对批次", response: { 200: z.array(SweepSchema) } },
        config: { access: ["case_worker"] },
      },
      async (req) => policies.listSweeps(actorOf(req)),
    );
    app.post(
      "/policy-sweeps",
      {
        schema: {
          tags,
          summary: "对辖区人群运行一项政策，生成候选名单",
          body: CreateSweepBodySchema,
          response: { 201: SweepSchema },
        },
        config: { access: ["case_worker"] },
      },
      async (req, reply) => {
        reply.status(201);
        return policies.createSweep(actorOf(req), req.body, contextOf(req));
      },
    );
    app.get(
      "/policy-sweeps/:id",
      {
        schema: { tags, summary: "比对批次详情", params: IdParamsSchema, response: { 200: SweepSchema } },
        config: { access: ["case_worker"] },
      },
      async (req) => policies.getSweep(actorOf(req), req.params.id),
    );
    app.get(
      "/policy-sweeps/:id/candidates",
      {
        schema: {
          tags,
          summary: "候选名单（姓名脱敏）",
          params: IdParamsSchema,
          querystring: CandidatesQuerySchema,
          response: { 200: CandidatePageSchema },
        },
        config: { access: ["case_worker"] },
      },
      async (req) => policies.candidates(actorOf(req), req.params.id, req.query),
    );
    app.get(
      "/policy-sweeps/:id/candidates/:candidateId",
      {
        schema: {
          tags,
          summary: "候选对象的判断依据（按当时的规则和数据重新解释）",
          params: z.strictObject({ id: UuidSchema, candidateId: UuidSchema }),
          response: { 200: CandidateDetailSchema },
        },
        config: { access: ["case_worker"] },
      },
      async (req) => policies.candidate(actorOf(req), req.params.id, req.params.candidateId, contextOf(req)),
    );
    app.post(
      "/policy-sweeps/:id/decisions",
      {
        schema: {
          tags,
          summary: "复核候选对象（通过 / 不通过并说明理由）",
          params: IdParamsSchema,
          body: DecideCandidatesBodySchema,
          response: { 200: z.object({ updated: z.number().int() }) },
        },
        config: { access: ["case_worker"] },
      },
      async (req) => policies.decide(actorOf(req), req.params.id, req.body, contextOf(req)),
    );
    app.post(
      "/policy-sweeps/:id/notice",
      {
        schema: {
          tags,
          summary: "发布公示",
          params: IdParamsSchema,
          body: PublishNoticeBodySchema,
          response: { 200: SweepSchema },
        },
        config: { access: ["case_worker"] },
      },
      async (req) => policies.publish(actorOf(req), req.params.id, req.body, contextOf(req)),
    );
    app.post(
      "/policy-sweeps/:id/objections/:objectionId/resolve",
      {
        schema: {
          tags,
          summary: "处理公示异议",
          params: z.strictObject({ id: UuidSchema, objectionId: UuidSchema }),
          body: ResolveObjectionBodySchema,
          response: { 200: OkSchema },
        },
        config: { access: ["case_worker"] },
      },
      async (req) =>
        policies.resolveObjection(actorOf(req), req.params.id, req.params.objectionId, req.body, contextOf(req)),
    );
    app.post(
      "/policy-sweeps/:id/finalise",
      {
        schema: {
          tags,
          summary: "公示期满后确认发放（每人每期只发放一次）并发送通知",
          params: IdParamsSchema,
          response: { 200: FinaliseResultSchema },
        },
        config: { access: ["case_worker"] },
      },
      async (req) => policies.finalise(actorOf(req), req.params.id, contextOf(req)),
    );
    app.post(
      "/me/policy-applications",
      {
        schema: {
          tags,
          summary: "申请一项政策（同一规则判断，经办人员审核）",
          body: ApplyBodySchema,
          response: { 201: ApplicationSchema },
        },
        config: { access: ["individual", "employer"] },
      },
      async (req, reply) => {
        reply.status(201);
        return policies.apply(actorOf(req), req.body, contextOf(req));
      },
    );
    app.get(
      "/me/policy-applications",
      {
        schema: { tags, summary: "我的政策申请", response: { 200: z.array(ApplicationSchema) } },
        config: { access: ["individual", "employer"] },
      },
      async (req) => policies.myApplications(actorOf(req)),
    );
    app.get(
      "/policy-applications",
      {
        schema: {
          tags,
          summary: "辖区内的政策申请",
          querystring: z.strictObject({ status: z.enum(["submitted", "approved", "rejected"]).optional() }),
          response: { 200: z.array(ApplicationSchema) },
        },
        config: { access: ["case_worker"] },
      },
      async (req) => policies.applications(actorOf(req), req.query),
    );
    app.post(
      "/policy-applications/:id/decide",
      {
        schema: {
          tags,
          summary: "审核政策申请并出具决定书",
          params: IdParamsSchema,
          body: DecideApplicationBodySchema,
          response: { 200: ApplicationSchema },
        },
        config: { access: ["case_worker"] },
      },
      async (req) => policies.decideApplication(actorOf(req), req.params.id, req.body, contextOf(req)),
    );
    app.get(
      "/policy-versions",
      {
        schema: {
          tags,
          summary: "政策版本（上传、待审批、现行、已停用）",
          response: { 200: z.array(PolicyVersionSchema) },
        },
        config: { access: ["admin", "auditor"] },
      },
      async () => policies.versions(),
    );
    app.post(
      "/policy-versions",
      {
        schema: {
          tags,
          summary: "上传政策新版本（编译检查，并测算对现有人群的影响）",
          body: UploadPolicyVersionBodySchema,
          response: { 201: PolicyVersionSchema },
        },
        config: { access: ["admin"] },
      },
      async (req, reply) => {
        reply.status(201);
        return policies.uploadVersion(actorOf(req), req.body, contextOf(req));
      },
    );
    app.post(
      "/policy-versions/:id/decide",
      {
        schema: {
          tags,
          summary: "审批政策版本（上传人以外的管理员）",
          params: IdParamsSchema,
          body: DecideVersionBodySchema,
          response: { 200: PolicyVersionSchema },
        },
        config: { access: ["admin"] },
      },
      async (req) => policies.decideVersion(actorOf(req), req.params.id, req.body, contextOf(req)),
    );
    app.get(
      "/policy-schedules",
      {
        schema: { tags, summary: "定期比对", response: { 200: z.array(ScheduleSchema) } },
        config: { access: ["case_worker"] },
      },
      async (req) => policies.schedules(actorOf(req)),
    );
    app.post(
      "/policy-schedules",
      {
        schema: {
          tags,
          summary: "设置定期比对（每月某日自动运行，结果进入复核）",
          body: CreateScheduleBodySchema,
          response: { 201: ScheduleSchema },
        },
        config: { access: ["case_worker"] },
      },
      async (req, reply) => {
        reply.status(201);
        return policies.createSchedule(actorOf(req), req.body, contextOf(req));
      },
    );
    app.post(
      "/policy-schedules/:id/stop",
      {
        schema: { tags, summary: "停止定期比对", params: IdParamsSchema, response: { 200: OkSchema } },
        config: { access: ["case_worker"] },
      },
      async (req) => policies.stopSchedule(actorOf(req), req.params.id, contextOf(req)),
    );
    app.get(
      "/public/notices/:id",
      {
        schema: {
          tags,
          summary: "公示名单（公开，姓名脱敏）",
          params: IdParamsSchema,
          response: { 200: PublicNoticeSchema },
        },
        config: { access: "public" },
      },
      async (req) => policies.publicNotice(req.params.id),
    );
    app.post(
      "/notices/:id/objections",
      {
        schema: {
          tags,
          summary: "对公示名单提出异议（公示期内）",
          params: IdParamsSchema,
          body: ObjectionBodySchema,
          response: { 201: CandidateDetailSchema.shape.objections.element },
        },
        config: { access: "authenticated" },
      },
      async (req, reply) => {
        reply.status(201);
        return policies.object(actorOf(req), req.params.id, req.body, contextOf(req));
      },
    );
  };
}
