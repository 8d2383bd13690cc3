import type { Database } from "@jiuye/db";
import { afterFailedLogin, checkPasswordStrength, type Role, sessionExpiry, TOTP_REQUIRED_ROLES } from "@jiuye/domain";
import type { Kysely } from "kysely";
import { Secret, TOTP } from "otpauth";
import { AppError } from "../../errors/catalogue.ts";
import type { Actor } from "../../lib/actor.ts";
import type { Clock, RequestContext } from "../../lib/executor.ts";
import type { FieldCipher } from "../../lib/field-cipher.ts";
import { burnPasswordCheck, hashPassword, verifyPassword } from "../../lib/passwords.ts";
import { newToken, sha256Hex } from "../../lib/tokens.ts";
import type { AuditService } from "../audit/audit.service.ts";
import { authRepository as repo } from "./auth.repository.ts";
import { createSessionCache } from "./session-cache.ts";

export interface AuthServiceDeps {
  db: Kysely<Database>;
  audit: AuditService;
  cipher: FieldCipher;
  clock: Clock;
  limits: { staffIdleMs: number; staffAbsoluteMs: number; publicIdleMs: number; publicAbsoluteMs: number };
  /** How long a resolved session may be reused without a database read (0 = always read). */
  sessionCacheMs?: number;
}

// Last-seen is written at most this often; the idle timeout is exact to within this interval.
const TOUCH_INTERVAL_MS = 30_000;

function totpFor(username: string, base32: string): TOTP {
  return new TOTP({
    issuer: "就业促进服务平台",
    label: username,
    algorithm: "SHA1",
    digits: 6,
    period: 30,
    secret: Secret.fromBase32(base32),
  });
}

export type AuthService = ReturnType<typeof createAuthService>;

