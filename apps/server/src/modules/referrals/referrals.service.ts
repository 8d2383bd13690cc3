import type { Database } from "@jiuye/db";
import { shanghaiDate } from "@jiuye/domain";
import type { Kysely } from "kysely";
import { AppError } from "../../errors/catalogue.ts";
import type { Actor } from "../../lib/actor.ts";
import type { Clock, Executor, RequestContext } from "../../lib/executor.ts";
import { isUniqueViolation, prefixPattern } from "../../lib/scope.ts";
import type { AuditService } from "../audit/audit.service.ts";
import type { LedgerService } from "../ledger/ledger.service.ts";
import { postingsRepository } from "../postings/postings.repository.ts";
import { seekersRepository } from "../seekers/seekers.repository.ts";
import type { SeekersService } from "../seekers/seekers.service.ts";

export type ReferralsService = ReturnType<typeof createReferralsService>;

/** 职业介绍: all SQL for referrals. */
export const referralsRepository = {
  find(db: Executor, regionPrefix: string, id: string, lock = false) {
    let q = db
      .selectFrom("referrals")
      .innerJoin("postings", "postings.id", "referrals.posting_id")
      .innerJoin("employers", "employers.id", "postings.employer_id")
      .innerJoin("persons", "persons.id", "referrals.person_id")
      .select([
        "referrals.id",
        "referrals.seeker_id",
        "referrals.person_id",
        "persons.name as person_name",
        "referrals.posting_id",
        "postings.title as posting_title",
        "employers.name as employer_name",
        "employers.credit_code as employer_credit_code",
        "referrals.score",
        "referrals.status",
        "referrals.outcome_reason",
        "referrals.outcome_on",
        "referrals.ledger_event_id",
        "referrals.created_at",
      ])
      .where("referrals.id", "=", id)
      .where("referrals.region_code", "like", prefixPattern(regionPrefix));
    if (lock) q = q.forUpdate("referrals");
    return q.executeTakeFirst();
  },
  listForSeeker(db: Executor, regionPrefix: string, seekerId: string) {
    return db
      .selectFrom("referrals")
      .select("id")
      .where("seeker_id", "=", seekerId)
      .where("region_code", "like", prefixPattern(regionPrefix))
      .orderBy("created_at", "desc")
      .execute();
  },
};

type Row = NonNullable<Awaited<ReturnType<typeof referralsRepository.find>>>;

