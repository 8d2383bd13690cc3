import type {
  CreateSweepBodySchema,
  DecideCandidatesBodySchema,
  EvaluateBodySchema,
  ObjectionBodySchema,
  ResolveObjectionBodySchema,
} from "@jiuye/contracts";
import type { Database } from "@jiuye/db";
import {
  addPeriod,
  amountAt,
  type CompiledPolicy,
  closure,
  dateOfDay,
  describePolicy,
  evaluateAll,
  evaluateColumnar,
  FACTS,
  flattenTrace,
  formatFen,
  householdNeeds,
  maskPersonName,
  NEVER,
  PolicyCompileError,
  type PolicyResult,
  type Population,
  parsePolicyYaml,
  paymentHistoryPolicies,
  paymentPeriodOf,
  type Subject,
  shanghaiDate,
  stateAt,
  validateFacts,
} from "@jiuye/domain";
import type { Kysely } from "kysely";
import type { z } from "zod";
import { AppError } from "../../errors/catalogue.ts";
import { type Actor, caseWorkerActor } from "../../lib/actor.ts";
import type { Clock, Executor, RequestContext } from "../../lib/executor.ts";
import { fromJson } from "../../lib/json.ts";
import { isUniqueViolation } from "../../lib/scope.ts";
import type { AuditService } from "../audit/audit.service.ts";
import type { PolicyCatalogue } from "./catalogue.ts";
import {
  applicationsRepository,
  type NewCandidate,
  type policiesRepository,
  policiesRepository as repo,
  schedulesRepository,
} from "./policies.repository.ts";
import { policyFactsRepository, sourcesFor } from "./policy-facts.repository.ts";

export type PoliciesService = ReturnType<typeof createPoliciesService>;

/** The API shape of one policy result. */
export function presentResult(r: PolicyResult) {
  return {
    policyId: r.policyId,
    policyName: r.policyName,
    hash: r.hash,
    asOf: r.asOf,
    state: r.state,
    notApplicable: r.notApplicable,
    conditions: flattenTrace(r.conditions).map((t) => ({
      id: t.id,
      label: t.label,
      depth: t.depth,
      state: t.state,
      text: t.text,
      value: t.value,
      threshold: t.threshold,
      distance: t.distance,
      source: t.source,
      missing: t.missing,
    })),
    failed: r.failed,
    undetermined: r.undetermined,
    missing: r.missing,
    outputs: Object.entries(r.outputs).map(([name, o]) => ({ name, label: o.label, value: o.value, text: o.text })),
    amountFen: r.amountFen,
    params: r.params.map((p) => ({
      name: p.name,
      label: p.label,
      valueLabel: p.valueLabel,
      source: p.source,
      verified: p.verified,
    })),
    conflicts: r.conflicts,
  };
}

/** Missing facts across results, as questions a person can answer. */
export function questionsOf(entity: "person" | "employer", results: PolicyResult[]) {
  const defs = FACTS[entity];
  const seen = new Set<string>();
  const out: {
    fact: string;
    label: string;
    type: "bool" | "int" | "money" | "date" | "enum" | "rate";
    values?: { value: string; label: string }[];
  }[] = [];
  for (const r of results)
    for (const m of r.missing) {
      if (seen.has(m.fact) || !defs[m.fact]) continue;
      seen.add(m.fact);
      const d = defs[m.fact]!;
      out.push({
        fact: m.fact,
        label: d.label,
        type: d.type,
        ...(d.values ? { values: Object.entries(d.values).map(([value, label]) => ({ value, label })) } : {}),
      });
    }
  return out;
}

/** The facts a policy (and what it refers to) read, taken back out of the columns for subject i. */
function factsAt(pop: Population, i: number, entity: "person" | "employer", names: string[]) {
  const defs = FACTS[entity];
  const facts: Record<string, unknown> = {};
  for (const name of names) {
    const c = pop.cols[name];
    if (!c || (c.k && !c.k[i])) continue;
    const v = c.v[i]!;
    const d = defs[name]!;
    facts[name] =
      d.type === "bool"
        ? v === 1
        : d.type === "date"
          ? dateOfDay(v)
          : d.type === "enum"
            ? Object.keys(d.values!)[v]
            : v;
  }
  return facts;
}

type AppRow = NonNullable<Awaited<ReturnType<typeof applicationsRepository.find>>>;

function presentApplication(a: AppRow) {
  const result = fromJson<ReturnType<typeof presentResult>>(a.result);
  return {
    id: a.id,
    policyId: a.policy_id,
    policyName: result.policyName,
    subjectKind: a.subject_kind as "person" | "employer",
    subjectName: a.subject_kind === "person" ? maskPersonName(a.person_name ?? "") : (a.employer_name ?? ""),
    regionCode: a.region_code,
    period: a.period,
    status: a.status as "submitted" | "approved" | "rejected",
    result,
    submittedAt: new Date(a.submitted_at).toISOString(),
    decidedAt: a.decided_at ? new Date(a.decided_at).toISOString() : null,
    decisionReason: a.decision_reason,
    letter: a.letter,
  };
}

type VersionRow = Awaited<ReturnType<typeof policiesRepository.findVersion>> & {};

function presentVersion(v: NonNullable<VersionRow>) {
  return {
    id: v.id,
    policyId: v.policy_id,
    version: v.version,
    hash: v.hash,
    status: v.status as "proposed",
    note: v.note,
    uploadedAt: new Date(v.uploaded_at).toISOString(),
    decidedAt: v.decided_at ? new Date(v.decided_at).toISOString() : null,
    decisionReason: v.decision_reason,
    impact: fromJson<never>(v.impact),
  };
}

