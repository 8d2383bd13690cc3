import { describe, expect, it } from "vitest";
import {
  MINIMUM_WAGE_STANDARDS,
  type MinimumWageStandard,
  minimumWageFor,
  validateMinimumWageStandard,
} from "./minimum-wage.ts";
import { type ScreeningInput, screenPosting } from "./screening.ts";

const NANJING = "320102";

function input(description: string, over: Partial<ScreeningInput> = {}): ScreeningInput {
  return {
    title: "仓库管理员",
    description,
    workRegionCode: NANJING,
    targetsGraduates: false,
    employmentType: "full_time",
    salary: { type: "monthly", minFen: 500_000, maxFen: 800_000 },
    minimumWage: minimumWageFor(MINIMUM_WAGE_STANDARDS, NANJING, "2026-11-01"),
    ...over,
  };
}

describe("job-ad screening: blocked phrases", () => {
  const blocked: Array<[text: string, category: string, phrase: string]> = [
    ["负责仓库收发，限男性。", "gender", "限男性"],
    ["仅限男士，能吃苦耐劳", "gender", "仅限男士"],
    ["男生优先考虑，待遇从优", "gender", "男生优先"],
    ["女士勿扰", "gender", "女士勿扰"],
    ["招女服务员若干名", "gender", "招女服务员"],
    ["性别：男", "gender", "性别：男"],
    ["要求已婚已育", "marriage_childbirth", "已婚已育"],
    ["入职三年内不得生育", "marriage_childbirth", "不得生育"],
    ["未婚者，形象好", "marriage_childbirth", "未婚"],
    ["入职体检含孕检", "pregnancy_test", "孕检"],
    ["需做妊娠检测", "pregnancy_test", "妊娠检测"],
    ["限汉族", "ethnicity_religion", "限汉族"],
    ["少数民族勿扰", "ethnicity_religion", "少数民族勿扰"],
    ["招白人外教", "ethnicity_religion", "白人外教"],
    ["要求无宗教信仰", "ethnicity_religion", "无宗教信仰"],
    ["要求身体健全", "disability", "身体健全"],
    ["残疾人勿扰", "disability", "残疾人勿扰"],
    ["乙肝携带者勿扰", "disease_carrier", "乙肝"],
    ["入职需查两对半", "disease_carrier", "两对半"],
    ["薪资面议，HBsAg阴性", "disease_carrier", "HBsAg"],
  ];
  it.each(blocked)("%s → %s", (text, category, phrase) => {
    const r = screenPosting(input(text));
    expect(r.blocked).toBe(true);
    const f = r.findings.find((x) => x.category === category);
    expect(f, JSON.stringify(r.findings)).toBeDefined();
    expect(f?.severity).toBe("block");
    expect(f?.field).toBe("description");
    // The finding points at what the employer wrote, in the original text.
    expect(text.slice(f?.start, f?.end)).toBe(f?.phrase);
    expect(f?.phrase).toContain(phrase.replace(/[：]/g, "").slice(0, 2));
    expect(f?.basis.length).toBeGreaterThan(0);
    expect(f?.message).toMatch(/[\u4e00-\u9fff]/);
  });
});

describe("job-ad screening: evasions read like the plain phrase", () => {
  const evasions: Array<[text: string, phrase: string]> = [
    ["男 生 优 先", "男 生 优 先"],
    ["男＊性＊优＊先", "男＊性＊优＊先"],
    ["仅　限　男　士", "仅　限　男　士"],
    ["僅限男士", "僅限男士"],
    ["男性優先", "男性優先"],
    ["限/男/性", "限/男/性"],
    ["女-士-勿-扰", "女-士-勿-扰"],
    ["已.婚.已.育", "已.婚.已.育"],
    ["入職體檢含孕檢", "孕檢"],
    ["乙 肝 勿 扰", "乙 肝"],
  ];
  it.each(evasions)("%s", (text, phrase) => {
    const r = screenPosting(input(text));
    expect(r.blocked, JSON.stringify(r.findings)).toBe(true);
    const f = r.findings[0];
    expect(f?.phrase).toBe(text.slice(f?.start, f?.end));
    expect(f?.phrase).toContain(phrase.slice(-1));
  });

  it("points at the right characters when evasion is in the title", () => {
    const r = screenPosting(input("负责收银", { title: "收银员（女 性 优 先）" }));
    const f = r.findings.find((x) => x.field === "title");
    expect(f?.phrase).toBe("女 性 优 先");
    expect(f?.start).toBe(4);
  });
});

describe("job-ad screening: innocent text is not flagged", () => {
  const innocent = [
    "男女不限，五险一金",
    "不限男女，双休",
    "性别不限",
    "本岗位依据《女职工劳动保护特别规定》，不属于女职工禁忌劳动范围，男女均可",
    "享受婚假、产假、陪产假，缴纳生育保险",
    "提供单身公寓",
    "欢迎退役军人、残疾人报名，残疾人优先录用",
    "入职体检不查乙肝",
    "年满18周岁",
    "18周岁以上，身体健康",
    "户籍不限，欢迎外地求职者",
    "女装店导购，负责陈列与销售",
    "为职工子女提供入托服务",
    "提供清真餐",
    "熟悉SQL，掌握Python或Java，有211工作制经验者优先",
    "我们需要一个明白人来负责仓库",
    "负责电气设备维护，持低压电工证",
  ];
  it.each(innocent)("%s", (text) => {
    const r = screenPosting(input(text));
    expect(r.findings, JSON.stringify(r.findings)).toEqual([]);
  });
});

