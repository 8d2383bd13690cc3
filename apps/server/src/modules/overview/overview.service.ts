import type { Overview } from "@jiuye/contracts";
import type { Database } from "@jiuye/db";
import { REGION_CODE_LENGTHS, ROLE_NAMES, type Role } from "@jiuye/domain";
import type { Kysely } from "kysely";
import type { Actor } from "../../lib/actor.ts";
import type { Clock } from "../../lib/executor.ts";
import { overviewRepository as repo } from "./overview.repository.ts";

function childLength(scope: string | null): number {
  if (!scope) return 2;
  return REGION_CODE_LENGTHS.find((n) => n > scope.length) ?? scope.length;
}

export type OverviewService = ReturnType<typeof createOverviewService>;

/** 工作台概览: what each role sees first — aggregates within the caller's scope. */
export function createOverviewService(deps: { db: Kysely<Database>; clock: Clock }) {
  const { db, clock } = deps;
  return {
    async forActor(actor: Actor): Promise<Overview> {
      const scope = actor.regionCode;
      const scopeName = scope ? ((await repo.regionNames(db, [scope]))[0]?.name ?? scope) : "全部";
      const base = {
        scopeCode: scope,
        scopeName,
        cards: [] as Overview["cards"],
        byRegion: [] as Overview["byRegion"],
      };
      if (actor.role === "case_worker" || actor.role === "analyst") {
        const rows = await repo.personsByChild(db, scope, childLength(scope));
        const names = new Map(
          (
            await repo.regionNames(
              db,
              rows.map((r) => r.code),
            )
          ).map((r) => [r.code, r.name]),
        );
        const total = rows.reduce((a, r) => a + r.n, 0);
        base.cards.push(
          { key: "persons", label: "辖区登记劳动者", value: total },
          { key: "regions", label: "有登记的下级区划", value: rows.length },
        );
        base.byRegion = rows.map((r) => ({ code: r.code, name: names.get(r.code) ?? r.code, persons: r.n }));
      } else if (actor.role === "admin") {
        const rows = await repo.usersByRole(db, scope);
        for (const r of rows)
          base.cards.push({ key: `users_${r.role}`, label: `${ROLE_NAMES[r.role as Role] ?? r.role}账号`, value: r.n });
      } else if (actor.role === "auditor") {
        const since = new Date(clock().getTime() - 24 * 3_600_000);
        const r = await repo.auditSince(db, since);
        base.cards.push(
          { key: "audit_24h", label: "近24小时审计记录", value: r.total },
          { key: "denied_24h", label: "近24小时被拒绝的操作", value: r.denied },
          { key: "reveals_24h", label: "近24小时查看敏感信息", value: r.reveals },
        );
      }
      return base;
    },
  };
}
