import type { Database, EmployersTable } from "@jiuye/db";
import { type ExpressionBuilder, type Insertable, sql, type Updateable } from "kysely";
import type { Executor } from "../../lib/executor.ts";
import { containsPattern, prefixPattern } from "../../lib/scope.ts";

/** Who sees which employers: staff by region subtree, an employer account only its own. */
export type EmployerScope = { kind: "region"; prefix: string } | { kind: "own"; employerId: string } | { kind: "none" };

export interface EmployerFilter {
  nameContains?: string;
  creditCode?: string;
  industryCode?: string;
  regionPrefix?: string;
}

export function inEmployerScope(scope: EmployerScope) {
  return (eb: ExpressionBuilder<Database, "employers">) =>
    scope.kind === "region"
      ? eb("employers.region_code", "like", prefixPattern(scope.prefix))
      : scope.kind === "own"
        ? eb("employers.id", "=", scope.employerId)
        : sql<boolean>`false`;
}

const COLUMNS = [
  "employers.id",
  "employers.credit_code",
  "employers.credit_code_override",
  "employers.name",
  "employers.industry_code",
  "employers.ownership",
  "employers.size_class",
  "employers.region_code",
  "employers.address",
  "employers.contact_name",
  "employers.contact_phone_masked",
  "employers.headcount",
  "employers.insured_headcount",
  "employers.headcount_as_of",
  "employers.created_at",
  "regions.name as region_name",
  "division.name as industry_name",
  "section.code as section_code",
  "section.name as section_name",
] as const;

function scoped(db: Executor, scope: EmployerScope) {
  return db
    .selectFrom("employers")
    .leftJoin("regions", "regions.code", "employers.region_code")
    .leftJoin("industries as division", "division.code", "employers.industry_code")
    .leftJoin("industries as section", "section.code", "division.section")
    .where(inEmployerScope(scope));
}

function filtered(db: Executor, scope: EmployerScope, f: EmployerFilter) {
  let q = scoped(db, scope);
  if (f.nameContains) q = q.where("employers.name", "like", containsPattern(f.nameContains));
  if (f.creditCode) q = q.where("employers.credit_code", "=", f.creditCode.toUpperCase());
  if (f.industryCode) q = q.where("employers.industry_code", "=", f.industryCode);
  if (f.regionPrefix) q = q.where("employers.region_code", "like", prefixPattern(f.regionPrefix));
  return q;
}

export type EmployerRow = Awaited<ReturnType<typeof employersRepository.findById>> & {};

/** 用人单位 registry; every read carries the caller's scope. */
export const employersRepository = {
  async search(db: Executor, scope: EmployerScope, f: EmployerFilter, page: number, pageSize: number) {
    const q = filtered(db, scope, f);
    const [rows, total] = await Promise.all([
      q
        .select(COLUMNS)
        .orderBy("employers.name")
        .orderBy("employers.id")
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute(),
      q.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(total.n) };
  },

  findById(db: Executor, scope: EmployerScope, id: string) {
    return scoped(db, scope).select(COLUMNS).where("employers.id", "=", id).executeTakeFirst();
  },

  insert(db: Executor, row: Insertable<EmployersTable>) {
    return db.insertInto("employers").values(row).returning("id").executeTakeFirstOrThrow();
  },

  update(db: Executor, id: string, patch: Updateable<EmployersTable>) {
    return db.updateTable("employers").set(patch).where("id", "=", id).execute();
  },

  /** Keyset-paged rows of a filtered list, for export. */
  exportBatch(db: Executor, scope: EmployerScope, f: EmployerFilter, afterId: string | null, limit: number) {
    let q = filtered(db, scope, f);
    if (afterId) q = q.where("employers.id", ">", afterId);
    return q.select(COLUMNS).orderBy("employers.id").limit(limit).execute();
  },

  industryExists(db: Executor, code: string) {
    return db
      .selectFrom("industries")
      .select("code")
      .where("code", "=", code)
      .where("level", "=", "division")
      .executeTakeFirst();
  },

  regionExists(db: Executor, code: string) {
    return db.selectFrom("regions").select("code").where("code", "=", code).executeTakeFirst();
  },

  industries(db: Executor) {
    return db.selectFrom("industries").select(["code", "section", "name", "level"]).orderBy("code").execute();
  },
};
