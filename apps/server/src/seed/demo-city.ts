import type { Database } from "@jiuye/db";
import { importRegions, loadChinaDivision } from "@jiuye/db";
import { createRandom, shanghaiDate } from "@jiuye/domain";
import type { Kysely } from "kysely";
import type { FieldCipher } from "../lib/field-cipher.ts";
import {
  insertEmployers,
  insertPersons,
  insertUser,
  syntheticEmployer,
  syntheticIdNumber,
  syntheticPerson,
} from "./factories.ts";
import { seedJobMarket } from "./job-market.ts";
import { seedDemoStory } from "./policy-facts.ts";
import { SCALES, seedPopulation } from "./population.ts";

/** 南京市: the demo prefecture-level city, with its real districts, streets and communities. */
export const DEMO_CITY = { code: "3201", name: "南京市" } as const;
export const DEMO_PASSWORD = "Jiuye#Demo2026";

// Fixed TOTP secrets so the demo (and its screenshots) repeat; never used outside the demo.
export const DEMO_TOTP = {
  admin: "JIUYEADMINDEMOTOTPSECRETKEYAAAAA",
  auditor: "JIUYEAUDITORDEMOTOTPSECRETKEYAAA",
} as const;

export interface DemoAccount {
  username: string;
  displayName: string;
  role: string;
  regionCode: string | null;
  note: string;
  totpSecret?: string;
}

export const DEMO_ACCOUNTS: DemoAccount[] = [
  {
    username: "admin",
    displayName: "系统管理员",
    role: "admin",
    regionCode: DEMO_CITY.code,
    note: "南京市 系统管理员（需动态口令）",
    totpSecret: DEMO_TOTP.admin,
  },
  {
    username: "auditor",
    displayName: "安全审计员",
    role: "auditor",
    regionCode: DEMO_CITY.code,
    note: "南京市 安全审计员（需动态口令）",
    totpSecret: DEMO_TOTP.auditor,
  },
  {
    username: "analyst",
    displayName: "数据分析员",
    role: "analyst",
    regionCode: DEMO_CITY.code,
    note: "南京市 数据分析员（仅汇总）",
  },
  {
    username: "city_worker",
    displayName: "陈静",
    role: "case_worker",
    regionCode: DEMO_CITY.code,
    note: "南京市人社局 经办人员",
  },
  {
    username: "xuanwu_worker",
    displayName: "刘洋",
    role: "case_worker",
    regionCode: "320102",
    note: "玄武区 经办人员",
  },
  {
    username: "xinjiekou_worker",
    displayName: "赵敏",
    role: "case_worker",
    regionCode: "320102003",
    note: "玄武区新街口街道 经办人员",
  },
  {
    username: "qinhuai_worker",
    displayName: "孙磊",
    role: "case_worker",
    regionCode: "320104",
    note: "秦淮区 经办人员",
  },
  {
    username: "employer",
    displayName: "南京示例科技有限公司",
    role: "employer",
    regionCode: null,
    note: "用人单位（示例）",
  },
  { username: "worker", displayName: "张明", role: "individual", regionCode: null, note: "劳动者本人（示例）" },
];

/** Whether the demo has already been seeded (the seed is not repeated on later starts). */
export async function isDemoSeeded(db: Kysely<Database>): Promise<boolean> {
  const r = await db.selectFrom("users").select("id").where("username", "=", "admin").executeTakeFirst();
  return !!r;
}

/**
 * Seeds the demo city deterministically: regions of all China down to streets plus the demo
 * city's communities, the demo accounts, and synthetic people (fixed PRNG seed).
 */
export async function seedDemoCity(
  db: Kysely<Database>,
  cipher: FieldCipher,
  options: {
    persons?: number;
    employers?: number;
    postings?: number;
    seekers?: number;
    seed?: number;
    regionsOnlyDemoCity?: boolean;
    onProgress?: (step: string, done: number, total: number) => void;
  } = {},
) {
  const regions = loadChinaDivision({
    communitiesOf: [DEMO_CITY.code],
    ...(options.regionsOnlyDemoCity ? { onlyPrefix: DEMO_CITY.code } : {}),
  });
  await importRegions(db, regions, (d, t) => options.onProgress?.("行政区划", d, t));
  const rnd = createRandom(20211227);
  // The demo individual lives in 新街口街道 so the street worker can find them.
  const self = { ...syntheticPerson(rnd, "320102003001"), name: "张明", sex: "male" as const, birthDate: "1990-06-15" };
  self.idNumber = syntheticIdNumber(rnd, "320102", self.birthDate, self.sex);
  const ids = await insertPersons(db, cipher, [self]);
  const demoEmployer = { ...syntheticEmployer(rnd, "320102003"), name: "南京示例科技有限公司", industryCode: "65" };
  const employerIds = await insertEmployers(db, [demoEmployer], "2026-09-30");
  const population = await seedPopulation(db, cipher, {
    persons: options.persons ?? SCALES.demo.persons,
    employers: options.employers ?? SCALES.demo.employers,
    seed: options.seed ?? 20211227,
    cityCode: DEMO_CITY.code,
    today: shanghaiDate(new Date()),
    onProgress: options.onProgress,
  });
  await seedDemoStory(db, ids[0]!, shanghaiDate(new Date()), demoEmployer);
  for (const a of DEMO_ACCOUNTS) {
    await insertUser(db, cipher, {
      username: a.username,
      displayName: a.displayName,
      role: a.role as never,
      regionCode: a.regionCode,
      personId: a.role === "individual" ? ids[0] : null,
      employerId: a.role === "employer" ? employerIds[0] : null,
      password: DEMO_PASSWORD,
      totpSecret: a.totpSecret,
    });
  }
  options.onProgress?.("演示账号", DEMO_ACCOUNTS.length, DEMO_ACCOUNTS.length);
  // The demo individual (张明) is registered as a job seeker for electrician work.
  const cityWorker = await db.selectFrom("users").select("id").where("username", "=", "city_worker").executeTakeFirst();
  const market = await seedJobMarket(db, {
    createdBy: cityWorker?.id,
    postings: options.postings ?? Math.max(50, Math.round((options.persons ?? SCALES.demo.persons) / 8)),
    seekers: options.seekers ?? Math.round((options.persons ?? SCALES.demo.persons) / 10),
    seed: (options.seed ?? 20211227) + 1,
    cityCode: DEMO_CITY.code,
    today: shanghaiDate(new Date()),
    demoSeeker: { personId: ids[0]!, occupations: ["6-31-01-03", "6-31-01-01"], skills: ["低压电工证", "电气接线"] },
    onProgress: options.onProgress,
  });
  return { persons: population.persons + 1, regions: regions.length, selfPersonId: ids[0]!, population, market };
}
