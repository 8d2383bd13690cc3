/**
 * The in-process search index answers exactly what the SQL search answers — the same postings in
 * the same order, the same totals and lower-bound flags — for generated queries with every filter,
 * both sorts and several pages, before and after postings are published, edited and withdrawn
 * (applied one by one, by a poll, and through the API at once).
 */
import { occupationCatalogue, queryTokens, shanghaiDate, toTsqueryLiteral } from "@jiuye/domain";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRandom, insertEmployers, syntheticEmployer } from "../../seed/factories.ts";
import { seedJobMarket } from "../../seed/job-market.ts";
import { createTestApp, type TestApp } from "../../testing/harness.ts";
import { postingsRepository, type SearchFilter } from "./postings.repository.ts";
import { createSearchIndex, parseTsvector, type SearchIndex } from "./search-index.ts";

let t: TestApp;
let index: SearchIndex;
let regions: string[];
const rnd = createRandom(2024);

const words = [
  ...new Set([
    ...occupationCatalogue()
      .filter((o) => o.level === 4)
      .slice(0, 80)
      .flatMap((o) => [o.name, o.name.slice(0, 2), ...o.skills.slice(0, 1)]),
    "电工",
    "做好",
    "日常维护",
    "五险一金",
    "退役军人",
    "SQL",
    "CAD",
    "设备",
    "无此词语",
  ]),
];

function randomFilter(now: Date): Omit<SearchFilter, "tsquery"> & { q: string } {
  return {
    q: rnd.next() < 0.15 ? "" : rnd.pick(words),
    ...(rnd.next() < 0.5 ? { regionPrefix: rnd.pick(regions) } : {}),
    ...(rnd.next() < 0.15 ? { occupationPrefix: rnd.pick(["6", "4-0", "2-02", "6-31"]) } : {}),
    ...(rnd.next() < 0.2 ? { salaryMinFen: rnd.pick([400_000, 600_000, 800_000]) } : {}),
    ...(rnd.next() < 0.15 ? { educationRankAtMost: rnd.int(1, 5) } : {}),
    ...(rnd.next() < 0.2 ? { workType: rnd.pick(["full_time", "part_time", "flexible"]) } : {}),
    ...(rnd.next() < 0.15 ? { publishedSince: new Date(now.getTime() - rnd.pick([3, 7, 30]) * 86_400_000) } : {}),
    sort: rnd.next() < 0.3 ? "date" : "relevance",
    limit: rnd.pick([20, 10, 5]),
    offset: rnd.pick([0, 0, 0, 5, 20, 40]),
  };
}

/** Both answers for generated queries; returns how many had results and how many hit the cap. */
async function compare(n: number) {
  let withResults = 0;
  let capped = 0;
  for (let k = 0; k < n; k++) {
    const { q, ...f } = randomFilter(t.clock.now());
    const tokens = q ? queryTokens(q) : [];
    const fromSql = await postingsRepository.search(t.db, {
      ...f,
      tsquery: tokens.length ? toTsqueryLiteral(tokens) : null,
    });
    const fromIndex = index.search({ ...f, tokens });
    expect(fromIndex, JSON.stringify({ q, ...f })).toEqual(fromSql);
    if (fromSql.ids.length) withResults++;
    if (fromSql.totalIsLowerBound) capped++;
  }
  return { withResults, capped };
}

beforeAll(async () => {
  t = await createTestApp();
  const communities = (
    await t.db.selectFrom("regions").select("code").where("level", "=", 5).where("code", "like", "3201%").execute()
  ).map((r) => r.code);
  regions = [...new Set(communities.flatMap((c) => [c.slice(0, 4), c.slice(0, 6), c.slice(0, 9)]))].slice(0, 40);
  await insertEmployers(
    t.db,
    Array.from({ length: 40 }, () => syntheticEmployer(rnd, rnd.pick(communities).slice(0, 9))),
    "2026-10-31",
  );
  await seedJobMarket(t.db, {
    postings: 2500,
    seekers: 0,
    seed: 5,
    cityCode: "3201",
    today: shanghaiDate(t.clock.now()),
  });
  index = createSearchIndex(t.db);
  await index.loadAll();
}, 240_000);
afterAll(async () => {
  await t.close();
});

