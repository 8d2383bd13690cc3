import type { Database } from "@jiuye/db";
import { OCCUPATION_CATALOGUE_VERSION } from "@jiuye/domain";
import { type Kysely, sql } from "kysely";
import { AppError } from "../../errors/catalogue.ts";
import type { Executor, RequestContext } from "../../lib/executor.ts";
import type { AuditService } from "../audit/audit.service.ts";

export type OccupationsService = ReturnType<typeof createOccupationsService>;

/** 职业分类大典: search by name or alias (Chinese), browse by parent. */
export const occupationsRepository = {
  list(db: Executor, f: { q?: string; level?: number; parentCode?: string; limit: number }) {
    let q = db.selectFrom("occupations").selectAll().where("version", "=", OCCUPATION_CATALOGUE_VERSION);
    if (f.level) q = q.where("level", "=", f.level);
    if (f.parentCode) q = q.where("parent_code", "=", f.parentCode);
    if (f.q) {
      const like = `%${f.q.replace(/[%_\\]/g, "\\$&")}%`;
      q = q.where((eb) =>
        eb.or([
          eb("name", "like", like),
          eb("code", "like", `${f.q}%`),
          sql<boolean>`array_to_string(aliases, '|') like ${like}`,
        ]),
      );
    }
    return q.orderBy("code").limit(f.limit).execute();
  },
  namesOf(db: Executor, codes: string[]) {
    if (codes.length === 0) return Promise.resolve([]);
    return db
      .selectFrom("occupations")
      .select(["code", "name"])
      .where("version", "=", OCCUPATION_CATALOGUE_VERSION)
      .where("code", "in", codes)
      .execute();
  },
};

/** The parent of an occupation code: 6-31-01-03 → 6-31-01 → 6-31 → 6. */
function parentOf(code: string): string | null {
  const parts = code.split("-");
  return parts.length > 1 ? parts.slice(0, -1).join("-") : null;
}

export function createOccupationsService(deps: { db: Kysely<Database>; audit: AuditService }) {
  const { db, audit } = deps;
  return {
    /**
     * Adds or replaces occupations of a catalogue version (the official 大典 list, or a bureau's
     * additions). A row's parent must exist already or come earlier in the same import.
     */
    async import(
      body: {
        version: string;
        rows: Array<{ code: string; name: string; aliases: string[]; skills: string[]; verified: boolean }>;
      },
      ctx: RequestContext,
    ) {
      const codes = new Set(body.rows.map((r) => r.code));
      const existing = new Set(
        (await db.selectFrom("occupations").select("code").where("version", "=", body.version).execute()).map(
          (r) => r.code,
        ),
      );
      const errors = body.rows.flatMap((r, i) => {
        const parent = parentOf(r.code);
        return parent && !codes.has(parent) && !existing.has(parent)
          ? [
              {
                field: `rows.${i}.code`,
                code: "OCCUPATION_PARENT_MISSING",
                message: `职业 ${r.code} 的上级 ${parent} 不存在`,
              },
            ]
          : [];
      });
      if (errors.length) throw new AppError("VALIDATION_FAILED", { errors: errors.slice(0, 50) });
      return db.transaction().execute(async (trx) => {
        for (const r of [...body.rows].sort((a, b) => a.code.length - b.code.length)) {
          await trx
            .insertInto("occupations")
            .values({
              version: body.version,
              code: r.code,
              name: r.name,
              level: r.code.split("-").length,
              parent_code: parentOf(r.code),
              aliases: r.aliases,
              skills: r.skills,
              verified: r.verified,
            })
            .onConflict((oc) =>
              oc
                .columns(["version", "code"])
                .doUpdateSet({ name: r.name, aliases: r.aliases, skills: r.skills, verified: r.verified }),
            )
            .execute();
        }
        const inserted = body.rows.filter((r) => !existing.has(r.code)).length;
        await audit.record(trx, ctx, {
          action: "occupations.import",
          subjectType: "occupation",
          fields: [],
          detail: { version: body.version, inserted, updated: body.rows.length - inserted },
        });
        return { inserted, updated: body.rows.length - inserted };
      });
    },

    async list(f: { q?: string; level?: number; parentCode?: string; limit: number }) {
      const rows = await occupationsRepository.list(db, f);
      return rows.map((r) => ({
        code: r.code,
        name: r.name,
        level: r.level,
        parentCode: r.parent_code,
        aliases: r.aliases,
        skills: r.skills,
        verified: r.verified,
      }));
    },
  };
}
