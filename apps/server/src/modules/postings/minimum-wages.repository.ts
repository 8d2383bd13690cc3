import type { MinimumWageStandard } from "@jiuye/domain";
import { shanghaiDate } from "@jiuye/domain";
import type { Executor } from "../../lib/executor.ts";

/** 最低工资标准: every stored standard, as the domain reads them. */
export const minimumWagesRepository = {
  async all(db: Executor): Promise<MinimumWageStandard[]> {
    const rows = await db.selectFrom("minimum_wage_standards").selectAll().execute();
    return rows.map((r) => ({
      provinceCode: r.province_code,
      provinceName: r.province_name,
      effectiveFrom:
        typeof r.effective_from === "string" ? r.effective_from : shanghaiDate(r.effective_from as unknown as Date),
      source: r.source,
      verified: r.verified,
      tiers: r.tiers as MinimumWageStandard["tiers"],
      regionTiers: r.region_tiers as Record<string, number>,
      defaultTier: r.default_tier,
    }));
  },

  insert(db: Executor, s: MinimumWageStandard, createdBy: string) {
    return db
      .insertInto("minimum_wage_standards")
      .values({
        province_code: s.provinceCode,
        province_name: s.provinceName,
        effective_from: s.effectiveFrom,
        source: s.source,
        verified: s.verified,
        tiers: JSON.stringify(s.tiers),
        region_tiers: JSON.stringify(s.regionTiers),
        default_tier: s.defaultTier,
        created_by: createdBy,
      })
      .execute();
  },
};
