import { createHash } from "node:crypto";
import type { Database } from "@jiuye/db";
import { canonicalJson } from "@jiuye/domain";
import type { FastifyInstance } from "fastify";
import type { Kysely } from "kysely";
import { AppError } from "../errors/catalogue.ts";
import type { Clock } from "../lib/executor.ts";
import { idempotencyRepository as repo } from "../modules/idempotency/idempotency.repository.ts";

declare module "fastify" {
  interface FastifyContextConfig {
    /** POST accepts an `Idempotency-Key` header (IETF draft-ietf-httpapi-idempotency-key-header). */
    idempotent?: boolean;
  }
  interface FastifyRequest {
    idempotency?: { actorId: string; key: string };
  }
}

const STALE_MS = 5 * 60_000;

/**
 * Same key + same request → the stored response (replayed); same key + different request → 422;
 * still running → 409. Failed requests (5xx) release the key so a retry can run.
 */
export function registerIdempotency(app: FastifyInstance, deps: { db: Kysely<Database>; clock: Clock }): void {
  app.addHook("preHandler", async (req, reply) => {
    if (!req.routeOptions.config?.idempotent || !req.actor) return;
    const raw = req.headers["idempotency-key"];
    if (raw === undefined) return;
    const key = String(raw);
    if (!/^[\x21-\x7e]{1,128}$/.test(key)) {
      throw new AppError("VALIDATION_FAILED", {
        errors: [
          {
            field: "header.idempotency-key",
            code: "INVALID_FORMAT",
            message: "Idempotency-Key 应为1-128个可见 ASCII 字符",
          },
        ],
      });
    }
    const hash = createHash("sha256")
      .update(`${req.method} ${req.url}\n${canonicalJson(req.body)}`)
      .digest("hex");
    const actorId = req.actor.userId;
    const now = deps.clock();
    if (await repo.claim(deps.db, actorId, key, hash, now)) {
      req.idempotency = { actorId, key };
      return;
    }
    const existing = await repo.find(deps.db, actorId, key);
    if (!existing) throw new AppError("IDEMPOTENCY_IN_PROGRESS");
    if (existing.request_hash !== hash) throw new AppError("IDEMPOTENCY_KEY_REUSED");
    if (existing.state === "done") {
      reply.header("idempotent-replayed", "true");
      return reply
        .status(existing.status_code ?? 200)
        .type(
          existing.status_code && existing.status_code >= 400
            ? "application/problem+json; charset=utf-8"
            : "application/json; charset=utf-8",
        )
        .send(existing.response_body ?? "");
    }
    if (await repo.takeOverStale(deps.db, actorId, key, hash, new Date(now.getTime() - STALE_MS), now)) {
      req.idempotency = { actorId, key };
      return;
    }
    throw new AppError("IDEMPOTENCY_IN_PROGRESS");
  });

  app.addHook("onSend", async (req, reply, payload) => {
    const claim = req.idempotency;
    if (!claim) return payload;
    req.idempotency = undefined;
    if (reply.statusCode >= 500) await repo.release(deps.db, claim.actorId, claim.key);
    else
      await repo.complete(
        deps.db,
        claim.actorId,
        claim.key,
        reply.statusCode,
        typeof payload === "string" ? payload : JSON.stringify(payload ?? ""),
      );
    return payload;
  });
}
