import { shanghaiDate } from "@jiuye/domain";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createRandom,
  insertEmployers,
  insertPersons,
  syntheticEmployer,
  syntheticPerson,
} from "../../seed/factories.ts";
import { seedJobMarket } from "../../seed/job-market.ts";
import { createTestApp, type TestApp } from "../../testing/harness.ts";
import { createAuditService } from "../audit/audit.service.ts";
import { createMatchIndexLoader, type MatchIndexLoader } from "./match-index.ts";
import { seekersRepository } from "./seekers.repository.ts";
import { createSeekersService, type SeekersService } from "./seekers.service.ts";

let t: TestApp;
let loader: MatchIndexLoader;
let service: SeekersService;
let asOf: string;

const featuresOf = (p: {
  id: string;
  occupation_code: string;
  skills: string[];
  region_code: string;
  salary_type: string;
  salary_min_fen: number;
  salary_max_fen: number;
  education: string | null;
  work_type: string;
}) => ({
  id: p.id,
  occupationCode: p.occupation_code,
  skills: p.skills,
  regionCode: p.region_code,
  salaryType: p.salary_type as "monthly" | "hourly",
  salaryMinFen: p.salary_min_fen,
  salaryMaxFen: p.salary_max_fen,
  education: p.education,
  workType: p.work_type as "full_time",
});

async function postingRows() {
  return (
    await sql<Parameters<typeof featuresOf>[0]>`
      select p.id, p.occupation_code, p.skills, p.region_code, p.salary_type, p.salary_min_fen, p.salary_max_fen, p.education, p.work_type
      from postings p where p.status = 'published' order by p.id`.execute(t.db)
  ).rows;
}

beforeAll(async () => {
  t = await createTestApp();
  asOf = shanghaiDate(t.clock.now());
  const rnd = createRandom(777);
  const communities = (
    await t.db.selectFrom("regions").select("code").where("level", "=", 5).where("code", "like", "3201%").execute()
  ).map((r) => r.code);
  await insertEmployers(
    t.db,
    Array.from({ length: 40 }, () => syntheticEmployer(rnd, rnd.pick(communities).slice(0, 9))),
    "2026-10-31",
  );
  await insertPersons(
    t.db,
    t.cipher,
    Array.from({ length: 1200 }, () => syntheticPerson(rnd, rnd.pick(communities))),
  );
  // a dense market in a few occupations so that lists are long and ties are common
  await seedJobMarket(t.db, { postings: 800, seekers: 300, seed: 99, cityCode: "3201", today: asOf });
  // some seekers without a registered education level, some wanting any work type
  await sql`update persons set education = null where id in (select person_id from seekers order by id limit 60)`.execute(
    t.db,
  );
  service = createSeekersService({
    db: t.db,
    audit: createAuditService({ clock: t.clock.now }),
    clock: t.clock.now,
    confirmDays: 30,
  });
  loader = createMatchIndexLoader(t.db);
  await loader.loadAll();
});
afterAll(async () => {
  await t.close();
});

describe("the in-process recommendation index agrees with the SQL reference", () => {
  it("top-20 postings for every seeker: same postings, same order, same scores", async () => {
    const ids = (
      await t.db.selectFrom("seekers").select("id").where("status", "=", "active").orderBy("id").execute()
    ).map((r) => r.id);
    expect(ids.length).toBeGreaterThan(200);
    expect(loader.index.seekerCount).toBe(ids.length);
    let nonEmpty = 0;
    for (const id of ids) {
      const row = await seekersRepository.findById(t.db, { kind: "region", prefix: "32" }, id);
      const reference = await service.referencePostings(row!, 20, new Set(), null);
      const indexed = loader.index.postingsFor(id, 20, asOf);
      expect(indexed, id).toEqual(reference);
      if (reference.length) nonEmpty++;
      // "not relevant" postings are left out of both lists, and the rest move up
      if (reference.length >= 3) {
        const hidden = new Set(reference.slice(0, 2).map((m) => m.id));
        const without = await service.referencePostings(row!, 20, hidden, null);
        expect(loader.index.postingsFor(id, 20, asOf, hidden), id).toEqual(without);
        expect(without.map((m) => m.id)).not.toContain(reference[0]!.id);
      }
    }
    expect(nonEmpty).toBeGreaterThan(ids.length / 2);
  });

  it("top-20 seekers for every posting, for a case worker's region and for an employer (consenting seekers only)", async () => {
    const rows = await postingRows();
    expect(loader.index.postingCount).toBe(rows.length);
    let nonEmpty = 0;
    for (const p of rows) {
      const staff = await service.referenceSeekers(
        featuresOf(p),
        20,
        { kind: "region", prefix: "320102" },
        false,
        new Set(),
        null,
      );
      expect(loader.index.seekersFor(p, 20, asOf, { within: "320102" }), p.id).toEqual(staff);
      // a short list fills with high scores at once: seekers wanting another occupation of the
      // group are then skipped by tier, and must still be there when they score higher
      const three = await service.referenceSeekers(
        featuresOf(p),
        3,
        { kind: "region", prefix: "32" },
        false,
        new Set(),
        null,
      );
      expect(loader.index.seekersFor(p, 3, asOf, { within: "32" }), p.id).toEqual(three);
      const employer = await service.referenceSeekers(
        featuresOf(p),
        20,
        { kind: "region", prefix: "32" },
        true,
        new Set(),
        null,
      );
      expect(loader.index.seekersFor(p, 20, asOf, { within: "32", employerVisibleOnly: true }), p.id).toEqual(employer);
      if (employer.length) nonEmpty++;
      if (employer.length >= 3) {
        const hidden = new Set(employer.slice(0, 2).map((m) => m.id));
        const without = await service.referenceSeekers(
          featuresOf(p),
          20,
          { kind: "region", prefix: "32" },
          true,
          hidden,
          null,
        );
        expect(
          loader.index.seekersFor(p, 20, asOf, { within: "32", employerVisibleOnly: true, exclude: hidden }),
          p.id,
        ).toEqual(without);
      }
    }
    expect(nonEmpty).toBeGreaterThan(rows.length / 2);
  });

  it("follows changes: a withdrawn posting leaves, a new seeker arrives", async () => {
    // ids are random uuids: take the first seeker (in id order) who has recommendations at all
    const ids = (
      await t.db.selectFrom("seekers").select("id").where("status", "=", "active").orderBy("id").execute()
    ).map((r) => r.id);
    const seeker = ids.map((id) => ({ id })).find((s) => (loader.index.postingsFor(s.id, 5, asOf) ?? []).length > 0);
    expect(seeker).toBeDefined();
    const before = loader.index.postingsFor(seeker!.id, 5, asOf)!;
    const gone = before[0]!.id;
    await sql`update postings set status = 'withdrawn', updated_at = now() where id = ${gone}`.execute(t.db);
    await sql`delete from posting_search where posting_id = ${gone}`.execute(t.db);
    await loader.poll();
    expect(loader.index.postingsFor(seeker!.id, 5, asOf)!.map((m) => m.id)).not.toContain(gone);

    const person = await t.db
      .selectFrom("persons")
      .select(["id", "residence_region_code"])
      .where("id", "not in", t.db.selectFrom("seekers").select("person_id"))
      .limit(1)
      .executeTakeFirstOrThrow();
    // a posting with no education requirement, so that nothing about this person can veto it
    const open = (await postingRows()).find((p) => p.education === null && p.region_code.startsWith("3201"));
    expect(open).toBeDefined();
    const occupation = open!.occupation_code;
    const [created] = await t.db
      .insertInto("seekers")
      .values({
        person_id: person.id,
        province_code: "32",
        region_code: person.residence_region_code,
        occupations: [occupation],
        skills: [],
        regions: ["3201"],
        status: "active",
        created_at: new Date(),
        updated_at: new Date(),
      })
      .returning("id")
      .execute();
    expect(loader.index.postingsFor(created!.id, 5, asOf)).toBeNull();
    await loader.poll();
    expect(loader.index.postingsFor(created!.id, 5, asOf)!.length).toBeGreaterThan(0);
  });
});

