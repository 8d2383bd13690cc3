import { TOTP_REQUIRED_ROLES } from "@jiuye/domain";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { AppError } from "../errors/catalogue.ts";
import type { Access, Actor } from "../lib/actor.ts";
import type { RequestContext } from "../lib/executor.ts";
import { safeEqual } from "../lib/tokens.ts";
import type { AuthService } from "../modules/auth/auth.service.ts";

export const SESSION_COOKIE = "jiuye_sid";

declare module "fastify" {
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyContextConfig {
    /** Who may call the route; every /api/v1 route must declare it. */
    access?: Access;
    /** Reachable while a required second factor or password change is still pending. */
    duringSetup?: boolean;
    /** The route intentionally returns an unmasked value (reveal); exempt from the masking scanner. */
    revealsPersonalData?: boolean;
  }
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The audited context of a request. */
export function contextOf(req: FastifyRequest): RequestContext {
  return {
    actorId: req.actor?.userId ?? null,
    actorRole: req.actor?.role ?? null,
    ip: req.ip ?? null,
    requestId: req.id,
    provinceCode: req.actor?.regionCode?.slice(0, 2) ?? null,
  };
}

/** The actor of a route that declared roles: the hook has already guaranteed one. */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw new AppError("AUTH_REQUIRED");
  return req.actor;
}

/**
 * Resolves the session and enforces each route's declared access in one place: 401 without a
 * valid session, 403 for a role not listed, CSRF on state-changing requests, and the pending
 * TOTP / password-change gates.
 */
export function registerAuth(app: FastifyInstance, auth: AuthService): void {
  app.decorateRequest("actor", null);

  app.addHook("onRoute", (route) => {
    if (route.url.startsWith("/api/v1") && !route.config?.access) {
      throw new Error(`route ${route.method} ${route.url} declares no access`);
    }
  });

  app.addHook("onRequest", async (req) => {
    const access = req.routeOptions.config?.access;
    if (!access) return;
    const token = req.cookies?.[SESSION_COOKIE];
    if (token) {
      try {
        req.actor = await auth.authenticate(token);
      } catch (e) {
        if (access !== "public") throw e;
      }
    }
    if (access === "public") return;
    const actor = req.actor;
    if (!actor) throw new AppError("AUTH_REQUIRED");
    if (!SAFE_METHODS.has(req.method)) {
      const header = req.headers["x-csrf-token"];
      if (typeof header !== "string" || !safeEqual(header, actor.csrfToken)) throw new AppError("CSRF_TOKEN_INVALID");
    }
    if (access !== "authenticated" && !access.includes(actor.role)) throw new AppError("FORBIDDEN");
    if (!req.routeOptions.config.duringSetup) {
      if (TOTP_REQUIRED_ROLES.includes(actor.role) && !actor.totpEnabled) throw new AppError("TOTP_SETUP_REQUIRED");
      if (actor.mustChangePassword) throw new AppError("PASSWORD_CHANGE_REQUIRED");
    }
    req.log = req.log.child({ actorId: actor.userId });
  });
}
