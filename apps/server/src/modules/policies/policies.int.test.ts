import { readFileSync } from "node:fs";
import {
  dateOfDay,
  MINIMUM_WAGE_STANDARDS,
  minimumWageFor,
  NEVER,
  SHIPPED_POLICY_DIR,
  shanghaiDate,
} from "@jiuye/domain";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp, type TestSession } from "../../testing/harness.ts";
import { dispatchOutbox, inAppSender, unconfiguredSmsSender } from "./outbox.ts";
import { policyFactsRepository } from "./policy-facts.repository.ts";

let t: TestApp;
let xuanwu: TestSession;
let qinhuai: TestSession;
let laidOff: { id: string; idNumber: string };
let quit: { id: string; idNumber: string };
let elsewhere: { id: string; idNumber: string };
let laidOffUser: TestSession;
let quitUser: TestSession;

/** Employment from 2015, laid off / quit on 2026-03-01, registered unemployed the next day. */
async function history(worker: TestSession, personId: string, reason: "layoff" | "voluntary") {
  for (const payload of [
    { type: "employment", date: "2015-01-05", form: "employer", employerName: "南京某机械厂" },
    { type: "employment_end", date: "2026-03-01", reason },
    { type: "unemployment", date: "2026-03-02", ableAndWilling: true },
  ]) {
    const r = await t.request(worker, { method: "POST", url: `/api/v1/persons/${personId}/ledger`, payload });
    expect(r.statusCode, r.body).toBe(201);
  }
}

async function insurance(worker: TestSession, p: { idNumber: string }, key: string) {
  const r = await t.request(worker, {
    method: "POST",
    url: "/api/v1/external/insurance-spells",
    payload: {
      sourceSystem: "si-test",
      records: [
        {
          sourceRecordId: key,
          idNumber: p.idNumber,
          sourceDate: "2026-03-05",
          fund: "unemployment",
          fromMonth: "2018-01",
          toMonth: "2026-02",
        },
      ],
    },
  });
  expect(r.statusCode, r.body).toBe(200);
}

/** Sessions expire while the clock jumps over a notice period: sign in again. */
async function afterDays(days: number) {
  t.clock.advance(days * 86_400_000);
  xuanwu = await t.signIn("case_worker", { regionCode: "320102" });
  laidOffUser = await t.signIn("individual", { personId: laidOff.id });
  quitUser = await t.signIn("individual", { personId: quit.id });
}

const count = async (table: string) =>
  Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(t.db)).rows[0]!.n);

beforeAll(async () => {
  t = await createTestApp();
  xuanwu = await t.signIn("case_worker", { regionCode: "320102" });
  qinhuai = await t.signIn("case_worker", { regionCode: "320104" });
  laidOff = await t.createPerson({ birthDate: "1980-05-01", name: "王建国", residenceRegionCode: "320102003001" });
  quit = await t.createPerson({ birthDate: "1988-08-08", name: "李自愿", residenceRegionCode: "320102003001" });
  elsewhere = await t.createPerson({ birthDate: "1979-01-01", name: "赵外区", residenceRegionCode: "320104001001" });
  await history(xuanwu, laidOff.id, "layoff");
  await history(xuanwu, quit.id, "voluntary");
  await history(qinhuai, elsewhere.id, "layoff");
  await insurance(xuanwu, laidOff, "a");
  await insurance(xuanwu, quit, "b");
  await insurance(qinhuai, elsewhere, "c");
  laidOffUser = await t.signIn("individual", { personId: laidOff.id });
  quitUser = await t.signIn("individual", { personId: quit.id });
});
afterAll(async () => {
  await t.close();
});

