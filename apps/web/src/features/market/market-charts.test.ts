import { describe, expect, it } from "vitest";
import { vacancyRatioOption, wagesOption } from "./market-charts";

describe("market charts", () => {
  it("puts each ratio beside its group and keeps the two series aligned", () => {
    const o = vacancyRatioOption([
      { name: "生产辅助人员", vacancies: 10, seekers: 4, ratio: 2.5 },
      { name: "批发与零售服务人员", vacancies: 6, seekers: 30, ratio: 0.2 },
      { name: "无人求职", vacancies: 1, seekers: 0, ratio: null },
    ]);
    expect(o.xAxis.data).toEqual(["批发与零售服务人员（0.2）", "生产辅助人员（2.5）", "无人求职"]);
    expect(o.series[0]!.data).toEqual([6, 10, 1]);
    expect(o.series[1]!.data).toEqual([30, 4, 0]);
  });
  it("charts only published wage groups, by median, in 元", () => {
    const o = wagesOption([
      { name: "电工", values: [740_000, 875_000, 1_100_000, 1_325_000, 1_460_000] },
      { name: "收银员", values: null },
      { name: "焊工", values: [600_000, 700_000, 800_000, 900_000, 1_000_000] },
    ]);
    expect(o.xAxis.data).toEqual(["电工", "焊工"]);
    expect(o.series[0]!.data).toEqual([11000, 8000]);
  });
});
