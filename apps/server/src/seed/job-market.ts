import type { Database, PostingsTable } from "@jiuye/db";
import { MINIMUM_WAGE_STANDARDS, minimumWageFor, type OccupationNode, occupationCatalogue } from "@jiuye/domain";
import { type Insertable, type InsertObject, type Kysely, sql } from "kysely";
import { searchRowOf } from "../modules/postings/search-row.ts";
import { createRandom } from "./factories.ts";

const DUTIES = [
  "按岗位规程完成日常工作，做好记录与交接",
  "服从班组安排，配合完成临时任务",
  "遵守安全操作规程，参加岗前培训",
  "做好设备、工具和现场的日常维护",
  "为客户提供热情周到的服务",
  "完成上级交办的其他工作",
];
const BENEFITS = [
  "五险一金",
  "包工作餐",
  "提供住宿",
  "带薪年假",
  "节日福利",
  "交通补贴",
  "绩效奖金",
  "定期体检",
  "双休",
  "技能培训",
];
const PREFERENCES = [
  "欢迎退役军人报名",
  "有相关工作经验者优先",
  "持相关职业技能等级证书者优先",
  "欢迎高校毕业生",
  "欢迎残疾人报名",
];
const EDUCATION_BY_MAJOR: Record<string, Array<string | null>> = {
  "2": ["bachelor", "bachelor", "junior_college", "master"],
  "3": ["junior_college", "high_school", "bachelor"],
  "4": [null, "high_school", "junior_high", "junior_college", "secondary_vocational"],
  "5": [null, "junior_high"],
  "6": [null, "junior_high", "high_school", "secondary_vocational"],
};
/** Typical monthly pay (元) by 大类, before the city premium. */
const PAY_BY_MAJOR: Record<string, [number, number]> = {
  "2": [7000, 16000],
  "3": [4500, 8000],
  "4": [3800, 9000],
  "5": [3500, 6500],
  "6": [4500, 9500],
};

export interface JobMarketResult {
  postings: number;
  seekers: number;
}

/**
 * Deterministic synthetic postings (all passing screening: clean text, pay above the local minimum
 * wage) across the occupation catalogue on the streets of `cityCode`, and job-seeker registrations
 * for a share of the working-age population there. Same seed → same market.
 */
