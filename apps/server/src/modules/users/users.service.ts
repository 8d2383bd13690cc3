import type { Database } from "@jiuye/db";
import { checkPasswordStrength, scopeCovers } from "@jiuye/domain";
import type { Kysely } from "kysely";
import { AppError } from "../../errors/catalogue.ts";
import type { Actor } from "../../lib/actor.ts";
import type { Clock, RequestContext } from "../../lib/executor.ts";
import { hashPassword } from "../../lib/passwords.ts";
import { isUniqueViolation } from "../../lib/scope.ts";
import { temporaryPassword } from "../../lib/tokens.ts";
import type { AuditService } from "../audit/audit.service.ts";
import { presentUser } from "./users.presenter.ts";
import { usersRepository as repo } from "./users.repository.ts";

export type UsersService = ReturnType<typeof createUsersService>;

/** 用户管理: administrators manage staff accounts inside their own region scope. */
export function createUsersService(deps: {
  db: Kysely<Database>;
  audit: AuditService;
  clock: Clock;
  sessions: { evictUser(userId: string): void };
}) {
  const { db, audit, clock } = deps;

  async function checkRegion(actor: Actor, code: string, field: string) {
    if (actor.regionCode && !scopeCovers(actor.regionCode, code)) {
      throw new AppError("REGION_OUT_OF_SCOPE", {
        errors: [{ field, code: "REGION_OUT_OF_SCOPE", message: "区划不在您的管辖范围内" }],
      });
    }
    if (!(await repo.regionExists(db, code))) {
      throw new AppError("REGION_UNKNOWN", { errors: [{ field, code: "REGION_UNKNOWN", message: "区划代码不存在" }] });
    }
  }

  async function getOrNotFound(actor: Actor, id: string) {
    const row = await repo.findInScope(db, actor.regionCode, id);
    if (!row) throw new AppError("NOT_FOUND");
    return row;
  }

  return {
    async list(actor: Actor, query: { page: number; pageSize: number; q?: string; role?: string }) {
      const { rows, total } = await repo.listInScope(db, actor.regionCode, query, query.page, query.pageSize);
      const now = clock();
      return { items: rows.map((r) => presentUser(r, now)), total, page: query.page, pageSize: query.pageSize };
    },

    async get(actor: Actor, id: string) {
      return presentUser(await getOrNotFound(actor, id), clock());
    },

    async create(
      actor: Actor,
      input: { username: string; displayName: string; role: string; regionCode: string; password?: string },
      ctx: RequestContext,
    ) {
      await checkRegion(actor, input.regionCode, "regionCode");
      let temporary: string | null = null;
      let password = input.password;
      if (password) {
        const problems = checkPasswordStrength(password, input.username);
        if (problems.length)
          throw new AppError("PASSWORD_WEAK", {
            errors: problems.map((p) => ({ field: "password", code: p.code, message: p.message })),
          });
      } else {
        temporary = temporaryPassword();
        password = temporary;
      }
      const passwordHash = await hashPassword(password);
      try {
        const id = await db.transaction().execute(async (trx) => {
          const { id } = await repo.insert(trx, {
            username: input.username,
            display_name: input.displayName,
            role: input.role,
            region_code: input.regionCode,
            password_hash: passwordHash,
            must_change_password: true,
          });
          await audit.record(trx, ctx, {
            action: "user.create",
            subjectType: "user",
            subjectId: id,
            fields: ["username", "role", "regionCode"],
            detail: { role: input.role, regionCode: input.regionCode },
          });
          return id;
        });
        return { user: presentUser((await repo.findInScope(db, null, id))!, clock()), temporaryPassword: temporary };
      } catch (e) {
        if (isUniqueViolation(e))
          throw new AppError("USERNAME_TAKEN", {
            errors: [{ field: "username", code: "USERNAME_TAKEN", message: "用户名已被使用" }],
          });
        throw e;
      }
    },

    async update(
      actor: Actor,
      id: string,
      patch: { displayName?: string; disabled?: boolean; regionCode?: string },
      ctx: RequestContext,
    ) {
      const row = await getOrNotFound(actor, id);
      if (row.id === actor.userId && (patch.disabled || patch.regionCode)) throw new AppError("SELF_MODIFICATION");
      if (patch.regionCode) await checkRegion(actor, patch.regionCode, "regionCode");
      await db.transaction().execute(async (trx) => {
        await repo.update(
          trx,
          id,
          { display_name: patch.displayName, disabled: patch.disabled, region_code: patch.regionCode },
          clock(),
        );
        if (patch.disabled) await repo.deleteSessions(trx, id);
        await audit.record(trx, ctx, {
          action: patch.disabled === true ? "user.disable" : patch.disabled === false ? "user.enable" : "user.update",
          subjectType: "user",
          subjectId: id,
          fields: Object.keys(patch),
        });
      });
      deps.sessions.evictUser(id); // after commit
      return presentUser((await repo.findInScope(db, actor.regionCode, id))!, clock());
    },

    async resetPassword(actor: Actor, id: string, ctx: RequestContext) {
      await getOrNotFound(actor, id);
      const temporary = temporaryPassword();
      const passwordHash = await hashPassword(temporary);
      await db.transaction().execute(async (trx) => {
        await repo.resetPassword(trx, id, passwordHash, clock());
        await repo.deleteSessions(trx, id);
        await audit.record(trx, ctx, {
          action: "user.reset_password",
          subjectType: "user",
          subjectId: id,
          fields: ["password"],
        });
      });
      deps.sessions.evictUser(id); // after commit
      return { temporaryPassword: temporary };
    },

    async resetTotp(actor: Actor, id: string, ctx: RequestContext) {
      await getOrNotFound(actor, id);
      await db.transaction().execute(async (trx) => {
        await repo.resetTotp(trx, id, clock());
        await repo.deleteSessions(trx, id);
        await audit.record(trx, ctx, {
          action: "user.reset_totp",
          subjectType: "user",
          subjectId: id,
          fields: ["totp"],
        });
      });
      deps.sessions.evictUser(id); // after commit
    },
  };
}
