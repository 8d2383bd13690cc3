import type { CreateJobFairBodySchema } from "@jiuye/contracts";
import type { Database } from "@jiuye/db";
import type { Kysely } from "kysely";
import type { z } from "zod";
import { AppError } from "../../errors/catalogue.ts";
import type { Actor } from "../../lib/actor.ts";
import type { Clock, Executor, RequestContext } from "../../lib/executor.ts";
import { isUniqueViolation } from "../../lib/scope.ts";
import type { AuditService } from "../audit/audit.service.ts";
import { presentPublicPosting } from "../postings/postings.presenter.ts";
import { postingsRepository } from "../postings/postings.repository.ts";
import { postingScopeOf } from "../postings/postings.service.ts";
import { regionsRepository } from "../regions/regions.repository.ts";
import { type FairResults, jobFairsRepository } from "./job-fairs.repository.ts";

export type JobFairsService = ReturnType<typeof createJobFairsService>;

type FairRow = NonNullable<Awaited<ReturnType<typeof jobFairsRepository.find>>>;

/** A second registration, application or participation is refused, not written twice (unique keys). */
async function once(write: Promise<unknown>) {
  try {
    await write;
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError("FAIR_DUPLICATE");
    throw e;
  }
}

function present(r: FairRow, results: FairResults | undefined) {
  return {
    id: r.id,
    title: r.title,
    theme: r.theme,
    themeDetail: r.theme_detail,
    mode: r.mode,
    regionCode: r.region_code,
    regionName: r.region_name ?? null,
    venue: r.venue,
    startsAt: new Date(r.starts_at).toISOString(),
    endsAt: new Date(r.ends_at).toISOString(),
    description: r.description,
    status: r.status as "draft" | "published" | "closed",
    results: results ?? { employers: 0, postings: 0, vacancies: 0, registrations: 0, applications: 0, hires: 0 },
  };
}

/**
 * 专场招聘会 (seed §十: 举办行业性、区域性、专业性专场招聘): case workers organise; employers bring
 * their published postings; people register and apply; results are counted from the records.
 */
