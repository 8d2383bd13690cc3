import type { Household } from "@jiuye/contracts";
import type { Database } from "@jiuye/db";
import {
  effectiveRetirementCategory,
  isWorkingAge,
  isZeroEmploymentHousehold,
  type RetirementCategory,
  scopeCovers,
  shanghaiDate,
} from "@jiuye/domain";
import type { Kysely } from "kysely";
import { AppError } from "../../errors/catalogue.ts";
import type { Actor } from "../../lib/actor.ts";
import type { Clock, RequestContext } from "../../lib/executor.ts";
import { isUniqueViolation } from "../../lib/scope.ts";
import type { AuditService } from "../audit/audit.service.ts";
import { householdsRepository as repo } from "./households.repository.ts";

type MemberRow = Awaited<ReturnType<typeof repo.members>>[number];
type HouseholdRow = NonNullable<Awaited<ReturnType<typeof repo.findInScope>>>;
type Relation = Household["members"][number]["relation"];

export type HouseholdsService = ReturnType<typeof createHouseholdsService>;

const conflict = () =>
  new AppError("HOUSEHOLD_MEMBER_CONFLICT", {
    errors: [
      {
        field: "members",
        code: "HOUSEHOLD_MEMBER_CONFLICT",
        message: "成员已属于另一个家庭（请先办理迁出），或该家庭已有户主",
      },
    ],
  });

