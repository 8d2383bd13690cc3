import type { Database } from "@jiuye/db";
import type { Kysely } from "kysely";
import { AppError } from "../../errors/catalogue.ts";
import type { RequestContext } from "../../lib/executor.ts";
import type { AuditService } from "../audit/audit.service.ts";
import { occupationsRepository as repo } from "./occupations.repository.ts";

export type OccupationsService = ReturnType<typeof createOccupationsService>;

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
      const existing = new Set(await repo.codesOf(db, body.version));
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
          await repo.upsert(trx, {
            version: body.version,
            code: r.code,
            name: r.name,
            level: r.code.split("-").length,
            parent_code: parentOf(r.code),
            aliases: r.aliases,
            skills: r.skills,
            verified: r.verified,
          });
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
      const rows = await repo.list(db, f);
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
