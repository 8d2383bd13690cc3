import { describe, expect, it } from "vitest";
import { parseQuarter, percentileCont, quarterOf, vacancyRatio } from "./indicators.ts";

describe("market indicators", () => {
  it("quarters", () => {
    expect(parseQuarter("2026Q4")).toEqual({ label: "2026年第四季度", from: "2026-10-01", until: "2027-01-01" });
    expect(parseQuarter("2026Q1")?.until).toBe("2026-04-01");
    expect(parseQuarter("2026Q5")).toBeNull();
    expect(quarterOf("2026-11-28")).toBe("2026Q4");
    expect(quarterOf("2026-03-31")).toBe("2026Q1");
  });
  it("求人倍率: 8 posts for 10 seekers is 0.8; no seekers is undefined", () => {
    expect(vacancyRatio(8, 10)).toBe(0.8);
    expect(vacancyRatio(1, 3)).toBe(0.33);
    expect(vacancyRatio(5, 0)).toBeNull();
  });
  it("percentiles interpolate like percentile_cont", () => {
    const v = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentileCont(v, 0.5)).toBe(5.5);
    expect(percentileCont(v, 0.1)).toBeCloseTo(1.9);
    expect(percentileCont(v, 0.9)).toBeCloseTo(9.1);
    expect(percentileCont([], 0.5)).toBeNull();
  });
});