export async function seedJobMarket(
  db: Kysely<Database>,
  opts: {
    postings: number;
    seekers: number;
    seed: number;
    cityCode: string;
    today: string;
    /** Share of eligible (working-age, not yet registered) people registered as seekers; default 0.35. */
    seekerShare?: number;
    /** The account recorded as having created the postings (default: a disabled system account). */
    createdBy?: string;
    /** Registers this person as a seeker (the demo individual) with these occupations. */
    demoSeeker?: { personId: string; occupations: string[]; skills: string[] };
    onProgress?: (step: string, done: number, total: number) => void;
  },
): Promise<JobMarketResult> {
  const rnd = createRandom(opts.seed);
  const occupations = occupationCatalogue().filter(
    (o) => o.level === 4 && !o.code.startsWith("1") && !o.code.startsWith("7"),
  );
  const streets = (
    await db
      .selectFrom("regions")
      .select("code")
      .where("level", "=", 4)
      .where("code", "like", `${opts.cityCode}%`)
      .orderBy("code")
      .execute()
  ).map((r) => r.code);
  const employers = (
    await db
      .selectFrom("employers")
      .select("id")
      .where("region_code", "like", `${opts.cityCode}%`)
      .orderBy("id")
      .limit(20_000)
      .execute()
  ).map((r) => r.id);
  if (!streets.length || !employers.length) throw new Error("seed regions and employers before the job market");
  // Synthetic postings are recorded as created by a disabled system account that cannot sign in.
  const creator =
    (opts.createdBy ? { id: opts.createdBy } : undefined) ??
    (await db.selectFrom("users").select("id").where("username", "=", "jiuye_seed").executeTakeFirst()) ??
    (await db
      .insertInto("users")
      .values({
        username: "jiuye_seed",
        display_name: "合成数据",
        role: "admin",
        region_code: null,
        person_id: null,
        password_hash: "!",
        totp_secret_enc: null,
        disabled: true,
        locked_until: null,
        last_login_at: null,
        created_at: new Date(),
        updated_at: new Date(),
      })
      .returning("id")
      .executeTakeFirstOrThrow());
  const result: JobMarketResult = { postings: 0, seekers: 0 };
  const now = new Date(`${opts.today}T02:00:00Z`);
  const validUntil = new Date(now.getTime() + 120 * 86_400_000).toISOString().slice(0, 10);
  const BATCH = 2_000;

  for (let start = 0; start < opts.postings; start += BATCH) {
    const n = Math.min(BATCH, opts.postings - start);
    const rows: Array<Insertable<PostingsTable>> = [];
    const search: Array<InsertObject<Database, "posting_search">> = [];
    for (let i = 0; i < n; i++) {
      // the demo seeker's own occupations come first, so the demo has something to recommend
      const featured = opts.demoSeeker?.occupations ?? [];
      const index = start + i;
      const occ: OccupationNode =
        index < featured.length * 3
          ? (occupations.find((o) => o.code === featured[index % featured.length]) ?? rnd.pick(occupations))
          : rnd.pick(occupations);
      const region = `${rnd.pick(streets)}`;
      const major = occ.code[0] as string;
      const [lo, hi] = PAY_BY_MAJOR[major] ?? [4000, 8000];
      const floor = (minimumWageFor(MINIMUM_WAGE_STANDARDS, region, opts.today)?.monthlyFen ?? 0) / 100;
      const min = Math.max(Math.ceil(floor / 100) * 100, Math.round((lo + rnd.next() * (hi - lo) * 0.6) / 100) * 100);
      const max = min + Math.round((500 + rnd.next() * (hi - lo) * 0.5) / 100) * 100;
      const title = rnd.next() < 0.5 ? occ.name : rnd.pick([occ.name, ...occ.aliases]);
      const skills = occ.skills.filter(() => rnd.next() < 0.7);
      const description = `${rnd.pick(DUTIES)}；${rnd.pick(DUTIES)}。${skills.length ? `要求掌握${skills.join("、")}。` : ""}${rnd.next() < 0.4 ? `${rnd.pick(PREFERENCES)}。` : ""}`;
      const benefits = Array.from({ length: 3 }, () => rnd.pick(BENEFITS))
        .filter((b, j, a) => a.indexOf(b) === j)
        .join("、");
      const education = rnd.pick(EDUCATION_BY_MAJOR[major] ?? [null]);
      const workType =
        index < featured.length * 3 || rnd.next() < 0.88 ? "full_time" : rnd.next() < 0.5 ? "part_time" : "flexible";
      const hourly = workType === "part_time";
      const id = crypto.randomUUID();
      const publishedAt = new Date(
        now.getTime() - Math.floor(rnd.next() * 28) * 86_400_000 - Math.floor(rnd.next() * 86_400_000),
      );
      const posting = {
        id,
        province_code: region.slice(0, 2),
        employer_id: rnd.pick(employers),
        region_code: region,
        title,
        occupation_code: occ.code,
        description,
        requirements: null,
        benefits,
        skills,
        headcount: 1 + Math.floor(rnd.next() * 5),
        salary_type: hourly ? "hourly" : "monthly",
        salary_min_fen: hourly ? Math.max(2500, Math.round(min / 174) * 100) : min * 100,
        salary_max_fen: hourly ? Math.max(2500, Math.round(max / 174) * 100) + 500 : max * 100,
        education,
        contract_type: hourly ? "part_time" : "fixed_term",
        work_type: workType,
        valid_until: validUntil,
        status: "published",
        findings: "[]",
        screened_at: publishedAt,
        published_at: publishedAt,
        confirmed_at: publishedAt,
        created_by: creator.id,
        created_at: publishedAt,
        updated_at: publishedAt,
      };
      rows.push(posting);
      // the same search row publication writes (search-row.ts)
      search.push(searchRowOf(posting, occ, publishedAt));
    }
    await db.transaction().execute(async (trx) => {
      await trx.insertInto("postings").values(rows).execute();
      await trx.insertInto("posting_search").values(search).execute();
    });
    result.postings += n;
    opts.onProgress?.("招聘岗位", result.postings, opts.postings);
  }

  if (opts.demoSeeker) {
    const p = await db
      .selectFrom("persons")
      .select(["residence_region_code"])
      .where("id", "=", opts.demoSeeker.personId)
      .executeTakeFirstOrThrow();
    await db
      .insertInto("seekers")
      .values({
        person_id: opts.demoSeeker.personId,
        province_code: p.residence_region_code.slice(0, 2),
        region_code: p.residence_region_code,
        occupations: opts.demoSeeker.occupations,
        skills: opts.demoSeeker.skills,
        regions: [opts.cityCode],
        salary_expectation_fen: 650_000,
        work_types: ["full_time"],
        employer_visible: true,
        status: "active",
        created_at: now,
        updated_at: now,
      })
      .execute();
    result.seekers++;
  }

  // Seekers: working-age people of the city, intentions within one 中类, skills from the catalogue.
  let after = "00000000-0000-0000-0000-000000000000";
  while (result.seekers < opts.seekers) {
    const people = await db
      .selectFrom("persons")
      .select(["id", "residence_region_code"])
      .where("residence_region_code", "like", `${opts.cityCode}%`)
      .where("id", ">", after)
      .where("birth_date", ">", `${Number(opts.today.slice(0, 4)) - 58}-01-01`)
      .where("birth_date", "<", `${Number(opts.today.slice(0, 4)) - 17}-01-01`)
      .where(({ not, exists, selectFrom }) =>
        // status = 'active' lets the partial unique index answer (without it every batch scanned all seekers)
        not(
          exists(
            selectFrom("seekers")
              .select("seekers.id")
              .whereRef("seekers.person_id", "=", "persons.id")
              .where("seekers.status", "=", "active"),
          ),
        ),
      )
      .orderBy("id")
      .limit(BATCH)
      .execute();
    if (people.length === 0) break;
    after = people[people.length - 1]!.id;
    const rows = people
      .filter(() => rnd.next() < (opts.seekerShare ?? 0.35))
      .slice(0, opts.seekers - result.seekers)
      .map((p) => {
        const occ = rnd.pick(occupations);
        const sibling = occupations.filter((o) => o.code.slice(0, 4) === occ.code.slice(0, 4));
        const second = rnd.pick(sibling);
        const major = occ.code[0] as string;
        const [lo, hi] = PAY_BY_MAJOR[major] ?? [4000, 8000];
        return {
          person_id: p.id,
          province_code: p.residence_region_code.slice(0, 2),
          region_code: p.residence_region_code,
          occupations: [...new Set([occ.code, second.code])],
          skills: [...occ.skills, ...second.skills].filter(() => rnd.next() < 0.6),
          // the seeker's own city or county (at province scale, too: not the whole province)
          regions: rnd.next() < 0.5 ? [p.residence_region_code.slice(0, 4)] : [p.residence_region_code.slice(0, 6)],
          salary_expectation_fen: Math.round((lo + rnd.next() * (hi - lo) * 0.5) / 100) * 10_000,
          work_types: rnd.next() < 0.8 ? ["full_time"] : ["full_time", "part_time", "flexible"],
          employer_visible: rnd.next() < 0.6,
          status: "active",
          created_at: now,
          updated_at: now,
        };
      });
    if (rows.length) await db.insertInto("seekers").values(rows).execute();
    result.seekers += rows.length;
    opts.onProgress?.("求职登记", result.seekers, opts.seekers);
  }
  // statistics after the bulk load (the population's ANALYZE ran before these rows existed: the
  // planner then took millions of seekers for a few thousand)
  if (result.postings || result.seekers) await sql`analyze seekers, postings, posting_search`.execute(db);
  return result;
}
