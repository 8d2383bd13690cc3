import type { Database, SeekersTable } from "@jiuye/db";
import { type ExpressionBuilder, type Insertable, sql, type Updateable } from "kysely";
import type { Executor } from "../../lib/executor.ts";
import { prefixPattern } from "../../lib/scope.ts";

/** Who sees which seekers: case workers by region, an individual only their own registration. */
export type SeekerScope = { kind: "region"; prefix: string } | { kind: "self"; personId: string } | { kind: "none" };

export function inSeekerScope(scope: SeekerScope) {
  return (eb: ExpressionBuilder<Database, "seekers">) =>
    scope.kind === "region"
      ? eb("seekers.region_code", "like", prefixPattern(scope.prefix))
      : scope.kind === "self"
        ? eb("seekers.person_id", "=", scope.personId)
        : sql<boolean>`false`;
}

const COLUMNS = [
  "seekers.id",
  "seekers.person_id",
  "persons.name",
  "persons.education",
  "seekers.region_code",
  "seekers.occupations",
  "seekers.skills",
  "seekers.regions",
  "seekers.salary_expectation_fen",
  "seekers.available_from",
  "seekers.work_types",
  "seekers.introduction",
  "seekers.employer_visible",
  "seekers.status",
  "seekers.created_at",
] as const;

export type SeekerRow = Awaited<ReturnType<typeof seekersRepository.findById>> & {};

/** A published posting as the recommender sees it (no employer-private columns). */
const CANDIDATE_COLUMNS = [
  "postings.id",
  "postings.occupation_code",
  "postings.skills",
  "postings.region_code",
  "postings.salary_type",
  "postings.salary_min_fen",
  "postings.salary_max_fen",
  "postings.education",
  "postings.work_type",
] as const;

/** 求职登记 and the candidate queries of recommendation (hard filters in SQL, scoring in the domain). */
export const seekersRepository = {
  findById(db: Executor, scope: SeekerScope, id: string) {
    return db
      .selectFrom("seekers")
      .innerJoin("persons", "persons.id", "seekers.person_id")
      .select(COLUMNS)
      .where("seekers.id", "=", id)
      .where(inSeekerScope(scope))
      .executeTakeFirst();
  },

  findActiveByPerson(db: Executor, scope: SeekerScope, personId: string) {
    return db
      .selectFrom("seekers")
      .innerJoin("persons", "persons.id", "seekers.person_id")
      .select(COLUMNS)
      .where("seekers.person_id", "=", personId)
      .where("seekers.status", "=", "active")
      .where(inSeekerScope(scope))
      .executeTakeFirst();
  },

  insert(db: Executor, row: Insertable<SeekersTable>) {
    return db.insertInto("seekers").values(row).returning("id").executeTakeFirstOrThrow();
  },

  update(db: Executor, id: string, row: Updateable<SeekersTable>) {
    return db.updateTable("seekers").set(row).where("id", "=", id).execute();
  },

  /** Published postings passing the hard filters for a seeker: same 中类, region, type, education. */
  postingCandidates(
    db: Executor,
    f: { middleGroups: string[]; regions: string[]; workTypes: string[]; educationRank: number; limit: number | null },
  ) {
    let q = db
      .selectFrom("posting_search as s")
      .innerJoin("postings", "postings.id", "s.posting_id")
      .select(CANDIDATE_COLUMNS)
      .where(sql<boolean>`left(s.occupation_code, 4) in (${sql.join(f.middleGroups)})`)
      .where("s.education_rank", "<=", f.educationRank);
    if (f.regions.length)
      q = q.where((eb) => eb.or(f.regions.map((r) => eb("s.region_code", "like", prefixPattern(r)))));
    if (f.workTypes.length) q = q.where("s.work_type", "in", f.workTypes);
    const ordered = q.orderBy("s.published_at", "desc");
    return (f.limit === null ? ordered : ordered.limit(f.limit)).execute();
  },

  /** Active seekers in scope whose intentions share the posting's 中类. */
  seekerCandidates(
    db: Executor,
    scope: SeekerScope,
    f: { middleGroup: string; employerVisibleOnly: boolean; limit: number | null },
  ) {
    let q = db
      .selectFrom("seekers")
      .innerJoin("persons", "persons.id", "seekers.person_id")
      .select(COLUMNS)
      .where("seekers.status", "=", "active")
      .where(sql<boolean>`exists (select 1 from unnest(seekers.occupations) o where left(o, 4) = ${f.middleGroup})`)
      .where(inSeekerScope(scope));
    if (f.employerVisibleOnly) q = q.where("seekers.employer_visible", "=", true);
    const ordered = q.orderBy("seekers.updated_at", "desc");
    return (f.limit === null ? ordered : ordered.limit(f.limit)).execute();
  },

  findManyByIds(db: Executor, scope: SeekerScope, ids: string[]) {
    if (ids.length === 0) return Promise.resolve([]);
    return db
      .selectFrom("seekers")
      .innerJoin("persons", "persons.id", "seekers.person_id")
      .select(COLUMNS)
      .where("seekers.id", "in", ids)
      .where(inSeekerScope(scope))
      .execute();
  },

  feedbackOfSeeker(db: Executor, seekerId: string) {
    return db.selectFrom("match_feedback").select(["posting_id", "kind"]).where("seeker_id", "=", seekerId).execute();
  },

  feedbackOfPosting(db: Executor, postingId: string) {
    return db
      .selectFrom("match_feedback")
      .select(["seeker_id", "kind"])
      .where("posting_id", "=", postingId)
      .where("kind", "in", ["not_relevant", "hidden"])
      .execute();
  },

  insertFeedback(
    db: Executor,
    row: { seekerId: string; postingId: string; kind: string; reason: string; by: string; now: Date },
  ) {
    return db
      .insertInto("match_feedback")
      .values({
        seeker_id: row.seekerId,
        posting_id: row.postingId,
        kind: row.kind,
        reason: row.reason,
        created_by: row.by,
        created_at: row.now,
      })
      .onConflict((oc) =>
        oc
          .columns(["seeker_id", "posting_id", "kind"])
          .doUpdateSet({ reason: row.reason, created_by: row.by, created_at: row.now }),
      )
      .execute();
  },
};
