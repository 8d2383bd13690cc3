import type { Database } from "@jiuye/db";
import { createRandom, creditCodeCheckChar, GB4754_SECTIONS, idNumberCheckChar, type Role } from "@jiuye/domain";
import type { Kysely } from "kysely";
import { Secret } from "otpauth";
import type { FieldCipher } from "../lib/field-cipher.ts";
import { hashPassword } from "../lib/passwords.ts";
import { protectedPersonRow } from "../modules/persons/persons.protect.ts";

export type Random = ReturnType<typeof createRandom>;

export interface UserSpec {
  username: string;
  displayName?: string;
  role: Role;
  regionCode?: string | null;
  personId?: string | null;
  employerId?: string | null;
  password: string;
  /** Enrol a TOTP secret (base32); admin and auditor need one to work. */
  totpSecret?: string;
  mustChangePassword?: boolean;
}

/** Inserts an account directly (seeds and tests); the API path is users.service. */
export async function insertUser(db: Kysely<Database>, cipher: FieldCipher, spec: UserSpec): Promise<string> {
  const row = await db
    .insertInto("users")
    .values({
      username: spec.username,
      display_name: spec.displayName ?? spec.username,
      role: spec.role,
      region_code: spec.regionCode ?? null,
      person_id: spec.personId ?? null,
      employer_id: spec.employerId ?? null,
      password_hash: await hashPassword(spec.password),
      must_change_password: spec.mustChangePassword ?? false,
      totp_secret_enc: spec.totpSecret ? cipher.encrypt(spec.totpSecret) : null,
      totp_enabled: !!spec.totpSecret,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

const SURNAMES =
  "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤";
const GIVEN =
  "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉建国志强文博思远子涵欣怡浩然雨轩梓萱晨阳佳琪宇航俊杰婷婷晓东海波春梅";

/** A synthetic but checksum-valid ID number for someone registered in `areaCode` (6 digits). */
export function syntheticIdNumber(rnd: Random, areaCode: string, birthDate: string, sex: "male" | "female"): string {
  const seq2 = String(rnd.int(0, 99)).padStart(2, "0");
  const odd = rnd.int(0, 4) * 2 + (sex === "male" ? 1 : 0);
  const first17 = `${areaCode}${birthDate.replace(/-/g, "")}${seq2}${odd}`;
  return first17 + idNumberCheckChar(first17);
}

export function syntheticPerson(rnd: Random, residenceRegionCode: string) {
  const sex = rnd.next() < 0.5 ? ("male" as const) : ("female" as const);
  const year = rnd.int(1966, 2006);
  const month = rnd.int(1, 12);
  const day = rnd.int(1, 28);
  const birthDate = `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
  const given = GIVEN.length;
  const a = rnd.int(0, given - 1);
  const name = rnd.pick([...SURNAMES]) + GIVEN[a] + (rnd.next() < 0.6 ? GIVEN[rnd.int(0, given - 1)] : "");
  const phone =
    rnd.pick(["135", "136", "137", "138", "139", "150", "151", "152", "158", "159", "186", "187", "188", "189"]) +
    String(rnd.int(0, 99_999_999)).padStart(8, "0");
  return {
    name,
    sex,
    birthDate,
    idNumber: syntheticIdNumber(rnd, residenceRegionCode.slice(0, 6), birthDate, sex),
    phone,
    residenceRegionCode,
  };
}

/** Inserts people in batches with encrypted identifiers, blind indexes and masked copies. */
export async function insertPersons(
  db: Kysely<Database>,
  cipher: FieldCipher,
  people: Array<{
    name: string;
    sex: string;
    birthDate: string;
    idNumber: string;
    phone?: string | null;
    residenceRegionCode: string;
  }>,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < people.length; i += 500) {
    const rows = people.slice(i, i + 500).map((p) => protectedPersonRow(cipher, p));
    const inserted = await db
      .insertInto("persons")
      .values(rows)
      .onConflict((oc) => oc.column("id_number_bidx").doNothing())
      .returning("id")
      .execute();
    ids.push(...inserted.map((r) => r.id));
  }
  return ids;
}

const CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const DIVISIONS = GB4754_SECTIONS.filter((s) => s.code !== "S" && s.code !== "T").flatMap((s) =>
  s.divisions.map(([code]) => code),
);
const TRADE = [
  "科技",
  "商贸",
  "物流",
  "建设",
  "餐饮管理",
  "制造",
  "信息技术",
  "食品",
  "服饰",
  "医疗器械",
  "文化传媒",
  "物业管理",
];
const BRAND = [
  "金陵",
  "钟山",
  "玄武",
  "秦淮",
  "栖霞",
  "紫金",
  "长江",
  "扬子",
  "石城",
  "雨花",
  "鼓楼",
  "江宁",
  "明城",
  "六朝",
];

/** A checksum-valid 统一社会信用代码 for an enterprise (9 1) registered in `areaCode` (6 digits). */
export function syntheticCreditCode(rnd: Random, areaCode: string): string {
  let org = "";
  for (let i = 0; i < 9; i++) org += CREDIT_CHARS[rnd.int(0, i < 8 ? 9 : CREDIT_CHARS.length - 1)];
  const first17 = `91${areaCode}${org}`;
  return first17 + creditCodeCheckChar(first17);
}

/** A synthetic 用人单位 with a plausible name, industry and size. */
export function syntheticEmployer(rnd: Random, regionCode: string) {
  const headcount = rnd.pick([3, 8, 15, 30, 60, 120, 300, 800, 2500]);
  return {
    creditCode: syntheticCreditCode(rnd, regionCode.slice(0, 6)),
    name: `南京${rnd.pick(BRAND)}${rnd.pick(TRADE)}有限公司`,
    industryCode: rnd.pick(DIVISIONS),
    ownership: rnd.pick(["private", "private", "private", "joint_stock", "state_owned", "foreign", "collective"]),
    sizeClass: headcount >= 1000 ? "large" : headcount >= 300 ? "medium" : headcount >= 20 ? "small" : "micro",
    regionCode,
    headcount,
    insuredHeadcount: Math.round(headcount * (0.6 + rnd.next() * 0.4)),
  };
}

/**
 * Inserts employers directly (seeds and benchmarks) and returns their ids in order; an employer
 * already registered under the same credit code (an earlier seed with the same seed number) is
 * kept as it is and its id returned.
 */
export async function insertEmployers(
  db: Kysely<Database>,
  employers: Array<ReturnType<typeof syntheticEmployer> & { name: string }>,
  asOf: string,
): Promise<string[]> {
  const ids: string[] = [];
  const now = new Date();
  for (let i = 0; i < employers.length; i += 500) {
    const rows = employers.slice(i, i + 500).map((e) => ({
      province_code: e.regionCode.slice(0, 2),
      credit_code: e.creditCode,
      name: e.name,
      industry_code: e.industryCode,
      ownership: e.ownership,
      size_class: e.sizeClass,
      region_code: e.regionCode,
      headcount: e.headcount,
      insured_headcount: e.insuredHeadcount,
      headcount_as_of: asOf,
      created_at: now,
      updated_at: now,
    }));
    const inserted = await db
      .insertInto("employers")
      .values(rows)
      .onConflict((oc) => oc.column("credit_code").doNothing())
      .returning(["id", "credit_code"])
      .execute();
    const byCode = new Map(inserted.map((r) => [r.credit_code, r.id]));
    const missing = rows.map((r) => r.credit_code).filter((c) => !byCode.has(c));
    if (missing.length)
      for (const r of await db
        .selectFrom("employers")
        .select(["id", "credit_code"])
        .where("credit_code", "in", missing)
        .execute())
        byCode.set(r.credit_code, r.id);
    for (const r of rows) ids.push(byCode.get(r.credit_code)!);
  }
  return ids;
}

export { createRandom };
