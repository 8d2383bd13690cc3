import type {
  JobFairApplicationsTable,
  JobFairPostingsTable,
  JobFairRegistrationsTable,
  JobFairsTable,
} from "@jiuye/db";
import { type Insertable, sql } from "kysely";
import type { Executor } from "../../lib/executor.ts";
import { prefixPattern } from "../../lib/scope.ts";

/** What a fair achieved, counted from its records. */
export interface FairResults {
  employers: number;
  postings: number;
  vacancies: number;
  registrations: number;
  applications: number;
  hires: number;
}

/** 专场招聘会: all SQL for fairs, their postings, registrations and applications. */
export const jobFairsRepository = {
  async list(db: Executor, f: { regionPrefix?: string; status?: string; publicOnly: boolean }) {
    let q = db
      .selectFrom("job_fairs")
      .leftJoin("regions", "regions.code", "job_fairs.region_code")
      .selectAll("job_fairs")
      .select("regions.name as region_name");
    if (f.regionPrefix) q = q.where("job_fairs.region_code", "like", prefixPattern(f.regionPrefix));
    if (f.status) q = q.where("job_fairs.status", "=", f.status);
    if (f.publicOnly) q = q.where("job_fairs.status", "in", ["published", "closed"]);
    return q.orderBy("job_fairs.starts_at", "desc").limit(200).execute();
  },
  find(db: Executor, id: string, lock = false) {
    let q = db
      .selectFrom("job_fairs")
      .leftJoin("regions", "regions.code", "job_fairs.region_code")
      .selectAll("job_fairs")
      .select("regions.name as region_name")
      .where("job_fairs.id", "=", id);
    if (lock) q = q.forUpdate("job_fairs");
    return q.executeTakeFirst();
  },
  async results(db: Executor, fairIds: string[]) {
    if (fairIds.length === 0) return new Map<string, FairResults>();
    const r = await sql<{
      fair_id: string;
      employers: number;
      postings: number;
      vacancies: number;
      registrations: number;
      applications: number;
      hires: number;
    }>`
      select f.id as fair_id,
        (select count(distinct employer_id)::int from job_fair_postings p where p.fair_id = f.id) as employers,
        (select count(*)::int from job_fair_postings p where p.fair_id = f.id) as postings,
        (select coalesce(sum(po.headcount), 0)::int from job_fair_postings p join postings po on po.id = p.posting_id where p.fair_id = f.id) as vacancies,
        (select count(*)::int from job_fair_registrations r where r.fair_id = f.id) as registrations,
        (select count(*)::int from job_fair_applications a where a.fair_id = f.id) as applications,
        (select count(*)::int from job_fair_applications a where a.fair_id = f.id and a.status = 'hired') as hires
      from job_fairs f where f.id in (${sql.join(fairIds)})`.execute(db);
    return new Map(
      r.rows.map((x) => [
        x.fair_id,
        {
          employers: x.employers,
          postings: x.postings,
          vacancies: x.vacancies,
          registrations: x.registrations,
          applications: x.applications,
          hires: x.hires,
        },
      ]),
    );
  },
  postingIds(db: Executor, fairId: string) {
    return db
      .selectFrom("job_fair_postings")
      .select("posting_id")
      .where("fair_id", "=", fairId)
      .orderBy("joined_at")
      .execute();
  },
  applications(db: Executor, fairId: string) {
    return db
      .selectFrom("job_fair_applications as a")
      .innerJoin("persons", "persons.id", "a.person_id")
      .innerJoin("postings", "postings.id", "a.posting_id")
      .innerJoin("employers", "employers.id", "postings.employer_id")
      .select([
        "a.id",
        "persons.name as person_name",
        "a.posting_id",
        "postings.title as posting_title",
        "employers.name as employer_name",
        "a.status",
        "a.created_at",
      ])
      .where("a.fair_id", "=", fairId)
      .orderBy("a.created_at")
      .execute();
  },

  insert(db: Executor, row: Insertable<JobFairsTable>) {
    return db.insertInto("job_fairs").values(row).returning("id").executeTakeFirstOrThrow();
  },

  setStatus(db: Executor, id: string, status: string, now: Date) {
    return db.updateTable("job_fairs").set({ status, updated_at: now }).where("id", "=", id).execute();
  },

  addPosting(db: Executor, row: Insertable<JobFairPostingsTable>) {
    return db.insertInto("job_fair_postings").values(row).execute();
  },

  hasPosting(db: Executor, fairId: string, postingId: string) {
    return db
      .selectFrom("job_fair_postings")
      .select("posting_id")
      .where("fair_id", "=", fairId)
      .where("posting_id", "=", postingId)
      .executeTakeFirst();
  },

  /** A registration; `ifAbsent` makes a repeated one a no-op instead of a unique violation. */
  addRegistration(db: Executor, row: Insertable<JobFairRegistrationsTable>, ifAbsent = false) {
    const q = db.insertInto("job_fair_registrations").values(row);
    return (ifAbsent ? q.onConflict((oc) => oc.columns(["fair_id", "person_id"]).doNothing()) : q).execute();
  },

  addApplication(db: Executor, row: Insertable<JobFairApplicationsTable>) {
    return db.insertInto("job_fair_applications").values(row).execute();
  },

  async setApplicationStatus(db: Executor, fairId: string, applicationId: string, status: string, now: Date) {
    const res = await db
      .updateTable("job_fair_applications")
      .set({ status, updated_at: now })
      .where("id", "=", applicationId)
      .where("fair_id", "=", fairId)
      .executeTakeFirst();
    return Number(res.numUpdatedRows);
  },
};
