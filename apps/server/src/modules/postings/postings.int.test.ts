import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRandom, insertEmployers, syntheticEmployer } from "../../seed/factories.ts";
import { createTestApp, type TestApp, type TestSession } from "../../testing/harness.ts";

let t: TestApp;
let employer: TestSession;
let otherEmployer: TestSession;
let xuanwu: TestSession;
let qinhuai: TestSession;
let seekerUser: TestSession;

const posting = (over: Record<string, unknown> = {}) => ({
  title: "低压电工",
  occupationCode: "6-31-01-03",
  description: "负责园区配电设备日常巡检与维修，持低压电工证，欢迎退役军人报名。熟悉MySQL数据库者更佳。",
  skills: ["低压电工证", "电气接线"],
  headcount: 2,
  regionCode: "320102003",
  salaryType: "monthly",
  salaryMinFen: 600_000,
  salaryMaxFen: 900_000,
  education: "high_school",
  contractType: "fixed_term",
  workType: "full_time",
  validUntil: "2027-03-31",
  ...over,
});

async function create(s: TestSession, over: Record<string, unknown> = {}) {
  const res = await t.request(s, { method: "POST", url: "/api/v1/postings", payload: posting(over) });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; version: number; status: string };
}

async function search(query: string) {
  const res = await t.request(null, { method: "GET", url: `/api/v1/jobs/search?${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { items: Array<{ id: string; title: string; score: number }>; total: number };
}

async function searchRows(id: string) {
  return (
    await sql<{ n: number }>`select count(*)::int as n from posting_search where posting_id = ${id}`.execute(t.db)
  ).rows[0]!.n;
}

beforeAll(async () => {
  t = await createTestApp();
  employer = await t.signIn("employer");
  otherEmployer = await t.signIn("employer");
  xuanwu = await t.signIn("case_worker", { regionCode: "320102" });
  qinhuai = await t.signIn("case_worker", { regionCode: "320104" });
  seekerUser = await t.signIn("individual");
});
afterAll(async () => {
  expect(t.maskingViolations).toEqual([]);
  await t.close();
});

describe("posting screening and publication", () => {
  it("blocks a discriminatory ad with findings that point at the phrase, writes nothing; the fixed ad publishes and is searchable", async () => {
    const draft = await create(employer, { description: "负责配电设备巡检维修，限男性，35岁以下，持低压电工证。" });
    expect(draft.status).toBe("draft");
    const refused = await t.request(employer, { method: "POST", url: `/api/v1/postings/${draft.id}/submit` });
    expect(refused.statusCode).toBe(422);
    const problem = refused.json();
    expect(problem.code).toBe("POSTING_BLOCKED");
    expect(problem.errors).toEqual([
      expect.objectContaining({
        field: "description",
        code: "GENDER_LIMIT",
        message: expect.stringContaining("「限男性」"),
      }),
    ]);
    const still = await t.request(employer, { method: "GET", url: `/api/v1/postings/${draft.id}` });
    expect(still.json()).toMatchObject({ status: "draft", findings: [] });
    expect(await searchRows(draft.id)).toBe(0);

    // the dry check shows every finding with its basis, including the age warning
    const check = await t.request(employer, {
      method: "POST",
      url: "/api/v1/postings/screen",
      payload: {
        title: "低压电工",
        description: "负责配电设备巡检维修，限男性，35岁以下",
        regionCode: "320102003",
        salaryType: "monthly",
        salaryMinFen: 600_000,
        salaryMaxFen: 900_000,
        workType: "full_time",
      },
    });
    const findings = check.json().findings as Array<{
      category: string;
      severity: string;
      basis: string[];
      categoryName: string;
    }>;
    expect(findings.map((f) => [f.category, f.severity])).toEqual([
      ["gender", "block"],
      ["age", "warn"],
    ]);
    expect(findings[0]?.basis.join()).toContain("就业促进法");
    expect(check.json().minimumWage).toMatchObject({ monthlyFen: 228_000, tier: 1 });

    const fixed = await t.request(employer, {
      method: "PATCH",
      url: `/api/v1/postings/${draft.id}`,
      payload: { version: draft.version, description: posting().description },
    });
    expect(fixed.statusCode, fixed.body).toBe(200);
    const published = await t.request(employer, { method: "POST", url: `/api/v1/postings/${draft.id}/submit` });
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json()).toMatchObject({ status: "published", findings: [] });
    expect(published.json().confirmBy).toBeTruthy();

    for (const q of ["电工", "退役军人", "SQL", "sql", "低压电工证"]) {
      const r = await search(`q=${encodeURIComponent(q)}`);
      expect(
        r.items.map((i) => i.id),
        q,
      ).toContain(draft.id);
    }
    expect((await search(`q=${encodeURIComponent("焊工")}`)).items.map((i) => i.id)).not.toContain(draft.id);
    const pub = await t.request(null, { method: "GET", url: `/api/v1/jobs/${draft.id}` });
    expect(pub.statusCode).toBe(200);
    expect(pub.json().findings).toBeUndefined();
  });

  it("refuses pay below the local minimum wage, naming the figure", async () => {
    const p = await create(employer, { salaryMinFen: 200_000, salaryMaxFen: 260_000 });
    const res = await t.request(employer, { method: "POST", url: `/api/v1/postings/${p.id}/submit` });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0]).toMatchObject({ field: "salaryMinFen", code: "BELOW_MINIMUM_WAGE_MONTHLY" });
    expect(res.json().errors[0].message).toContain("2280 元/月");
    const hourly = await create(employer, {
      salaryType: "hourly",
      salaryMinFen: 2_100,
      salaryMaxFen: 2_500,
      workType: "part_time",
      contractType: "part_time",
    });
    const r2 = await t.request(employer, { method: "POST", url: `/api/v1/postings/${hourly.id}/submit` });
    expect(r2.json().errors[0].code).toBe("BELOW_MINIMUM_WAGE_HOURLY");
  });

  it("sends warnings to the region's moderation queue; the case worker approves or rejects with a reason", async () => {
    const p = await create(employer, {
      title: "仓库管理员",
      occupationCode: "4-02-06-03",
      description: "负责仓库收发与盘点，年龄45岁以下，熟悉WMS系统。",
    });
    const sub = await t.request(employer, { method: "POST", url: `/api/v1/postings/${p.id}/submit` });
    expect(sub.statusCode).toBe(200);
    expect(sub.json().status).toBe("pending_review");
    expect(await searchRows(p.id)).toBe(0);

    const elsewhere = await t.request(qinhuai, { method: "GET", url: "/api/v1/posting-reviews" });
    expect(elsewhere.json().items.map((r: { postingId: string }) => r.postingId)).not.toContain(p.id);
    const queue = await t.request(xuanwu, { method: "GET", url: "/api/v1/posting-reviews" });
    const review = queue.json().items.find((r: { postingId: string }) => r.postingId === p.id);
    expect(review).toMatchObject({ kind: "screening", status: "open" });
    expect(review.findings[0]).toMatchObject({ category: "age", severity: "warn" });

    const noReason = await t.request(xuanwu, {
      method: "POST",
      url: `/api/v1/posting-reviews/${review.id}/decide`,
      payload: { decision: "approve" },
    });
    expect(noReason.statusCode).toBe(400);
    const outOfScope = await t.request(qinhuai, {
      method: "POST",
      url: `/api/v1/posting-reviews/${review.id}/decide`,
      payload: { decision: "approve", reason: "年龄要求与岗位相关" },
    });
    expect(outOfScope.statusCode).toBe(404);
    const ok = await t.request(xuanwu, {
      method: "POST",
      url: `/api/v1/posting-reviews/${review.id}/decide`,
      payload: { decision: "approve", reason: "岗位需搬运重物，已与单位沟通" },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().status).toBe("published");
    expect(await searchRows(p.id)).toBe(1);
    const again = await t.request(xuanwu, {
      method: "POST",
      url: `/api/v1/posting-reviews/${review.id}/decide`,
      payload: { decision: "reject", reason: "重复处理" },
    });
    expect(again.statusCode).toBe(409);
    const audit = await t.db.selectFrom("audit_log").select(["action"]).where("subject_id", "=", p.id).execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(["posting.create", "posting.submit_for_review", "posting.review.approve"]),
    );
  });

  it("screens every edit: a live posting edited into a discriminatory ad is refused and stays as it was", async () => {
    const p = await create(employer);
    const pub = (await t.request(employer, { method: "POST", url: `/api/v1/postings/${p.id}/submit` })).json();
    const res = await t.request(employer, {
      method: "PATCH",
      url: `/api/v1/postings/${p.id}`,
      payload: { version: pub.version, requirements: "女士勿扰" },
    });
    expect(res.statusCode).toBe(422);
    const now = (await t.request(employer, { method: "GET", url: `/api/v1/postings/${p.id}` })).json();
    expect(now).toMatchObject({ status: "published", requirements: null, version: pub.version });
    const stale = await t.request(employer, {
      method: "PATCH",
      url: `/api/v1/postings/${p.id}`,
      payload: { version: pub.version + 5, headcount: 3 },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe("VERSION_CONFLICT");
  });

  it("confines employers to their own postings and case workers to their region (404 elsewhere)", async () => {
    const p = await create(employer);
    for (const s of [otherEmployer, qinhuai]) {
      expect((await t.request(s, { method: "GET", url: `/api/v1/postings/${p.id}` })).statusCode).toBe(404);
      expect((await t.request(s, { method: "POST", url: `/api/v1/postings/${p.id}/submit` })).statusCode).toBe(404);
    }
    expect((await t.request(xuanwu, { method: "GET", url: `/api/v1/postings/${p.id}` })).statusCode).toBe(200);
    const list = (await t.request(otherEmployer, { method: "GET", url: "/api/v1/postings" })).json();
    expect(list.items.map((i: { id: string }) => i.id)).not.toContain(p.id);
    // a case worker cannot place a posting outside their region, even for an employer of their own
    const [qinhuaiEmployer] = await insertEmployers(
      t.db,
      [syntheticEmployer(createRandom(104), "320104001")],
      "2026-10-31",
    );
    const out = await t.request(qinhuai, {
      method: "POST",
      url: "/api/v1/postings",
      payload: posting({ employerId: qinhuaiEmployer, regionCode: "320102003" }),
    });
    expect([404, 422]).toContain(out.statusCode);
    expect(out.json()).toMatchObject({ code: "REGION_OUT_OF_SCOPE", errors: [{ field: "regionCode" }] });
    // nor for an employer outside their region
    const employerId = (await t.request(xuanwu, { method: "GET", url: `/api/v1/postings/${p.id}` })).json().employerId;
    const foreign = await t.request(qinhuai, {
      method: "POST",
      url: "/api/v1/postings",
      payload: posting({ employerId, regionCode: "320104001" }),
    });
    expect(foreign.statusCode).toBe(404);
  });

  it("refuses bad input with the field named and writes nothing", async () => {
    const before = (await sql<{ n: number }>`select count(*)::int as n from postings`.execute(t.db)).rows[0]!.n;
    const cases: Array<[Record<string, unknown>, number, string, string]> = [
      [{ occupationCode: "9-99-99-99" }, 400, "VALIDATION_FAILED", "occupationCode"],
      [{ occupationCode: "6-31-01-98" }, 422, "OCCUPATION_UNKNOWN", "occupationCode"],
      [{ salaryMaxFen: 500_000 }, 400, "VALIDATION_FAILED", "salaryMaxFen"],
      [{ regionCode: "320102999" }, 422, "REGION_UNKNOWN", "regionCode"],
      [{ validUntil: "2020-01-01" }, 400, "VALIDATION_FAILED", "validUntil"],
      [{ headcount: 0 }, 400, "VALIDATION_FAILED", "headcount"],
      [{ title: "" }, 400, "VALIDATION_FAILED", "title"],
    ];
    for (const [over, status, code, field] of cases) {
      const res = await t.request(employer, { method: "POST", url: "/api/v1/postings", payload: posting(over) });
      expect(res.statusCode, JSON.stringify(over)).toBe(status);
      expect(res.json().code).toBe(code);
      expect(res.json().errors?.[0]?.field).toBe(field);
      expect(res.json().errors?.[0]?.message).toMatch(/[\u4e00-\u9fff]/);
    }
    const after = (await sql<{ n: number }>`select count(*)::int as n from postings`.execute(t.db)).rows[0]!.n;
    expect(after).toBe(before);
  });
});

describe("posting lifecycle", () => {
  it("expires a posting not re-confirmed within 30 days; a re-confirmed one stays", async () => {
    const a = await create(employer, { title: "维修电工A" });
    const b = await create(employer, { title: "维修电工B" });
    for (const p of [a, b])
      expect(
        (await t.request(employer, { method: "POST", url: `/api/v1/postings/${p.id}/submit` })).json().status,
      ).toBe("published");
    // time passes for the postings (sessions would idle out if the clock moved): age them by hand
    const age = (days: number) =>
      sql`update postings set confirmed_at = confirmed_at - make_interval(days => ${days}) where id in (${a.id}, ${b.id})`.execute(
        t.db,
      );
    await age(20);
    expect((await t.request(employer, { method: "POST", url: `/api/v1/postings/${b.id}/confirm` })).statusCode).toBe(
      200,
    );
    await age(11);
    const postings = (t.app as unknown as { postings: { expireDue(): Promise<number> } }).postings;
    expect(await postings.expireDue()).toBeGreaterThanOrEqual(1);
    const sa = (await t.request(employer, { method: "GET", url: `/api/v1/postings/${a.id}` })).json();
    const sb = (await t.request(employer, { method: "GET", url: `/api/v1/postings/${b.id}` })).json();
    expect(sa.status).toBe("expired");
    expect(sb.status).toBe("published");
    expect(await searchRows(a.id)).toBe(0);
    expect((await t.request(null, { method: "GET", url: `/api/v1/jobs/${a.id}` })).statusCode).toBe(404);
  });

  it("withdrawn and filled postings leave search at once; reports go to the queue once per user", async () => {
    const p = await create(employer, { title: "独特岗位名称甲乙丙" });
    await t.request(employer, { method: "POST", url: `/api/v1/postings/${p.id}/submit` });
    expect((await search(`q=${encodeURIComponent("甲乙丙")}`)).items.map((i) => i.id)).toContain(p.id);
    const rep = await t.request(seekerUser, {
      method: "POST",
      url: `/api/v1/jobs/${p.id}/report`,
      payload: { reason: "面试要求先交培训费" },
    });
    expect(rep.statusCode, rep.body).toBe(200);
    const rep2 = await t.request(seekerUser, {
      method: "POST",
      url: `/api/v1/jobs/${p.id}/report`,
      payload: { reason: "再次举报" },
    });
    expect(rep2.json().code).toBe("ALREADY_REPORTED");
    const queue = (await t.request(xuanwu, { method: "GET", url: "/api/v1/posting-reviews" })).json();
    expect(
      queue.items.find((r: { postingId: string; kind: string }) => r.postingId === p.id && r.kind === "report")?.reason,
    ).toBe("面试要求先交培训费");
    const w = await t.request(employer, { method: "POST", url: `/api/v1/postings/${p.id}/withdraw` });
    expect(w.json().status).toBe("withdrawn");
    expect((await search(`q=${encodeURIComponent("甲乙丙")}`)).items.map((i) => i.id)).not.toContain(p.id);
    expect((await t.request(employer, { method: "POST", url: `/api/v1/postings/${p.id}/fill` })).statusCode).toBe(409);
  });
});

describe("job search", () => {
  it("filters by region subtree, salary and type, and ranks title matches first", async () => {
    const inTitle = await create(employer, {
      title: "焊工（氩弧焊）",
      occupationCode: "6-18-02-04",
      description: "负责钢结构件焊接，持焊工证，两班倒。",
      skills: ["焊工证"],
    });
    const inBody = await create(employer, {
      title: "设备维修工",
      occupationCode: "6-31-02-01",
      description: "负责设备维修，偶尔需要做焊工相关辅助工作。",
      skills: [],
    });
    for (const p of [inTitle, inBody]) {
      const s = await t.request(employer, { method: "POST", url: `/api/v1/postings/${p.id}/submit` });
      expect(s.json().status, s.body).toBe("published");
    }
    const r = await search(`q=${encodeURIComponent("焊工")}&regionCode=320102`);
    const ids = r.items.map((i) => i.id);
    expect(ids.indexOf(inTitle.id)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(inTitle.id)).toBeLessThan(ids.indexOf(inBody.id));
    expect((await search(`q=${encodeURIComponent("焊工")}&regionCode=320104`)).items).toEqual([]);
    expect((await search(`q=${encodeURIComponent("焊工")}&salaryMinFen=1000000`)).items).toEqual([]);
    expect((await search(`q=${encodeURIComponent("焊工")}&workType=part_time`)).items).toEqual([]);
    const byDate = await search(`q=${encodeURIComponent("焊工")}&sort=date`);
    expect(byDate.total).toBeGreaterThanOrEqual(2);
    const bad = await t.request(null, { method: "GET", url: "/api/v1/jobs/search?workType=robot" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe("querystring.workType");
  });

  it("the date walk for frequent queries returns the same pages as the materialised match", async () => {
    const { postingsRepository } = await import("./postings.repository.ts");
    const { queryTokens, toTsqueryLiteral } = await import("@jiuye/domain");
    for (const [q, sort] of [
      ["电工", "relevance"],
      ["焊工", "relevance"],
      ["负责", "date"],
      ["负责", "relevance"],
    ] as const) {
      for (const offset of [0, 1, 3]) {
        const f = { tsquery: toTsqueryLiteral(queryTokens(q)), sort, limit: 2, offset };
        const walked = await postingsRepository.search(t.db, { ...f, frequent: true });
        const materialised = await postingsRepository.search(t.db, { ...f, frequent: false });
        expect(walked.ids, `${q} ${sort} ${offset}`).toEqual(materialised.ids);
        expect(walked.total).toBe(materialised.total);
      }
    }
  });

  it("an administrator extends the occupation catalogue by import; parents must exist; re-import updates", async () => {
    const admin = await t.signIn("admin");
    const before = (await sql<{ n: number }>`select count(*)::int as n from occupations`.execute(t.db)).rows[0]!.n;
    const orphan = await t.request(admin, {
      method: "POST",
      url: "/api/v1/occupations/import",
      payload: {
        version: "2022",
        rows: [
          { code: "6-31-01-98", name: "配电房值守员", aliases: ["配电值守"] },
          { code: "6-77-01-01", name: "无上级职业" },
        ],
      },
    });
    expect(orphan.statusCode).toBe(400);
    expect(orphan.json().errors).toEqual([
      expect.objectContaining({ field: "rows.1.code", code: "OCCUPATION_PARENT_MISSING" }),
    ]);
    expect((await sql<{ n: number }>`select count(*)::int as n from occupations`.execute(t.db)).rows[0]!.n).toBe(
      before,
    );
    const rows = [
      { code: "6-31-09", name: "配电运维人员" },
      { code: "6-31-09-01", name: "配电房值守员", aliases: ["配电值守"], skills: ["低压电工证"] },
    ];
    const ok = await t.request(admin, {
      method: "POST",
      url: "/api/v1/occupations/import",
      payload: { version: "2022", rows },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ inserted: 2, updated: 0 });
    const again = await t.request(admin, {
      method: "POST",
      url: "/api/v1/occupations/import",
      payload: { version: "2022", rows },
    });
    expect(again.json()).toEqual({ inserted: 0, updated: 2 });
    const found = await t.request(null, {
      method: "GET",
      url: `/api/v1/occupations?q=${encodeURIComponent("配电值守")}`,
    });
    expect(found.json()).toEqual([
      expect.objectContaining({ code: "6-31-09-01", level: 4, parentCode: "6-31-09", verified: true }),
    ]);
    expect(
      (
        await t.request(employer, {
          method: "POST",
          url: "/api/v1/occupations/import",
          payload: { version: "2022", rows },
        })
      ).statusCode,
    ).toBe(403);
  });

  it("finds occupations by name and alias", async () => {
    const res = await t.request(null, { method: "GET", url: `/api/v1/occupations?q=${encodeURIComponent("外卖")}` });
    expect(res.json().map((o: { code: string }) => o.code)).toContain("4-02-07-08");
    const majors = await t.request(null, { method: "GET", url: "/api/v1/occupations?level=1" });
    expect(majors.json()).toHaveLength(8);
  });
});