/** 家庭 (households) with members and relations; each view says whether it is a 零就业家庭. */
export function createHouseholdsService(deps: { db: Kysely<Database>; audit: AuditService; clock: Clock }) {
  const { db, audit, clock } = deps;

  function scopeOf(actor: Actor): string {
    if (actor.role !== "case_worker" || !actor.regionCode) throw new AppError("NOT_FOUND");
    return actor.regionCode;
  }

  function present(h: HouseholdRow, rows: MemberRow[], today: string): Household {
    const members = rows.map((m) => {
      const category = effectiveRetirementCategory({
        sex: m.sex as "male" | "female",
        retirementCategory: m.retirement_category as RetirementCategory | null,
      });
      const alive = !m.death_date || m.death_date > today;
      return {
        id: m.id,
        personId: m.person_id,
        name: m.name,
        idNumberMasked: m.id_number_masked,
        sex: m.sex as "male" | "female",
        birthDate: m.birth_date,
        relation: m.relation as Relation,
        joinedOn: m.joined_on,
        leftOn: m.left_on,
        workingAge: alive && isWorkingAge(m.birth_date, category, today),
        status:
          (m.open_spell ?? "none") === "employment"
            ? ("employed" as const)
            : m.open_spell === "unemployment"
              ? ("unemployed" as const)
              : ("none" as const),
      };
    });
    const current = members.filter((m) => !m.leftOn);
    return {
      id: h.id,
      regionCode: h.region_code,
      regionName: h.region_name ?? null,
      address: h.address,
      createdAt: new Date(h.created_at).toISOString(),
      members,
      // Able to work is assumed for working-age members: the registry has no 丧失劳动能力 fact yet.
      zeroEmployment: isZeroEmploymentHousehold(
        current.map((m) => ({
          workingAge: m.workingAge,
          ableToWork: true,
          employed: m.status === "employed",
          registeredUnemployed: m.status === "unemployed",
        })),
      ),
    };
  }

  async function load(actor: Actor, id: string, ctx: RequestContext) {
    const h = await repo.findInScope(db, scopeOf(actor), id);
    if (!h) throw new AppError("NOT_FOUND");
    const rows = await repo.members(db, [id]);
    await audit.record(db, ctx, {
      action: "household.read",
      subjectType: "household",
      subjectId: id,
      fields: ["members", "status"],
    });
    return present(h, rows, shanghaiDate(clock()));
  }

  return {
    get: load,

    async list(actor: Actor, query: { page: number; pageSize: number; regionCode?: string }, ctx: RequestContext) {
      let prefix = scopeOf(actor);
      if (query.regionCode) {
        if (!scopeCovers(prefix, query.regionCode))
          return { items: [], total: 0, page: query.page, pageSize: query.pageSize };
        prefix = query.regionCode;
      }
      const [rows, total] = await repo.list(db, prefix, query.page, query.pageSize);
      const members = await repo.members(
        db,
        rows.map((r) => r.id),
      );
      const today = shanghaiDate(clock());
      await audit.record(db, ctx, {
        action: "household.search",
        subjectType: "household",
        detail: { returned: rows.length },
      });
      return {
        items: rows.map((h) =>
          present(
            h,
            members.filter((m) => m.household_id === h.id),
            today,
          ),
        ),
        total: Number(total.n),
        page: query.page,
        pageSize: query.pageSize,
      };
    },

    async create(
      actor: Actor,
      input: {
        regionCode: string;
        address?: string;
        members: Array<{ personId: string; relation: string; joinedOn: string }>;
      },
      ctx: RequestContext,
    ) {
      const prefix = scopeOf(actor);
      if (!scopeCovers(prefix, input.regionCode))
        throw new AppError("REGION_OUT_OF_SCOPE", {
          errors: [{ field: "regionCode", code: "REGION_OUT_OF_SCOPE", message: "家庭住址不在您的管辖范围内" }],
        });
      if (!(await repo.regionExists(db, input.regionCode)))
        throw new AppError("REGION_UNKNOWN", {
          errors: [{ field: "regionCode", code: "REGION_UNKNOWN", message: "家庭住址区划代码不存在" }],
        });
      const ids = [...new Set(input.members.map((m) => m.personId))];
      if (ids.length !== input.members.length)
        throw new AppError("VALIDATION_FAILED", {
          errors: [{ field: "members", code: "DUPLICATE_MEMBER", message: "同一人不能重复列为家庭成员" }],
        });
      if (input.members.filter((m) => m.relation === "head").length !== 1)
        throw new AppError("VALIDATION_FAILED", {
          errors: [{ field: "members", code: "ONE_HEAD", message: "家庭应有且只有一名户主" }],
        });
      if ((await repo.personsInScope(db, prefix, ids)).length !== ids.length) throw new AppError("NOT_FOUND");
      try {
        const id = await db.transaction().execute(async (trx) => {
          const { id } = await repo.insert(trx, {
            province_code: input.regionCode.slice(0, 2),
            region_code: input.regionCode,
            address: input.address ?? null,
            created_by: actor.userId,
            created_at: clock(),
          });
          await repo.insertMembers(
            trx,
            input.members.map((m) => ({
              household_id: id,
              person_id: m.personId,
              relation: m.relation,
              joined_on: m.joinedOn,
            })),
          );
          await audit.record(trx, ctx, {
            action: "household.create",
            subjectType: "household",
            subjectId: id,
            fields: ["members"],
            detail: { members: ids.length },
          });
          return id;
        });
        return load(actor, id, ctx);
      } catch (e) {
        if (isUniqueViolation(e)) throw conflict();
        throw e;
      }
    },

    async addMember(
      actor: Actor,
      id: string,
      input: { personId: string; relation: string; joinedOn: string },
      ctx: RequestContext,
    ) {
      const prefix = scopeOf(actor);
      if (!(await repo.findInScope(db, prefix, id))) throw new AppError("NOT_FOUND");
      if ((await repo.personsInScope(db, prefix, [input.personId])).length !== 1) throw new AppError("NOT_FOUND");
      try {
        await db.transaction().execute(async (trx) => {
          await repo.insertMembers(trx, [
            { household_id: id, person_id: input.personId, relation: input.relation, joined_on: input.joinedOn },
          ]);
          await audit.record(trx, ctx, {
            action: "household.member_add",
            subjectType: "household",
            subjectId: id,
            fields: ["members"],
            detail: { personId: input.personId, relation: input.relation },
          });
        });
      } catch (e) {
        if (isUniqueViolation(e)) throw conflict();
        throw e;
      }
      return load(actor, id, ctx);
    },

    async leave(actor: Actor, id: string, memberId: string, input: { leftOn: string }, ctx: RequestContext) {
      const prefix = scopeOf(actor);
      if (!(await repo.findInScope(db, prefix, id))) throw new AppError("NOT_FOUND");
      const m = await repo.findMembership(db, id, memberId);
      if (!m) throw new AppError("NOT_FOUND");
      if (m.left_on)
        throw new AppError("VALIDATION_FAILED", {
          errors: [{ field: "leftOn", code: "ALREADY_LEFT", message: "该成员已迁出" }],
        });
      if (input.leftOn < m.joined_on)
        throw new AppError("VALIDATION_FAILED", {
          errors: [{ field: "leftOn", code: "DATE_ORDER", message: "迁出日期不能早于加入日期" }],
        });
      await db.transaction().execute(async (trx) => {
        await repo.leave(trx, memberId, input.leftOn);
        await audit.record(trx, ctx, {
          action: "household.member_leave",
          subjectType: "household",
          subjectId: id,
          fields: ["members"],
          detail: { memberId },
        });
      });
      return load(actor, id, ctx);
    },

    async ofPerson(actor: Actor, personId: string, ctx: RequestContext) {
      const prefix = scopeOf(actor);
      if ((await repo.personsInScope(db, prefix, [personId])).length !== 1) throw new AppError("NOT_FOUND");
      const m = await repo.currentHouseholdOf(db, personId);
      if (!m) throw new AppError("NOT_FOUND");
      return load(actor, m.household_id, ctx);
    },
  };
}