describe("job-ad screening: warnings go to moderation", () => {
  const warned: Array<[text: string, category: string]> = [
    ["年龄35岁以下", "age"],
    ["18-35岁，吃苦耐劳", "age"],
    ["年龄不超过45周岁", "age"],
    ["985/211院校毕业", "school_tier"],
    ["第一学历为全日制本科", "school_tier"],
    ["双一流高校优先", "school_tier"],
    ["限本地户口", "hukou"],
  ];
  it.each(warned)("%s → %s", (text, category) => {
    const r = screenPosting(input(text));
    expect(r.blocked, JSON.stringify(r.findings)).toBe(false);
    expect(r.needsReview).toBe(true);
    expect(r.findings.map((f) => f.category)).toContain(category);
  });

  it("户籍 limits block for graduates in a provincial capital and warn in a municipality", () => {
    const capital = screenPosting(input("2026届应届毕业生，限本地户口"));
    expect(capital.findings.find((f) => f.category === "hukou")?.severity).toBe("block");
    const flagged = screenPosting(input("限本地户口", { targetsGraduates: true }));
    expect(flagged.blocked).toBe(true);
    const shanghai = screenPosting(
      input("2026届应届毕业生，限本地户口", {
        workRegionCode: "310101",
        minimumWage: minimumWageFor(MINIMUM_WAGE_STANDARDS, "310101", "2026-11-01"),
      }),
    );
    expect(shanghai.findings.find((f) => f.category === "hukou")?.severity).toBe("warn");
    expect(shanghai.blocked).toBe(false);
  });

  it("a gender limit justified by the women workers' rules is warned, not blocked", () => {
    const r = screenPosting(input("井下采掘作业，属于《女职工劳动保护特别规定》所列女职工禁忌从事的劳动范围，限男性"));
    const f = r.findings.find((x) => x.category === "gender");
    expect(f?.severity).toBe("warn");
    expect(f?.basis.join()).toContain("女职工劳动保护特别规定");
    expect(r.blocked).toBe(false);
  });
});

describe("minimum wage", () => {
  it("resolves the tier by region prefix and the standard by date", () => {
    const nanjing = minimumWageFor(MINIMUM_WAGE_STANDARDS, "320102", "2022-10-01");
    expect(nanjing).toMatchObject({ tier: 1, monthlyFen: 228_000, hourlyFen: 2_200, defaultTierUsed: false });
    expect(minimumWageFor(MINIMUM_WAGE_STANDARDS, "320102", "2022-09-30")).toBeNull();
    const suqian = minimumWageFor(MINIMUM_WAGE_STANDARDS, "321302", "2024-01-01");
    expect(suqian).toMatchObject({ tier: 3, monthlyFen: 184_000, defaultTierUsed: true });
    expect(minimumWageFor(MINIMUM_WAGE_STANDARDS, "650102", "2024-01-01")).toBeNull();
  });

  it("a newer standard replaces the older one from its effective date", () => {
    const raised: MinimumWageStandard = {
      ...(MINIMUM_WAGE_STANDARDS.find((s) => s.provinceCode === "32") as MinimumWageStandard),
      effectiveFrom: "2026-12-01",
      tiers: [
        { tier: 1, monthlyFen: 250_000, hourlyFen: 2_400 },
        { tier: 2, monthlyFen: 226_000, hourlyFen: 2_200 },
        { tier: 3, monthlyFen: 201_000, hourlyFen: 2_000 },
      ],
    };
    const all = [...MINIMUM_WAGE_STANDARDS, raised];
    expect(minimumWageFor(all, NANJING, "2026-11-30")?.monthlyFen).toBe(228_000);
    expect(minimumWageFor(all, NANJING, "2026-12-01")?.monthlyFen).toBe(250_000);
  });

  const boundaries: Array<[type: "monthly" | "hourly", minFen: number, blocked: boolean]> = [
    ["monthly", 227_999, true],
    ["monthly", 228_000, false],
    ["monthly", 228_001, false],
    ["hourly", 2_199, true],
    ["hourly", 2_200, false],
  ];
  it.each(boundaries)("%s %i 分 in 南京 → blocked %s", (type, minFen, blocked) => {
    const r = screenPosting(
      input("负责仓库收发", {
        salary: { type, minFen, maxFen: minFen + 100 },
        employmentType: type === "hourly" ? "part_time" : "full_time",
      }),
    );
    expect(r.blocked).toBe(blocked);
    if (blocked) {
      const f = r.findings[0];
      expect(f?.category).toBe("minimum_wage");
      expect(f?.message).toContain(type === "hourly" ? "22 元/小时" : "2280 元/月");
      expect(f?.message).toContain("差 0.01"); // 1 分 short in both cases
    }
  });

  it("the same pay passes in a tier-3 county and fails in 南京", () => {
    const pay = { type: "monthly" as const, minFen: 200_000, maxFen: 300_000 };
    const suqian = screenPosting(
      input("负责仓库收发", {
        workRegionCode: "321302",
        salary: pay,
        minimumWage: minimumWageFor(MINIMUM_WAGE_STANDARDS, "321302", "2026-11-01"),
      }),
    );
    expect(suqian.blocked).toBe(false);
    const nanjing = screenPosting(input("负责仓库收发", { salary: pay }));
    expect(nanjing.blocked).toBe(true);
  });

  it("validates a standard an administrator adds", () => {
    expect(MINIMUM_WAGE_STANDARDS.flatMap(validateMinimumWageStandard)).toEqual([]);
    const bad = {
      ...(MINIMUM_WAGE_STANDARDS[0] as MinimumWageStandard),
      regionTiers: { "3101": 1, "3201": 9 },
      defaultTier: 7,
    };
    expect(validateMinimumWageStandard(bad)).toHaveLength(3);
  });
});
