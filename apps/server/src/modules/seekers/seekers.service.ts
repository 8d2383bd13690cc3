import type { CreateSeekerBodySchema, UpdateSeekerBodySchema } from "@jiuye/contracts";
import type { Database } from "@jiuye/db";
import {
  EDUCATION_RANK,
  type MatchResult,
  maskPersonName,
  type NameLookup,
  type PostingFeatures,
  type SeekerFeatures,
  scoreMatch,
  shanghaiDate,
  topMatches,
  vetoReason,
  type WorkType,
} from "@jiuye/domain";
import type { Kysely } from "kysely";
import type { z } from "zod";
import { AppError } from "../../errors/catalogue.ts";
import type { Actor } from "../../lib/actor.ts";
import type { Clock, Executor, RequestContext } from "../../lib/executor.ts";
import { isUniqueViolation } from "../../lib/scope.ts";
import type { AuditService } from "../audit/audit.service.ts";
import { personScopeOf } from "../persons/persons.policy.ts";
import { personsRepository } from "../persons/persons.repository.ts";
import { occupationsRepository } from "../postings/occupations.repository.ts";
import { presentPublicPosting } from "../postings/postings.presenter.ts";
import { postingsRepository } from "../postings/postings.repository.ts";
import { postingScopeOf } from "../postings/postings.service.ts";
import { regionsRepository } from "../regions/regions.repository.ts";
import type { MatchIndexLoader } from "./match-index.ts";
import { seekersRepository as repo, type SeekerRow, type SeekerScope } from "./seekers.repository.ts";

export type SeekersService = ReturnType<typeof createSeekersService>;

export function seekerScopeOf(actor: Actor): SeekerScope {
  if (actor.role === "individual")
    return actor.personId ? { kind: "self", personId: actor.personId } : { kind: "none" };
  if (actor.role === "case_worker" && actor.regionCode) return { kind: "region", prefix: actor.regionCode };
  return { kind: "none" };
}

/** The only facts matching reads about a seeker — no protected attribute can reach the score. */
export function seekerFeatures(r: SeekerRow): SeekerFeatures {
  return {
    id: r.id,
    occupations: r.occupations,
    skills: r.skills,
    regions: r.regions,
    salaryExpectationFen: r.salary_expectation_fen,
    education: r.education,
    availableFrom: r.available_from ? String(r.available_from).slice(0, 10) : null,
    workTypes: r.work_types as WorkType[],
  };
}

function postingFeatures(p: {
  id: string;
  occupation_code: string;
  skills: string[];
  region_code: string;
  salary_type: string;
  salary_min_fen: number;
  salary_max_fen: number;
  education: string | null;
  work_type: string;
}): PostingFeatures {
  return {
    id: p.id,
    occupationCode: p.occupation_code,
    skills: p.skills,
    regionCode: p.region_code,
    salaryType: p.salary_type as "monthly" | "hourly",
    salaryMinFen: p.salary_min_fen,
    salaryMaxFen: p.salary_max_fen,
    education: p.education,
    workType: p.work_type as WorkType,
  };
}

/** The score of one seeker–posting pair, or null when a hard filter vetoes it. */
export function pairScore(
  seeker: SeekerRow,
  posting: Parameters<typeof postingFeatures>[0],
  asOf: string,
): number | null {
  const f = seekerFeatures(seeker);
  const p = postingFeatures(posting);
  return vetoReason(f, p) === null ? scoreMatch(f, p, asOf).score : null;
}

const CANDIDATE_LIMIT = 2000;

/**
 * 求职登记 and two-way recommendations. Hard filters in SQL (same 中类, region, type, education),
 * the score and its explanation in the domain (`scoreMatch`), ties broken by id so that any
 * implementation of the index answers the same top-k.
 */