/** A candidate of a sweep as the API shows it: the name masked. */
function presentCandidate(
  c: {
    id: string;
    subject_id: string;
    name: string;
    region_code: string;
    region_name: string | null;
    amount_fen: string | number | null;
    status: string;
    decision_reason: string | null;
  },
  openObjections: number,
) {
  return {
    id: c.id,
    subjectId: c.subject_id,
    name: maskPersonName(c.name),
    regionCode: c.region_code,
    regionName: c.region_name ?? null,
    amountFen: c.amount_fen === null ? null : Number(c.amount_fen),
    status: c.status as "pending" | "approved" | "rejected" | "paid" | "duplicate",
    decisionReason: c.decision_reason,
    openObjections,
  };
}

type ScheduleRow = NonNullable<Awaited<ReturnType<typeof schedulesRepository.find>>>;

function presentSchedule(r: ScheduleRow, policyName: string) {
  return {
    id: r.id,
    policyId: r.policy_id,
    policyName,
    regionCode: r.region_code,
    dayOfMonth: r.day_of_month,
    nextRunOn: String(r.next_run_on).slice(0, 10),
    active: r.active,
    lastRunAt: r.last_run_at ? new Date(r.last_run_at).toISOString() : null,
    lastSweepId: r.last_sweep_id,
    lastError: r.last_error,
  };
}

/** 决定书: the decision in words, with the conditions and the amount it rests on. */
export function decisionLetter(
  policyName: string,
  period: string,
  approved: boolean,
  result: ReturnType<typeof presentResult>,
  reason: string | null,
): string {
  const lines = [`关于「${policyName}」申请（${period}）的决定`, ""];
  if (approved) {
    lines.push("经审核，您的申请符合条件，予以批准。");
    if (result.amountFen !== null) lines.push(`金额：${formatFen(result.amountFen)} 元。`);
  } else {
    lines.push("经审核，您的申请不予批准。");
    if (reason) lines.push(`理由：${reason}`);
  }
  lines.push("", "判断依据：");
  for (const c of result.conditions.filter((x) => x.depth === 0)) lines.push(`· ${c.text}`);
  if (result.params.some((p) => !p.verified)) lines.push("", "注：部分标准尚待与原文件核对，如有出入以原文件为准。");
  lines.push("", "如对本决定有异议，可自收到之日起六十日内申请行政复议，或六个月内提起行政诉讼。");
  return lines.join("\n");
}

/** Inline facts with an unknown name or a wrong type: 400 naming each field (`at` is where they sit in the body). */
function refuseBadFacts(kind: "person" | "employer", facts: Record<string, unknown>, at: string) {
  const errors = validateFacts(kind, facts);
  if (errors.length)
    throw new AppError("VALIDATION_FAILED", {
      errors: errors.map((e) => ({ field: e.path.replace(/^facts/, at), code: "FACT_INVALID", message: e.message })),
    });
}

/** What-if evaluation of a hypothetical subject: shared by the API and `jiuye policy evaluate`. */
export function evaluateWhatIf(
  catalogue: Pick<PolicyCatalogue, "all" | "byId">,
  body: z.infer<typeof EvaluateBodySchema>,
) {
  const { subject } = body;
  refuseBadFacts(subject.kind, subject.facts, "subject.facts");
  // groups: a person's household (the subject included), an employer's roster; members are persons
  const groupOf = (name: "members" | "employees", entity: "person" | "employer") => {
    const list = subject[name];
    if (!list) return undefined;
    if (subject.kind !== entity)
      throw new AppError("VALIDATION_FAILED", {
        errors: [
          {
            field: `subject.${name}`,
            code: "GROUP_ENTITY",
            message: name === "members" ? "家庭成员（members）只适用于个人" : "职工名册（employees）只适用于单位",
          },
        ],
      });
    list.forEach((m, i) => {
      refuseBadFacts("person", m.facts, `subject.${name}[${i}].facts`);
    });
    return list.map((m) => ({ facts: m.facts }));
  };
  const members = groupOf("members", "person");
  const employees = groupOf("employees", "employer");
  for (const id of body.policyIds ?? []) {
    const p = catalogue.byId(id);
    if (!p)
      throw new AppError("POLICY_UNKNOWN", {
        errors: [{ field: "policyIds", code: "POLICY_UNKNOWN", message: `政策「${id}」不存在` }],
      });
    if (p.entity !== subject.kind)
      throw new AppError("VALIDATION_FAILED", {
        errors: [
          {
            field: "policyIds",
            code: "POLICY_ENTITY",
            message: `政策「${p.name}」适用于${p.entity === "person" ? "个人" : "单位"}`,
          },
        ],
      });
  }
  const set = catalogue.all().filter((p) => p.entity === subject.kind);
  const only = body.policyIds?.length ? new Set(body.policyIds) : undefined;
  const results = evaluateAll(
    set,
    {
      region: subject.regionCode,
      facts: subject.facts,
      ...(subject.paid ? { paid: subject.paid } : {}),
      ...(members ? { members } : {}),
      ...(employees ? { employees } : {}),
    },
    body.asOf,
    only,
  );
  return { asOf: body.asOf, results: results.map(presentResult), questions: questionsOf(subject.kind, results) };
}

/**
 * The policy engine as use cases (seed §二十六 政策快办、免申即享): the public list, what-if
 * evaluation, self-checks, and sweeps from the population to payment through review, public notice
 * and objections.
 */
