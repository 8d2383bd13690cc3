/**
 * 行政区划代码 and statistical codes: 2 (province), 4 (city), 6 (county), 9 (乡镇/街道),
 * 12 (村/居委会) digits. A scope covers a region and every region whose code starts with it.
 */

export const REGION_CODE_LENGTHS = [2, 4, 6, 9, 12] as const;

export type RegionLevel = 1 | 2 | 3 | 4 | 5;

export function isRegionCode(code: string): boolean {
  return /^\d+$/.test(code) && (REGION_CODE_LENGTHS as readonly number[]).includes(code.length);
}

export function regionLevel(code: string): RegionLevel {
  const i = (REGION_CODE_LENGTHS as readonly number[]).indexOf(code.length);
  if (i < 0) throw new Error(`invalid region code length: ${code}`);
  return (i + 1) as RegionLevel;
}

export const REGION_LEVEL_NAMES: Record<RegionLevel, string> = {
  1: "省级",
  2: "地市级",
  3: "区县级",
  4: "街道/乡镇",
  5: "社区/村",
};

/** True when `scope` (a staff member's region) covers `code`. */
export function scopeCovers(scope: string, code: string): boolean {
  return code.startsWith(scope);
}

/** The chain of ancestor codes of a region, from the province down, excluding itself. */
export function ancestorCodes(code: string): string[] {
  return REGION_CODE_LENGTHS.filter((n) => n < code.length).map((n) => code.slice(0, n));
}

/** The parent code, or null for a province. */
export function parentCode(code: string): string | null {
  const a = ancestorCodes(code);
  return a.length ? (a[a.length - 1] ?? null) : null;
}
