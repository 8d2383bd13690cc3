import { describe, expect, it } from "vitest";
import { type PostingFeatures, type SeekerFeatures, scoreMatch, topMatches, vetoReason } from "./matching.ts";
import { indexTokens, queryTokens } from "./search-tokens.ts";

const seeker: SeekerFeatures = {
  id: "s1",
  occupations: ["6-31-01-03"],
  skills: ["低压电工证", "PLC编程"],
  regions: ["320102"],
  salaryExpectationFen: 700_000,
  education: "high_school",
  availableFrom: null,
  workTypes: ["full_time"],
};
const posting: PostingFeatures = {
  id: "p1",
  occupationCode: "6-31-01-03",
  skills: ["低压电工证", "电气接线"],
  regionCode: "320102003",
  salaryType: "monthly",
  salaryMinFen: 800_000,
  salaryMaxFen: 900_000,
  education: "junior_high",
  workType: "full_time",
};

describe("matching score", () => {
  it("adds up explained components to the score", () => {
    const m = scoreMatch(seeker, posting, "2026-11-28");
    expect(m.components.map((c) => [c.key, c.points])).toEqual([
      ["occupation", 30],
      ["skills", 15],
      ["region", 15],
      ["salary", 15],
      ["education", 5],
      ["availability", 5],
    ]);
    expect(m.score).toBe(85);
    expect(m.components[1]?.detail).toBe("满足 1/2 项（低压电工证）；缺少：电气接线");
    expect(m.hint).toContain("电气接线");
  });

  it("grades occupation proximity: same 细类, same 小类, same 中类", () => {
    const at = (code: string) =>
      scoreMatch(seeker, { ...posting, occupationCode: code }, "2026-11-28").components[0]?.points;
    expect([at("6-31-01-03"), at("6-31-01-01"), at("6-31-02-01")]).toEqual([30, 20, 10]);
    expect(vetoReason(seeker, { ...posting, occupationCode: "4-01-02-04" })).toBe("职业意向不相关");
  });

  it("vetoes on hard filters only, and an unregistered education never vetoes", () => {
    expect(vetoReason(seeker, posting)).toBeNull();
    expect(vetoReason(seeker, { ...posting, workType: "part_time" })).toBe("用工形式不符");
    expect(vetoReason(seeker, { ...posting, regionCode: "320104001" })).toBe("不在意向地区");
    expect(vetoReason(seeker, { ...posting, education: "bachelor" })).toBe("学历未达到岗位要求");
    expect(vetoReason({ ...seeker, education: null }, { ...posting, education: "bachelor" })).toBeNull();
  });

  it("compares hourly pay on a monthly basis and scores salary monotonically", () => {
    const pay = (min: number, max: number, type: "monthly" | "hourly" = "monthly") =>
      scoreMatch(seeker, { ...posting, salaryType: type, salaryMinFen: min, salaryMaxFen: max }, "2026-11-28")
        .components[3]?.points ?? -1;
    expect(pay(500_000, 600_000)).toBeLessThan(pay(600_000, 750_000));
    expect(pay(600_000, 750_000)).toBeLessThan(pay(700_000, 800_000));
    expect(pay(4_100, 4_500, "hourly")).toBe(15); // 41 元/小时 × 174 ≈ 7134 元/月
  });

  it("breaks ties by id so every implementation returns the same top-k", () => {
    const a = scoreMatch(seeker, { ...posting, id: "b" }, "2026-11-28");
    const b = scoreMatch(seeker, { ...posting, id: "a" }, "2026-11-28");
    expect(topMatches([a, b], 2, "postingId").map((m) => m.postingId)).toEqual(["a", "b"]);
  });
});

describe("search tokens (substring semantics)", () => {
  const hit = (query: string, text: string) => {
    const idx = new Set(indexTokens(text));
    return queryTokens(query).every((t) => idx.has(t));
  };
  it.each([
    ["电工", "低压电工", true],
    ["退役军人", "欢迎退役军人报名", true],
    ["sql", "熟悉MySQL数据库", true],
    ["SQL", "熟悉 sql server", true],
    ["Java", "JavaScript 开发", true],
    ["厨", "中式烹调师（厨师）", true],
    ["焊工", "设备维修工", false],
    ["电工", "电气工程师", false],
  ])("%s in %s → %s", (q, text, expected) => {
    expect(hit(q, text)).toBe(expected);
  });
});
