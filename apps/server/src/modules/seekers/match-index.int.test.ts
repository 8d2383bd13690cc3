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
