import { sql } from "kysely";
import type { Executor } from "../../lib/executor.ts";

export const authRepository = {
  findUserByUsername(db: Executor, username: string) {
    return db
      .selectFrom("users")
      .selectAll()
      .where(sql<string>`lower(username)`, "=", username.toLowerCase())
      .executeTakeFirst();
  },

  findUserById(db: Executor, id: string) {
    return db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
  },

  recordFailure(db: Executor, userId: string, failures: number, lockedUntil: Date | null) {
    return db
      .updateTable("users")
      .set({ failed_logins: failures, ...(lockedUntil ? { locked_until: lockedUntil } : {}) })
      .where("id", "=", userId)
      .execute();
  },

  recordSuccess(db: Executor, userId: string, now: Date) {
    return db
      .updateTable("users")
      .set({ failed_logins: 0, locked_until: null, last_login_at: now })
      .where("id", "=", userId)
      .execute();
  },

  createSession(
    db: Executor,
    s: {
      id: string;
      userId: string;
      csrf: string;
      ip: string | null;
      userAgent: string | null;
      totpVerified: boolean;
      now: Date;
    },
  ) {
    return db
      .insertInto("sessions")
      .values({
        id: s.id,
        user_id: s.userId,
        csrf_token: s.csrf,
        ip: s.ip,
        user_agent: s.userAgent?.slice(0, 300) ?? null,
        totp_verified: s.totpVerified,
        created_at: s.now,
        last_seen_at: s.now,
      })
      .execute();
  },

  /** The session and its user in one round trip (every authenticated request does this). */
  findSessionWithUser(db: Executor, sessionId: string) {
    return db
      .selectFrom("sessions")
      .innerJoin("users", "users.id", "sessions.user_id")
      .select([
        "sessions.id as session_id",
        "sessions.csrf_token",
        "sessions.created_at",
        "sessions.last_seen_at",
        "users.id as user_id",
        "users.username",
        "users.display_name",
        "users.role",
        "users.region_code",
        "users.person_id",
        "users.employer_id",
        "users.totp_enabled",
        "users.must_change_password",
        "users.disabled",
      ])
      .where("sessions.id", "=", sessionId)
      .executeTakeFirst();
  },

  touchSession(db: Executor, sessionId: string, now: Date) {
    return db.updateTable("sessions").set({ last_seen_at: now }).where("id", "=", sessionId).execute();
  },

  deleteSession(db: Executor, sessionId: string) {
    return db.deleteFrom("sessions").where("id", "=", sessionId).execute();
  },

  deleteOtherSessions(db: Executor, userId: string, keepSessionId: string | null) {
    let q = db.deleteFrom("sessions").where("user_id", "=", userId);
    if (keepSessionId) q = q.where("id", "!=", keepSessionId);
    return q.execute();
  },

  setPassword(db: Executor, userId: string, passwordHash: string, mustChange: boolean, now: Date) {
    return db
      .updateTable("users")
      .set({ password_hash: passwordHash, must_change_password: mustChange, updated_at: now })
      .where("id", "=", userId)
      .execute();
  },

  setPendingTotpSecret(db: Executor, userId: string, secretEnc: string, now: Date) {
    return db
      .updateTable("users")
      .set({ totp_secret_enc: secretEnc, updated_at: now })
      .where("id", "=", userId)
      .where("totp_enabled", "=", false)
      .execute();
  },

  enableTotp(db: Executor, userId: string, now: Date) {
    return db.updateTable("users").set({ totp_enabled: true, updated_at: now }).where("id", "=", userId).execute();
  },

  regionName(db: Executor, code: string | null) {
    if (!code) return Promise.resolve(undefined);
    return db.selectFrom("regions").select("name").where("code", "=", code).executeTakeFirst();
  },
};