describe("the in-process search index agrees with the SQL search", () => {
  it("on generated queries with every filter, both sorts and several pages (rare and frequent terms, capped totals)", async () => {
    expect(index.stats()!.postings).toBe(2500);
    expect(index.stats()!.bitmaps).toBeGreaterThan(10);
    const { withResults, capped } = await compare(400);
    expect(withResults).toBeGreaterThan(120);
    expect(capped).toBeGreaterThan(5);
  });

  it("after postings are withdrawn, edited and published (refresh and poll)", async () => {
    const ids = (
      await sql<{ id: string }>`select posting_id::text as id from posting_search order by posting_id`.execute(t.db)
    ).rows.map((r) => r.id);
    // withdrawn: the search row goes
    const gone = ids.filter((_, i) => i % 50 === 0);
    await sql`delete from posting_search where posting_id = any(${gone}::uuid[])`.execute(t.db);
    for (const id of gone) await index.refresh(id);
    // edited: newer, and a word added to the text (the newest are now delta rows)
    const edited = ids.filter((_, i) => i % 50 === 1);
    await sql`update posting_search set published_at = published_at + interval '90 days',
                tsv = tsv || '测试新词'::tsvector, title_tsv = title_tsv || '测试新词'::tsvector
              where posting_id = any(${edited}::uuid[])`.execute(t.db);
    for (const id of edited) await index.refresh(id);
    // changed by another process: found by a poll through postings.updated_at
    const elsewhere = ids.filter((_, i) => i % 50 === 2);
    await sql`update posting_search set salary_max_monthly_fen = 950000 where posting_id = any(${elsewhere}::uuid[])`.execute(
      t.db,
    );
    await sql`update postings set updated_at = now() where id = any(${elsewhere}::uuid[])`.execute(t.db);
    await index.poll();
    expect(index.stats()!.delta).toBe(gone.length + edited.length + elsewhere.length);
    words.push("测试新词");
    const { withResults } = await compare(300);
    expect(withResults).toBeGreaterThan(100);
    const added = index.search({ tokens: ["测试新词"], sort: "relevance", limit: 100, offset: 0 })!;
    expect(added.ids.sort()).toEqual([...edited].sort());
  });

  it("reads a tsvector's text form with quotes and backslashes", () => {
    expect(parseTsvector("'a' 'it''s' 'back\\\\slash' '电工'")).toEqual(["a", "it's", "back\\slash", "电工"]);
  });
});

describe("the API searches through the index once it is built", () => {
  it("a posting published through the API is found at once; withdrawn, it is gone at once", async () => {
    const live = (t.app as unknown as { searchIndex: SearchIndex }).searchIndex;
    await live.loadAll();
    // the embedded database runs SQL on this thread (seeding, building): let the overload guard
    // (503 after a second-long event-loop delay) see a quiet event loop again
    await new Promise((ok) => setTimeout(ok, 2_500));
    const employer = await t.signIn("employer");
    const created = await t.request(employer, {
      method: "POST",
      url: "/api/v1/postings",
      payload: {
        title: "光伏组件清洗员",
        occupationCode: "6-31-01-03",
        description: "负责屋顶光伏组件的日常清洗与巡检，欢迎退役军人报名。",
        skills: ["高处作业"],
        headcount: 2,
        regionCode: "320102003",
        salaryType: "monthly",
        salaryMinFen: 600_000,
        salaryMaxFen: 900_000,
        education: "high_school",
        contractType: "fixed_term",
        workType: "full_time",
        validUntil: "2027-03-31",
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    const submitted = await t.request(employer, { method: "POST", url: `/api/v1/postings/${id}/submit` });
    expect(submitted.json().status).toBe("published");
    const found = await t.request(null, {
      method: "GET",
      url: `/api/v1/jobs/search?q=${encodeURIComponent("光伏组件清洗")}`,
    });
    expect(found.json().items.map((x: { id: string }) => x.id)).toEqual([id]);
    expect(live.stats()!.delta).toBeGreaterThanOrEqual(1);
    await t.request(employer, { method: "POST", url: `/api/v1/postings/${id}/withdraw` });
    const after = await t.request(null, {
      method: "GET",
      url: `/api/v1/jobs/search?q=${encodeURIComponent("光伏组件清洗")}`,
    });
    expect(after.json().items).toEqual([]);
  });
});
