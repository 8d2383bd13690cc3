import { describe, expect, it } from "vitest";
import { personsByRegionOption } from "./overview-chart";

describe("personsByRegionOption", () => {
  it("sorts regions by count, highest first, and keeps names aligned with values", () => {
    const o = personsByRegionOption([
      { name: "秦淮区", persons: 3 },
      { name: "玄武区", persons: 10 },
      { name: "鼓楼区", persons: 7 },
    ]);
    expect(o.xAxis.data).toEqual(["玄武区", "鼓楼区", "秦淮区"]);
    expect(o.series[0]!.data).toEqual([10, 7, 3]);
  });
  it("rotates labels only when there are many regions", () => {
    expect(personsByRegionOption([{ name: "a", persons: 1 }]).xAxis.axisLabel.rotate).toBe(0);
    const many = Array.from({ length: 11 }, (_, i) => ({ name: `区${i}`, persons: i }));
    expect(personsByRegionOption(many).xAxis.axisLabel.rotate).toBe(40);
  });
});