function present(r: Row) {
  return {
    id: r.id,
    seekerId: r.seeker_id,
    personId: r.person_id,
    personName: r.person_name,
    postingId: r.posting_id,
    postingTitle: r.posting_title,
    employerName: r.employer_name,
    score: r.score,
    status: r.status as "referred" | "interviewed" | "hired" | "not_hired" | "no_response",
    outcomeReason: r.outcome_reason,
    outcomeOn: r.outcome_on ? String(r.outcome_on).slice(0, 10) : null,
    ledgerEventId: r.ledger_event_id,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

/**
 * A case worker refers a seeker to a published posting (a human confirms every referral:
 * 个人信息保护法 第二十四条), records the outcome, and on a hire may create the 就业登记 through
 * the ledger's own decision (`recordIn`) in the same transaction.
 */
export function createReferralsService(deps: {
  db: Kysely<Database>;
  audit: AuditService;
  clock: Clock;
  ledger: LedgerService;
  seekers: SeekersService;
}) {
  const { db, audit, clock, ledger, seekers } = deps;

  function region(actor: Actor) {
    if (actor.role !== "case_worker" || !actor.regionCode) throw new AppError("FORBIDDEN");
    return actor.regionCode;
  }

  async function load(ex: Executor, actor: Actor, id: string, lock = false) {
    const r = await referralsRepository.find(ex, region(actor), id, lock);
    if (!r) throw new AppError("NOT_FOUND");
    return r;
  }

  return {
    async create(actor: Actor, body: { seekerId: string; postingId: string }, ctx: RequestContext) {
      const prefix = region(actor);
      const seeker = await seekersRepository.findById(db, { kind: "region", prefix }, body.seekerId);
      if (!seeker || seeker.status !== "active") throw new AppError("NOT_FOUND");
      const posting = await postingsRepository.findPublished(db, body.postingId);
      if (!posting) throw new AppError("NOT_FOUND");
      const ranked = await seekers.rankPostings(seeker, 200);
      const score = ranked.find((m) => m.postingId === posting.id)?.score ?? null;
      const now = clock();
      const id = await db.transaction().execute(async (trx) => {
        try {
          const { id } = await trx
            .insertInto("referrals")
            .values({
              province_code: seeker.region_code.slice(0, 2),
              seeker_id: seeker.id,
              person_id: seeker.person_id,
              posting_id: posting.id,
              region_code: seeker.region_code,
              score,
              status: "referred",
              created_by: actor.userId,
              created_at: now,
              updated_at: now,
            })
            .returning("id")
            .executeTakeFirstOrThrow();
          await audit.record(trx, ctx, {
            action: "referral.create",
            subjectType: "person",
            subjectId: seeker.person_id,
            fields: [],
            detail: { posting: posting.id, score },
          });
          return id;
        } catch (e) {
          if (isUniqueViolation(e)) throw new AppError("REFERRAL_EXISTS");
          throw e;
        }
      });
      return present(await load(db, actor, id));
    },

    async get(actor: Actor, id: string) {
      return present(await load(db, actor, id));
    },

    async ofSeeker(actor: Actor, seekerId: string) {
      const ids = await referralsRepository.listForSeeker(db, region(actor), seekerId);
      return Promise.all(ids.map((r) => load(db, actor, r.id).then(present)));
    },

    async recordOutcome(
      actor: Actor,
      id: string,
      body: { status: "interviewed" | "hired" | "not_hired" | "no_response"; reason?: string; outcomeOn: string },
      ctx: RequestContext,
    ) {
      if (body.outcomeOn > shanghaiDate(clock()))
        throw new AppError("VALIDATION_FAILED", {
          errors: [{ field: "outcomeOn", code: "DATE_IN_FUTURE", message: "结果日期不能晚于今天" }],
        });
      await db.transaction().execute(async (trx) => {
        const r = await load(trx, actor, id, true);
        if (r.status === "hired" || r.status === "not_hired") throw new AppError("REFERRAL_STATE");
        await trx
          .updateTable("referrals")
          .set({
            status: body.status,
            outcome_reason: body.reason ?? null,
            outcome_on: body.outcomeOn,
            updated_at: clock(),
          })
          .where("id", "=", id)
          .execute();
        await audit.record(trx, ctx, {
          action: "referral.outcome",
          subjectType: "person",
          subjectId: r.person_id,
          fields: [],
          detail: { status: body.status },
        });
      });
      return present(await load(db, actor, id));
    },

    /** After a hire, the case worker confirms the 就业登记; it is decided by the ledger's rules. */
    async confirmHire(
      actor: Actor,
      id: string,
      body: { startDate: string; contractType: "fixed_term" | "open_ended" | "task_based" | "none" },
      ctx: RequestContext,
    ) {
      await db.transaction().execute(async (trx) => {
        const r = await load(trx, actor, id, true);
        if (r.status !== "hired" || r.ledger_event_id) throw new AppError("REFERRAL_STATE");
        const result = await ledger.recordIn(
          trx,
          actor,
          r.person_id,
          {
            type: "employment",
            date: body.startDate,
            form: "employer",
            employerName: r.employer_name,
            employerCreditCode: r.employer_credit_code,
            contractType: body.contractType,
          },
          ctx,
        );
        await trx
          .updateTable("referrals")
          .set({ ledger_event_id: result.event.id, updated_at: clock() })
          .where("id", "=", id)
          .execute();
      });
      return present(await load(db, actor, id));
    },
  };
}