describe("seekers for a posting, visited by occupation tier", () => {
  it("skips a tier only when nobody in it can reach the list: better-matched seekers of a sibling occupation still come first", async () => {
    // an occupation o with a sibling in its 小类 (o2) and a cousin in its 中类 only (o3), none of
    // them wanted by any seeker yet
    const triple = (
      await sql<{ o: string; o2: string; o3: string }>`
        select a.code as o, b.code as o2, c.code as o3 from occupations a
          join occupations b on b.level = 4 and left(b.code, 7) = left(a.code, 7) and b.code <> a.code
          join occupations c on c.level = 4 and left(c.code, 4) = left(a.code, 4) and left(c.code, 7) <> left(a.code, 7)
        where a.level = 4
          and not exists (select 1 from seekers s where s.occupations && array[a.code, b.code, c.code]::text[])
        order by a.code, b.code, c.code limit 1`.execute(t.db)
    ).rows[0];
    expect(triple).toBeDefined();
    const { o, o2, o3 } = triple!;
    const community = (
      await sql<{ code: string }>`
        select code from regions where level = 5 and code like '320102%'
          and code not in (select region_code from seekers) order by code limit 1`.execute(t.db)
    ).rows[0]!.code;
    const people = await t.db
      .selectFrom("persons")
      .select("id")
      .where("id", "not in", t.db.selectFrom("seekers").select("person_id"))
      .orderBy("id")
      .limit(12)
      .execute();
    expect(people).toHaveLength(12);
    const skills = ["识图", "焊接", "安全规范", "质量检验"];
    // 6 want o itself but have one skill of four (30 + 8 + …); 3 want o2 and have all four
    // (20 + 30 + …, higher); 3 want o3 and have all four (10 + 30 + …)
    const wants = [
      ...Array(6).fill([o, skills.slice(0, 1)]),
      ...Array(3).fill([o2, skills]),
      ...Array(3).fill([o3, skills]),
    ];
    const ids: string[] = [];
    for (const [i, [occ, sk]] of wants.entries()) {
      const [row] = await t.db
        .insertInto("seekers")
        .values({
          person_id: people[i]!.id,
          province_code: "32",
          region_code: community,
          occupations: [occ],
          skills: sk,
          regions: ["320102"],
          status: "active",
          created_at: new Date(),
          updated_at: new Date(),
        })
        .returning("id")
        .execute();
      ids.push(row!.id);
      await loader.refreshSeeker(row!.id);
    }
    const posting = {
      id: "00000000-0000-4000-8000-00000000abcd",
      occupation_code: o,
      skills,
      region_code: community,
      salary_type: "monthly",
      salary_min_fen: 500_000,
      salary_max_fen: 800_000,
      education: null,
      work_type: "full_time",
    };
    for (const k of [3, 5, 8]) {
      const reference = await service.referenceSeekers(
        featuresOf(posting),
        k,
        { kind: "region", prefix: community },
        false,
        new Set(),
        null,
      );
      expect(loader.index.seekersFor(posting, k, asOf, { within: community })).toEqual(reference);
      // the o2 seekers lead the list although the o seekers are visited first
      expect(new Set(reference.slice(0, 3).map((m) => m.id))).toEqual(new Set(ids.slice(6, 9)));
    }
  });
});