export function createPoliciesService(deps: {
  db: Kysely<Database>;
  audit: AuditService;
  clock: Clock;
  catalogue: PolicyCatalogue;
  noticeDays: number;
}) {
  const { db, audit, clock, catalogue, noticeDays } = deps;
  const today = () => shanghaiDate(clock());

  function policyOr422(id: string): CompiledPolicy {
    const p = catalogue.byId(id);
    if (!p)
      throw new AppError("POLICY_UNKNOWN", {
        errors: [{ field: "policyId", code: "POLICY_UNKNOWN", message: `政策「${id}」不存在` }],
      });
    return p;
  }

  function staffRegion(actor: Actor): string {
    if (actor.role === "case_worker" && actor.regionCode) return actor.regionCode;
    if (actor.role === "admin") return actor.regionCode ?? "";
    throw new AppError("FORBIDDEN");
  }

  async function sweepInScope(
    actor: Actor,
    id: string,
    lock = false,
    ex: Kysely<Database> | Parameters<typeof repo.findSweep>[0] = db,
  ) {
    const s = await repo.findSweep(ex, id, lock);
    if (!s?.region_code.startsWith(staffRegion(actor))) throw new AppError("NOT_FOUND");
    return s;
  }

  async function presentSweep(s: NonNullable<Awaited<ReturnType<typeof repo.findSweep>>>, ex: Executor = db) {
    const counts = await repo.sweepCounts(ex, s.id);
    const policy = catalogue.byHash(s.ruleset_hash);
    const params = policy ? describePolicy(policy, s.as_of, s.region_code).params : [];
    const { amountApprovedFen, ...c } = counts;
    return {
      id: s.id,
      policyId: s.policy_id,
      policyName: s.policy_name,
      rulesetHash: s.ruleset_hash,
      asOf: String(s.as_of).slice(0, 10),
      period: s.period,
      regionCode: s.region_code,
      regionName: s.region_name ?? null,
      status: s.status as "review" | "notice" | "paid" | "cancelled",
      evaluated: s.evaluated,
      eligible: s.eligible,
      undetermined: s.undetermined,
      notEligible: s.not_eligible,
      durationMs: s.duration_ms,
      noticeFrom: s.notice_from ? String(s.notice_from).slice(0, 10) : null,
      noticeUntil: s.notice_until ? String(s.notice_until).slice(0, 10) : null,
      counts: c,
      amountApprovedFen,
      params: params.map(({ note: _n, ...p }) => p),
      createdAt: new Date(s.created_at).toISOString(),
    };
  }

  /** The caller as a subject: their registry record (person or employer) with their answers on top. */
  async function ownSubject(actor: Actor, answers: Record<string, unknown>, asOf: string) {
    const kind: "person" | "employer" = actor.role === "employer" ? "employer" : "person";
    refuseBadFacts(kind, answers, "answers");
    if (kind === "person") {
      if (!actor.personId) throw new AppError("NOT_FOUND", { detail: "账号未关联劳动者档案" });
      const own = await policyFactsRepository.person(db, actor.personId, asOf, paymentHistoryPolicies(catalogue.all()));
      if (!own) throw new AppError("NOT_FOUND");
      const p = await repo.personName(db, actor.personId);
      // the person's own answers complete (or correct) what the registry holds
      const subject: Subject = {
        region: own.region,
        facts: { ...own.facts, ...answers },
        paid: own.paid,
        ...(own.members ? { members: own.members } : {}),
      };
      return { kind, id: actor.personId, name: p?.name ?? "", subject };
    }
    if (!actor.employerId) throw new AppError("NOT_FOUND", { detail: "账号未关联用人单位" });
    const e = await repo.employer(db, actor.employerId);
    if (!e) throw new AppError("NOT_FOUND");
    const facts: Record<string, unknown> = {};
    if (e.size_class) facts.size_class = e.size_class;
    if (e.headcount !== null) facts.headcount = e.headcount;
    if (e.insured_headcount !== null) facts.insured_headcount = e.insured_headcount;
    // the roster from the ledger: who is registered as employed here, for employees: rules
    const employees = await policyFactsRepository.employees(db, e.credit_code, asOf);
    const subject: Subject = { region: e.region_code, facts: { ...facts, ...answers }, employees };
    return { kind, id: actor.employerId, name: e.name, subject };
  }

  /** Who gains and who loses eligibility if `next` replaces `old`, over the people in `region`. */
  async function impactOf(region: string, old: CompiledPolicy | null, next: CompiledPolicy, set: CompiledPolicy[]) {
    const asOf = today();
    const pop = await policyFactsRepository.personPopulation(db, region, asOf, paymentHistoryPolicies(set));
    const needNext = closure(set, new Set([next.id]));
    const after = evaluateColumnar(
      set.filter((p) => needNext.has(p.id)),
      pop,
      asOf,
    ).get(next.id)!;
    const current = catalogue.all();
    const before = old
      ? evaluateColumnar(
          current.filter((p) => closure(current, new Set([old.id])).has(p.id)),
          pop,
          asOf,
        ).get(old.id)!
      : null;
    let gain = 0;
    let lose = 0;
    let nBefore = 0;
    let nAfter = 0;
    const examples: { id: string; change: "gain" | "lose" }[] = [];
    for (let i = 0; i < pop.n; i++) {
      const b = before ? stateAt(before, i) === 1 : false;
      const a = stateAt(after, i) === 1;
      if (b) nBefore++;
      if (a) nAfter++;
      if (a === b) continue;
      if (a) gain++;
      else lose++;
      if (examples.length < 10) examples.push({ id: pop.ids[i]!, change: a ? "gain" : "lose" });
    }
    const names = await Promise.all(examples.map((e) => repo.personName(db, e.id)));
    return {
      regionCode: region,
      asOf,
      evaluated: pop.n,
      before: nBefore,
      after: nAfter,
      gain,
      lose,
      examples: examples.map((e, i) => ({ name: maskPersonName(names[i]?.name ?? ""), change: e.change })),
    };
  }

  const service = {
    /** 政策清单: every policy in force with its conditions in plain Chinese (no login). */
    list(q: { asOf?: string; regionCode?: string; entity?: "person" | "employer" }) {
      const asOf = q.asOf ?? today();
      const region = q.regionCode ?? "3201";
      return catalogue
        .all()
        .filter((p) => !q.entity || p.entity === q.entity)
        .map((p) => {
          const d = describePolicy(p, asOf, region);
          return {
            id: p.id,
            name: p.name,
            entity: p.entity,
            category: p.category,
            region: p.region,
            summary: p.summary,
            documents: p.documents,
            howToApply: p.howToApply,
            paymentPeriod: p.paymentPeriod,
            hash: p.hash,
            version: catalogue.versionOf(p.id),
            conditions: d.conditions,
            outputs: p.outputs.map((o) => ({ name: o.name, label: o.label })),
            params: d.params,
            unverifiedParams: d.params.filter((x) => !x.verified).length,
          };
        });
    },

    /** What-if (OpenFisca's /calculate): a hypothetical subject, nothing read or written. */
    evaluate(body: z.infer<typeof EvaluateBodySchema>) {
      return evaluateWhatIf(catalogue, body);
    },

    /** "Which policies fit me": the caller's own registry record plus answers to earlier questions. */
    async selfCheck(actor: Actor, body: { answers: Record<string, unknown>; asOf?: string }, ctx: RequestContext) {
      const asOf = body.asOf ?? today();
      const { kind, name, subject } = await ownSubject(actor, body.answers, asOf);
      const results = evaluateAll(
        catalogue.all().filter((p) => p.entity === kind),
        subject,
        asOf,
      );
      await audit.record(db, ctx, {
        action: "policy.self_check",
        subjectType: kind,
        subjectId: actor.personId ?? actor.employerId ?? undefined,
      });
      return {
        asOf,
        subject: { kind, name, regionCode: subject.region },
        results: results.map(presentResult),
        questions: questionsOf(kind, results),
      };
    },

    /** 申请: the same rules decide; a case worker reviews; the decision letter explains itself. */
    async apply(actor: Actor, body: { policyId: string; answers: Record<string, unknown> }, ctx: RequestContext) {
      const asOf = today();
      const policy = policyOr422(body.policyId);
      const { kind, subject, id } = await ownSubject(actor, body.answers, asOf);
      if (policy.entity !== kind)
        throw new AppError("VALIDATION_FAILED", {
          errors: [
            {
              field: "policyId",
              code: "POLICY_ENTITY",
              message: `「${policy.name}」适用于${policy.entity === "person" ? "个人" : "单位"}`,
            },
          ],
        });
      const [result] = evaluateAll(
        catalogue.all().filter((p) => p.entity === kind),
        subject,
        asOf,
        new Set([policy.id]),
      );
      try {
        const row = await db.transaction().execute(async (tx) => {
          const a = await applicationsRepository.insert(tx, {
            policyId: policy.id,
            subjectKind: kind,
            subjectId: id,
            regionCode: subject.region,
            period: paymentPeriodOf(policy, asOf),
            facts: {
              ...subject.facts,
              $paid: subject.paid ?? null,
              ...(subject.members ? { $members: subject.members } : {}),
            },
            result: presentResult(result!),
            hash: policy.hash,
            asOf,
            applicant: actor.userId,
          });
          await audit.record(tx, ctx, { action: "policy.apply", subjectType: "policy_application", subjectId: a.id });
          return a;
        });
        return presentApplication((await applicationsRepository.find(db, row.id))!);
      } catch (e) {
        if (isUniqueViolation(e)) throw new AppError("APPLICATION_EXISTS");
        throw e;
      }
    },

    async myApplications(actor: Actor) {
      const id = actor.personId ?? actor.employerId;
      if (!id) return [];
      return (await applicationsRepository.list(db, { subjectId: id })).map(presentApplication);
    },

    async applications(actor: Actor, q: { status?: string }) {
      const rows = await applicationsRepository.list(db, {
        regionPrefix: staffRegion(actor),
        ...(q.status ? { status: q.status } : {}),
      });
      return rows.map(presentApplication);
    },

    /** Approve (→ a payment, unique per subject, policy and period, and a message) or reject, with a letter. */
    async decideApplication(
      actor: Actor,
      id: string,
      body: { decision: "approve" | "reject"; reason?: string },
      ctx: RequestContext,
    ) {
      const out = await db.transaction().execute(async (tx) => {
        const a = await applicationsRepository.find(tx, id, true);
        if (!a?.region_code.startsWith(staffRegion(actor))) throw new AppError("NOT_FOUND");
        if (a.status !== "submitted") throw new AppError("APPLICATION_STATE");
        const result = fromJson<ReturnType<typeof presentResult>>(a.result);
        const policy = catalogue.byHash(a.ruleset_hash) ?? policyOr422(a.policy_id);
        const approve = body.decision === "approve";
        if (approve) {
          const paymentId = await applicationsRepository.pay(tx, {
            policyId: a.policy_id,
            subjectKind: a.subject_kind,
            subjectId: a.subject_id,
            period: a.period,
            amountFen: result.amountFen,
            regionCode: a.region_code,
            applicationId: a.id,
            hash: a.ruleset_hash,
            params: policy.params,
            asOf: String(a.as_of).slice(0, 10),
            facts: a.facts,
            by: actor.userId,
          });
          if (!paymentId) throw new AppError("ALREADY_PAID");
        }
        const letter = decisionLetter(policy.name, a.period, approve, result, body.reason ?? null);
        await applicationsRepository.decide(
          tx,
          id,
          approve ? "approved" : "rejected",
          actor.userId,
          body.reason ?? null,
          letter,
        );
        await repo.enqueueMessages(tx, [
          {
            dedupeKey: `application:${a.id}`,
            channel: "in_app",
            recipientKind: a.subject_kind as "person",
            recipientId: a.subject_id,
            title: `${policy.name}：申请${approve ? "已批准" : "未获批准"}`,
            body: letter,
          },
        ]);
        await audit.record(tx, ctx, {
          action: `policy.application.${body.decision}`,
          subjectType: "policy_application",
          subjectId: id,
          detail: { reason: body.reason ?? null },
        });
        return id;
      });
      return presentApplication((await applicationsRepository.find(db, out))!);
    },

    /**
     * 规则变更: an administrator uploads a new version of a policy; it must compile with the rest of
     * the catalogue; the platform shows who gains and who loses eligibility in the population in
     * scope before anyone can approve it.
     */
    async uploadVersion(actor: Actor, body: { yaml: string; note?: string }, ctx: RequestContext) {
      let compiled: ReturnType<typeof catalogue.compileWith>;
      let doc: unknown;
      try {
        doc = parsePolicyYaml("upload.yaml", body.yaml);
        compiled = catalogue.compileWith(doc);
      } catch (e) {
        if (e instanceof PolicyCompileError)
          throw new AppError("POLICY_COMPILE_FAILED", {
            errors: e.errors.map((x) => ({ field: x.path || "yaml", code: "POLICY_COMPILE", message: x.message })),
          });
        throw e;
      }
      const { policy, set } = compiled;
      const old = catalogue.byId(policy.id);
      if (old?.hash === policy.hash)
        throw new AppError("VALIDATION_FAILED", {
          errors: [{ field: "yaml", code: "UNCHANGED", message: "与现行版本相同" }],
        });
      const impact = policy.entity === "person" ? await impactOf(actor.regionCode ?? "", old, policy, set) : null;
      const row = await db
        .transaction()
        .execute(async (tx) => {
          const v = await repo.insertVersion(tx, {
            policyId: policy.id,
            version: await repo.nextVersionNo(tx, policy.id),
            hash: policy.hash,
            source: doc,
            note: body.note ?? null,
            uploadedBy: actor.userId,
            impact,
          });
          await audit.record(tx, ctx, {
            action: "policy.version.upload",
            subjectType: "policy_version",
            subjectId: v.id,
            detail: { policyId: policy.id, hash: policy.hash },
          });
          return v;
        })
        .catch((e) => {
          if (isUniqueViolation(e)) throw new AppError("POLICY_VERSION_STATE", { detail: "该政策已有待审批的版本" });
          throw e;
        });
      return presentVersion(row);
    },

    async versions() {
      return (await repo.listVersions(db)).map(presentVersion);
    },

    async decideVersion(
      actor: Actor,
      id: string,
      body: { decision: "approve" | "reject"; reason: string },
      ctx: RequestContext,
    ) {
      const row = await db.transaction().execute(async (tx) => {
        const v = await repo.findVersion(tx, id, true);
        if (!v) throw new AppError("NOT_FOUND");
        if (v.status !== "proposed") throw new AppError("POLICY_VERSION_STATE");
        if (v.uploaded_by === actor.userId) throw new AppError("SELF_APPROVAL");
        const out = await repo.decideVersion(
          tx,
          id,
          v.policy_id,
          body.decision === "approve" ? "active" : "rejected",
          actor.userId,
          body.reason,
        );
        await audit.record(tx, ctx, {
          action: `policy.version.${body.decision}`,
          subjectType: "policy_version",
          subjectId: id,
          detail: { policyId: v.policy_id },
        });
        return out;
      });
      await catalogue.refresh();
      return presentVersion(row);
    },

    /**
     * 免申即享 step 1: run one policy over everyone in the region as of a date; store the candidate
     * list (who qualifies, the amount, the facts it was decided on) with the ruleset hash and the
     * parameters, ready for review.
     */
    async createSweep(actor: Actor, body: z.infer<typeof CreateSweepBodySchema>, ctx: RequestContext) {
      const scope = staffRegion(actor);
      const region = body.regionCode ?? scope;
      if (!region.startsWith(scope)) throw new AppError("REGION_OUT_OF_SCOPE");
      if (!region)
        throw new AppError("VALIDATION_FAILED", {
          errors: [{ field: "regionCode", code: "REQUIRED", message: "请选择比对的地区" }],
        });
      const policy = policyOr422(body.policyId);
      if (policy.entity !== "person")
        throw new AppError("POLICY_NOT_SWEEPABLE", {
          detail: "单位类政策需要的缴费、裁员等数据不在本平台，请使用单位自查或申请",
        });
      const asOf = body.asOf ?? today();
      const t0 = performance.now();
      const set = catalogue.all();
      const needed = closure(set, new Set([policy.id]));
      const used = set.filter((p) => needed.has(p.id));
      // read only what the policy and those it refers to read: each source is a join over the region
      const factNames = [...new Set(used.flatMap((p) => p.facts))];
      const paidPolicies = paymentHistoryPolicies(used);
      const household = householdNeeds(used);
      const pop = await policyFactsRepository.personPopulation(
        db,
        region,
        asOf,
        paidPolicies,
        undefined,
        sourcesFor(factNames, paidPolicies, household.used),
      );
      const results = evaluateColumnar(used, pop, asOf);
      const r = results.get(policy.id)!;
      const candidates: NewCandidate[] = [];
      let undetermined = 0;
      for (let i = 0; i < pop.n; i++) {
        const s = stateAt(r, i);
        if (s === 2) undetermined++;
        if (s !== 1) continue;
        const facts = factsAt(pop, i, "person", factNames);
        const m = pop.members;
        // each member with the facts the household rules read (not the whole snapshot again)
        const members = m?.known[i]
          ? Array.from(m.index.subarray(m.offsets[i]!, m.offsets[i + 1]!), (x) => ({
              facts: factsAt(pop, x, "person", household.facts),
            }))
          : null;
        candidates.push({
          subjectId: pop.ids[i]!,
          regionCode: pop.regions[pop.regionOf[i]!]!,
          amountFen: amountAt(r, i),
          // what the decision rests on: the facts read, the payment history and the household
          facts: {
            ...facts,
            $paid: Object.fromEntries(
              Object.entries(pop.paid ?? {}).map(([id, c]) => [id, c.v[i] === NEVER ? null : dateOfDay(c.v[i]!)]),
            ),
            ...(members ? { $members: members } : {}),
          },
        });
      }
      const period = paymentPeriodOf(policy, asOf);
      const sweepId = await db.transaction().execute(async (tx) => {
        const { id } = await repo.insertSweep(tx, {
          policy_id: policy.id,
          policy_name: policy.name,
          ruleset_hash: policy.hash,
          params: policy.params,
          as_of: asOf,
          period,
          region_code: region,
          province_code: region.length >= 2 ? region.slice(0, 2) : null,
          evaluated: pop.n,
          eligible: candidates.length,
          undetermined,
          not_eligible: pop.n - candidates.length - undetermined,
          duration_ms: 0,
          created_by: actor.userId,
        });
        await repo.insertCandidates(tx, id, region.length >= 2 ? region.slice(0, 2) : null, candidates);
        await audit.record(tx, ctx, {
          action: "policy.sweep",
          subjectType: "policy_sweep",
          subjectId: id,
          detail: {
            policyId: policy.id,
            hash: policy.hash,
            asOf,
            region,
            evaluated: pop.n,
            eligible: candidates.length,
          },
        });
        return id;
      });
      const ms = Math.round(performance.now() - t0);
      await db.updateTable("policy_sweeps").set({ duration_ms: ms }).where("id", "=", sweepId).execute();
      return presentSweep((await repo.findSweep(db, sweepId))!);
    },

    async listSweeps(actor: Actor) {
      const rows = await repo.listSweeps(db, staffRegion(actor));
      return Promise.all(rows.map((s) => presentSweep(s)));
    },

    async getSweep(actor: Actor, id: string) {
      return presentSweep(await sweepInScope(actor, id));
    },

    async candidates(actor: Actor, id: string, q: { page: number; pageSize: number; status?: string }) {
      await sweepInScope(actor, id);
      const { total, items } = await repo.candidatesPage(db, id, q);
      return {
        total,
        page: q.page,
        pageSize: q.pageSize,
        items: items.map((c) => presentCandidate(c, Number(c.open_objections ?? 0))),
      };
    },

    /** One candidate with its explanation, recomputed from the stored facts and rules (reproducible). */
    async candidate(actor: Actor, sweepId: string, candidateId: string, ctx: RequestContext) {
      const s = await sweepInScope(actor, sweepId);
      const c = await repo.findCandidate(db, candidateId);
      if (!c || c.sweep_id !== s.id) throw new AppError("NOT_FOUND");
      const policy = catalogue.byHash(s.ruleset_hash) ?? policyOr422(s.policy_id);
      const { $paid, $members, ...facts } = c.facts as Record<string, unknown> & {
        $paid?: Record<string, string | null>;
        $members?: { facts: Record<string, unknown> }[];
      };
      const subject: Subject = {
        region: c.region_code,
        facts,
        paid: $paid ?? {},
        ...($members ? { members: $members } : {}),
      };
      // the policy as decided (by its hash) with what it refers to, transitively
      const set = [...catalogue.all().filter((p) => p.id !== policy.id && p.entity === policy.entity), policy];
      const [result] = evaluateAll(set, subject, String(s.as_of).slice(0, 10), new Set([policy.id]));
      const objections = await repo.objectionsOf(db, c.id);
      await audit.record(db, ctx, { action: "policy.candidate.read", subjectType: "person", subjectId: c.subject_id });
      return {
        ...presentCandidate(c, objections.filter((o) => o.status === "open").length),
        result: presentResult(result!),
        objections: objections.map((o) => ({
          id: o.id,
          text: o.text,
          status: o.status as "open",
          resolution: o.resolution,
          submittedAt: new Date(o.submitted_at).toISOString(),
        })),
      };
    },

    /** 复核: approve or reject candidates (a reason is required to reject). */
    async decide(actor: Actor, id: string, body: z.infer<typeof DecideCandidatesBodySchema>, ctx: RequestContext) {
      return db.transaction().execute(async (tx) => {
        const s = await sweepInScope(actor, id, true, tx);
        if (s.status !== "review") throw new AppError("SWEEP_STATE", { detail: "只有待复核的批次可以审核候选对象" });
        const n = await repo.decideCandidates(
          tx,
          id,
          body.allPending ? "all" : body.candidateIds!,
          body.decision === "approve" ? "approved" : "rejected",
          actor.userId,
          body.reason ?? null,
        );
        await audit.record(tx, ctx, {
          action: `policy.candidates.${body.decision}`,
          subjectType: "policy_sweep",
          subjectId: id,
          detail: { count: n, reason: body.reason ?? null },
        });
        return { updated: n };
      });
    },

    /** 公示: publish the approved list (masked names) for the objection window. */
    async publish(actor: Actor, id: string, body: { noticeDays?: number }, ctx: RequestContext) {
      return db.transaction().execute(async (tx) => {
        const s = await sweepInScope(actor, id, true, tx);
        if (s.status !== "review") throw new AppError("SWEEP_STATE", { detail: "该批次已公示或已结束" });
        const counts = await repo.sweepCounts(tx, id);
        if (counts.pending > 0)
          throw new AppError("SWEEP_STATE", { detail: `尚有 ${counts.pending} 名候选对象未复核` });
        if (counts.approved === 0) throw new AppError("SWEEP_STATE", { detail: "没有复核通过的对象，无需公示" });
        const days = body.noticeDays ?? noticeDays;
        const from = today();
        const until = addPeriod(from, { years: 0, months: 0, days: days - 1 });
        await repo.publishSweep(tx, id, actor.userId, days, from, until);
        await audit.record(tx, ctx, {
          action: "policy.notice.publish",
          subjectType: "policy_sweep",
          subjectId: id,
          detail: { from, until },
        });
        return presentSweep((await repo.findSweep(tx, id))!, tx);
      });
    },

    /** The public notice: masked names, regions and amounts, while it is (or was) on notice. */
    async publicNotice(id: string) {
      const s = await repo.findSweep(db, id);
      if (!s || (s.status !== "notice" && s.status !== "paid") || !s.notice_from) throw new AppError("NOT_FOUND");
      const entries = await repo.noticeEntries(db, id);
      return {
        id: s.id,
        policyName: s.policy_name,
        regionName: s.region_name ?? null,
        period: s.period,
        noticeFrom: String(s.notice_from).slice(0, 10),
        noticeUntil: String(s.notice_until).slice(0, 10),
        entries: entries.map((e) => ({
          candidateId: e.id,
          name: maskPersonName(e.name),
          regionName: e.region_name ?? null,
          amountFen: e.amount_fen === null ? null : Number(e.amount_fen),
        })),
      };
    },

    /** An objection to a publicly noticed entry, during the notice period (any signed-in user). */
    async object(actor: Actor, id: string, body: z.infer<typeof ObjectionBodySchema>, ctx: RequestContext) {
      return db.transaction().execute(async (tx) => {
        const s = await repo.findSweep(tx, id);
        if (!s || s.status === "review" || !s.notice_from) throw new AppError("NOT_FOUND");
        const t = today();
        if (s.status !== "notice" || t < String(s.notice_from).slice(0, 10) || t > String(s.notice_until).slice(0, 10))
          throw new AppError("NOTICE_PERIOD", { detail: "公示期已结束，不能再提出异议" });
        const c = await repo.findCandidate(tx, body.candidateId);
        if (!c || c.sweep_id !== id || c.status !== "approved") throw new AppError("NOT_FOUND");
        const o = await repo.insertObjection(tx, { candidateId: c.id, sweepId: id, text: body.text, by: actor.userId });
        await audit.record(tx, ctx, { action: "policy.objection", subjectType: "policy_candidate", subjectId: c.id });
        return {
          id: o.id,
          text: body.text,
          status: "open" as const,
          resolution: null,
          submittedAt: new Date(o.submitted_at).toISOString(),
        };
      });
    },

    /** A case worker settles an objection: upheld removes the entry, dismissed keeps it. */
    async resolveObjection(
      actor: Actor,
      id: string,
      objectionId: string,
      body: z.infer<typeof ResolveObjectionBodySchema>,
      ctx: RequestContext,
    ) {
      return db.transaction().execute(async (tx) => {
        await sweepInScope(actor, id, true, tx);
        const o = await repo.findObjection(tx, objectionId, true);
        if (!o || o.sweep_id !== id) throw new AppError("NOT_FOUND");
        if (o.status !== "open") throw new AppError("SWEEP_STATE", { detail: "该异议已处理" });
        await repo.resolveObjection(tx, objectionId, body.decision, body.resolution, actor.userId);
        if (body.decision === "upheld")
          await repo.rejectCandidate(tx, o.candidate_id, actor.userId, `公示期异议成立：${body.resolution}`);
        await audit.record(tx, ctx, {
          action: `policy.objection.${body.decision}`,
          subjectType: "policy_candidate",
          subjectId: o.candidate_id,
          detail: { resolution: body.resolution },
        });
        return { ok: true as const };
      });
    },

    /**
     * After the notice period, with every objection settled: a payment record per approved subject
     * (the unique key skips anyone already paid for the period), and a notification for each.
     */
    async finalise(actor: Actor, id: string, ctx: RequestContext) {
      return db.transaction().execute(async (tx) => {
        const s = await sweepInScope(actor, id, true, tx);
        if (s.status !== "notice")
          throw new AppError("SWEEP_STATE", { detail: s.status === "paid" ? "该批次已完成发放" : "请先公示" });
        if (today() <= String(s.notice_until).slice(0, 10))
          throw new AppError("NOTICE_PERIOD", {
            detail: `公示期至 ${String(s.notice_until).slice(0, 10)}，期满后才能确认发放`,
          });
        const counts = await repo.sweepCounts(tx, id);
        if (counts.openObjections > 0)
          throw new AppError("OBJECTIONS_OPEN", { detail: `尚有 ${counts.openObjections} 条异议未处理` });
        const paid = await repo.payApproved(tx, id, actor.userId);
        const messages = paid.flatMap((p) => {
          const amount = p.amount_fen === null ? "" : `，金额 ${formatFen(Number(p.amount_fen))} 元`;
          const body = `您符合「${s.policy_name}」的享受条件（${s.period}），经公示无异议，已办理${amount}。无需申请，如有疑问请联系所在街道（社区）公共就业服务机构。`;
          return (["in_app", "sms"] as const).map((channel) => ({
            dedupeKey: `payment:${p.id}:${channel}`,
            channel,
            recipientKind: "person" as const,
            recipientId: p.subject_id,
            title: `${s.policy_name}：免申即享`,
            body,
          }));
        });
        const queued = await repo.enqueueMessages(tx, messages);
        await repo.finaliseSweep(tx, id, actor.userId);
        const duplicates = counts.approved - paid.length;
        await audit.record(tx, ctx, {
          action: "policy.sweep.finalise",
          subjectType: "policy_sweep",
          subjectId: id,
          detail: { paid: paid.length, duplicates },
        });
        return { paid: paid.length, duplicates, messages: queued };
      });
    },

    /** 定期比对: run a sweep of a policy over a region every month on a given day. */
    async createSchedule(
      actor: Actor,
      body: { policyId: string; regionCode?: string; dayOfMonth: number },
      ctx: RequestContext,
    ) {
      const scope = staffRegion(actor);
      const region = body.regionCode ?? scope;
      if (!region.startsWith(scope) || !region) throw new AppError("REGION_OUT_OF_SCOPE");
      const policy = policyOr422(body.policyId);
      if (policy.entity !== "person") throw new AppError("POLICY_NOT_SWEEPABLE");
      const t = today();
      const thisMonth = `${t.slice(0, 8)}${String(body.dayOfMonth).padStart(2, "0")}`;
      const next = thisMonth >= t ? thisMonth : addPeriod(thisMonth, { years: 0, months: 1, days: 0 });
      try {
        const row = await db.transaction().execute(async (tx) => {
          const r = await schedulesRepository.insert(tx, {
            policyId: policy.id,
            regionCode: region,
            dayOfMonth: body.dayOfMonth,
            nextRunOn: next,
            createdBy: actor.userId,
          });
          await audit.record(tx, ctx, {
            action: "policy.schedule.create",
            subjectType: "policy_schedule",
            subjectId: r.id,
          });
          return r;
        });
        return presentSchedule(row, policy.name);
      } catch (e) {
        if (isUniqueViolation(e)) throw new AppError("SWEEP_STATE", { detail: "该政策在该地区已有定期比对" });
        throw e;
      }
    },

    async schedules(actor: Actor) {
      return (await schedulesRepository.list(db, staffRegion(actor))).map((r) =>
        presentSchedule(r, catalogue.byId(r.policy_id)?.name ?? r.policy_id),
      );
    },

    async stopSchedule(actor: Actor, id: string, ctx: RequestContext) {
      const row = await schedulesRepository.find(db, id);
      if (!row?.region_code.startsWith(staffRegion(actor))) throw new AppError("NOT_FOUND");
      await db.transaction().execute(async (tx) => {
        await schedulesRepository.stop(tx, id);
        await audit.record(tx, ctx, { action: "policy.schedule.stop", subjectType: "policy_schedule", subjectId: id });
      });
      return { ok: true as const };
    },

    /**
     * Run every schedule that is due (the server calls this every few minutes). Each run is claimed
     * by moving its date to next month first, so two servers never run it twice; the sweep runs as
     * the case worker who set the schedule, within their region, and lands in their review list.
     */
    async runDueSchedules(): Promise<number> {
      const t = today();
      let ran = 0;
      for (const d of await schedulesRepository.due(db, t)) {
        const was = String(d.next_run_on).slice(0, 10);
        let next = addPeriod(was, { years: 0, months: 1, days: 0 });
        while (next <= t) next = addPeriod(next, { years: 0, months: 1, days: 0 });
        if (!(await schedulesRepository.claim(db, d.id, was, next))) continue;
        if (d.disabled || !d.user_region || !d.region_code.startsWith(d.user_region)) {
          await schedulesRepository.recordRun(db, d.id, null, "设置人账号已停用或已不在该地区");
          continue;
        }
        const actor = caseWorkerActor({
          userId: d.user_id,
          username: d.username,
          displayName: d.display_name,
          regionCode: d.user_region,
          sessionId: "schedule",
        });
        const ctx: RequestContext = {
          actorId: d.user_id,
          actorRole: "case_worker",
          ip: null,
          requestId: `schedule-${d.id}`,
          provinceCode: d.region_code.slice(0, 2),
        };
        try {
          const sweep = await service.createSweep(
            actor,
            { policyId: d.policy_id, regionCode: d.region_code, asOf: t },
            ctx,
          );
          await schedulesRepository.recordRun(db, d.id, sweep.id, null);
          ran++;
        } catch (e) {
          await schedulesRepository.recordRun(
            db,
            d.id,
            null,
            e instanceof AppError ? e.message : String(e).slice(0, 500),
          );
        }
      }
      return ran;
    },

    async myMessages(actor: Actor) {
      const recipient = actor.personId ?? actor.employerId;
      if (!recipient) return [];
      const rows = await repo.inbox(db, recipient);
      return rows.map((m) => ({
        id: m.id,
        title: m.title,
        body: m.body,
        createdAt: new Date(m.created_at).toISOString(),
        readAt: m.read_at ? new Date(m.read_at).toISOString() : null,
      }));
    },

    async markRead(actor: Actor, id: string) {
      const recipient = actor.personId ?? actor.employerId;
      if (!recipient || !(await repo.markRead(db, id, recipient))) throw new AppError("NOT_FOUND");
      return { ok: true as const };
    },

    async myPayments(actor: Actor) {
      const recipient = actor.personId ?? actor.employerId;
      if (!recipient) return [];
      const rows = await repo.paymentsOf(db, recipient);
      return rows.map((p) => ({
        id: p.id,
        policyId: p.policy_id,
        policyName: catalogue.byId(p.policy_id)?.name ?? p.policy_id,
        period: p.period,
        amountFen: p.amount_fen === null ? null : Number(p.amount_fen),
        asOf: String(p.as_of).slice(0, 10),
        createdAt: new Date(p.created_at).toISOString(),
      }));
    },
  };
  return service;
}
