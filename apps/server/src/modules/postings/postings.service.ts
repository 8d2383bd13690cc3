import type { CreatePostingBodySchema, ScreenPostingBodySchema, SearchPostingsQuerySchema } from "@jiuye/contracts";
import type { Database } from "@jiuye/db";
import {
  EDUCATION_RANK,
  FINDING_CATEGORY_NAMES,
  type MinimumWageStandard,
  minimumWageFor,
  queryTokens,
  type ScreeningFinding,
  screenPosting,
  shanghaiDate,
  toTsqueryLiteral,
  validateMinimumWageStandard,
} from "@jiuye/domain";
import type { Kysely } from "kysely";
import type { z } from "zod";
import { AppError } from "../../errors/catalogue.ts";
import type { Actor } from "../../lib/actor.ts";
import type { Clock, Executor, RequestContext } from "../../lib/executor.ts";
import { isUniqueViolation } from "../../lib/scope.ts";
import type { AuditService } from "../audit/audit.service.ts";
import { employersRepository } from "../employers/employers.repository.ts";
import { employerScopeOf } from "../employers/employers.service.ts";
import { regionsRepository } from "../regions/regions.repository.ts";
import { minimumWagesRepository } from "./minimum-wages.repository.ts";
import { occupationsRepository } from "./occupations.repository.ts";
import { presentFinding, presentPosting, presentPublicPosting, presentReview } from "./postings.presenter.ts";
import { type PostingRow, type PostingScope, postingsRepository as repo } from "./postings.repository.ts";
import type { SearchIndex } from "./search-index.ts";
import { type SearchablePosting, searchRowOf } from "./search-row.ts";

export type PostingsService = ReturnType<typeof createPostingsService>;
type CreateBody = z.infer<typeof CreatePostingBodySchema>;
type ScreenBody = z.infer<typeof ScreenPostingBodySchema>;
type SearchQuery = z.infer<typeof SearchPostingsQuerySchema>;

export function postingScopeOf(actor: Actor): PostingScope {
  if (actor.role === "employer")
    return actor.employerId ? { kind: "own", employerId: actor.employerId } : { kind: "none" };
  if (actor.role === "case_worker" && actor.regionCode) return { kind: "region", prefix: actor.regionCode };
  return { kind: "none" };
}

function fieldError(field: string, code: string, message: string) {
  return { errors: [{ field, code, message }] };
}

/** Listeners told when the set of published postings changes (recommendation index refresh). */
/** Told after a posting's change is committed; awaited, so the change is visible in this process when the request answers. */
export type PostingChangeListener = (postingId: string) => void | Promise<void>;

/**
 * 招聘岗位: employers publish for free, case workers on an employer's behalf. Every submit and
 * every edit is screened (discrimination, minimum wage); blocking findings stop publication,
 * warnings go to the moderation queue; published postings must be re-confirmed every
 * `confirmDays` days or they expire.
 */
