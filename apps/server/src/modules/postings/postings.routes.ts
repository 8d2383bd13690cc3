import {
  CreateMinimumWageBodySchema,
  CreatePostingBodySchema,
  DecideReviewBodySchema,
  IdParamsSchema,
  ImportOccupationsBodySchema,
  ImportOccupationsResultSchema,
  ListOccupationsQuerySchema,
  ListPostingsQuerySchema,
  ListReviewsQuerySchema,
  MinimumWageQuerySchema,
  MinimumWageSchema,
  OccupationSchema,
  OkSchema,
  PostingSchema,
  PublicPostingSchema,
  pageOf,
  ReasonBodySchema,
  ReviewSchema,
  ScreeningResultSchema,
  ScreenPostingBodySchema,
  SearchPostingsQuerySchema,
  SearchPostingsResultSchema,
  UpdatePostingBodySchema,
} from "@jiuye/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { AppError } from "../../errors/catalogue.ts";
import { actorOf, contextOf } from "../../plugins/auth.ts";
import type { OccupationsService } from "./occupations.service.ts";
import type { PostingsService } from "./postings.service.ts";

const tags = ["招聘岗位"];

export function postingsRoutes(deps: {
  postings: PostingsService;
  occupations: OccupationsService;
}): FastifyPluginAsyncZod {
  const { postings, occupations } = deps;
  return async (app) => {
    app.get(
      "/occupations",
      {
        schema: {
          tags,
          summary: "职业分类大典（2022年版）查询",
          querystring: ListOccupationsQuerySchema,
          response: { 200: z.array(OccupationSchema) },
        },
        config: { access: "public" },
      },
      async (req) => occupations.list(req.query),
    );
    app.post(
      "/occupations/import",
      {
        schema: {
          tags,
          summary: "导入或更新职业分类（管理员；上级职业须已存在或同批导入）",
          body: ImportOccupationsBodySchema,
          response: { 200: ImportOccupationsResultSchema },
        },
        config: { access: ["admin"] },
      },
      async (req) => occupations.import(req.body, contextOf(req)),
    );
    app.get(
      "/minimum-wages",
      {
        schema: {
          tags,
          summary: "某地某日适用的最低工资标准",
          querystring: MinimumWageQuerySchema,
          response: { 200: MinimumWageSchema },
        },
        config: { access: "public" },
      },
      async (req) => {
        const mw = await postings.minimumWage(req.query.regionCode, req.query.asOf);
        if (!mw) throw new AppError("NOT_FOUND", { detail: "该地区在此日期没有已配置的最低工资标准" });
        return mw;
      },
    );
    app.post(
      "/minimum-wages",
      {
        schema: {
          tags,
          summary: "新增一版最低工资标准（管理员）",
          body: CreateMinimumWageBodySchema,
          response: { 201: OkSchema },
        },
        config: { access: ["admin"] },
      },
      async (req, reply) => {
        reply.status(201);
        return postings.addMinimumWage(actorOf(req), req.body, contextOf(req));
      },
    );
    app.get(
      "/jobs/search",
      {
        schema: {
          tags,
          summary: "岗位搜索（公开，中文关键词，按相关度或发布时间排序）",
          querystring: SearchPostingsQuerySchema,
          response: { 200: SearchPostingsResultSchema },
        },
        config: { access: "public" },
      },
      async (req) => postings.search(req.query),
    );
    app.get(
      "/jobs/:id",
      {
        schema: {
          tags,
          summary: "已发布岗位详情（公开）",
          params: IdParamsSchema,
          response: { 200: PublicPostingSchema },
        },
        config: { access: "public" },
      },
      async (req) => postings.getPublic(req.params.id),
    );
    app.post(
      "/postings/screen",
      {
        schema: {
          tags,
          summary: "招聘信息预审（不保存）：歧视性内容与最低工资",
          body: ScreenPostingBodySchema,
          response: { 200: ScreeningResultSchema },
        },
        config: { access: ["case_worker", "employer"] },
      },
      async (req) => postings.check(req.body),
    );
    app.get(
      "/postings",
      {
        schema: {
          tags,
          summary: "岗位管理列表（用人单位：本单位；经办人员：辖区内）",
          querystring: ListPostingsQuerySchema,
          response: { 200: pageOf(PostingSchema) },
        },
        config: { access: ["case_worker", "employer"] },
      },
      async (req) => postings.list(actorOf(req), req.query),
    );
    app.post(
      "/postings",
      {
        schema: { tags, summary: "新建岗位草稿", body: CreatePostingBodySchema, response: { 201: PostingSchema } },
        config: { access: ["case_worker", "employer"], idempotent: true },
      },
      async (req, reply) => {
        reply.status(201);
        return postings.create(actorOf(req), req.body, contextOf(req));
      },
    );
    app.get(
      "/postings/:id",
      {
        schema: { tags, summary: "岗位详情（含审核结果）", params: IdParamsSchema, response: { 200: PostingSchema } },
        config: { access: ["case_worker", "employer"] },
      },
      async (req) => postings.get(actorOf(req), req.params.id),
    );
    app.patch(
      "/postings/:id",
      {
        schema: {
          tags,
          summary: "修改岗位（已发布的岗位重新审核）",
          params: IdParamsSchema,
          body: UpdatePostingBodySchema,
          response: { 200: PostingSchema },
        },
        config: { access: ["case_worker", "employer"] },
      },
      async (req) => postings.update(actorOf(req), req.params.id, req.body, contextOf(req)),
    );
    const action = (
      path: string,
      summary: string,
      run: (id: string, req: Parameters<typeof actorOf>[0]) => Promise<unknown>,
    ) =>
      app.post(
        `/postings/:id/${path}`,
        {
          schema: { tags, summary, params: IdParamsSchema, response: { 200: PostingSchema } },
          config: { access: ["case_worker", "employer"] },
        },
        async (req) => run(req.params.id, req) as Promise<z.infer<typeof PostingSchema>>,
      );
    action("submit", "提交发布（先审核：有禁止性内容则退回，有提示性内容进入人工审核）", (id, req) =>
      postings.submit(actorOf(req), id, contextOf(req)),
    );
    action("confirm", "确认岗位仍在招聘（每30天一次，否则自动下架）", (id, req) =>
      postings.confirm(actorOf(req), id, contextOf(req)),
    );
    action("withdraw", "撤回岗位", (id, req) => postings.close(actorOf(req), id, "withdrawn", contextOf(req)));
    action("fill", "岗位已招满", (id, req) => postings.close(actorOf(req), id, "filled", contextOf(req)));
    app.post(
      "/jobs/:id/report",
      {
        schema: {
          tags,
          summary: "举报虚假或欺诈招聘信息",
          params: IdParamsSchema,
          body: ReasonBodySchema,
          response: { 200: OkSchema },
        },
        config: { access: "authenticated" },
      },
      async (req) => postings.report(actorOf(req), req.params.id, req.body.reason, contextOf(req)),
    );
    app.get(
      "/posting-reviews",
      {
        schema: {
          tags,
          summary: "岗位审核队列（辖区内）",
          querystring: ListReviewsQuerySchema,
          response: { 200: pageOf(ReviewSchema) },
        },
        config: { access: ["case_worker"] },
      },
      async (req) => postings.reviews(actorOf(req), req.query),
    );
    app.post(
      "/posting-reviews/:id/decide",
      {
        schema: {
          tags,
          summary: "审核决定：approve 发布/保留岗位，reject 驳回/下架（须填理由）",
          params: IdParamsSchema,
          body: DecideReviewBodySchema,
          response: { 200: PostingSchema },
        },
        config: { access: ["case_worker"] },
      },
      async (req) => postings.decide(actorOf(req), req.params.id, req.body.decision, req.body.reason, contextOf(req)),
    );
  };
}