export function createSeekersService(deps: {
  db: Kysely<Database>;
  audit: AuditService;
  clock: Clock;
  confirmDays: number;
  /** The in-process recommendation index; without it (or until it has loaded) the SQL path serves. */
  matchIndex?: MatchIndexLoader;
}) {
  const { db, audit, clock, confirmDays, matchIndex } = deps;

  async function names(ex: Executor, occupationCodes: string[], regionCodes: string[]): Promise<NameLookup> {
    const [occ, reg] = await Promise.all([
      occupationsRepository.namesOf(ex, [...new Set(occupationCodes)]),
      regionsRepository.byCodes(ex, [...new Set(regionCodes)]),
    ]);
    const o = new Map(occ.map((r) => [r.code, r.name]));
    const g = new Map(reg.map((r) => [r.code, r.name]));
    return { occupation: (c) => o.get(c) ?? c, region: (c) => g.get(c) ?? c };
  }

  async function present(ex: Executor, r: SeekerRow) {
    const n = await names(ex, r.occupations, r.regions);
    return {
      id: r.id,
      personId: r.person_id,
      name: r.name,
      regionCode: r.region_code,
      occupations: r.occupations.map((code) => ({ code, name: n.occupation(code) })),
      skills: r.skills,
      regions: r.regions.map((code) => ({ code, name: n.region(code) })),
      salaryExpectationFen: r.salary_expectation_fen,
      availableFrom: r.available_from ? String(r.available_from).slice(0, 10) : null,
      workTypes: r.work_types,
      introduction: r.introduction,
      employerVisible: r.employer_visible,
      status: r.status as "active" | "closed",
      createdAt: new Date(r.created_at).toISOString(),
    };
  }

  async function checkOccupations(ex: Executor, codes: string[]) {
    const found = await occupationsRepository.namesOf(ex, codes);
    const missing = codes.filter((c) => !found.some((f) => f.code === c));
    if (missing.length)
      throw new AppError("OCCUPATION_UNKNOWN", {
        errors: [
          {
            field: "occupations",
            code: "OCCUPATION_UNKNOWN",
            message: `职业代码 ${missing.join("、")} 不在职业分类大典中`,
          },
        ],
      });
  }

  async function load(ex: Executor, actor: Actor, id: string) {
    const r = await repo.findById(ex, seekerScopeOf(actor), id);
    if (!r) throw new AppError("NOT_FOUND");
    return r;
  }

  /**
   * The SQL reference: hard filters in SQL, every candidate scored in the domain, top-k by score then
   * id. `limit` caps the candidates read (the serving fallback); null reads them all (the reference
   * the in-process index is held to).
   */
  async function referencePostings(seeker: SeekerRow, k: number, exclude: ReadonlySet<string>, limit: number | null) {
    const f = seekerFeatures(seeker);
    const candidates = await repo.postingCandidates(db, {
      middleGroups: [...new Set(f.occupations.map((o) => o.slice(0, 4)))],
      regions: f.regions,
      workTypes: f.workTypes,
      educationRank: f.education ? (EDUCATION_RANK[f.education] ?? 0) : 99,
      limit,
    });
    const asOf = shanghaiDate(clock());
    const scored = candidates
      .filter((c) => !exclude.has(c.id))
      .map(postingFeatures)
      .filter((p) => vetoReason(f, p) === null)
      .map((p) => scoreMatch(f, p, asOf));
    return topMatches(scored, k, "postingId").map((m) => ({ id: m.postingId, score: m.score }));
  }

  async function referenceSeekers(
    posting: PostingFeatures,
    k: number,
    scope: SeekerScope,
    employerVisibleOnly: boolean,
    exclude: ReadonlySet<string>,
    limit: number | null,
  ) {
    const candidates = await repo.seekerCandidates(db, scope, {
      middleGroup: posting.occupationCode.slice(0, 4),
      employerVisibleOnly,
      limit,
    });
    const asOf = shanghaiDate(clock());
    const scored = candidates
      .filter((c) => !exclude.has(c.id))
      .map(seekerFeatures)
      .filter((s) => vetoReason(s, posting) === null)
      .map((s) => scoreMatch(s, posting, asOf));
    return topMatches(scored, k, "seekerId").map((m) => ({ id: m.seekerId, score: m.score }));
  }

  /** Top-k postings for a seeker with explanations: pinned first, "not relevant"/hidden left out. */
  async function rankPostings(seeker: SeekerRow, k: number): Promise<Array<MatchResult & { pinned: boolean }>> {
    const feedback = await repo.feedbackOfSeeker(db, seeker.id);
    const pinnedIds = feedback.filter((x) => x.kind === "pinned").map((x) => x.posting_id);
    const skip = new Set(feedback.map((x) => x.posting_id));
    const asOf = shanghaiDate(clock());
    const fromIndex = matchIndex?.isLoaded() ? matchIndex.index.postingsFor(seeker.id, k, asOf, skip) : null;
    const top = fromIndex ?? (await referencePostings(seeker, k, skip, CANDIDATE_LIMIT));
    const rows = await postingsRepository.findManyPublic(db, [...pinnedIds, ...top.map((m) => m.id)]);
    const f = seekerFeatures(seeker);
    const byId = new Map(rows.filter((r) => r.status === "published").map((r) => [r.id, postingFeatures(r)]));
    const n = await names(
      db,
      [...f.occupations, ...rows.map((r) => r.occupation_code)],
      [...f.regions, ...rows.map((r) => r.region_code)],
    );
    const explain = (id: string, pinned: boolean) => {
      const p = byId.get(id);
      return p && vetoReason(f, p) === null ? [{ ...scoreMatch(f, p, asOf, n), pinned }] : [];
    };
    return [...pinnedIds.flatMap((id) => explain(id, true)), ...top.flatMap((m) => explain(m.id, false))].slice(0, k);
  }

  return {
    rankPostings,
    referencePostings,
    referenceSeekers,

    async create(actor: Actor, body: z.infer<typeof CreateSeekerBodySchema>, ctx: RequestContext) {
      const personId = actor.role === "individual" ? actor.personId : body.personId;
      if (!personId)
        throw new AppError("VALIDATION_FAILED", {
          errors: [{ field: "personId", code: "REQUIRED", message: "请选择求职者（劳动者）" }],
        });
      const person = await personsRepository.findById(db, personScopeOf(actor), personId);
      if (!person) throw new AppError("NOT_FOUND");
      await checkOccupations(db, body.occupations);
      const now = clock();
      const created = await db.transaction().execute(async (trx) => {
        let id: string;
        try {
          ({ id } = await repo.insert(trx, {
            person_id: personId,
            province_code: person.residence_region_code.slice(0, 2),
            region_code: person.residence_region_code,
            occupations: body.occupations,
            skills: body.skills,
            regions: body.regions,
            salary_expectation_fen: body.salaryExpectationFen,
            available_from: body.availableFrom,
            work_types: body.workTypes,
            introduction: body.introduction,
            employer_visible: body.employerVisible,
            status: "active",
            created_by: actor.userId,
            created_at: now,
            updated_at: now,
          }));
        } catch (e) {
          if (isUniqueViolation(e)) throw new AppError("SEEKER_EXISTS");
          throw e;
        }
        await audit.record(trx, ctx, {
          action: "seeker.register",
          subjectType: "person",
          subjectId: personId,
          fields: ["seeker"],
        });
        return present(trx, (await repo.findById(trx, { kind: "self", personId }, id)) as SeekerRow);
      });
      if (matchIndex?.isLoaded()) await matchIndex.refreshSeeker(created.id);
      return created;
    },

    async get(actor: Actor, id: string) {
      return present(db, await load(db, actor, id));
    },

    async ofPerson(actor: Actor, personId: string) {
      const r = await repo.findActiveByPerson(db, seekerScopeOf(actor), personId);
      if (!r) throw new AppError("NOT_FOUND");
      return present(db, r);
    },

    async update(actor: Actor, id: string, body: z.infer<typeof UpdateSeekerBodySchema>, ctx: RequestContext) {
      const r = await load(db, actor, id);
      if (body.occupations) await checkOccupations(db, body.occupations);
      const set = {
        ...(body.occupations !== undefined ? { occupations: body.occupations } : {}),
        ...(body.skills !== undefined ? { skills: body.skills } : {}),
        ...(body.regions !== undefined ? { regions: body.regions } : {}),
        ...(body.salaryExpectationFen !== undefined ? { salary_expectation_fen: body.salaryExpectationFen } : {}),
        ...(body.availableFrom !== undefined ? { available_from: body.availableFrom } : {}),
        ...(body.workTypes !== undefined ? { work_types: body.workTypes } : {}),
        ...(body.introduction !== undefined ? { introduction: body.introduction } : {}),
        ...(body.employerVisible !== undefined ? { employer_visible: body.employerVisible } : {}),
      };
      await db.transaction().execute(async (trx) => {
        await repo.update(trx, id, { ...set, updated_at: clock() });
        await audit.record(trx, ctx, {
          action: "seeker.update",
          subjectType: "person",
          subjectId: r.person_id,
          fields: Object.keys(set),
        });
      });
      if (matchIndex?.isLoaded()) await matchIndex.refreshSeeker(id);
      return present(db, await load(db, actor, id));
    },

    /** Top-k postings for a seeker, each with its score explained by component. */
    async recommendPostings(actor: Actor, seekerId: string, k: number) {
      const seeker = await load(db, actor, seekerId);
      const ranked = await rankPostings(seeker, k);
      const rows = await postingsRepository.findManyPublic(
        db,
        ranked.map((m) => m.postingId),
      );
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ranked.flatMap((m) => {
        const p = byId.get(m.postingId);
        return p
          ? [
              {
                score: m.score,
                components: m.components,
                hint: m.hint,
                notUsed: m.notUsed,
                pinned: m.pinned,
                posting: presentPublicPosting(p, confirmDays),
              },
            ]
          : [];
      });
    },

    /** Top-k seekers for a posting: case workers in their region; employers only seekers who consented. */
    async recommendSeekers(actor: Actor, postingId: string, k: number) {
      const posting = await postingsRepository.findById(db, postingScopeOf(actor), postingId);
      if (posting?.status !== "published") throw new AppError("NOT_FOUND");
      const isEmployer = actor.role === "employer";
      const scope: SeekerScope = isEmployer
        ? { kind: "region", prefix: posting.region_code.slice(0, 2) }
        : seekerScopeOf(actor);
      if (scope.kind !== "region") throw new AppError("NOT_FOUND");
      const p = postingFeatures(posting);
      const skip = new Set((await repo.feedbackOfPosting(db, postingId)).map((x) => x.seeker_id));
      const asOf = shanghaiDate(clock());
      const top = matchIndex?.isLoaded()
        ? matchIndex.index.seekersFor(posting, k, asOf, {
            within: scope.prefix,
            employerVisibleOnly: isEmployer,
            exclude: skip,
          })
        : await referenceSeekers(p, k, scope, isEmployer, skip, CANDIDATE_LIMIT);
      const rows = await repo.findManyByIds(
        db,
        scope,
        top.map((m) => m.id),
      );
      const byId = new Map(rows.map((r) => [r.id, r]));
      const n = await names(
        db,
        [posting.occupation_code, ...rows.flatMap((c) => c.occupations)],
        [posting.region_code, ...rows.flatMap((c) => [...c.regions, c.region_code])],
      );
      return top.flatMap((m) => {
        const s = byId.get(m.id);
        if (!s) return [];
        const r = scoreMatch(seekerFeatures(s), p, asOf, n);
        return [
          {
            score: r.score,
            components: r.components,
            hint: r.hint,
            notUsed: r.notUsed,
            pinned: false,
            seeker: {
              id: s.id,
              name: isEmployer && s.name ? maskPersonName(s.name) : s.name,
              occupations: s.occupations.map((c) => n.occupation(c)),
              skills: s.skills,
              // where the seeker lives is for case workers; an employer sees the score and skills only
              regionName: isEmployer ? null : n.region(s.region_code),
            },
          },
        ];
      });
    },

    /** "Not relevant" from the seeker, or a case worker's hide/pin override (logged in the audit trail). */
    async feedback(
      actor: Actor,
      seekerId: string,
      body: { postingId: string; kind: "not_relevant" | "hidden" | "pinned"; reason: string },
      ctx: RequestContext,
    ) {
      const seeker = await load(db, actor, seekerId);
      if (actor.role === "individual" && body.kind !== "not_relevant") throw new AppError("FORBIDDEN");
      if (actor.role === "case_worker" && body.kind === "not_relevant") throw new AppError("FORBIDDEN");
      const posting = await postingsRepository.findPublished(db, body.postingId);
      if (!posting) throw new AppError("NOT_FOUND");
      await db.transaction().execute(async (trx) => {
        await repo.insertFeedback(trx, {
          seekerId,
          postingId: body.postingId,
          kind: body.kind,
          reason: body.reason,
          by: actor.userId,
          now: clock(),
        });
        await audit.record(trx, ctx, {
          action: body.kind === "not_relevant" ? "match.not_relevant" : `match.override.${body.kind}`,
          subjectType: "person",
          subjectId: seeker.person_id,
          fields: [],
          detail: { posting: body.postingId, reason: body.reason },
        });
      });
      return { ok: true as const };
    },
  };
}
