/**
 * Two-way matching (供需匹配) of seekers and postings: hard filters veto, transparent features
 * score, each component explained in Chinese (see ../shared/guides/matching.md).
 *
 * Fairness by construction: the inputs below carry no protected attribute — no sex, ethnicity,
 * religion, 户籍, marital or childbearing status, health, disability, age, photo, name, ID number
 * or graduation year. The counterfactual test changes each of them on the person record and checks
 * the score does not move; the types make it impossible to pass them in here.
 */
import { occupationProximity } from "./occupations.ts";

export type WorkType = "full_time" | "part_time" | "flexible";

export const EDUCATION_RANK: Record<string, number> = {
  primary_or_below: 1,
  junior_high: 2,
  high_school: 3,
  secondary_vocational: 3,
  junior_college: 4,
  bachelor: 5,
  master: 6,
  doctorate: 7,
};

export interface SeekerFeatures {
  id: string;
  occupations: string[];
  skills: string[];
  /** Region-code prefixes the seeker will work in (county, city or province). */
  regions: string[];
  salaryExpectationFen: number | null;
  education: string | null;
  availableFrom: string | null;
  workTypes: WorkType[];
}

export interface PostingFeatures {
  id: string;
  occupationCode: string;
  skills: string[];
  regionCode: string;
  salaryType: "monthly" | "hourly";
  salaryMinFen: number;
  salaryMaxFen: number;
  education: string | null;
  workType: WorkType;
}

export type ComponentKey = "occupation" | "skills" | "region" | "salary" | "education" | "availability";

export interface ScoreComponent {
  key: ComponentKey;
  label: string;
  points: number;
  max: number;
  met: boolean;
  detail: string;
  matchedSkills?: string[];
  missingSkills?: string[];
}

export interface MatchResult {
  seekerId: string;
  postingId: string;
  score: number;
  components: ScoreComponent[];
  hint: string | null;
  notUsed: string;
}

export const MATCH_WEIGHTS: Record<ComponentKey, number> = {
  occupation: 30,
  skills: 30,
  region: 15,
  salary: 15,
  education: 5,
  availability: 5,
};

export const NOT_USED_NOTE = "未参与计算：性别、民族、宗教、户籍、婚育状况、年龄、健康状况、残疾、照片、姓名、身份证号";

export interface NameLookup {
  occupation(code: string): string;
  region(code: string): string;
}

const fallbackNames: NameLookup = { occupation: (c) => c, region: (c) => c };

/** Hard filters: a vetoed pair is never recommended. */
export function vetoReason(seeker: SeekerFeatures, posting: PostingFeatures): string | null {
  if (seeker.workTypes.length > 0 && !seeker.workTypes.includes(posting.workType)) return "用工形式不符";
  if (seeker.regions.length > 0 && !seeker.regions.some((r) => posting.regionCode.startsWith(r))) return "不在意向地区";
  if (!seeker.occupations.some((o) => occupationProximity(o, posting.occupationCode) !== "none"))
    return "职业意向不相关";
  const required = posting.education ? (EDUCATION_RANK[posting.education] ?? 0) : 0;
  // an unregistered education level cannot veto: the case worker checks it
  if (seeker.education && (EDUCATION_RANK[seeker.education] ?? 0) < required) return "学历未达到岗位要求";
  return null;
}

// ── The points of each component, shared by scoreMatch (with explanations) and the in-process
// recommendation index (numbers only), so that the two cannot disagree. ──
export const OCCUPATION_POINTS = { same: 30, minor: 20, middle: 10, none: 0 } as const;

export function skillPoints(matched: number, required: number): number {
  return required === 0 ? 15 : Math.round((30 * matched) / required);
}

/** `prefixLength`: length of the first seeker region containing the posting, or null. */
export function regionPoints(prefixLength: number | null, seekerHasRegions: boolean): number {
  if (prefixLength !== null) return prefixLength >= 6 ? 15 : prefixLength === 4 ? 10 : 8;
  return seekerHasRegions ? 5 : 8;
}

export function salaryPoints(expectFen: number | null, minMonthlyFen: number, maxMonthlyFen: number): number {
  if (expectFen == null) return 10;
  if (minMonthlyFen >= expectFen) return 15;
  if (maxMonthlyFen >= expectFen)
    return Math.round(8 + (7 * (maxMonthlyFen - expectFen)) / Math.max(1, maxMonthlyFen - minMonthlyFen));
  return Math.max(0, Math.round(8 * (1 - (expectFen - maxMonthlyFen) / expectFen) - 2));
}

export function educationPoints(requiredRank: number, hasRank: number | null): number {
  if (requiredRank === 0) return 5;
  if (hasRank === null) return 2;
  return hasRank >= requiredRank ? 5 : 0;
}

/** Dates as YYYY-MM-DD strings or as day numbers — anything that orders like dates. */
export function availabilityPoints<T extends string | number>(availableFrom: T | null, asOf: T): number {
  return availableFrom == null || availableFrom <= asOf ? 5 : 2;
}

/** 非全日制 hourly pay compared on a monthly basis at 21.75 days × 8 hours (劳社部发〔2008〕3号). */
export function monthlyEquivalentFen(salaryType: "monthly" | "hourly", fen: number): number {
  return salaryType === "hourly" ? Math.round(fen * 174) : fen;
}

function yuan(fen: number): string {
  return String(Math.round(fen / 100));
}

