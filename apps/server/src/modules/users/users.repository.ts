import type { NewUser } from "@jiuye/db";
import type { Executor } from "../../lib/executor.ts";
import { containsPattern, prefixPattern } from "../../lib/scope.ts";

const USER_COLUMNS = [
  "users.id",
  "users.username",
  "users.display_name",
  "users.role",
  "users.region_code",
  "users.disabled",
  "users.locked_until",
  "users.totp_enabled",
  "users.must_change_password",
  "users.last_login_at",
  "users.created_at",
] as const;

/** Staff accounts, always filtered by the managing administrator's scope (null = everything). */
export const usersRepository = {
  async listInScope(
    db: Executor,
    scope: string | null,
    f: { q?: string; role?: string },
    page: number,
    pageSize: number,
  ) {
    let q = db.selectFrom("users").leftJoin("regions", "regions.code", "users.region_code");
    if (scope) q = q.where("users.region_code", "like", prefixPattern(scope));
    if (f.role) q = q.where("users.role", "=", f.role);
    if (f.q) {
      const like = containsPattern(f.q);
      q = q.where((eb) => eb.or([eb("users.username", "ilike", like), eb("users.display_name", "like", like)]));
    }
    const [rows, total] = await Promise.all([
      q
        .select([...USER_COLUMNS, "regions.name as region_name"])
        .orderBy("users.created_at", "desc")
        .orderBy("users.id")
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute(),
      q.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(total.n) };
  },

  findInScope(db: Executor, scope: string | null, id: string) {
    let q = db.selectFrom("users").leftJoin("regions", "regions.code", "users.region_code").where("users.id", "=", id);
    if (scope) q = q.where("users.region_code", "like", prefixPattern(scope));
    return q.select([...USER_COLUMNS, "regions.name as region_name"]).executeTakeFirst();
  },

  insert(db: Executor, user: NewUser) {
    return db.insertInto("users").values(user).returning("id").executeTakeFirstOrThrow();
  },

  update(
    db: Executor,
    id: string,
    patch: { display_name?: string; disabled?: boolean; region_code?: string },
    now: Date,
  ) {
    return db
      .updateTable("users")
      .set({ ...patch, updated_at: now })
      .where("id", "=", id)
      .execute();
  },

  resetPassword(db: Executor, id: string, passwordHash: string, now: Date) {
    return db
      .updateTable("users")
      .set({
        password_hash: passwordHash,
        must_change_password: true,
        failed_logins: 0,
        locked_until: null,
        updated_at: now,
      })
      .where("id", "=", id)
      .execute();
  },

  resetTotp(db: Executor, id: string, now: Date) {
    return db
      .updateTable("users")
      .set({ totp_enabled: false, totp_secret_enc: null, updated_at: now })
      .where("id", "=", id)
      .execute();
  },

  deleteSessions(db: Executor, userId: string) {
    return db.deleteFrom("sessions").where("user_id", "=", userId).execute();
  },

  regionExists(db: Executor, code: string) {
    return db.selectFrom("regions").select("code").where("code", "=", code).executeTakeFirst();
  },

  countAdmins(db: Executor) {
    return db
      .selectFrom("users")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("role", "=", "admin")
      .where("disabled", "=", false)
      .executeTakeFirstOrThrow();
  },
};
