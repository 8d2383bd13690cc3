import type { ReferralsTable } from "@jiuye/db";
import type { Insertable, Updateable } from "kysely";
import type { Executor } from "../../lib/executor.ts";
import { prefixPattern } from "../../lib/scope.ts";

function scoped(db: Executor, regionPrefix: string) {
  return db
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
    .where("referrals.region_code", "like", prefixPattern(regionPrefix));
}

/** 职业介绍: all SQL for referrals, always within the case worker's region. */
export const referralsRepository = {
  find(db: Executor, regionPrefix: string, id: string, lock = false) {
    const q = scoped(db, regionPrefix).where("referrals.id", "=", id);
    return (lock ? q.forUpdate("referrals") : q).executeTakeFirst();
  },

  listForSeeker(db: Executor, regionPrefix: string, seekerId: string) {
    return scoped(db, regionPrefix)
      .where("referrals.seeker_id", "=", seekerId)
      .orderBy("referrals.created_at", "desc")
      .execute();
  },

  insert(db: Executor, row: Insertable<ReferralsTable>) {
    return db.insertInto("referrals").values(row).returning("id").executeTakeFirstOrThrow();
  },

  update(db: Executor, id: string, row: Updateable<ReferralsTable>) {
    return db.updateTable("referrals").set(row).where("id", "=", id).execute();
  },
};

export type ReferralRow = NonNullable<Awaited<ReturnType<typeof referralsRepository.find>>>;
