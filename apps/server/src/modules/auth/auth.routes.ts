import {
  ChangePasswordBodySchema,
  LoginBodySchema,
  MeSchema,
  OkSchema,
  TotpCodeBodySchema,
  TotpSetupSchema,
} from "@jiuye/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { actorOf, contextOf, SESSION_COOKIE } from "../../plugins/auth.ts";
import type { AuthService } from "./auth.service.ts";

export function authRoutes(deps: {
  auth: AuthService;
  cookieSecure: boolean;
  loginRateLimit: number;
}): FastifyPluginAsyncZod {
  const { auth } = deps;
  return async (app) => {
    app.post(
      "/auth/login",
      {
        schema: { tags: ["账号"], summary: "登录", body: LoginBodySchema, response: { 200: MeSchema } },
        config: {
          access: "public",
          rateLimit: { max: deps.loginRateLimit, timeWindow: 60_000, keyGenerator: (req) => `login:${req.ip}` },
        },
      },
      async (req, reply) => {
        const { token } = await auth.login(req.body, {
          ...contextOf(req),
          userAgent: req.headers["user-agent"] ?? null,
        });
        reply.setCookie(SESSION_COOKIE, token, {
          httpOnly: true,
          sameSite: "strict",
          secure: deps.cookieSecure,
          path: "/",
        });
        const actor = await auth.authenticate(token);
        return auth.me(actor);
      },
    );

    app.post(
      "/auth/logout",
      {
        schema: { tags: ["账号"], summary: "退出登录", response: { 200: OkSchema } },
        config: { access: "authenticated", duringSetup: true },
      },
      async (req, reply) => {
        await auth.logout(actorOf(req), contextOf(req));
        reply.clearCookie(SESSION_COOKIE, { path: "/" });
        return { ok: true as const };
      },
    );

    app.get(
      "/me",
      {
        schema: { tags: ["账号"], summary: "当前用户", response: { 200: MeSchema } },
        config: { access: "authenticated", duringSetup: true },
      },
      async (req) => auth.me(actorOf(req)),
    );

    app.post(
      "/account/password",
      {
        schema: { tags: ["账号"], summary: "修改密码", body: ChangePasswordBodySchema, response: { 200: OkSchema } },
        config: { access: "authenticated", duringSetup: true },
      },
      async (req) => {
        await auth.changePassword(actorOf(req), req.body, contextOf(req));
        return { ok: true as const };
      },
    );

    app.post(
      "/account/totp/setup",
      {
        schema: { tags: ["账号"], summary: "生成动态口令密钥", response: { 200: TotpSetupSchema } },
        config: { access: "authenticated", duringSetup: true },
      },
      async (req) => auth.startTotp(actorOf(req), contextOf(req)),
    );

    app.post(
      "/account/totp/enable",
      {
        schema: { tags: ["账号"], summary: "启用动态口令", body: TotpCodeBodySchema, response: { 200: OkSchema } },
        config: { access: "authenticated", duringSetup: true },
      },
      async (req) => {
        await auth.enableTotp(actorOf(req), req.body.code, contextOf(req));
        return { ok: true as const };
      },
    );
  };
}
