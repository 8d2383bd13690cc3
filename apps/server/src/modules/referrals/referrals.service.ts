import type { Database } from "@jiuye/db";
import { shanghaiDate } from "@jiuye/domain";
import type { Kysely } from "kysely";
import { AppError } from "../../errors/catalogue.ts";
import type { Actor } from "../../lib/actor.ts";
import type { Clock, Executor, RequestContext } from "../../lib/executor.ts";
import { isUniqueViolation } from "../../lib/scope.ts";
import type { AuditService } from "../audit/audit.service.ts";
import type { LedgerService } from "../ledger/ledger.service.ts";
import { postingsRepository } from "../postings/postings.repository.ts";
import { seekersRepository } from "../seekers/seekers.repository.ts";
import { pairScore } from "../seekers/seekers.service.ts";
import { type ReferralRow, referralsRepository } from "./referrals.repository.ts";

export type ReferralsService = ReturnType<typeof createReferralsService>;

function present(r: ReferralRow) {
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
}) {
  const { db, audit, clock, ledger } = deps;

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
      if (seeker?.status !== "active") throw new AppError("NOT_FOUND");
      const posting = await postingsRepository.findPublished(db, body.postingId);
      if (!posting) throw new AppError("NOT_FOUND");
      // the pair's own score (null when a hard filter vetoes it: a case worker may still refer)
      const score = pairScore(seeker, posting, shanghaiDate(clock()));
      const now = clock();
      const id = await db.transaction().execute(async (trx) => {
        try {
          const { id } = await referralsRepository.insert(trx, {
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
          });
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
      return (await referralsRepository.listForSeeker(db, region(actor), seekerId)).map(present);
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
        await referralsRepository.update(trx, id, {
          status: body.status,
          outcome_reason: body.reason ?? null,
          outcome_on: body.outcomeOn,
          updated_at: clock(),
        });
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
        await referralsRepository.update(trx, id, { ledger_event_id: result.event.id, updated_at: clock() });
      });
      return present(await load(db, actor, id));
    },
  };
}
