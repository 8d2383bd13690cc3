import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRandom, syntheticIdNumber } from "../../seed/factories.ts";
import { createTestApp, type TestApp, type TestSession } from "../../testing/harness.ts";

let t: TestApp;
let employer: TestSession;
let xuanwu: TestSession;
let qinhuai: TestSession;
let seekerA: TestSession;
let seekerB: TestSession;
let postingId: string;
let fairId: string;
const rnd = createRandom(1010);

async function individual() {
  const p = await t.request(xuanwu, {
    method: "POST",
    url: "/api/v1/persons",
    payload: {
      name: "参会者",
      idNumber: syntheticIdNumber(rnd, "320102", "1995-04-04", "female"),
      residenceRegionCode: "320102003001",
    },
  });
  expect(p.statusCode, p.body).toBe(201);
  return t.signIn("individual", { personId: p.json().id });
}

beforeAll(async () => {
  t = await createTestApp();
  employer = await t.signIn("employer");
  xuanwu = await t.signIn("case_worker", { regionCode: "320102" });
  qinhuai = await t.signIn("case_worker", { regionCode: "320104" });
  seekerA = await individual();
  seekerB = await individual();
  const created = await t.request(employer, {
    method: "POST",
    url: "/api/v1/postings",
    payload: {
      title: "仓库管理员",
      occupationCode: "4-02-06-03",
      description: "负责仓库收发、盘点与台账，熟悉WMS。",
      headcount: 3,
      regionCode: "320102003",
      salaryType: "monthly",
      salaryMinFen: 500_000,
      salaryMaxFen: 650_000,
      contractType: "fixed_term",
      workType: "full_time",
      validUntil: "2027-03-31",
    },
  });
  postingId = created.json().id;
  await t.request(employer, { method: "POST", url: `/api/v1/postings/${postingId}/submit` });
});
afterAll(async () => {
  await t.close();
});

describe("专场招聘会", () => {
  it("a case worker creates and publishes a fair; employers join with postings; people register and apply; results count them", async () => {
    const now = t.clock.now().getTime();
    const bad = await t.request(xuanwu, {
      method: "POST",
      url: "/api/v1/job-fairs",
      payload: {
        title: "退役军人专场招聘会",
        theme: "key_group",
        mode: "onsite",
        regionCode: "320102",
        startsAt: new Date(now + 86_400_000).toISOString(),
        endsAt: new Date(now).toISOString(),
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe("endsAt");
    const outside = await t.request(xuanwu, {
      method: "POST",
      url: "/api/v1/job-fairs",
      payload: {
        title: "秦淮区综合招聘会",
        theme: "general",
        mode: "onsite",
        regionCode: "320104",
        startsAt: new Date(now).toISOString(),
        endsAt: new Date(now + 86_400_000).toISOString(),
      },
    });
    expect(outside.json().code).toBe("REGION_OUT_OF_SCOPE");

    const res = await t.request(xuanwu, {
      method: "POST",
      url: "/api/v1/job-fairs",
      payload: {
        title: "玄武区退役军人专场招聘会",
        theme: "key_group",
        themeDetail: "退役军人",
        mode: "hybrid",
        regionCode: "320102",
        venue: "玄武区人力资源市场",
        startsAt: new Date(now - 3_600_000).toISOString(),
        endsAt: new Date(now + 7 * 86_400_000).toISOString(),
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    fairId = res.json().id;
    // a draft is not public and cannot be joined
    expect((await t.request(null, { method: "GET", url: `/api/v1/public/job-fairs/${fairId}` })).statusCode).toBe(404);
    expect(
      (
        await t.request(employer, {
          method: "POST",
          url: `/api/v1/job-fairs/${fairId}/postings`,
          payload: { postingId },
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (
        await t.request(qinhuai, {
          method: "POST",
          url: `/api/v1/job-fairs/${fairId}/status`,
          payload: { status: "published" },
        })
      ).statusCode,
    ).toBe(404);
    const pub = await t.request(xuanwu, {
      method: "POST",
      url: `/api/v1/job-fairs/${fairId}/status`,
      payload: { status: "published" },
    });
    expect(pub.json().status).toBe("published");

    const join = await t.request(employer, {
      method: "POST",
      url: `/api/v1/job-fairs/${fairId}/postings`,
      payload: { postingId },
    });
    expect(join.statusCode, join.body).toBe(200);
    expect(
      (
        await t.request(employer, {
          method: "POST",
          url: `/api/v1/job-fairs/${fairId}/postings`,
          payload: { postingId },
        })
      ).json().code,
    ).toBe("FAIR_DUPLICATE");

    const page = await t.request(null, { method: "GET", url: `/api/v1/public/job-fairs/${fairId}` });
    expect(page.json().postings.map((p: { title: string }) => p.title)).toEqual(["仓库管理员"]);
    expect(page.json().results).toMatchObject({ employers: 1, postings: 1, vacancies: 3, registrations: 0 });

    expect(
      (await t.request(seekerA, { method: "POST", url: `/api/v1/job-fairs/${fairId}/registrations` })).statusCode,
    ).toBe(200);
    expect(
      (await t.request(seekerA, { method: "POST", url: `/api/v1/job-fairs/${fairId}/registrations` })).json().code,
    ).toBe("FAIR_DUPLICATE");
    expect(
      (
        await t.request(seekerA, {
          method: "POST",
          url: `/api/v1/job-fairs/${fairId}/applications`,
          payload: { postingId },
        })
      ).statusCode,
    ).toBe(200);
    // applying registers a person who had not registered
    expect(
      (
        await t.request(seekerB, {
          method: "POST",
          url: `/api/v1/job-fairs/${fairId}/applications`,
          payload: { postingId },
        })
      ).statusCode,
    ).toBe(200);

    const apps = await t.request(xuanwu, { method: "GET", url: `/api/v1/job-fairs/${fairId}/applications` });
    expect(apps.json()).toHaveLength(2);
    expect(
      (await t.request(qinhuai, { method: "GET", url: `/api/v1/job-fairs/${fairId}/applications` })).statusCode,
    ).toBe(404);
    const hired = await t.request(xuanwu, {
      method: "PATCH",
      url: `/api/v1/job-fairs/${fairId}/applications/${apps.json()[0].id}`,
      payload: { status: "hired" },
    });
    expect(hired.statusCode, hired.body).toBe(200);

    const after = await t.request(null, { method: "GET", url: `/api/v1/public/job-fairs/${fairId}` });
    // the public page counts the people who registered and applied, it never names them
    expect(after.body).not.toMatch(/参会者/);
    const results = after.json().results;
    expect(results).toEqual({ employers: 1, postings: 1, vacancies: 3, registrations: 2, applications: 2, hires: 1 });
    const list = await t.request(null, { method: "GET", url: "/api/v1/public/job-fairs" });
    expect(list.json().map((f: { id: string }) => f.id)).toContain(fairId);
    expect(list.body).not.toMatch(/参会者/);
  });

  it("a closed fair takes no more registrations", async () => {
    await t.request(xuanwu, {
      method: "POST",
      url: `/api/v1/job-fairs/${fairId}/status`,
      payload: { status: "closed" },
    });
    const late = await t.request(await individual(), {
      method: "POST",
      url: `/api/v1/job-fairs/${fairId}/registrations`,
    });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe("FAIR_STATE");
  });
});
