import { sql } from "kysely";
import type { Executor } from "../../lib/executor.ts";
import { prefixPattern } from "../../lib/scope.ts";

export interface NewCandidate {
  subjectId: string;
  regionCode: string;
  amountFen: number | null;
  facts: Record<string, unknown>;
}

/** All SQL of the policy workflow: versions, sweeps, candidates, objections, payments, outbox. */
export const policiesRepository = {
  activeVersions(db: Executor) {
    return db.selectFrom("policy_versions").selectAll().where("status", "=", "active").execute();
  },
  versionsWithSource(db: Executor) {
    return db.selectFrom("policy_versions").select(["policy_id", "version", "hash", "source", "status"]).execute();
  },
  listVersions(db: Executor, policyId?: string) {
    let q = db.selectFrom("policy_versions").selectAll().orderBy("uploaded_at", "desc");
    if (policyId) q = q.where("policy_id", "=", policyId);
    return q.limit(100).execute();
  },
  findVersion(db: Executor, id: string, lock = false) {
    let q = db.selectFrom("policy_versions").selectAll().where("id", "=", id);
    if (lock) q = q.forUpdate();
    return q.executeTakeFirst();
  },
  async nextVersionNo(db: Executor, policyId: string) {
    const r = await db
      .selectFrom("policy_versions")
      .select((eb) => eb.fn.max("version").as("v"))
      .where("policy_id", "=", policyId)
      .executeTakeFirst();
    return Number(r?.v ?? 0) + 1;
  },
  insertVersion(
    db: Executor,
    v: {
      policyId: string;
      version: number;
      hash: string;
      source: unknown;
      note: string | null;
      uploadedBy: string;
      impact: unknown;
    },
  ) {
    return db
      .insertInto("policy_versions")
      .values({
        policy_id: v.policyId,
        version: v.version,
        hash: v.hash,
        source: JSON.stringify(v.source),
        status: "proposed",
        note: v.note,
        uploaded_by: v.uploadedBy,
        impact: JSON.stringify(v.impact),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  },
  async decideVersion(
    db: Executor,
    id: string,
    policyId: string,
    status: "active" | "rejected",
    by: string,
    reason: string,
  ) {
    if (status === "active")
      await db
        .updateTable("policy_versions")
        .set({ status: "superseded" })
        .where("policy_id", "=", policyId)
        .where("status", "=", "active")
        .execute();
    return db
      .updateTable("policy_versions")
      .set({ status, decided_by: by, decided_at: new Date(), decision_reason: reason })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
  },

  insertSweep(
    db: Executor,
    s: {
      policy_id: string;
      policy_name: string;
      ruleset_hash: string;
      params: unknown;
      as_of: string;
      period: string;
      region_code: string;
      province_code: string | null;
      evaluated: number;
      eligible: number;
      undetermined: number;
      not_eligible: number;
      duration_ms: number;
      created_by: string;
    },
  ) {
    return db
      .insertInto("policy_sweeps")
      .values({ ...s, status: "review", params: JSON.stringify(s.params) })
      .returning("id")
      .executeTakeFirstOrThrow();
  },
  /** Candidates in batches of 5,000 rows per statement (unnest of arrays: one round trip per batch). */
  async insertCandidates(db: Executor, sweepId: string, provinceCode: string | null, rows: NewCandidate[]) {
    // one JSON document per batch: a text[] of JSON strings costs escaping every quote twice
    for (let i = 0; i < rows.length; i += 5000) {
      const part = rows.slice(i, i + 5000);
      await sql`
        insert into policy_candidates (sweep_id, subject_kind, subject_id, region_code, province_code, amount_fen, facts)
        select ${sweepId}::uuid, 'person', s, r, ${provinceCode}, a, f
        from json_to_recordset(${JSON.stringify(part.map((c) => ({ s: c.subjectId, r: c.regionCode, a: c.amountFen, f: c.facts })))}::json)
          as t(s uuid, r text, a bigint, f jsonb)`.execute(db);
    }
  },
  listSweeps(db: Executor, regionPrefix: string) {
    return db
      .selectFrom("policy_sweeps as s")
      .leftJoin("regions as r", "r.code", "s.region_code")
      .selectAll("s")
      .select("r.name as region_name")
      .where("s.region_code", "like", prefixPattern(regionPrefix))
      .orderBy("s.created_at", "desc")
      .limit(100)
      .execute();
  },
  findSweep(db: Executor, id: string, lock = false) {
    let q = db
      .selectFrom("policy_sweeps as s")
      .leftJoin("regions as r", "r.code", "s.region_code")
      .selectAll("s")
      .select("r.name as region_name")
      .where("s.id", "=", id);
    if (lock) q = q.forUpdate("s");
    return q.executeTakeFirst();
  },
  async sweepCounts(db: Executor, sweepId: string) {
    const rows = await db
      .selectFrom("policy_candidates")
      .select([
        "status",
        (eb) => eb.fn.countAll<string>().as("n"),
        (eb) => eb.fn.sum<string>("amount_fen").as("amount"),
      ])
      .where("sweep_id", "=", sweepId)
      .groupBy("status")
      .execute();
    const open = await db
      .selectFrom("policy_objections")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("sweep_id", "=", sweepId)
      .where("status", "=", "open")
      .executeTakeFirst();
    const by = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
    const amount = rows
      .filter((r) => r.status === "approved" || r.status === "paid")
      .reduce((s, r) => s + Number(r.amount ?? 0), 0);
    return {
      pending: by.pending ?? 0,
      approved: by.approved ?? 0,
      rejected: by.rejected ?? 0,
      paid: by.paid ?? 0,
      duplicate: by.duplicate ?? 0,
      openObjections: Number(open?.n ?? 0),
      amountApprovedFen: amount,
    };
  },
  async candidatesPage(db: Executor, sweepId: string, q: { page: number; pageSize: number; status?: string }) {
    let base = db.selectFrom("policy_candidates as c").where("c.sweep_id", "=", sweepId);
    if (q.status) base = base.where("c.status", "=", q.status);
    const total = Number((await base.select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirst())?.n ?? 0);
    const items = await base
      .innerJoin("persons as p", "p.id", "c.subject_id")
      .leftJoin("regions as r", "r.code", "c.region_code")
      .select([
        "c.id",
        "c.subject_id",
        "p.name",
        "c.region_code",
        "r.name as region_name",
        "c.amount_fen",
        "c.status",
        "c.decision_reason",
        (eb) =>
          eb
            .selectFrom("policy_objections as o")
            .select((e2) => e2.fn.countAll<string>().as("n"))
            .whereRef("o.candidate_id", "=", "c.id")
            .where("o.status", "=", "open")
            .as("open_objections"),
      ])
      .orderBy("c.region_code")
      .orderBy("c.id")
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute();
    return { total, items };
  },
  findCandidate(db: Executor, id: string) {
    return db
      .selectFrom("policy_candidates as c")
      .innerJoin("persons as p", "p.id", "c.subject_id")
      .leftJoin("regions as r", "r.code", "c.region_code")
      .selectAll("c")
      .select(["p.name", "r.name as region_name"])
      .where("c.id", "=", id)
      .executeTakeFirst();
  },
  objectionsOf(db: Executor, candidateId: string) {
    return db
      .selectFrom("policy_objections")
      .selectAll()
      .where("candidate_id", "=", candidateId)
      .orderBy("submitted_at")
      .execute();
  },
  decideCandidates(
    db: Executor,
    sweepId: string,
    ids: string[] | "all",
    status: "approved" | "rejected",
    by: string,
    reason: string | null,
  ) {
    let q = db
      .updateTable("policy_candidates")
      .set({ status, decided_by: by, decided_at: new Date(), decision_reason: reason })
      .where("sweep_id", "=", sweepId)
      .where("status", "=", "pending");
    if (ids !== "all") q = q.where("id", "in", ids);
    return q.executeTakeFirst().then((r) => Number(r.numUpdatedRows));
  },
  publishSweep(db: Executor, id: string, by: string, days: number, from: string, until: string) {
    return db
      .updateTable("policy_sweeps")
      .set({
        status: "notice",
        notice_days: days,
        notice_from: from,
        notice_until: until,
        published_by: by,
        published_at: new Date(),
      })
      .where("id", "=", id)
      .where("status", "=", "review")
      .executeTakeFirst()
      .then((r) => Number(r.numUpdatedRows));
  },
  noticeEntries(db: Executor, sweepId: string) {
    return db
      .selectFrom("policy_candidates as c")
      .innerJoin("persons as p", "p.id", "c.subject_id")
      .leftJoin("regions as r", "r.code", "c.region_code")
      .select(["c.id", "p.name", "r.name as region_name", "c.amount_fen"])
      .where("c.sweep_id", "=", sweepId)
      .where("c.status", "in", ["approved", "paid"])
      .orderBy("c.region_code")
      .orderBy("c.id")
      .limit(5000)
      .execute();
  },
  insertObjection(db: Executor, o: { candidateId: string; sweepId: string; text: string; by: string }) {
    return db
      .insertInto("policy_objections")
      .values({ candidate_id: o.candidateId, sweep_id: o.sweepId, text: o.text, submitted_by: o.by })
      .returning(["id", "submitted_at"])
      .executeTakeFirstOrThrow();
  },
  findObjection(db: Executor, id: string, lock = false) {
    let q = db.selectFrom("policy_objections").selectAll().where("id", "=", id);
    if (lock) q = q.forUpdate();
    return q.executeTakeFirst();
  },
  resolveObjection(db: Executor, id: string, status: "upheld" | "dismissed", resolution: string, by: string) {
    return db
      .updateTable("policy_objections")
      .set({ status, resolution, resolved_by: by, resolved_at: new Date() })
      .where("id", "=", id)
      .where("status", "=", "open")
      .executeTakeFirst()
      .then((r) => Number(r.numUpdatedRows));
  },
  rejectCandidate(db: Executor, id: string, by: string, reason: string) {
    return db
      .updateTable("policy_candidates")
      .set({ status: "rejected", decided_by: by, decided_at: new Date(), decision_reason: reason })
      .where("id", "=", id)
      .execute();
  },
  /**
   * Payments for every approved candidate of a sweep, in one statement; the unique key
   * (policy_id, subject_id, period) skips anyone already paid for the period (an earlier sweep,
   * an application, a concurrent approval). Returns the candidates paid now.
   */
  async payApproved(db: Executor, sweepId: string, by: string) {
    const { rows } = await sql<{ candidate_id: string; id: string; subject_id: string; amount_fen: string | null }>`
      insert into policy_payments (policy_id, subject_kind, subject_id, period, amount_fen, province_code, region_code,
        sweep_id, candidate_id, ruleset_hash, params, as_of, facts, approved_by)
      select s.policy_id, c.subject_kind, c.subject_id, s.period, c.amount_fen, c.province_code, c.region_code,
        s.id, c.id, s.ruleset_hash, s.params, s.as_of, c.facts, ${by}
      from policy_candidates c join policy_sweeps s on s.id = c.sweep_id
      where c.sweep_id = ${sweepId} and c.status = 'approved'
      on conflict (policy_id, subject_id, period) do nothing
      returning candidate_id, id, subject_id, amount_fen`.execute(db);
    await sql`
      update policy_candidates set status = case when id = any(${sql.val(rows.map((r) => r.candidate_id))}::uuid[]) then 'paid' else 'duplicate' end
      where sweep_id = ${sweepId} and status = 'approved'`.execute(db);
    return rows;
  },
  finaliseSweep(db: Executor, id: string, by: string) {
    return db
      .updateTable("policy_sweeps")
      .set({ status: "paid", finalised_by: by, finalised_at: new Date() })
      .where("id", "=", id)
      .execute();
  },
  async enqueueMessages(
    db: Executor,
    messages: {
      dedupeKey: string;
      channel: "in_app" | "sms";
      recipientKind: "person" | "employer";
      recipientId: string;
      title: string;
      body: string;
    }[],
  ) {
    let n = 0;
    for (let i = 0; i < messages.length; i += 2000) {
      const part = messages.slice(i, i + 2000);
      const r = await db
        .insertInto("outbox_messages")
        .values(
          part.map((m) => ({
            dedupe_key: m.dedupeKey,
            channel: m.channel,
            recipient_kind: m.recipientKind,
            recipient_id: m.recipientId,
            title: m.title,
            body: m.body,
          })),
        )
        .onConflict((oc) => oc.column("dedupe_key").doNothing())
        .executeTakeFirst();
      n += Number(r.numInsertedOrUpdatedRows ?? 0);
    }
    return n;
  },
  /** Claim pending messages (FOR UPDATE SKIP LOCKED: several servers never send one twice). */
  claimPending(db: Executor, limit: number) {
    return db
      .selectFrom("outbox_messages")
      .selectAll()
      .where("status", "=", "pending")
      .orderBy("created_at")
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
  },
  markMessage(db: Executor, id: string, status: "sent" | "failed" | "skipped" | "pending", error: string | null) {
    return db
      .updateTable("outbox_messages")
      .set((eb) => ({
        status,
        attempts: eb("attempts", "+", 1),
        last_error: error,
        sent_at: status === "sent" ? new Date() : null,
      }))
      .where("id", "=", id)
      .execute();
  },
  inbox(db: Executor, recipientId: string) {
    return db
      .selectFrom("outbox_messages")
      .selectAll()
      .where("recipient_id", "=", recipientId)
      .where("channel", "=", "in_app")
      .where("status", "=", "sent")
      .orderBy("created_at", "desc")
      .limit(100)
      .execute();
  },
  markRead(db: Executor, id: string, recipientId: string) {
    return db
      .updateTable("outbox_messages")
      .set({ read_at: new Date() })
      .where("id", "=", id)
      .where("recipient_id", "=", recipientId)
      .where("read_at", "is", null)
      .executeTakeFirst()
      .then((r) => Number(r.numUpdatedRows));
  },
  paymentsOf(db: Executor, subjectId: string) {
    return db
      .selectFrom("policy_payments")
      .selectAll()
      .where("subject_id", "=", subjectId)
      .orderBy("created_at", "desc")
      .limit(100)
      .execute();
  },
  personName(db: Executor, id: string) {
    return db
      .selectFrom("persons")
      .select(["id", "name", "residence_region_code"])
      .where("id", "=", id)
      .executeTakeFirst();
  },
  employer(db: Executor, id: string) {
    return db
      .selectFrom("employers")
      .select(["id", "name", "region_code", "credit_code", "size_class", "headcount", "insured_headcount"])
      .where("id", "=", id)
      .executeTakeFirst();
  },
};

/** Applications and uploaded versions (the same tables' SQL, kept with the rest). */
export const applicationsRepository = {
  insert(
    db: Executor,
    a: {
      policyId: string;
      subjectKind: "person" | "employer";
      subjectId: string;
      regionCode: string;
      period: string;
      facts: unknown;
      result: unknown;
      hash: string;
      asOf: string;
      applicant: string;
    },
  ) {
    return db
      .insertInto("policy_applications")
      .values({
        policy_id: a.policyId,
        subject_kind: a.subjectKind,
        subject_id: a.subjectId,
        region_code: a.regionCode,
        province_code: a.regionCode.slice(0, 2),
        period: a.period,
        facts: JSON.stringify(a.facts),
        result: JSON.stringify(a.result),
        ruleset_hash: a.hash,
        as_of: a.asOf,
        applicant_user_id: a.applicant,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  },
  list(db: Executor, where: { regionPrefix?: string; subjectId?: string; status?: string }) {
    let q = db
      .selectFrom("policy_applications as a")
      .leftJoin("persons as p", "p.id", "a.subject_id")
      .leftJoin("employers as e", "e.id", "a.subject_id")
      .selectAll("a")
      .select(["p.name as person_name", "e.name as employer_name"])
      .orderBy("a.submitted_at", "desc")
      .limit(200);
    if (where.regionPrefix !== undefined) q = q.where("a.region_code", "like", prefixPattern(where.regionPrefix));
    if (where.subjectId) q = q.where("a.subject_id", "=", where.subjectId);
    if (where.status) q = q.where("a.status", "=", where.status);
    return q.execute();
  },
  find(db: Executor, id: string, lock = false) {
    let q = db
      .selectFrom("policy_applications as a")
      .leftJoin("persons as p", "p.id", "a.subject_id")
      .leftJoin("employers as e", "e.id", "a.subject_id")
      .selectAll("a")
      .select(["p.name as person_name", "e.name as employer_name"])
      .where("a.id", "=", id);
    if (lock) q = q.forUpdate("a");
    return q.executeTakeFirst();
  },
  decide(db: Executor, id: string, status: "approved" | "rejected", by: string, reason: string | null, letter: string) {
    return db
      .updateTable("policy_applications")
      .set({ status, decided_by: by, decided_at: new Date(), decision_reason: reason, letter })
      .where("id", "=", id)
      .where("status", "=", "submitted")
      .executeTakeFirst()
      .then((r) => Number(r.numUpdatedRows));
  },
  /** A payment for an approved application; null when the subject was already paid for the period. */
  async pay(
    db: Executor,
    p: {
      policyId: string;
      subjectKind: string;
      subjectId: string;
      period: string;
      amountFen: number | null;
      regionCode: string;
      applicationId: string;
      hash: string;
      params: unknown;
      asOf: string;
      facts: unknown;
      by: string;
    },
  ) {
    const { rows } = await sql<{ id: string }>`
      insert into policy_payments (policy_id, subject_kind, subject_id, period, amount_fen, province_code, region_code,
        application_id, ruleset_hash, params, as_of, facts, approved_by)
      values (${p.policyId}, ${p.subjectKind}, ${p.subjectId}, ${p.period}, ${p.amountFen}, ${p.regionCode.slice(0, 2)}, ${p.regionCode},
        ${p.applicationId}, ${p.hash}, ${JSON.stringify(p.params)}::jsonb, ${p.asOf}, ${JSON.stringify(p.facts)}::jsonb, ${p.by})
      on conflict (policy_id, subject_id, period) do nothing
      returning id`.execute(db);
    return rows[0]?.id ?? null;
  },
};

/** 定期比对 schedules. */
export const schedulesRepository = {
  insert(
    db: Executor,
    s: { policyId: string; regionCode: string; dayOfMonth: number; nextRunOn: string; createdBy: string },
  ) {
    return db
      .insertInto("policy_schedules")
      .values({
        policy_id: s.policyId,
        region_code: s.regionCode,
        day_of_month: s.dayOfMonth,
        next_run_on: s.nextRunOn,
        created_by: s.createdBy,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  },
  list(db: Executor, regionPrefix: string) {
    return db
      .selectFrom("policy_schedules")
      .selectAll()
      .where("region_code", "like", prefixPattern(regionPrefix))
      .orderBy("created_at", "desc")
      .limit(100)
      .execute();
  },
  find(db: Executor, id: string) {
    return db.selectFrom("policy_schedules").selectAll().where("id", "=", id).executeTakeFirst();
  },
  stop(db: Executor, id: string) {
    return db
      .updateTable("policy_schedules")
      .set({ active: false })
      .where("id", "=", id)
      .where("active", "=", true)
      .execute();
  },
  due(db: Executor, today: string) {
    return db
      .selectFrom("policy_schedules as s")
      .innerJoin("users as u", "u.id", "s.created_by")
      .select([
        "s.id",
        "s.policy_id",
        "s.region_code",
        "s.day_of_month",
        "s.next_run_on",
        "u.id as user_id",
        "u.username",
        "u.display_name",
        "u.region_code as user_region",
        "u.disabled",
      ])
      .where("s.active", "=", true)
      .where("s.next_run_on", "<=", today)
      .execute();
  },
  /** Claim a due run by moving its date on: only one server wins a given run. */
  claim(db: Executor, id: string, was: string, next: string) {
    return db
      .updateTable("policy_schedules")
      .set({ next_run_on: next })
      .where("id", "=", id)
      .where("next_run_on", "=", was)
      .executeTakeFirst()
      .then((r) => Number(r.numUpdatedRows) === 1);
  },
  recordRun(db: Executor, id: string, sweepId: string | null, error: string | null) {
    return db
      .updateTable("policy_schedules")
      .set({ last_run_at: new Date(), last_sweep_id: sweepId, last_error: error })
      .where("id", "=", id)
      .execute();
  },
};