export function createPostingsService(deps: {
  db: Kysely<Database>;
  audit: AuditService;
  clock: Clock;
  confirmDays: number;
  /** The in-process search index: answers searches once built (the SQL search until then). */
  searchIndex?: SearchIndex;
}) {
  const { db, audit, clock, confirmDays, searchIndex } = deps;
  const listeners: PostingChangeListener[] = [];
  const changed = async (id: string) => {
    await Promise.all(listeners.map((l) => l(id)));
  };

  async function minimumWage(ex: Executor, regionCode: string, asOf: string) {
    return minimumWageFor(await minimumWagesRepository.all(ex), regionCode, asOf);
  }

  async function screen(ex: Executor, p: ScreenBody & { title: string; description: string }) {
    const asOf = shanghaiDate(clock());
    const mw = await minimumWage(ex, p.regionCode, asOf);
    const result = screenPosting({
      title: p.title,
      description: p.description,
      requirements: p.requirements ?? null,
      benefits: p.benefits ?? null,
      workRegionCode: p.regionCode,
      targetsGraduates: p.targetsGraduates || p.isInternship,
      employmentType: p.workType,
      salary: { type: p.salaryType, minFen: p.salaryMinFen, maxFen: p.salaryMaxFen },
      minimumWage: mw,
    });
    return { ...result, minimumWage: mw };
  }

  function blockedError(findings: ScreeningFinding[]) {
    const blocking = findings.filter((f) => f.severity === "block");
    return new AppError("POSTING_BLOCKED", {
      detail: `有 ${blocking.length} 处内容需要修改：${blocking.map((f) => (f.phrase ? `「${f.phrase}」` : FINDING_CATEGORY_NAMES[f.category])).join("、")}`,
      errors: blocking.map((f) => ({
        field: f.field === "salary" ? "salaryMinFen" : f.field,
        code: f.code,
        message: f.phrase ? `「${f.phrase}」：${f.message}` : f.message,
      })),
    });
  }

  async function checkReferences(
    ex: Executor,
    actor: Actor,
    p: {
      occupationCode?: string;
      regionCode?: string;
      salaryMinFen?: number;
      salaryMaxFen?: number;
      validUntil?: string;
    },
  ) {
    if (p.occupationCode && !(await occupationsRepository.detailedExists(ex, p.occupationCode)))
      throw new AppError(
        "OCCUPATION_UNKNOWN",
        fieldError("occupationCode", "OCCUPATION_UNKNOWN", `职业代码 ${p.occupationCode} 不在职业分类大典（细类）中`),
      );
    if (p.regionCode) {
      const [region] = await regionsRepository.byCodes(ex, [p.regionCode]);
      if (!region)
        throw new AppError(
          "REGION_UNKNOWN",
          fieldError("regionCode", "REGION_UNKNOWN", `工作地点区划代码 ${p.regionCode} 不存在`),
        );
      if (actor.role === "case_worker" && actor.regionCode && !p.regionCode.startsWith(actor.regionCode))
        throw new AppError(
          "REGION_OUT_OF_SCOPE",
          fieldError("regionCode", "REGION_OUT_OF_SCOPE", "工作地点不在您的管辖范围内"),
        );
    }
    if (p.salaryMinFen !== undefined && p.salaryMaxFen !== undefined && p.salaryMaxFen < p.salaryMinFen)
      throw new AppError("VALIDATION_FAILED", fieldError("salaryMaxFen", "SALARY_RANGE", "工资上限不能低于工资下限"));
    if (p.validUntil) {
      const today = shanghaiDate(clock());
      const max = shanghaiDate(new Date(clock().getTime() + 366 * 86_400_000));
      if (p.validUntil < today || p.validUntil > max)
        throw new AppError(
          "VALIDATION_FAILED",
          fieldError("validUntil", "VALID_UNTIL_RANGE", "有效期应在今天至一年以内"),
        );
    }
  }

  async function publishIn(trx: Executor, row: SearchablePosting, now: Date, firstPublishedAt: Date | null) {
    const publishedAt = firstPublishedAt ?? now;
    await repo.update(trx, row.id, {
      status: "published",
      published_at: publishedAt,
      confirmed_at: now,
      closed_at: null,
      updated_at: now,
    });
    await repo.upsertSearchRow(
      trx,
      searchRowOf(row, await occupationsRepository.find(trx, row.occupation_code), publishedAt),
    );
  }

  async function loadOrThrow(ex: Executor, scope: PostingScope, id: string) {
    const row = await repo.findById(ex, scope, id);
    if (!row) throw new AppError("NOT_FOUND");
    return row;
  }

  function present(row: PostingRow) {
    return presentPosting(row, confirmDays);
  }

  /** Runs screening on the stored posting and moves it: published, or pending review, or refused. */
  async function screenAndRoute(trx: Executor, id: string, ctx: RequestContext, now: Date) {
    // read after the caller's edit (the row is locked by the caller)
    const p = await repo.raw(trx, id);
    const result = await screen(trx, {
      title: p.title,
      description: p.description,
      requirements: p.requirements,
      benefits: p.benefits,
      regionCode: p.region_code,
      salaryType: p.salary_type as "monthly" | "hourly",
      salaryMinFen: p.salary_min_fen,
      salaryMaxFen: p.salary_max_fen,
      workType: p.work_type as "full_time" | "part_time" | "flexible",
      targetsGraduates: p.targets_graduates,
      isInternship: p.is_internship,
    });
    if (result.blocked) throw blockedError(result.findings);
    await repo.update(trx, p.id, { findings: JSON.stringify(result.findings), screened_at: now, updated_at: now });
    if (result.needsReview) {
      await repo.update(trx, p.id, { status: "pending_review" });
      await repo.deleteSearchRow(trx, p.id);
      try {
        await repo.insertReview(trx, {
          postingId: p.id,
          provinceCode: p.province_code,
          regionCode: p.region_code,
          kind: "screening",
          reason: null,
          reportedBy: null,
          now,
        });
      } catch (e) {
        if (!isUniqueViolation(e)) throw e; // already waiting in the queue
      }
    } else {
      await publishIn(trx, p, now, p.published_at ?? null);
    }
    await audit.record(trx, ctx, {
      action: result.needsReview ? "posting.submit_for_review" : "posting.publish",
      subjectType: "posting",
      subjectId: p.id,
      fields: [],
      detail: { findings: result.findings.map((f) => f.code) },
    });
    return result;
  }

  return {
    onChange(listener: PostingChangeListener) {
      listeners.push(listener);
    },

    async minimumWage(regionCode: string, asOf?: string) {
      return minimumWage(db, regionCode, asOf ?? shanghaiDate(clock()));
    },

    async addMinimumWage(actor: Actor, s: MinimumWageStandard, ctx: RequestContext) {
      const errors = validateMinimumWageStandard(s);
      if (errors.length)
        throw new AppError("MINIMUM_WAGE_INVALID", {
          errors: errors.map((m) => ({ field: m.split("：")[0] ?? "body", code: "MINIMUM_WAGE_INVALID", message: m })),
        });
      return db.transaction().execute(async (trx) => {
        try {
          await minimumWagesRepository.insert(trx, s, actor.userId);
        } catch (e) {
          if (isUniqueViolation(e))
            throw new AppError(
              "VALIDATION_FAILED",
              fieldError("effectiveFrom", "DUPLICATE", "该省份在此执行日期已有标准"),
            );
          throw e;
        }
        await audit.record(trx, ctx, {
          action: "minimum_wage.add",
          subjectType: "minimum_wage",
          fields: [],
          detail: { province: s.provinceCode, effectiveFrom: s.effectiveFrom },
        });
        return { ok: true as const };
      });
    },

    /** Screening without storing anything (the posting form checks as the employer types). */
    async check(body: ScreenBody) {
      const r = await screen(db, body);
      return {
        blocked: r.blocked,
        needsReview: r.needsReview,
        findings: r.findings.map(presentFinding),
        minimumWage: r.minimumWage,
      };
    },

    async create(actor: Actor, body: CreateBody, ctx: RequestContext) {
      const scope = employerScopeOf(actor);
      const employerId = actor.role === "employer" ? actor.employerId : body.employerId;
      if (!employerId) throw new AppError("VALIDATION_FAILED", fieldError("employerId", "REQUIRED", "请选择用人单位"));
      const employer = await employersRepository.findById(db, scope, employerId);
      if (!employer) throw new AppError("NOT_FOUND");
      await checkReferences(db, actor, body);
      const now = clock();
      return db.transaction().execute(async (trx) => {
        const { id } = await repo.insert(trx, {
          province_code: body.regionCode.slice(0, 2),
          employer_id: employerId,
          region_code: body.regionCode,
          address: body.address ?? null,
          title: body.title,
          occupation_code: body.occupationCode,
          description: body.description,
          requirements: body.requirements ?? null,
          benefits: body.benefits ?? null,
          skills: body.skills,
          headcount: body.headcount,
          salary_type: body.salaryType,
          salary_min_fen: body.salaryMinFen,
          salary_max_fen: body.salaryMaxFen,
          education: body.education ?? null,
          experience_years: body.experienceYears ?? null,
          contract_type: body.contractType,
          work_type: body.workType,
          is_public_welfare: body.isPublicWelfare,
          is_internship: body.isInternship,
          targets_graduates: body.targetsGraduates,
          valid_until: body.validUntil,
          status: "draft",
          created_by: actor.userId,
          created_at: now,
          updated_at: now,
        });
        await audit.record(trx, ctx, {
          action: "posting.create",
          subjectType: "posting",
          subjectId: id,
          fields: [],
          detail: { employer: employerId },
        });
        return present((await repo.findById(trx, null, id)) as PostingRow);
      });
    },

    async get(actor: Actor, id: string) {
      return present(await loadOrThrow(db, postingScopeOf(actor), id));
    },

    async getPublic(id: string) {
      const row = await repo.findPublished(db, id);
      if (!row) throw new AppError("NOT_FOUND");
      return presentPublicPosting(row, confirmDays);
    },

    async list(
      actor: Actor,
      q: { page: number; pageSize: number; status?: string; q?: string; regionCode?: string; employerId?: string },
    ) {
      const { rows, total } = await repo.list(
        db,
        postingScopeOf(actor),
        { status: q.status, titleContains: q.q || undefined, regionPrefix: q.regionCode, employerId: q.employerId },
        q.page,
        q.pageSize,
      );
      return { items: rows.map(present), total, page: q.page, pageSize: q.pageSize };
    },

    async update(actor: Actor, id: string, body: Partial<CreateBody> & { version: number }, ctx: RequestContext) {
      const scope = postingScopeOf(actor);
      await checkReferences(db, actor, body);
      const out = await db.transaction().execute(async (trx) => {
        const locked = await repo.lockForUpdate(trx, scope, id);
        if (!locked) throw new AppError("NOT_FOUND");
        if (locked.version !== body.version) throw new AppError("VERSION_CONFLICT");
        if (!["draft", "pending_review", "published", "rejected", "expired"].includes(locked.status))
          throw new AppError("POSTING_STATE");
        const min = body.salaryMinFen ?? locked.salary_min_fen;
        const max = body.salaryMaxFen ?? locked.salary_max_fen;
        if (max < min)
          throw new AppError(
            "VALIDATION_FAILED",
            fieldError("salaryMaxFen", "SALARY_RANGE", "工资上限不能低于工资下限"),
          );
        const now = clock();
        const set = {
          ...(body.title !== undefined ? { title: body.title } : {}),
          ...(body.occupationCode !== undefined ? { occupation_code: body.occupationCode } : {}),
          ...(body.description !== undefined ? { description: body.description } : {}),
          ...(body.requirements !== undefined ? { requirements: body.requirements } : {}),
          ...(body.benefits !== undefined ? { benefits: body.benefits } : {}),
          ...(body.skills !== undefined ? { skills: body.skills } : {}),
          ...(body.headcount !== undefined ? { headcount: body.headcount } : {}),
          ...(body.regionCode !== undefined
            ? { region_code: body.regionCode, province_code: body.regionCode.slice(0, 2) }
            : {}),
          ...(body.address !== undefined ? { address: body.address } : {}),
          ...(body.salaryType !== undefined ? { salary_type: body.salaryType } : {}),
          ...(body.salaryMinFen !== undefined ? { salary_min_fen: body.salaryMinFen } : {}),
          ...(body.salaryMaxFen !== undefined ? { salary_max_fen: body.salaryMaxFen } : {}),
          ...(body.education !== undefined ? { education: body.education } : {}),
          ...(body.experienceYears !== undefined ? { experience_years: body.experienceYears } : {}),
          ...(body.contractType !== undefined ? { contract_type: body.contractType } : {}),
          ...(body.workType !== undefined ? { work_type: body.workType } : {}),
          ...(body.isPublicWelfare !== undefined ? { is_public_welfare: body.isPublicWelfare } : {}),
          ...(body.isInternship !== undefined ? { is_internship: body.isInternship } : {}),
          ...(body.targetsGraduates !== undefined ? { targets_graduates: body.targetsGraduates } : {}),
          ...(body.validUntil !== undefined ? { valid_until: body.validUntil } : {}),
        };
        await repo.update(trx, id, { ...set, version: locked.version + 1, updated_at: now });
        await audit.record(trx, ctx, {
          action: "posting.update",
          subjectType: "posting",
          subjectId: id,
          fields: Object.keys(set),
          detail: { status: locked.status },
        });
        // An edit of a live posting is screened again before it stays live (blocked → nothing written).
        if (locked.status === "published" || locked.status === "pending_review")
          await screenAndRoute(trx, id, ctx, now);
        return present((await repo.findById(trx, null, id)) as PostingRow);
      });
      await changed(id);
      return out;
    },

    /** Submits a draft (or a rejected or expired posting) for publication: screened first. */
    async submit(actor: Actor, id: string, ctx: RequestContext) {
      const scope = postingScopeOf(actor);
      const out = await db.transaction().execute(async (trx) => {
        const locked = await repo.lockForUpdate(trx, scope, id);
        if (!locked) throw new AppError("NOT_FOUND");
        if (!["draft", "rejected", "expired"].includes(locked.status)) throw new AppError("POSTING_STATE");
        if (locked.valid_until < shanghaiDate(clock()))
          throw new AppError(
            "VALIDATION_FAILED",
            fieldError("validUntil", "VALID_UNTIL_PAST", "有效期已过，请先修改有效期"),
          );
        await screenAndRoute(trx, id, ctx, clock());
        return present((await repo.findById(trx, null, id)) as PostingRow);
      });
      await changed(id);
      return out;
    },

    /** The employer re-confirms a published posting is still open (no ghost postings). */
    async confirm(actor: Actor, id: string, ctx: RequestContext) {
      const scope = postingScopeOf(actor);
      return db.transaction().execute(async (trx) => {
        const locked = await repo.lockForUpdate(trx, scope, id);
        if (!locked) throw new AppError("NOT_FOUND");
        if (locked.status !== "published") throw new AppError("POSTING_STATE");
        await repo.update(trx, id, { confirmed_at: clock(), updated_at: clock() });
        await audit.record(trx, ctx, { action: "posting.confirm", subjectType: "posting", subjectId: id, fields: [] });
        return present((await repo.findById(trx, null, id)) as PostingRow);
      });
    },

    async close(actor: Actor, id: string, to: "withdrawn" | "filled", ctx: RequestContext) {
      const scope = postingScopeOf(actor);
      const out = await db.transaction().execute(async (trx) => {
        const locked = await repo.lockForUpdate(trx, scope, id);
        if (!locked) throw new AppError("NOT_FOUND");
        const allowed = to === "filled" ? ["published"] : ["draft", "pending_review", "published", "rejected"];
        if (!allowed.includes(locked.status)) throw new AppError("POSTING_STATE");
        const now = clock();
        await repo.update(trx, id, { status: to, closed_at: now, updated_at: now, version: locked.version + 1 });
        await repo.deleteSearchRow(trx, id);
        await repo.closeOpenScreeningReviews(trx, id, actor.userId, "岗位已关闭", now);
        await audit.record(trx, ctx, {
          action: `posting.${to === "filled" ? "fill" : "withdraw"}`,
          subjectType: "posting",
          subjectId: id,
          fields: [],
        });
        return present((await repo.findById(trx, null, id)) as PostingRow);
      });
      await changed(id);
      return out;
    },

    /** Any signed-in user reports a false or fraudulent posting; it goes to the moderation queue. */
    async report(actor: Actor, id: string, reason: string, ctx: RequestContext) {
      const posting = await repo.findPublished(db, id);
      if (!posting) throw new AppError("NOT_FOUND");
      return db.transaction().execute(async (trx) => {
        try {
          await repo.insertReview(trx, {
            postingId: id,
            provinceCode: posting.region_code.slice(0, 2),
            regionCode: posting.region_code,
            kind: "report",
            reason,
            reportedBy: actor.userId,
            now: clock(),
          });
        } catch (e) {
          if (isUniqueViolation(e)) throw new AppError("ALREADY_REPORTED");
          throw e;
        }
        await audit.record(trx, ctx, { action: "posting.report", subjectType: "posting", subjectId: id, fields: [] });
        return { ok: true as const };
      });
    },

    async reviews(actor: Actor, q: { status: string; page: number; pageSize: number }) {
      if (!actor.regionCode) throw new AppError("FORBIDDEN");
      const { rows, total } = await repo.listReviews(db, actor.regionCode, q.status, q.page, q.pageSize);
      return { items: rows.map(presentReview), total, page: q.page, pageSize: q.pageSize };
    },

    /** A case worker decides: approve publishes (or keeps) the posting, reject takes it down. */
    async decide(actor: Actor, reviewId: string, decision: "approve" | "reject", reason: string, ctx: RequestContext) {
      if (!actor.regionCode) throw new AppError("FORBIDDEN");
      const region = actor.regionCode;
      let postingId = "";
      await db.transaction().execute(async (trx) => {
        const review = await repo.lockReview(trx, region, reviewId);
        if (!review) throw new AppError("NOT_FOUND");
        if (review.status !== "open") throw new AppError("REVIEW_DECIDED");
        postingId = review.posting_id;
        const posting = await repo.lockForUpdate(trx, { kind: "region", prefix: region }, review.posting_id);
        if (!posting) throw new AppError("NOT_FOUND");
        const now = clock();
        await repo.decideReview(
          trx,
          reviewId,
          decision === "approve" ? "approved" : "rejected",
          actor.userId,
          reason,
          now,
        );
        if (decision === "approve" && review.kind === "screening" && posting.status === "pending_review") {
          await publishIn(trx, posting, now, posting.published_at);
        } else if (decision === "reject" && ["pending_review", "published"].includes(posting.status)) {
          await repo.update(trx, posting.id, {
            status: "rejected",
            closed_at: now,
            updated_at: now,
            version: posting.version + 1,
          });
          await repo.deleteSearchRow(trx, posting.id);
        }
        await audit.record(trx, ctx, {
          action: `posting.review.${decision}`,
          subjectType: "posting",
          subjectId: posting.id,
          fields: [],
          detail: { review: reviewId, kind: review.kind, reason },
        });
      });
      await changed(postingId);
      return present((await repo.findById(db, null, postingId)) as PostingRow);
    },

    /** Expires published postings not re-confirmed within `confirmDays` or past their valid-until date. */
    async expireDue(): Promise<number> {
      const now = clock();
      const cutoff = new Date(now.getTime() - confirmDays * 86_400_000);
      const due = await repo.dueForExpiry(db, cutoff, shanghaiDate(now), 500);
      for (const { id } of due) {
        await db.transaction().execute(async (trx) => {
          await repo.update(trx, id, { status: "expired", closed_at: now, updated_at: now });
          await repo.deleteSearchRow(trx, id);
        });
        await changed(id);
      }
      return due.length;
    },

    /** Public keyword search over published postings (substring semantics, ranked). */
    async search(q: SearchQuery) {
      const started = performance.now();
      const tokens = q.q ? queryTokens(q.q) : [];
      if (q.q && tokens.length === 0)
        return { items: [], total: 0, totalIsLowerBound: false, page: q.page, pageSize: q.pageSize, tookMs: 0 };
      const filter = {
        regionPrefix: q.regionCode,
        occupationPrefix: q.occupationCode,
        salaryMinFen: q.salaryMinFen,
        educationRankAtMost: q.education ? EDUCATION_RANK[q.education] : undefined,
        workType: q.workType,
        publishedSince: q.postedWithinDays ? new Date(clock().getTime() - q.postedWithinDays * 86_400_000) : undefined,
        sort: q.sort,
        limit: q.pageSize,
        offset: (q.page - 1) * q.pageSize,
      };
      const { ids, total, totalIsLowerBound } =
        searchIndex?.search({ ...filter, tokens }) ??
        (await repo.search(db, { ...filter, tsquery: tokens.length ? toTsqueryLiteral(tokens) : null }));
      const full = await repo.findManyPublic(db, ids);
      const byId = new Map(full.map((r) => [r.id, r]));
      const items = ids.flatMap((id) => {
        const p = byId.get(id);
        return p ? [presentPublicPosting(p, confirmDays)] : [];
      });
      return {
        items,
        total,
        totalIsLowerBound,
        page: q.page,
        pageSize: q.pageSize,
        tookMs: Math.round((performance.now() - started) * 10) / 10,
      };
    },
  };
}
