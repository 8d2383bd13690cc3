import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRandom, syntheticIdNumber } from "../../seed/factories.ts";
import { createTestApp, type TestApp, type TestSession } from "../../testing/harness.ts";

let t: TestApp;
let employer: TestSession;
let xuanwu: TestSession;
let qinhuai: TestSession;
const rnd = createRandom(2022);
const ids: Record<string, string> = {};

const posting = (over: Record<string, unknown>) => ({
  description: "负责园区配电设备巡检与维修，按规程作业，五险一金。",
  headcount: 2,
  regionCode: "320102003",
  salaryType: "monthly",
  salaryMinFen: 600_000,
  salaryMaxFen: 900_000,
  contractType: "fixed_term",
  workType: "full_time",
  validUntil: "2027-03-31",
  ...over,
});

async function publish(key: string, over: Record<string, unknown>) {
  const created = await t.request(employer, { method: "POST", url: "/api/v1/postings", payload: posting(over) });
  expect(created.statusCode, created.body).toBe(201);
  const sub = await t.request(employer, { method: "POST", url: `/api/v1/postings/${created.json().id}/submit` });
  expect(sub.json().status, sub.body).toBe("published");
  ids[key] = created.json().id;
}

async function person(name: string, birth: string, sex: "male" | "female") {
  const res = await t.request(xuanwu, {
    method: "POST",
    url: "/api/v1/persons",
    payload: { name, idNumber: syntheticIdNumber(rnd, "320102", birth, sex), residenceRegionCode: "320102003" },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

const seekerBody = {
  occupations: ["6-31-01-03"],
  skills: ["低压电工证"],
  regions: ["3201"],
  salaryExpectationFen: 700_000,
  workTypes: ["full_time"],
  employerVisible: true,
};

async function register(personId: string, over: Record<string, unknown> = {}) {
  const res = await t.request(xuanwu, {
    method: "POST",
    url: "/api/v1/seekers",
    payload: { ...seekerBody, personId, ...over },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

type Rec = {
  score: number;
  components: Array<{ key: string; points: number; detail: string; missingSkills?: string[] }>;
  notUsed: string;
  posting: { id: string; title: string };
};

async function recommendations(s: TestSession, seekerId: string): Promise<Rec[]> {
  const res = await t.request(s, { method: "GET", url: `/api/v1/seekers/${seekerId}/recommendations?k=20` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

beforeAll(async () => {
  t = await createTestApp();
  employer = await t.signIn("employer");
  xuanwu = await t.signIn("case_worker", { regionCode: "320102" });
  qinhuai = await t.signIn("case_worker", { regionCode: "320104" });
  await publish("lowVoltage", { title: "低压电工", occupationCode: "6-31-01-03", skills: ["低压电工证", "电气接线"] });
  await publish("maintenance", {
    title: "维修电工",
    occupationCode: "6-31-01-01",
    skills: ["低压电工证", "PLC编程"],
    salaryMinFen: 500_000,
    salaryMaxFen: 650_000,
  });
  await publish("welder", { title: "焊工", occupationCode: "6-18-02-04", skills: ["焊工证"] });
  await publish("cashier", {
    title: "收银员",
    occupationCode: "4-01-02-04",
    description: "负责超市收银与顾客服务，排班制。",
  });
});
afterAll(async () => {
  expect(t.maskingViolations).toEqual([]);
  await t.close();
});

describe("job seekers and recommendations", () => {
  it("recommends related postings with a score explained by component, and nothing unrelated", async () => {
    ids.personA = await person("张伟", "1990-05-01", "male");
    ids.seekerA = await register(ids.personA);
    const recs = await recommendations(xuanwu, ids.seekerA);
    const titles = recs.map((r) => r.posting.title);
    expect(titles).toEqual(["低压电工", "维修电工"]);
    const [first, second] = recs as [Rec, Rec];
    expect(first.score).toBeGreaterThan(second.score);
    const occ = first.components.find((c) => c.key === "occupation");
    expect(occ).toMatchObject({ points: 30 });
    expect(occ?.detail).toContain("职业相同");
    const skills = first.components.find((c) => c.key === "skills");
    expect(skills?.detail).toBe("满足 1/2 项（低压电工证）；缺少：电气接线");
    expect(skills?.missingSkills).toEqual(["电气接线"]);
    expect(second.components.find((c) => c.key === "occupation")?.detail).toContain("同属 6-31-01 小类");
    expect(second.components.find((c) => c.key === "salary")?.detail).toContain("低于期望 7000 元");
    expect(first.score).toBe(first.components.reduce((s, c) => s + c.points, 0));
    expect(first.notUsed).toContain("性别");
  });

  it("counterfactual fairness: sex, age (birth date), 户籍 and name never move a score", async () => {
    const base = await recommendations(xuanwu, ids.seekerA as string);
    const variants: Array<[string, string, "male" | "female"]> = [
      ["李秀英", "1990-05-01", "female"],
      ["王建国", "1968-02-10", "male"],
      ["赵敏", "2003-11-30", "female"],
    ];
    for (const [name, birth, sex] of variants) {
      const pid = await person(name, birth, sex);
      const patched = await t.request(xuanwu, {
        method: "PATCH",
        url: `/api/v1/persons/${pid}`,
        payload: { hukouType: "rural" },
      });
      expect(patched.statusCode, patched.body).toBe(200);
      const sid = await register(pid);
      const recs = await recommendations(xuanwu, sid);
      expect(recs.map((r) => [r.posting.id, r.score, r.components])).toEqual(
        base.map((r) => [r.posting.id, r.score, r.components]),
      );
    }
    // the same person, with 户籍 changed after registration
    await t.request(xuanwu, {
      method: "PATCH",
      url: `/api/v1/persons/${ids.personA}`,
      payload: { hukouType: "urban" },
    });
    const again = await recommendations(xuanwu, ids.seekerA as string);
    expect(again.map((r) => r.score)).toEqual(base.map((r) => r.score));
  });

  it("a seeker marks a posting not relevant; a case worker's override is logged", async () => {
    const self = await t.signIn("individual", { personId: ids.personA });
    const own = await recommendations(self, ids.seekerA as string);
    expect(own.length).toBe(2);
    const fb = await t.request(self, {
      method: "POST",
      url: `/api/v1/seekers/${ids.seekerA}/feedback`,
      payload: { postingId: ids.maintenance, kind: "not_relevant", reason: "不想做维修" },
    });
    expect(fb.statusCode, fb.body).toBe(200);
    expect((await recommendations(self, ids.seekerA as string)).map((r) => r.posting.id)).toEqual([ids.lowVoltage]);
    const notMine = await t.request(self, {
      method: "POST",
      url: `/api/v1/seekers/${ids.seekerA}/feedback`,
      payload: { postingId: ids.lowVoltage, kind: "hidden", reason: "试图隐藏" },
    });
    expect(notMine.statusCode).toBe(403);
    const hide = await t.request(xuanwu, {
      method: "POST",
      url: `/api/v1/seekers/${ids.seekerA}/feedback`,
      payload: { postingId: ids.lowVoltage, kind: "pinned", reason: "本人曾表示有意向" },
    });
    expect(hide.statusCode).toBe(200);
    const rows = await t.db
      .selectFrom("audit_log")
      .select(["action"])
      .where("subject_id", "=", ids.personA as string)
      .execute();
    expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(["match.not_relevant", "match.override.pinned"]));
  });

  it("recommends seekers for a posting: case workers see names, employers only consenting seekers, masked", async () => {
    const hidden = await person("周杰", "1992-03-03", "male");
    await register(hidden, { employerVisible: false });
    const staff = await t.request(xuanwu, { method: "GET", url: `/api/v1/postings/${ids.lowVoltage}/candidates` });
    expect(staff.statusCode, staff.body).toBe(200);
    const names = staff.json().map((r: { seeker: { name: string } }) => r.seeker.name);
    expect(names).toEqual(expect.arrayContaining(["张伟", "周杰"]));
    const emp = await t.request(employer, { method: "GET", url: `/api/v1/postings/${ids.lowVoltage}/candidates` });
    const empNames = emp.json().map((r: { seeker: { name: string } }) => r.seeker.name);
    expect(empNames).toContain("张*");
    expect(empNames).not.toContain("周*");
    expect(emp.body).not.toContain("张伟");
    // where a seeker lives is shown to case workers, never to employers
    expect(
      staff.json().every((r: { seeker: { regionName: string | null } }) => typeof r.seeker.regionName === "string"),
    ).toBe(true);
    expect(emp.json().every((r: { seeker: { regionName: string | null } }) => r.seeker.regionName === null)).toBe(true);
    const scores = staff.json().map((r: { score: number }) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it("keeps case workers to their region (404) and refuses a second active registration", async () => {
    expect((await t.request(qinhuai, { method: "GET", url: `/api/v1/seekers/${ids.seekerA}` })).statusCode).toBe(404);
    expect(
      (await t.request(qinhuai, { method: "GET", url: `/api/v1/seekers/${ids.seekerA}/recommendations` })).statusCode,
    ).toBe(404);
    const dup = await t.request(xuanwu, {
      method: "POST",
      url: "/api/v1/seekers",
      payload: { ...seekerBody, personId: ids.personA },
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe("SEEKER_EXISTS");
    const bad = await t.request(xuanwu, {
      method: "POST",
      url: "/api/v1/seekers",
      payload: { ...seekerBody, personId: ids.personA, occupations: [] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({ field: "occupations" });
  });
});

describe("referrals (职业介绍)", () => {
  it("refers, records the hire, and creates the 就业登记 through the ledger", async () => {
    const ref = await t.request(xuanwu, {
      method: "POST",
      url: "/api/v1/referrals",
      payload: { seekerId: ids.seekerA, postingId: ids.lowVoltage },
    });
    expect(ref.statusCode, ref.body).toBe(201);
    expect(ref.json()).toMatchObject({ status: "referred", postingTitle: "低压电工", personName: "张伟" });
    expect(ref.json().score).toBeGreaterThan(0);
    const dup = await t.request(xuanwu, {
      method: "POST",
      url: "/api/v1/referrals",
      payload: { seekerId: ids.seekerA, postingId: ids.lowVoltage },
    });
    expect(dup.json().code).toBe("REFERRAL_EXISTS");
    const id = ref.json().id;
    const early = await t.request(xuanwu, {
      method: "POST",
      url: `/api/v1/referrals/${id}/employment`,
      payload: { startDate: "2026-11-20" },
    });
    expect(early.statusCode).toBe(409);
    const noReason = await t.request(xuanwu, {
      method: "PATCH",
      url: `/api/v1/referrals/${id}`,
      payload: { status: "not_hired", outcomeOn: "2026-11-20" },
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors[0].field).toBe("reason");
    const hired = await t.request(xuanwu, {
      method: "PATCH",
      url: `/api/v1/referrals/${id}`,
      payload: { status: "hired", outcomeOn: "2026-11-20" },
    });
    expect(hired.json().status).toBe("hired");
    const emp = await t.request(xuanwu, {
      method: "POST",
      url: `/api/v1/referrals/${id}/employment`,
      payload: { startDate: "2026-11-23", contractType: "fixed_term" },
    });
    expect(emp.statusCode, emp.body).toBe(200);
    expect(emp.json().ledgerEventId).toBeTruthy();
    const spells = await t.db
      .selectFrom("ledger_spells")
      .selectAll()
      .where("person_id", "=", ids.personA as string)
      .execute();
    expect(
      spells.filter((s) => s.kind === "employment" && s.ended_on === null && !s.voided).map((s) => s.employer_name),
    ).toEqual([expect.any(String)]);
    const twice = await t.request(xuanwu, {
      method: "POST",
      url: `/api/v1/referrals/${id}/employment`,
      payload: { startDate: "2026-11-23" },
    });
    expect(twice.statusCode).toBe(409);
    expect(
      (await t.request(qinhuai, { method: "GET", url: `/api/v1/seekers/${ids.seekerA}/referrals` })).json(),
    ).toEqual([]);
  });
});
