/**
 * Statutory retirement age under 全国人大常委会《关于实施渐进式延迟法定退休年龄的决定》
 * (2024-09-13, in force 2025-01-01) and its 附件1《国务院关于渐进式延迟法定退休年龄的办法》:
 * over 15 years, men 60 → 63 and women in 55-year posts 55 → 58 move one month later for every
 * 4 months of birth date; women in 50-year posts 50 → 55 move one month for every 2 months.
 * People who reach the original age before 2025-01-01 keep it. The tables of 附件2 follow from
 * this rule: e.g. men born 1965-01…1965-04 retire at 60y1m; men born from 1976-09 at 63.
 */
export type RetirementCategory = "male-60" | "female-55" | "female-50";

export const RETIREMENT_CATEGORIES: readonly RetirementCategory[] = ["male-60", "female-55", "female-50"];

interface Rule {
  originalYears: number;
  /** First birth month affected: the cohort reaching the original age in 2025-01. */
  firstCohort: { year: number; month: number };
  /** Months of birth per one month of delay. */
  step: number;
  maxDelayMonths: number;
}

const RULES: Record<RetirementCategory, Rule> = {
  "male-60": { originalYears: 60, firstCohort: { year: 1965, month: 1 }, step: 4, maxDelayMonths: 36 },
  "female-55": { originalYears: 55, firstCohort: { year: 1970, month: 1 }, step: 4, maxDelayMonths: 36 },
  "female-50": { originalYears: 50, firstCohort: { year: 1975, month: 1 }, step: 2, maxDelayMonths: 60 },
};

export interface RetirementResult {
  category: RetirementCategory;
  /** Statutory retirement age in years and months. */
  ageYears: number;
  ageMonths: number;
  /** Month in which the person reaches it, YYYY-MM. */
  retirementMonth: string;
  delayMonths: number;
  originalAgeYears: number;
}

/** Statutory retirement for a birth month (`YYYY-MM` or `YYYY-MM-DD`) and category. Pure: no clock. */
export function statutoryRetirement(birth: string, category: RetirementCategory): RetirementResult {
  const m = /^(\d{4})-(\d{2})/.exec(birth);
  if (!m) throw new Error(`invalid birth date: ${birth}`);
  const year = Number(m[1]);
  const month = Number(m[2]);
  const rule = RULES[category];
  const offset = (year - rule.firstCohort.year) * 12 + (month - rule.firstCohort.month);
  const delay = offset < 0 ? 0 : Math.min(rule.maxDelayMonths, Math.floor(offset / rule.step) + 1);
  const totalMonths = rule.originalYears * 12 + delay;
  const index = year * 12 + (month - 1) + totalMonths;
  const retirementMonth = `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
  return {
    category,
    ageYears: Math.floor(totalMonths / 12),
    ageMonths: totalMonths % 12,
    retirementMonth,
    delayMonths: delay,
    originalAgeYears: rule.originalYears,
  };
}

/** Whether someone is of working age (16th birthday up to, not including, the retirement month) on a date. */
export function isWorkingAge(birthDate: string, category: RetirementCategory, onDate: string): boolean {
  const [by, bm, bd] = birthDate.split("-").map(Number) as [number, number, number | undefined];
  const sixteen = `${by + 16}-${String(bm).padStart(2, "0")}-${String(bd ?? 1).padStart(2, "0")}`;
  if (onDate < sixteen) return false;
  return onDate.slice(0, 7) < statutoryRetirement(birthDate, category).retirementMonth;
}

/**
 * The first day of the statutory retirement month: from that day on the person is no longer of
 * working age (the same boundary as `isWorkingAge`).
 */
export function retirementStartDate(birthDate: string, category: RetirementCategory): string {
  return `${statutoryRetirement(birthDate, category).retirementMonth}-01`;
}