export function scoreMatch(
  seeker: SeekerFeatures,
  posting: PostingFeatures,
  asOf: string,
  names: NameLookup = fallbackNames,
): MatchResult {
  const components: ScoreComponent[] = [];

  // 职业
  let best: "same" | "minor" | "middle" | "none" = "none";
  let bestCode = seeker.occupations[0] ?? "";
  const order = { same: 3, minor: 2, middle: 1, none: 0 };
  for (const o of seeker.occupations) {
    const p = occupationProximity(o, posting.occupationCode);
    if (order[p] > order[best]) {
      best = p;
      bestCode = o;
    }
  }
  const occDetail = {
    same: `求职意向「${names.occupation(bestCode)}」与岗位职业相同（${posting.occupationCode}）`,
    minor: `求职意向「${names.occupation(bestCode)}」与岗位「${names.occupation(posting.occupationCode)}」同属 ${posting.occupationCode.slice(0, 7)} 小类`,
    middle: `求职意向「${names.occupation(bestCode)}」与岗位「${names.occupation(posting.occupationCode)}」同属 ${posting.occupationCode.slice(0, 4)} 中类`,
    none: `求职意向与岗位职业「${names.occupation(posting.occupationCode)}」不相关`,
  }[best];
  components.push({
    key: "occupation",
    label: "职业",
    points: OCCUPATION_POINTS[best],
    max: 30,
    met: best !== "none",
    detail: occDetail,
  });

  // 技能
  const have = new Set(seeker.skills.map((s) => s.toLowerCase()));
  const matched = posting.skills.filter((s) => have.has(s.toLowerCase()));
  const missing = posting.skills.filter((s) => !have.has(s.toLowerCase()));
  components.push({
    key: "skills",
    label: "技能",
    points: skillPoints(matched.length, posting.skills.length),
    max: 30,
    met: missing.length === 0,
    detail:
      posting.skills.length === 0
        ? "岗位未列出技能要求"
        : `满足 ${matched.length}/${posting.skills.length} 项${matched.length ? `（${matched.join("、")}）` : ""}${missing.length ? `；缺少：${missing.join("、")}` : ""}`,
    matchedSkills: matched,
    missingSkills: missing,
  });

  // 地点
  const pref = seeker.regions.find((r) => posting.regionCode.startsWith(r));
  const region = regionPoints(pref ? pref.length : null, seeker.regions.length > 0);
  const regionDetail = pref
    ? pref.length >= 6
      ? `岗位在意向地区${names.region(pref)}`
      : pref.length === 4
        ? `岗位在意向城市${names.region(pref)}`
        : `岗位在意向省份${names.region(pref)}`
    : seeker.regions.length === 0
      ? `求职者未限定地区；岗位位于${names.region(posting.regionCode)}`
      : `岗位位于${names.region(posting.regionCode)}`;
  components.push({ key: "region", label: "地点", points: region, max: 15, met: region >= 10, detail: regionDetail });

  // 薪资
  const min = monthlyEquivalentFen(posting.salaryType, posting.salaryMinFen);
  const max = monthlyEquivalentFen(posting.salaryType, posting.salaryMaxFen);
  const range =
    posting.salaryType === "hourly"
      ? `${yuan(posting.salaryMinFen)}–${yuan(posting.salaryMaxFen)} 元/小时（约 ${yuan(min)}–${yuan(max)} 元/月）`
      : `${yuan(min)}–${yuan(max)} 元/月`;
  const expect = seeker.salaryExpectationFen;
  const salary = salaryPoints(expect, min, max);
  const salaryDetail =
    expect == null
      ? `${range}；求职者未填写期望薪资`
      : min >= expect
        ? `${range}，不低于期望 ${yuan(expect)} 元`
        : max >= expect
          ? `${range}，覆盖期望 ${yuan(expect)} 元`
          : `${range}，低于期望 ${yuan(expect)} 元`;
  components.push({ key: "salary", label: "薪资", points: salary, max: 15, met: salary >= 8, detail: salaryDetail });

  // 学历
  const required = posting.education ? (EDUCATION_RANK[posting.education] ?? 0) : 0;
  const has = seeker.education ? (EDUCATION_RANK[seeker.education] ?? 0) : null;
  const eduMet = required === 0 || (has !== null && has >= required);
  components.push({
    key: "education",
    label: "学历",
    points: educationPoints(required, has),
    max: 5,
    met: eduMet,
    detail:
      required === 0
        ? "岗位不限学历"
        : has === null
          ? "未登记学历，请核实是否满足岗位要求"
          : has >= required
            ? "学历满足岗位要求"
            : "学历未达到岗位要求",
  });

  // 到岗
  const available = seeker.availableFrom == null || seeker.availableFrom <= asOf;
  components.push({
    key: "availability",
    label: "到岗时间",
    points: availabilityPoints(seeker.availableFrom, asOf),
    max: 5,
    met: available,
    detail: available ? "可立即到岗" : `${seeker.availableFrom} 起可到岗`,
  });

  const score = components.reduce((s, c) => s + c.points, 0);
  const hint =
    missing.length > 0 ? `补齐「${missing.slice(0, 3).join("、")}」可提升匹配度（可参加相关职业技能培训）` : null;
  return { seekerId: seeker.id, postingId: posting.id, score, components, hint, notUsed: NOT_USED_NOTE };
}

/** Top-k by score (desc), ties broken by id (asc) so that every implementation agrees. */
export function topMatches(results: MatchResult[], k: number, key: "postingId" | "seekerId"): MatchResult[] {
  return [...results].sort((a, b) => b.score - a.score || (a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : 0)).slice(0, k);
}
