/**
 * Minimum wage (最低工资标准), set by each province per tier (档) of region and revised at least
 * every two years (《最低工资规定》第十条). The monthly rate applies to full-time work, the hourly
 * rate to part-time work (非全日制用工). Base pay excluding overtime and special allowances must meet
 * it (第十二条). Standards are versioned by effective date; evaluation is always as of a date.
 *
 * Money is in 分 (integer). `verified: false` means the figure was entered from secondary
 * sources and not yet checked against the official document: check before relying on it.
 */
export interface MinimumWageTier {
  tier: number;
  monthlyFen: number;
  hourlyFen: number;
}

export interface MinimumWageStandard {
  provinceCode: string;
  provinceName: string;
  effectiveFrom: string;
  source: string;
  verified: boolean;
  tiers: MinimumWageTier[];
  /** Region-code prefix (4-digit city or 6-digit county) → tier; the longest prefix wins. */
  regionTiers: Record<string, number>;
  /** The tier for regions not listed (the lowest tier unless the province says otherwise). */
  defaultTier: number;
}

export interface MinimumWageRate {
  provinceCode: string;
  regionName: string;
  tier: number;
  monthlyFen: number;
  hourlyFen: number;
  effectiveFrom: string;
  source: string;
  verified: boolean;
  /** True when the region is not listed and the default tier was used. */
  defaultTierUsed: boolean;
}

export const MINIMUM_WAGE_STANDARDS: readonly MinimumWageStandard[] = [
  {
    provinceCode: "32",
    provinceName: "江苏省",
    effectiveFrom: "2022-10-01",
    source: "江苏省人民政府关于调整全省最低工资标准的通知（2022年10月1日起执行）",
    verified: false,
    tiers: [
      { tier: 1, monthlyFen: 228_000, hourlyFen: 2_200 },
      { tier: 2, monthlyFen: 207_000, hourlyFen: 2_000 },
      { tier: 3, monthlyFen: 184_000, hourlyFen: 1_800 },
    ],
    // 一类: 南京、无锡、苏州全市，常州市区 (the demo city is 南京 3201).
    regionTiers: { "3201": 1, "3202": 1, "3205": 1, "320402": 1, "320404": 1, "320411": 1, "320412": 1, "320413": 1 },
    defaultTier: 3,
  },
  {
    provinceCode: "31",
    provinceName: "上海市",
    effectiveFrom: "2023-07-01",
    source: "上海市人力资源和社会保障局关于调整本市最低工资标准的通知（2023年7月1日起执行）",
    verified: false,
    tiers: [{ tier: 1, monthlyFen: 269_000, hourlyFen: 2_400 }],
    regionTiers: {},
    defaultTier: 1,
  },
  {
    provinceCode: "11",
    provinceName: "北京市",
    effectiveFrom: "2023-09-01",
    source: "北京市人力资源和社会保障局关于调整北京市2023年最低工资标准的通知（2023年9月1日起执行）",
    verified: false,
    tiers: [{ tier: 1, monthlyFen: 242_000, hourlyFen: 2_640 }],
    regionTiers: {},
    defaultTier: 1,
  },
];

export function formatFen(fen: number): string {
  const yuan = fen / 100;
  return Number.isInteger(yuan) ? String(yuan) : yuan.toFixed(2);
}

/** Structural problems in a standard (used when an administrator adds one); empty when valid. */
export function validateMinimumWageStandard(s: MinimumWageStandard): string[] {
  const errors: string[] = [];
  if (!/^\d{2}$/.test(s.provinceCode)) errors.push("provinceCode：省级代码应为2位数字");
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s.effectiveFrom)) errors.push("effectiveFrom：执行日期格式应为 YYYY-MM-DD");
  if (s.tiers.length === 0) errors.push("tiers：至少需要一档标准");
  const tiers = new Set<number>();
  for (const t of s.tiers) {
    if (tiers.has(t.tier)) errors.push(`tiers：第${t.tier}档重复`);
    tiers.add(t.tier);
    if (!Number.isInteger(t.monthlyFen) || t.monthlyFen <= 0)
      errors.push(`tiers：第${t.tier}档月最低工资应为正整数（分）`);
    if (!Number.isInteger(t.hourlyFen) || t.hourlyFen <= 0)
      errors.push(`tiers：第${t.tier}档小时最低工资应为正整数（分）`);
  }
  for (const [prefix, tier] of Object.entries(s.regionTiers)) {
    if (!/^\d{4}(\d{2})?$/.test(prefix) || !prefix.startsWith(s.provinceCode))
      errors.push(`regionTiers：地区代码 ${prefix} 不属于该省`);
    if (!tiers.has(tier)) errors.push(`regionTiers：地区 ${prefix} 指向不存在的第${tier}档`);
  }
  if (!tiers.has(s.defaultTier)) errors.push(`defaultTier：第${s.defaultTier}档不存在`);
  return errors;
}

/** The rate in force for a region on a date, or null when no standard of its province applies yet. */
export function minimumWageFor(
  standards: readonly MinimumWageStandard[],
  regionCode: string,
  asOf: string,
): MinimumWageRate | null {
  const province = regionCode.slice(0, 2);
  let current: MinimumWageStandard | undefined;
  for (const s of standards) {
    if (s.provinceCode !== province || s.effectiveFrom > asOf) continue;
    if (!current || s.effectiveFrom > current.effectiveFrom) current = s;
  }
  if (!current) return null;
  let tierNo = current.defaultTier;
  let best = -1;
  for (const [prefix, tier] of Object.entries(current.regionTiers)) {
    if (regionCode.startsWith(prefix) && prefix.length > best) {
      best = prefix.length;
      tierNo = tier;
    }
  }
  const tier = current.tiers.find((t) => t.tier === tierNo) ?? current.tiers[current.tiers.length - 1];
  if (!tier) return null;
  return {
    provinceCode: province,
    regionName: current.provinceName,
    tier: tier.tier,
    monthlyFen: tier.monthlyFen,
    hourlyFen: tier.hourlyFen,
    effectiveFrom: current.effectiveFrom,
    source: current.source,
    verified: current.verified,
    defaultTierUsed: best < 0 && Object.keys(current.regionTiers).length > 0,
  };
}