export function createAuthService(deps: AuthServiceDeps) {
  const { db, audit, cipher, clock } = deps;
  type SessionRow = NonNullable<Awaited<ReturnType<typeof repo.findSessionWithUser>>>;
  const sessions = createSessionCache<SessionRow>({ ttlMs: deps.sessionCacheMs ?? 2_000, max: 50_000 });
  // Region names are reference data that does not change while the server runs.
  const regionNames = new Map<string, string | null>();

  async function failLogin(
    ctx: RequestContext,
    userId: string | null,
    username: string,
    code: "INVALID_CREDENTIALS" | "ACCOUNT_LOCKED" | "ACCOUNT_DISABLED" | "TOTP_INVALID" | "TOTP_REQUIRED",
    failures?: { count: number; lockedUntil: Date | null },
  ): Promise<never> {
    await db.transaction().execute(async (trx) => {
      if (userId && failures) await repo.recordFailure(trx, userId, failures.count, failures.lockedUntil);
      await audit.record(
        trx,
        { ...ctx, actorId: userId },
        {
          action: "auth.login",
          subjectType: "user",
          subjectId: userId ?? undefined,
          outcome: "denied",
          detail: { reason: code, username: username.slice(0, 64) },
        },
      );
    });
    throw new AppError(failures?.lockedUntil ? "ACCOUNT_LOCKED" : code);
  }

  return {
    /** Password (+ TOTP when enabled) → a new session. 5 failures lock the account for 15 minutes. */
    async login(
      input: { username: string; password: string; totpCode?: string },
      ctx: RequestContext & { userAgent: string | null },
    ) {
      const now = clock();
      const user = await repo.findUserByUsername(db, input.username);
      if (!user) {
        await burnPasswordCheck(input.password);
        return failLogin(ctx, null, input.username, "INVALID_CREDENTIALS");
      }
      if (user.locked_until && user.locked_until > now)
        return failLogin(ctx, user.id, input.username, "ACCOUNT_LOCKED");
      const ok = await verifyPassword(user.password_hash, input.password);
      if (!ok) {
        const next = afterFailedLogin(user.failed_logins, now);
        return failLogin(ctx, user.id, input.username, "INVALID_CREDENTIALS", {
          count: next.failures,
          lockedUntil: next.lockedUntil,
        });
      }
      if (user.disabled) return failLogin(ctx, user.id, input.username, "ACCOUNT_DISABLED");
      let totpVerified = false;
      if (user.totp_enabled && user.totp_secret_enc) {
        if (!input.totpCode) throw new AppError("TOTP_REQUIRED");
        const delta = totpFor(user.username, cipher.decrypt(user.totp_secret_enc)).validate({
          token: input.totpCode,
          timestamp: now.getTime(),
          window: 1,
        });
        if (delta === null) {
          const next = afterFailedLogin(user.failed_logins, now);
          return failLogin(ctx, user.id, input.username, "TOTP_INVALID", {
            count: next.failures,
            lockedUntil: next.lockedUntil,
          });
        }
        totpVerified = true;
      }
      const token = newToken();
      const csrf = newToken(24);
      await db.transaction().execute(async (trx) => {
        await repo.recordSuccess(trx, user.id, now);
        await repo.createSession(trx, {
          id: sha256Hex(token),
          userId: user.id,
          csrf,
          ip: ctx.ip,
          userAgent: ctx.userAgent,
          totpVerified,
          now,
        });
        await audit.record(
          trx,
          { ...ctx, actorId: user.id, actorRole: user.role },
          { action: "auth.login", subjectType: "user", subjectId: user.id },
        );
      });
      return { token, csrf };
    },

    /** Resolves a session token to an actor, enforcing idle (15 min) and absolute (12 h) limits for staff. */
    async authenticate(token: string): Promise<Actor> {
      const id = sha256Hex(token);
      const now = clock();
      let row = sessions.get(id, now);
      if (!row) {
        row = await repo.findSessionWithUser(db, id);
        if (row) sessions.set(id, row, now);
      }
      if (!row || row.disabled) throw new AppError("AUTH_REQUIRED");
      const lastSeen = new Date(row.last_seen_at);
      const expired = sessionExpiry(
        { role: row.role as Role, createdAt: new Date(row.created_at), lastSeenAt: lastSeen },
        now,
        deps.limits,
      );
      if (expired) {
        sessions.delete(id);
        await repo.deleteSession(db, id);
        throw new AppError("SESSION_EXPIRED", {
          detail: expired === "idle" ? "长时间未操作，登录已失效" : "登录时间已达上限，请重新登录",
        });
      }
      if (now.getTime() - lastSeen.getTime() > TOUCH_INTERVAL_MS) {
        await repo.touchSession(db, id, now);
        row.last_seen_at = now;
      }
      return {
        userId: row.user_id,
        username: row.username,
        displayName: row.display_name,
        role: row.role as Role,
        regionCode: row.region_code,
        personId: row.person_id,
        employerId: row.employer_id ?? null,
        sessionId: id,
        csrfToken: row.csrf_token,
        totpEnabled: row.totp_enabled,
        mustChangePassword: row.must_change_password,
      };
    },

    /** Forgets cached sessions of a user whose account or sessions just changed. */
    evictUser(userId: string) {
      sessions.evictUser(userId);
    },

    async logout(actor: Actor, ctx: RequestContext) {
      sessions.delete(actor.sessionId);
      await db.transaction().execute(async (trx) => {
        await repo.deleteSession(trx, actor.sessionId);
        await audit.record(trx, ctx, { action: "auth.logout", subjectType: "user", subjectId: actor.userId });
      });
    },

    async me(actor: Actor) {
      let regionName = actor.regionCode ? regionNames.get(actor.regionCode) : null;
      if (actor.regionCode && regionName === undefined) {
        regionName = (await repo.regionName(db, actor.regionCode))?.name ?? null;
        regionNames.set(actor.regionCode, regionName);
      }
      return {
        id: actor.userId,
        username: actor.username,
        displayName: actor.displayName,
        role: actor.role,
        regionCode: actor.regionCode,
        regionName: regionName ?? null,
        personId: actor.personId,
        employerId: actor.employerId,
        totpEnabled: actor.totpEnabled,
        totpRequired: TOTP_REQUIRED_ROLES.includes(actor.role),
        mustChangePassword: actor.mustChangePassword,
        csrfToken: actor.csrfToken,
      };
    },

    async changePassword(actor: Actor, input: { currentPassword: string; newPassword: string }, ctx: RequestContext) {
      const user = await repo.findUserById(db, actor.userId);
      if (!user || !(await verifyPassword(user.password_hash, input.currentPassword))) {
        throw new AppError("PASSWORD_WRONG", {
          errors: [{ field: "currentPassword", code: "PASSWORD_WRONG", message: "当前密码不正确" }],
        });
      }
      const problems = checkPasswordStrength(input.newPassword, user.username);
      if (problems.length) {
        throw new AppError("PASSWORD_WEAK", {
          errors: problems.map((p) => ({ field: "newPassword", code: p.code, message: p.message })),
        });
      }
      if (input.newPassword === input.currentPassword) {
        throw new AppError("PASSWORD_REUSED", {
          errors: [{ field: "newPassword", code: "PASSWORD_REUSED", message: "新密码不能与当前密码相同" }],
        });
      }
      const hashed = await hashPassword(input.newPassword);
      await db.transaction().execute(async (trx) => {
        await repo.setPassword(trx, actor.userId, hashed, false, clock());
        await repo.deleteOtherSessions(trx, actor.userId, actor.sessionId);
        await audit.record(trx, ctx, {
          action: "account.password_change",
          subjectType: "user",
          subjectId: actor.userId,
          fields: ["password"],
        });
      });
      sessions.evictUser(actor.userId); // after commit, so no request re-caches the old row
    },

    /** Starts TOTP enrolment: a new secret, shown once, stored encrypted until confirmed. */
    async startTotp(actor: Actor, ctx: RequestContext) {
      const secret = new Secret({ size: 20 });
      const totp = totpFor(actor.username, secret.base32);
      await db.transaction().execute(async (trx) => {
        await repo.setPendingTotpSecret(trx, actor.userId, cipher.encrypt(secret.base32), clock());
        await audit.record(trx, ctx, { action: "account.totp_setup", subjectType: "user", subjectId: actor.userId });
      });
      return { secret: secret.base32, otpauthUri: totp.toString() };
    },

    async enableTotp(actor: Actor, code: string, ctx: RequestContext) {
      const user = await repo.findUserById(db, actor.userId);
      if (!user?.totp_secret_enc) throw new AppError("TOTP_NOT_STARTED");
      if (user.totp_enabled) return;
      const delta = totpFor(user.username, cipher.decrypt(user.totp_secret_enc)).validate({
        token: code,
        timestamp: clock().getTime(),
        window: 1,
      });
      if (delta === null)
        throw new AppError("TOTP_INVALID", {
          errors: [{ field: "code", code: "TOTP_INVALID", message: "动态口令不正确，请核对手机时间后重试" }],
        });
      await db.transaction().execute(async (trx) => {
        await repo.enableTotp(trx, actor.userId, clock());
        await audit.record(trx, ctx, { action: "account.totp_enable", subjectType: "user", subjectId: actor.userId });
      });
      sessions.evictUser(actor.userId); // after commit, so no request re-caches the old row
    },
  };
}

/** A TOTP code for a base32 secret at a moment (used by the demo seed output and tests). */
export function totpCodeAt(base32: string, at: Date): string {
  return new TOTP({ secret: Secret.fromBase32(base32), digits: 6, period: 30, algorithm: "SHA1" }).generate({
    timestamp: at.getTime(),
  });
}
