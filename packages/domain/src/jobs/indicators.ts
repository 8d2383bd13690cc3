/**
 * Job-market indicators (人力资源市场供求指标).
 * - 求人倍率 = vacancies ÷ job seekers registered in the period (quarterly "本季度有效数"); 0.8
 *   means 10 seekers for 8 posts. Undefined (null) when there are no seekers.
 * - 工资价位: P10/P25/P50/P75/P90 of the monthly pay offered by postings in the period, shown
 *   only behind at least WAGE_MIN_SAMPLE postings (fewer would be noise and could identify one employer).
 */
export const WAGE_MIN_SAMPLE = 10;
export const WAGE_PERCENTILES = [0.1, 0.25, 0.5, 0.75, 0.9] as const;

export interface Quarter {
  label: string;
  /** First day (inclusive) and the day after the last (exclusive), Asia/Shanghai dates. */
  from: string;
  until: string;
}

export function parseQuarter(q: string): Quarter | null {
  const m = /^(\d{4})Q([1-4])$/.exec(q);
  if (!m) return null;
  const year = Number(m[1]);
  const n = Number(m[2]);
  const pad = (x: number) => String(x).padStart(2, "0");
  const from = `${year}-${pad((n - 1) * 3 + 1)}-01`;
  const until = n === 4 ? `${year + 1}-01-01` : `${year}-${pad(n * 3 + 1)}-01`;
  return { label: `${year}年第${"一二三四"[n - 1]}季度`, from, until };
}

export function quarterOf(date: string): string {
  return `${date.slice(0, 4)}Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
}

export function vacancyRatio(vacancies: number, seekers: number): number | null {
  return seekers === 0 ? null : Math.round((vacancies / seekers) * 100) / 100;
}

/** Linear-interpolated percentile (PostgreSQL percentile_cont semantics) of sorted values. */
export function percentileCont(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}
