/**
 * Calendar arithmetic for the policy engine. Dates are `YYYY-MM-DD` strings at the boundaries and
 * day numbers (days since 1970-01-01, UTC calendar) inside the columnar evaluator.
 */

export interface Period {
  years: number;
  months: number;
  days: number;
}

const PERIOD = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$/;

/** ISO 8601 period as written in policy files: `P6M`, `P2Y`, `P30D`, `P1Y6M`. */
export function parsePeriod(text: string): Period | null {
  const m = PERIOD.exec(text);
  if (!m || text === "P") return null;
  return { years: Number(m[1] ?? 0), months: Number(m[2] ?? 0), days: Number(m[3] ?? 0) };
}

/** 6个月, 2年, 30天, 1年6个月 */
export function periodText(p: Period): string {
  const parts: string[] = [];
  if (p.years) parts.push(`${p.years}年`);
  if (p.months) parts.push(`${p.months}个月`);
  if (p.days) parts.push(`${p.days}天`);
  return parts.join("") || "0天";
}

export function dayNumber(date: string): number {
  return Math.floor(
    Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000,
  );
}

export function dateOfDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
export function isDate(text: unknown): text is string {
  if (typeof text !== "string" || !DATE.test(text)) return false;
  return dateOfDay(dayNumber(text)) === text;
}

function daysInMonth(year: number, month0: number): number {
  return new Date(Date.UTC(year, month0 + 1, 0)).getUTCDate();
}

/**
 * `date` plus a period: years and months first, clamped to the end of a shorter month
 * (2024-01-31 + 1 month = 2024-02-29), then days. "满 6 个月" on `d` means asOf ≥ addPeriod(d, P6M).
 */
export function addPeriod(date: string, p: Period, sign: 1 | -1 = 1): string {
  let y = Number(date.slice(0, 4));
  let m0 = Number(date.slice(5, 7)) - 1 + sign * (p.years * 12 + p.months);
  y += Math.floor(m0 / 12);
  m0 = ((m0 % 12) + 12) % 12;
  const d = Math.min(Number(date.slice(8, 10)), daysInMonth(y, m0));
  const base = Date.UTC(y, m0, d) / 86_400_000;
  return dateOfDay(base + sign * p.days);
}

/**
 * The latest start day `s` with addPeriod(s, p) ≤ asOf — "满 p" holds on asOf exactly for
 * starts ≤ this day. addPeriod is monotone in its start, so the columnar evaluator compares day
 * numbers against this one threshold instead of adding months per subject.
 */
export function latestStartCompleting(p: Period, asOf: string): number {
  let s = dayNumber(addPeriod(asOf, p, -1)) + 5;
  while (dayNumber(addPeriod(dateOfDay(s), p)) > dayNumber(asOf)) s--;
  return s;
}

/** Full years from `from` to `to` (an age: birthday counts on the day). */
export function fullYears(from: string, to: string): number {
  let y = Number(to.slice(0, 4)) - Number(from.slice(0, 4));
  if (to.slice(5) < from.slice(5)) y--;
  return y;
}

/** Full months from `from` to `to`. */
export function fullMonths(from: string, to: string): number {
  let m = (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7));
  if (to.slice(8) < from.slice(8)) m--;
  return m;
}