describe("the public policy list", () => {
  it("lists every policy in force with its conditions in plain Chinese, thresholds, sources and unverified figures flagged — no login", async () => {
    const r = await t.request(null, { method: "GET", url: "/api/v1/public/policies?regionCode=320102" });
    expect(r.statusCode).toBe(200);
    const list = r.json() as {
      id: string;
      conditions: { text: string }[];
      params: { source: string; verified: boolean }[];
      unverifiedParams: number;
    }[];
    expect(list).toHaveLength(13);
    const ub = list.find((p) => p.id === "unemployment_benefit")!;
    expect(ub.conditions.map((c) => c.text)).toContain(
      "失业前已缴纳失业保险费满一年（失业保险累计缴费月数不少于12个月）",
    );
    expect(ub.params.every((p) => p.source.length > 0)).toBe(true);
    expect(ub.unverifiedParams).toBeGreaterThan(0);
    const bad = await t.request(null, { method: "GET", url: "/api/v1/public/policies?asOf=2026-13-01" });
    expect(bad.statusCode).toBe(400);
  });
});

describe("what-if evaluation (/policies/evaluate)", () => {
  it("evaluates a hypothetical subject without reading or writing any record", async () => {
    const before = await count("audit_log");
    const r = await t.request(xuanwu, {
      method: "POST",
      url: "/api/v1/policies/evaluate",
      payload: {
        subject: {
          kind: "person",
          regionCode: "320102",
          facts: {
            ui_contribution_months: 11,
            last_separation_reason: "layoff",
            registered_unemployed: true,
            retirement_date: "2040-01-01",
            local_minimum_wage_fen: 249000,
          },
        },
        asOf: "2026-11-28",
        policyIds: ["unemployment_benefit"],
      },
    });
    expect(r.statusCode, r.body).toBe(200);
    const [res] = r.json().results;
    expect(res.state).toBe("not_met");
    expect(res.failed).toEqual(["insured_one_year"]);
    expect(res.conditions[0].text).toContain("还差 1个月");
    expect(await count("audit_log")).toBe(before);
    expect(await count("policy_payments")).toBe(0);
  });

  it("refuses bad facts with the field and a Chinese message, unknown policies with 422, and non-staff with 403", async () => {
    const bad = await t.request(xuanwu, {
      method: "POST",
      url: "/api/v1/policies/evaluate",
      payload: {
        subject: { kind: "person", regionCode: "320102", facts: { ui_contribution_months: "很多", has_yacht: true } },
        asOf: "2026-11-28",
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(["subject.facts.has_yacht", "subject.facts.ui_contribution_months"]);
    expect(bad.json().errors.find((e: { field: string }) => e.field.endsWith("months")).message).toContain(
      "失业保险累计缴费月数",
    );
    const unknown = await t.request(xuanwu, {
      method: "POST",
      url: "/api/v1/policies/evaluate",
      payload: {
        subject: { kind: "person", regionCode: "320102", facts: {} },
        asOf: "2026-11-28",
        policyIds: ["free_money"],
      },
    });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().code).toBe("POLICY_UNKNOWN");
    const individual = await t.request(laidOffUser, {
      method: "POST",
      url: "/api/v1/policies/evaluate",
      payload: { subject: { kind: "person", regionCode: "320102", facts: {} }, asOf: "2026-11-28" },
    });
    expect(individual.statusCode).toBe(403);
  });
});

describe("self-check", () => {
  it("reads the person's own record: laid off with 98 months insured → 失业保险金; missing facts become questions", async () => {
    const r = await t.request(laidOffUser, { method: "POST", url: "/api/v1/me/policy-check", payload: {} });
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    const ub = body.results.find((x: { policyId: string }) => x.policyId === "unemployment_benefit");
    expect(ub.state).toBe("met");
    expect(ub.outputs.find((o: { name: string }) => o.name === "max_months").value).toBe(18);
    expect(body.questions.map((q: { fact: string }) => q.fact)).toContain("final_year_student");
    // answering a question changes the result it was asked for
    const internship = body.results.find((x: { policyId: string }) => x.policyId === "internship");
    expect(internship.state).not.toBe("met");
    const q = await t.request(quitUser, { method: "POST", url: "/api/v1/me/policy-check", payload: {} });
    const quitUb = q.json().results.find((x: { policyId: string }) => x.policyId === "unemployment_benefit");
    expect(quitUb.state).toBe("not_met");
    expect(quitUb.conditions.find((c: { id: string }) => c.id === "involuntary").text).toContain("本人申请解除");
    const bad = await t.request(quitUser, {
      method: "POST",
      url: "/api/v1/me/policy-check",
      payload: { answers: { in_internship: "maybe" } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe("answers.in_internship");
  });

  it("an employer's roster comes from the ledger: disabled employees registered there count for 残疾人就业保障金", async () => {
    const employer = await t.signIn("employer");
    const { employer_id: employerId } = (await t.db
      .selectFrom("users")
      .select("employer_id")
      .where("id", "=", employer.userId)
      .executeTakeFirst())!;
    const e = (await t.db
      .selectFrom("employers")
      .select(["credit_code", "name"])
      .where("id", "=", employerId!)
      .executeTakeFirst())!;
    const levyOf = async () => {
      const r = await t.request(employer, {
        method: "POST",
        url: "/api/v1/me/policy-check",
        payload: { answers: { headcount: 100, avg_annual_wage_fen: 10000000, local_avg_wage_fen: 10000000 } },
      });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json().questions.map((q: { fact: string }) => q.fact)).not.toContain("$employees");
      return r.json().results.find((x: { policyId: string }) => x.policyId === "disability_levy");
    };
    // nobody registered here: 0 of 100 → 1.5 × 100,000 元 × 90 %
    const none = await levyOf();
    expect(none.state).toBe("met");
    expect(none.amountFen).toBe(13500000);
    // one grade-2 employee (counts as 2) registered as employed at this employer's credit code
    const worker = await t.createPerson({
      birthDate: "1990-02-02",
      name: "残疾职工",
      residenceRegionCode: "320102003001",
    });
    const grade = await t.request(xuanwu, {
      method: "POST",
      url: "/api/v1/external/disability",
      payload: {
        sourceSystem: "cdpf-test",
        records: [
          {
            sourceRecordId: "d1",
            idNumber: worker.idNumber,
            sourceDate: "2026-01-05",
            certificateNumber: "32010219900202001X42",
            kind: "physical",
            grade: 2,
          },
        ],
      },
    });
    expect(grade.statusCode, grade.body).toBe(200);
    const job = await t.request(xuanwu, {
      method: "POST",
      url: `/api/v1/persons/${worker.id}/ledger`,
      payload: {
        type: "employment",
        date: "2026-02-01",
        form: "employer",
        employerName: e.name,
        employerCreditCode: e.credit_code,
      },
    });
    expect(job.statusCode, job.body).toBe(201);
    const one = await levyOf();
    // 2 of 100 ≥ 1.5 %: nothing owed
    expect(one.state).toBe("not_met");
    expect(one.failed).toEqual(["below_quota"]);
    expect(one.conditions.find((c: { id: string }) => c.id === "below_quota").text).toContain(
      "职工中持有残疾人证者的人数",
    );
  });
});

describe("what-if with a household or a roster", () => {
  const levy = (employees: unknown) =>
    t.request(xuanwu, {
      method: "POST",
      url: "/api/v1/policies/evaluate",
      payload: {
        subject: {
          kind: "employer",
          regionCode: "320102",
          facts: { headcount: 200, avg_annual_wage_fen: 12000000, local_avg_wage_fen: 10000000 },
          ...(employees === undefined ? {} : { employees }),
        },
        asOf: "2026-11-28",
        policyIds: ["disability_levy"],
      },
    });

  it("aggregates over the employees given inline; without a roster the answer is 信息不足 naming it", async () => {
    const r = await levy([{ facts: { disability_grade: 3 } }, { facts: { disability_grade: 0 } }]);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().results[0].amountFen).toBe(21600000);
    const unknown = await levy(undefined);
    expect(unknown.json().results[0].state).toBe("unknown");
    expect(unknown.json().results[0].missing).toEqual([{ fact: "$employees", label: "职工名册（就业登记）" }]);
  });

  it("refuses a roster for a person, a household for an employer, and bad member facts by path", async () => {
    const bad = await levy([{ facts: { disability_grade: "二级" } }]);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe("subject.employees[0].facts.disability_grade");
    const wrong = await t.request(xuanwu, {
      method: "POST",
      url: "/api/v1/policies/evaluate",
      payload: {
        subject: { kind: "person", regionCode: "320102", facts: {}, employees: [] },
        asOf: "2026-11-28",
      },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors[0]).toMatchObject({ field: "subject.employees", code: "GROUP_ENTITY" });
    const household = await t.request(xuanwu, {
      method: "POST",
      url: "/api/v1/policies/evaluate",
      payload: {
        subject: {
          kind: "person",
          regionCode: "320102",
          facts: { registered_unemployed: true },
          members: [{ facts: { registered_unemployed: true } }, { facts: { employed: true } }],
        },
        asOf: "2026-11-28",
        policyIds: ["employment_difficulty"],
      },
    });
    expect(household.statusCode, household.body).toBe(200);
    const zero = household.json().results[0].conditions.find((c: { id: string }) => c.id === "zh_nobody_employed");
    expect(zero.state).toBe("not_met");
  });
});

describe("免申即享: sweep → review → notice → objections → payment → notification", () => {
  let sweepId: string;
  let candidateId: string;

  it("runs one policy over the case worker's region and stores who qualifies, with amounts and the rules' hash", async () => {
    const outside = await t.request(xuanwu, {
      method: "POST",
      url: "/api/v1/policy-sweeps",
      payload: { policyId: "unemployment_benefit", regionCode: "320104" },
    });
    expect(outside.statusCode).toBe(422);
    expect(outside.json().code).toBe("REGION_OUT_OF_SCOPE");
    const employerPolicy = await t.request(xuanwu, {
      method: "POST",
      url: "/api/v1/policy-sweeps",
      payload: { policyId: "job_retention" },
    });
    expect(employerPolicy.json().code).toBe("POLICY_NOT_SWEEPABLE");

    const r = await t.request(xuanwu, {
      method: "POST",
      url: "/api/v1/policy-sweeps",
      payload: { policyId: "unemployment_benefit" },
    });
    expect(r.statusCode, r.body).toBe(201);
    const sweep = r.json();
    sweepId = sweep.id;
    expect(sweep.status).toBe("review");
    expect(sweep.rulesetHash).toMatch(/^[0-9a-f]{64}$/);
    expect(sweep.eligible).toBe(1);
    expect(sweep.evaluated).toBeGreaterThanOrEqual(2);
    const page = await t.request(xuanwu, { method: "GET", url: `/api/v1/policy-sweeps/${sweepId}/candidates` });
    const [c] = page.json().items;
    candidateId = c.id;
    expect(c.subjectId).toBe(laidOff.id);
    expect(c.name).toBe("王**");
    const wage = minimumWageFor(MINIMUM_WAGE_STANDARDS, "320102003001", shanghaiDate(t.clock.now()))!.monthlyFen;
    expect(c.amountFen).toBe(Math.round((wage * 85) / 100));
    // the explanation is recomputed from the stored facts and rules
    const detail = await t.request(xuanwu, {
      method: "GET",
      url: `/api/v1/policy-sweeps/${sweepId}/candidates/${candidateId}`,
    });
    expect(detail.statusCode).toBe(200);
    expect(detail.json().result.state).toBe("met");
    expect(detail.json().result.conditions[0].text).toContain("98个月");
    // another district's case worker does not see it
    const other = await t.request(qinhuai, { method: "GET", url: `/api/v1/policy-sweeps/${sweepId}` });
    expect(other.statusCode).toBe(404);
  });

  it("review: rejecting needs a reason; publishing needs every candidate decided", async () => {
    const noReason = await t.request(xuanwu, {
      method: "POST",
      url: `/api/v1/policy-sweeps/${sweepId}/decisions`,
      payload: { allPending: true, decision: "reject" },
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors[0].field).toBe("reason");
    const early = await t.request(xuanwu, {
      method: "POST",
      url: `/api/v1/policy-sweeps/${sweepId}/notice`,
      payload: {},
    });
    expect(early.statusCode).toBe(409);
    const ok = await t.request(xuanwu, {
      method: "POST",
      url: `/api/v1/policy-sweeps/${sweepId}/decisions`,
      payload: { allPending: true, decision: "approve" },
    });
    expect(ok.json()).toEqual({ updated: 1 });
    const pub = await t.request(xuanwu, {
      method: "POST",
      url: `/api/v1/policy-sweeps/${sweepId}/notice`,
      payload: { noticeDays: 5 },
    });
    expect(pub.statusCode, pub.body).toBe(200);
    expect(pub.json().status).toBe("notice");
    expect(pub.json().noticeUntil).toBe("2026-12-02");
  });

  it("the public notice shows masked names; objections during the period block payment until settled", async () => {
    const notice = await t.request(null, { method: "GET", url: `/api/v1/public/notices/${sweepId}` });
    expect(notice.statusCode).toBe(200);
    expect(notice.json().entries.map((e: { name: string }) => e.name)).toEqual(["王**"]);
    expect(notice.body).not.toContain("王建国");
    const early = await t.request(xuanwu, { method: "POST", url: `/api/v1/policy-sweeps/${sweepId}/finalise` });
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe("NOTICE_PERIOD");
    const objection = await t.request(quitUser, {
      method: "POST",
      url: `/api/v1/notices/${sweepId}/objections`,
      payload: { candidateId, text: "此人已在外地就业，不应享受" },
    });
    expect(objection.statusCode, objection.body).toBe(201);
    await afterDays(6);
    const blocked = await t.request(xuanwu, { method: "POST", url: `/api/v1/policy-sweeps/${sweepId}/finalise` });
    expect(blocked.json().code).toBe("OBJECTIONS_OPEN");
    const late = await t.request(quitUser, {
      method: "POST",
      url: `/api/v1/notices/${sweepId}/objections`,
      payload: { candidateId, text: "公示期后的异议不应受理" },
    });
    expect(late.json().code).toBe("NOTICE_PERIOD");
    const resolved = await t.request(xuanwu, {
      method: "POST",
      url: `/api/v1/policy-sweeps/${sweepId}/objections/${objection.json().id}/resolve`,
      payload: { decision: "dismissed", resolution: "经核实，本人仍处于失业登记状态" },
    });
    expect(resolved.statusCode, resolved.body).toBe(200);
  });

  it("finalises once: one payment per subject, policy and period, even with a rerun and concurrent approvals; the person is notified", async () => {
    const done = await t.request(xuanwu, { method: "POST", url: `/api/v1/policy-sweeps/${sweepId}/finalise` });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toEqual({ paid: 1, duplicates: 0, messages: 2 });
    const again = await t.request(xuanwu, { method: "POST", url: `/api/v1/policy-sweeps/${sweepId}/finalise` });
    expect(again.json().code).toBe("SWEEP_STATE");

    // a rerun for the same month (as of the same date) finds the same person; two confirmations at once
    const rerun = (
      await t.request(xuanwu, {
        method: "POST",
        url: "/api/v1/policy-sweeps",
        payload: { policyId: "unemployment_benefit", asOf: "2026-11-28" },
      })
    ).json();
    expect(rerun.period).toBe("2026-11");
    expect(rerun.eligible).toBe(1);
    await t.request(xuanwu, {
      method: "POST",
      url: `/api/v1/policy-sweeps/${rerun.id}/decisions`,
      payload: { allPending: true, decision: "approve" },
    });
    await t.request(xuanwu, {
      method: "POST",
      url: `/api/v1/policy-sweeps/${rerun.id}/notice`,
      payload: { noticeDays: 1 },
    });
    await afterDays(2);
    const both = await Promise.all([
      t.request(xuanwu, { method: "POST", url: `/api/v1/policy-sweeps/${rerun.id}/finalise` }),
      t.request(xuanwu, { method: "POST", url: `/api/v1/policy-sweeps/${rerun.id}/finalise` }),
    ]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(both.find((r) => r.statusCode === 200)!.json()).toEqual({ paid: 0, duplicates: 1, messages: 0 });
    const payments = await t.db
      .selectFrom("policy_payments")
      .selectAll()
      .where("subject_id", "=", laidOff.id)
      .execute();
    expect(payments).toHaveLength(1);
    expect(payments[0]!.period).toBe("2026-11");
    expect(payments[0]!.ruleset_hash).toMatch(/^[0-9a-f]{64}$/);

    // the outbox delivers the in-app message; SMS waits for a gateway (skipped, not lost)
    expect(await dispatchOutbox(t.db, [inAppSender, unconfiguredSmsSender])).toBe(2);
    const inbox = await t.request(laidOffUser, { method: "GET", url: "/api/v1/me/messages" });
    expect(inbox.json()).toHaveLength(1);
    expect(inbox.json()[0].title).toBe("失业保险金：免申即享");
    const sms = await t.db.selectFrom("outbox_messages").select("status").where("channel", "=", "sms").execute();
    expect(sms.map((m) => m.status)).toEqual(["skipped"]);
    const mine = await t.request(laidOffUser, { method: "GET", url: "/api/v1/me/payments" });
    expect(mine.json().map((p: { policyId: string }) => p.policyId)).toEqual(["unemployment_benefit"]);
    const others = await t.request(quitUser, { method: "GET", url: "/api/v1/me/messages" });
    expect(others.json()).toEqual([]);
  });
});

describe("applications", () => {
  it("the same rules decide; a case worker in the region approves (a payment) or rejects (with a reason); the letter explains", async () => {
    const elsewhereUser = await t.signIn("individual", { personId: elsewhere.id });
    const a = await t.request(elsewhereUser, {
      method: "POST",
      url: "/api/v1/me/policy-applications",
      payload: { policyId: "unemployment_benefit" },
    });
    expect(a.statusCode, a.body).toBe(201);
    expect(a.json().result.state).toBe("met");
    const twice = await t.request(elsewhereUser, {
      method: "POST",
      url: "/api/v1/me/policy-applications",
      payload: { policyId: "unemployment_benefit" },
    });
    expect(twice.json().code).toBe("APPLICATION_EXISTS");
    // not in xuanwu's region
    const wrong = await t.request(xuanwu, {
      method: "POST",
      url: `/api/v1/policy-applications/${a.json().id}/decide`,
      payload: { decision: "approve" },
    });
    expect(wrong.statusCode).toBe(404);
    qinhuai = await t.signIn("case_worker", { regionCode: "320104" });
    const ok = await t.request(qinhuai, {
      method: "POST",
      url: `/api/v1/policy-applications/${a.json().id}/decide`,
      payload: { decision: "approve" },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().letter).toContain("予以批准");
    expect(ok.json().letter).toContain("失业保险累计缴费月数");
    const again = await t.request(qinhuai, {
      method: "POST",
      url: `/api/v1/policy-applications/${a.json().id}/decide`,
      payload: { decision: "reject", reason: "重复" },
    });
    expect(again.json().code).toBe("APPLICATION_STATE");
    const paid = await t.db
      .selectFrom("policy_payments")
      .select("application_id")
      .where("subject_id", "=", elsewhere.id)
      .execute();
    expect(paid.map((p) => p.application_id)).toEqual([a.json().id]);

    const q = await t.request(quitUser, {
      method: "POST",
      url: "/api/v1/me/policy-applications",
      payload: { policyId: "unemployment_benefit" },
    });
    expect(q.json().result.state).toBe("not_met");
    const noReason = await t.request(xuanwu, {
      method: "POST",
      url: `/api/v1/policy-applications/${q.json().id}/decide`,
      payload: { decision: "reject" },
    });
    expect(noReason.statusCode).toBe(400);
    const rejected = await t.request(xuanwu, {
      method: "POST",
      url: `/api/v1/policy-applications/${q.json().id}/decide`,
      payload: { decision: "reject", reason: "本人申请解除劳动合同，不属于非本人意愿中断就业" },
    });
    expect(rejected.json().status).toBe("rejected");
    expect(rejected.json().letter).toContain("不予批准");
    await dispatchOutbox(t.db, [inAppSender, unconfiguredSmsSender]);
    const inbox = await t.request(quitUser, { method: "GET", url: "/api/v1/me/messages" });
    expect(inbox.json()[0].body).toContain("不予批准");
  });
});

describe("rule changes", () => {
  it("an upload must compile; the impact on the population is shown; another administrator approves; old decisions keep their rules", async () => {
    const admin = await t.signIn("admin", { regionCode: null });
    const second = await t.signIn("admin", { regionCode: null });
    const yaml = readFileSync(new URL("unemployment_benefit.yaml", SHIPPED_POLICY_DIR), "utf8");
    const broken = await t.request(admin, {
      method: "POST",
      url: "/api/v1/policy-versions",
      payload: { yaml: yaml.replace("fact: ui_contribution_months, op", "fact: ui_months_typo, op") },
    });
    expect(broken.statusCode).toBe(422);
    expect(broken.json().code).toBe("POLICY_COMPILE_FAILED");
    expect(broken.json().errors[0].field).toBe("conditions[0].compare.left.fact");
    expect(broken.json().errors[0].message).toContain("ui_months_typo");

    const stricter = yaml.replace(/value: 12\n {8}from: 2011-07-01/, "value: 100\n        from: 2011-07-01");
    expect(stricter).not.toBe(yaml);
    const up = await t.request(admin, {
      method: "POST",
      url: "/api/v1/policy-versions",
      payload: { yaml: stricter, note: "测试：提高缴费月数" },
    });
    expect(up.statusCode, up.body).toBe(201);
    const impact = up.json().impact;
    expect(impact.lose).toBeGreaterThanOrEqual(1);
    expect(impact.after).toBe(impact.before - impact.lose + impact.gain);
    expect(impact.examples.map((e: { name: string }) => e.name)).toContain("王**");

    const own = await t.request(admin, {
      method: "POST",
      url: `/api/v1/policy-versions/${up.json().id}/decide`,
      payload: { decision: "approve", reason: "同意" },
    });
    expect(own.json().code).toBe("SELF_APPROVAL");
    const approved = await t.request(second, {
      method: "POST",
      url: `/api/v1/policy-versions/${up.json().id}/decide`,
      payload: { decision: "approve", reason: "经局务会研究同意" },
    });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().status).toBe("active");

    const list = (await t.request(null, { method: "GET", url: "/api/v1/public/policies" })).json();
    const ub = list.find((p: { id: string }) => p.id === "unemployment_benefit");
    expect(ub.version).toBe(1);
    expect(ub.conditions[0].text).toContain("不少于100个月");
    // the person is no longer eligible under the new rule …
    const check = await t.request(laidOffUser, { method: "POST", url: "/api/v1/me/policy-check", payload: {} });
    expect(check.json().results.find((r: { policyId: string }) => r.policyId === "unemployment_benefit").state).toBe(
      "not_met",
    );
    // … but the earlier sweep's decision is still explained by the rules it was made with
    const sweeps = (await t.request(xuanwu, { method: "GET", url: "/api/v1/policy-sweeps" })).json();
    const first = sweeps[sweeps.length - 1];
    const cand = (
      await t.request(xuanwu, { method: "GET", url: `/api/v1/policy-sweeps/${first.id}/candidates` })
    ).json().items[0];
    const detail = await t.request(xuanwu, {
      method: "GET",
      url: `/api/v1/policy-sweeps/${first.id}/candidates/${cand.id}`,
    });
    expect(detail.json().result.state).toBe("met");
    expect(detail.json().result.hash).toBe(first.rulesetHash);
  });
});

describe("scheduled sweeps (定期比对)", () => {
  it("runs on its day as the case worker who set it, once per month, into their review list", async () => {
    const worker = await t.signIn("case_worker", { regionCode: "320102" });
    const today = shanghaiDate(t.clock.now());
    const day = Number(today.slice(8, 10));
    const bad = await t.request(worker, {
      method: "POST",
      url: "/api/v1/policy-schedules",
      payload: { policyId: "unemployment_benefit", dayOfMonth: 31 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe("dayOfMonth");
    const created = await t.request(worker, {
      method: "POST",
      url: "/api/v1/policy-schedules",
      payload: { policyId: "unemployment_benefit", dayOfMonth: Math.min(day, 28) },
    });
    expect(created.statusCode, created.body).toBe(201);
    const again = await t.request(worker, {
      method: "POST",
      url: "/api/v1/policy-schedules",
      payload: { policyId: "unemployment_benefit", dayOfMonth: 1 },
    });
    expect(again.statusCode).toBe(409);
    const service = (t.app as unknown as { policies: { runDueSchedules(): Promise<number> } }).policies;
    const before = await count("policy_sweeps");
    // due today (or, past the 28th, next month): run until it has run once
    if (day > 28) await afterDays(5);
    expect(await service.runDueSchedules()).toBe(1);
    expect(await service.runDueSchedules()).toBe(0); // claimed: not twice
    expect(await count("policy_sweeps")).toBe(before + 1);
    const [s] = (await t.request(worker, { method: "GET", url: "/api/v1/policy-schedules" })).json();
    expect(s.lastSweepId).toMatch(/^[0-9a-f-]{36}$/);
    expect(s.nextRunOn > shanghaiDate(t.clock.now())).toBe(true);
    const sweep = await t.db
      .selectFrom("policy_sweeps")
      .select(["created_by", "region_code"])
      .where("id", "=", s.lastSweepId)
      .executeTakeFirstOrThrow();
    expect(sweep).toEqual({ created_by: worker.userId, region_code: "320102" });
    const other = await t.request(qinhuai, { method: "POST", url: `/api/v1/policy-schedules/${s.id}/stop` });
    expect(other.statusCode).toBe(404);
    const stop = await t.request(worker, { method: "POST", url: `/api/v1/policy-schedules/${s.id}/stop` });
    expect(stop.statusCode).toBe(200);
  });
});

describe("facts from the registry", () => {
  it("insurance months by fund, the same from the one-person reader and the population reader", async () => {
    const r = await t.request(xuanwu, {
      method: "POST",
      url: "/api/v1/external/insurance-spells",
      payload: {
        sourceSystem: "si-test",
        records: [
          {
            sourceRecordId: "p1",
            idNumber: laidOff.idNumber,
            sourceDate: "2026-03-05",
            fund: "pension",
            fromMonth: "2020-01",
            toMonth: "2020-12",
          },
        ],
      },
    });
    expect(r.statusCode, r.body).toBe(200);
    const asOf = "2026-11-28";
    const one = await policyFactsRepository.person(t.db, laidOff.id, asOf, ["vocational_training"]);
    expect(one!.facts).toMatchObject({
      ui_contribution_months: 98,
      pension_contribution_months: 12,
      medical_contribution_months: 0,
    });
    // never paid: known, not unknown — for every policy whose history was asked for
    expect(one!.paid).toEqual({ vocational_training: null });
    const pop = await policyFactsRepository.personPopulation(t.db, "320102", asOf, ["vocational_training"]);
    const i = pop.ids.indexOf(laidOff.id);
    expect(i).toBeGreaterThanOrEqual(0);
    expect(pop.cols.ui_contribution_months!.v[i]).toBe(98);
    expect(pop.cols.pension_contribution_months!.v[i]).toBe(12);
    expect(pop.cols.registered_unemployed!.v[i]).toBe(1);
    expect(pop.paid!.vocational_training!.v[i]).toBe(NEVER);
    // retirement: the first day of the statutory retirement month (male, born 1980-05 → 63 → 2043-05)
    expect(one!.facts.retirement_date).toBe("2043-05-01");
    expect(dateOfDay(pop.cols.retirement_date!.v[i]!)).toBe("2043-05-01");
  });
});
