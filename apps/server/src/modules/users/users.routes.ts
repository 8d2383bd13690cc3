import {
  CreatedUserSchema,
  CreateUserBodySchema,
  IdParamsSchema,
  ListUsersQuerySchema,
  OkSchema,
  pageOf,
  ResetPasswordResultSchema,
  UpdateUserBodySchema,
  UserSchema,
} from "@jiuye/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { actorOf, contextOf } from "../../plugins/auth.ts";
import type { UsersService } from "./users.service.ts";

const ADMIN = ["admin"] as const;
const tags = ["用户管理"];

export function usersRoutes(users: UsersService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      "/users",
      {
        schema: { tags, summary: "用户列表", querystring: ListUsersQuerySchema, response: { 200: pageOf(UserSchema) } },
        config: { access: ADMIN },
      },
      async (req) => users.list(actorOf(req), req.query),
    );
    app.post(
      "/users",
      {
        schema: { tags, summary: "创建员工账号", body: CreateUserBodySchema, response: { 201: CreatedUserSchema } },
        config: { access: ADMIN },
      },
      async (req, reply) => {
        reply.status(201);
        return users.create(actorOf(req), req.body, contextOf(req));
      },
    );
    app.get(
      "/users/:id",
      {
        schema: { tags, summary: "用户详情", params: IdParamsSchema, response: { 200: UserSchema } },
        config: { access: ADMIN },
      },
      async (req) => users.get(actorOf(req), req.params.id),
    );
    app.patch(
      "/users/:id",
      {
        schema: {
          tags,
          summary: "修改、停用或启用账号",
          params: IdParamsSchema,
          body: UpdateUserBodySchema,
          response: { 200: UserSchema },
        },
        config: { access: ADMIN },
      },
      async (req) => users.update(actorOf(req), req.params.id, req.body, contextOf(req)),
    );
    app.post(
      "/users/:id/reset-password",
      {
        schema: {
          tags,
          summary: "重置密码（生成临时密码并解除锁定）",
          params: IdParamsSchema,
          response: { 200: ResetPasswordResultSchema },
        },
        config: { access: ADMIN },
      },
      async (req) => users.resetPassword(actorOf(req), req.params.id, contextOf(req)),
    );
    app.post(
      "/users/:id/reset-totp",
      {
        schema: { tags, summary: "重置动态口令", params: IdParamsSchema, response: { 200: OkSchema } },
        config: { access: ADMIN },
      },
      async (req) => {
        await users.resetTotp(actorOf(req), req.params.id, contextOf(req));
        return { ok: true as const };
      },
    );
  };
}