export function createJobFairsService(deps: {
  db: Kysely<Database>;
  audit: AuditService;
  clock: Clock;
  confirmDays: number;
}) {
  const { db, audit, clock, confirmDays } = deps;

  function region(actor: Actor) {
    if (actor.role !== "case_worker" || !actor.regionCode) throw new AppError("FORBIDDEN");
    return actor.regionCode;
  }

  async function inScope(ex: Executor, actor: Actor, id: string, lock = false) {
    const f = await jobFairsRepository.find(ex, id, lock);
    if (!f?.region_code.startsWith(region(actor))) throw new AppError("NOT_FOUND");
    return f;
  }

  async function open(ex: Executor, id: string, lock = false) {
    const f = await jobFairsRepository.find(ex, id, lock);
    if (!f || f.status === "draft") throw new AppError("NOT_FOUND");
    if (f.status !== "published" || new Date(f.ends_at) < clock())
      throw new AppError("FAIR_STATE", { detail: "招聘会已结束或尚未发布" });
    return f;
  }

  async function withResults(rows: FairRow[]) {
    const results = await jobFairsRepository.results(
      db,
      rows.map((r) => r.id),
    );
    return rows.map((r) => present(r, results.get(r.id)));
  }

  async function detail(f: FairRow) {
    const [withR] = await withResults([f]);
    const ids = (await jobFairsRepository.postingIds(db, f.id)).map((r) => r.posting_id);
    const postings = await postingsRepository.findManyPublic(db, ids);
    return {
      ...(withR as ReturnType<typeof present>),
      postings: postings.filter((p) => p.status === "published").map((p) => presentPublicPosting(p, confirmDays)),
    };
  }

  return {
    async create(actor: Actor, b: z.infer<typeof CreateJobFairBodySchema>, ctx: RequestContext) {
      const scope = region(actor);
      if (!b.regionCode.startsWith(scope))
        throw new AppError("REGION_OUT_OF_SCOPE", {
          errors: [{ field: "regionCode", code: "REGION_OUT_OF_SCOPE", message: "举办地不在您的管辖范围内" }],
        });
      const [known] = await regionsRepository.byCodes(db, [b.regionCode]);
      if (!known)
        throw new AppError("REGION_UNKNOWN", {
          errors: [{ field: "regionCode", code: "REGION_UNKNOWN", message: "举办地区划代码不存在" }],
        });
      const now = clock();
      const id = await db.transaction().execute(async (trx) => {
        const { id } = await jobFairsRepository.insert(trx, {
          province_code: b.regionCode.slice(0, 2),
          region_code: b.regionCode,
          title: b.title,
          theme: b.theme,
          theme_detail: b.themeDetail ?? null,
          mode: b.mode,
          venue: b.venue ?? null,
          starts_at: b.startsAt,
          ends_at: b.endsAt,
          description: b.description ?? null,
          status: "draft",
          created_by: actor.userId,
          created_at: now,
          updated_at: now,
        });
        await audit.record(trx, ctx, { action: "job_fair.create", subjectType: "job_fair", subjectId: id, fields: [] });
        return id;
      });
      return detail((await jobFairsRepository.find(db, id)) as FairRow);
    },

    async setStatus(actor: Actor, id: string, status: "published" | "closed", ctx: RequestContext) {
      await db.transaction().execute(async (trx) => {
        const f = await inScope(trx, actor, id, true);
        const allowed = status === "published" ? f.status === "draft" : f.status === "published";
        if (!allowed) throw new AppError("FAIR_STATE");
        await jobFairsRepository.setStatus(trx, id, status, clock());
        await audit.record(trx, ctx, {
          action: `job_fair.${status === "published" ? "publish" : "close"}`,
          subjectType: "job_fair",
          subjectId: id,
          fields: [],
        });
      });
      return detail((await jobFairsRepository.find(db, id)) as FairRow);
    },

    async list(actor: Actor, q: { regionCode?: string; status?: string }) {
      const scope = region(actor);
      if (q.regionCode && !q.regionCode.startsWith(scope)) throw new AppError("NOT_FOUND");
      return withResults(
        await jobFairsRepository.list(db, { regionPrefix: q.regionCode ?? scope, status: q.status, publicOnly: false }),
      );
    },

    async listPublic(q: { regionCode?: string }) {
      return withResults(await jobFairsRepository.list(db, { regionPrefix: q.regionCode, publicOnly: true }));
    },

    async getPublic(id: string) {
      const f = await jobFairsRepository.find(db, id);
      if (!f || f.status === "draft") throw new AppError("NOT_FOUND");
      return detail(f);
    },

    /** An employer (or a case worker for it) brings a published posting to the fair. */
    async join(actor: Actor, id: string, postingId: string, ctx: RequestContext) {
      const posting = await postingsRepository.findById(db, postingScopeOf(actor), postingId);
      if (!posting) throw new AppError("NOT_FOUND");
      if (posting.status !== "published")
        throw new AppError("POSTING_STATE", { detail: "只有已发布的岗位可以参加招聘会" });
      await db.transaction().execute(async (trx) => {
        await open(trx, id, true);
        await once(
          jobFairsRepository.addPosting(trx, {
            fair_id: id,
            posting_id: postingId,
            employer_id: posting.employer_id,
            joined_at: clock(),
          }),
        );
        await audit.record(trx, ctx, {
          action: "job_fair.join",
          subjectType: "job_fair",
          subjectId: id,
          fields: [],
          detail: { posting: postingId },
        });
      });
      return detail((await jobFairsRepository.find(db, id)) as FairRow);
    },

    async register(actor: Actor, id: string, ctx: RequestContext) {
      // an account not linked to a person has no registration to make
      if (!actor.personId) throw new AppError("NOT_FOUND");
      const personId = actor.personId;
      await db.transaction().execute(async (trx) => {
        await open(trx, id);
        await once(
          jobFairsRepository.addRegistration(trx, { fair_id: id, person_id: personId, registered_at: clock() }),
        );
        await audit.record(trx, ctx, {
          action: "job_fair.register",
          subjectType: "person",
          subjectId: personId,
          fields: [],
          detail: { fair: id },
        });
      });
      return { ok: true as const };
    },

    /** A registered person applies to a posting at the fair (registering first if needed). */
    async apply(actor: Actor, id: string, postingId: string, ctx: RequestContext) {
      // an account not linked to a person has no registration to make
      if (!actor.personId) throw new AppError("NOT_FOUND");
      const personId = actor.personId;
      await db.transaction().execute(async (trx) => {
        await open(trx, id);
        if (!(await jobFairsRepository.hasPosting(trx, id, postingId))) throw new AppError("NOT_FOUND");
        await jobFairsRepository.addRegistration(
          trx,
          { fair_id: id, person_id: personId, registered_at: clock() },
          true,
        );
        await once(
          jobFairsRepository.addApplication(trx, {
            fair_id: id,
            person_id: personId,
            posting_id: postingId,
            status: "applied",
            created_at: clock(),
            updated_at: clock(),
          }),
        );
        await audit.record(trx, ctx, {
          action: "job_fair.apply",
          subjectType: "person",
          subjectId: personId,
          fields: [],
          detail: { fair: id, posting: postingId },
        });
      });
      return { ok: true as const };
    },

    async applications(actor: Actor, id: string) {
      await inScope(db, actor, id);
      const rows = await jobFairsRepository.applications(db, id);
      return rows.map((r) => ({
        id: r.id,
        personName: r.person_name,
        postingId: r.posting_id,
        postingTitle: r.posting_title,
        employerName: r.employer_name,
        status: r.status as "applied" | "hired" | "not_hired",
        createdAt: new Date(r.created_at).toISOString(),
      }));
    },

    async setApplicationStatus(
      actor: Actor,
      fairId: string,
      applicationId: string,
      status: "hired" | "not_hired",
      ctx: RequestContext,
    ) {
      await db.transaction().execute(async (trx) => {
        await inScope(trx, actor, fairId);
        if ((await jobFairsRepository.setApplicationStatus(trx, fairId, applicationId, status, clock())) === 0)
          throw new AppError("NOT_FOUND");
        await audit.record(trx, ctx, {
          action: "job_fair.application_result",
          subjectType: "job_fair",
          subjectId: fairId,
          fields: [],
          detail: { application: applicationId, status },
        });
      });
      return this.applications(actor, fairId);
    },
  };
}
