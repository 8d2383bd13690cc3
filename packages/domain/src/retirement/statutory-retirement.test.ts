import { describe, expect, it } from "vitest";
import { isWorkingAge, retirementStartDate, statutoryRetirement } from "./statutory-retirement.ts";

// Boundary rows of 附件2 (改革前后法定退休年龄对照表): birth month → age, retirement month.
describe("men, originally 60 (one month later per 4 months of birth)", () => {
  it.each([
    ["1964-12", 60, 0, "2024-12"], // reached 60 before 2025: unchanged
    ["1965-01", 60, 1, "2025-02"], // first cohort
    ["1965-04", 60, 1, "2025-05"],
    ["1965-05", 60, 2, "2025-07"],
    ["1965-12", 60, 3, "2026-03"],
    ["1966-01", 60, 4, "2026-05"],
    ["1970-12", 61, 6, "2032-06"],
    ["1976-08", 62, 11, "2039-07"], // last step before the ceiling
    ["1976-09", 63, 0, "2039-09"], // from here on: 63
    ["1990-06", 63, 0, "2053-06"],
  ] as const)("born %s → %d y %d m, retires %s", (birth, y, m, month) => {
    expect(statutoryRetirement(birth, "male-60")).toMatchObject({ ageYears: y, ageMonths: m, retirementMonth: month });
  });
});

describe("women in 55-year posts (one month per 4 months)", () => {
  it.each([
    ["1969-12", 55, 0, "2024-12"],
    ["1970-01", 55, 1, "2025-02"],
    ["1970-05", 55, 2, "2025-07"],
    ["1981-08", 57, 11, "2039-07"],
    ["1981-09", 58, 0, "2039-09"],
  ] as const)("born %s → %d y %d m, retires %s", (birth, y, m, month) => {
    expect(statutoryRetirement(birth, "female-55")).toMatchObject({
      ageYears: y,
      ageMonths: m,
      retirementMonth: month,
    });
  });
});

describe("women in 50-year posts (one month per 2 months)", () => {
  it.each([
    ["1974-12", 50, 0, "2024-12"],
    ["1975-01", 50, 1, "2025-02"],
    ["1975-02", 50, 1, "2025-03"],
    ["1975-03", 50, 2, "2025-05"],
    ["1984-10", 54, 11, "2039-09"],
    ["1984-11", 55, 0, "2039-11"],
  ] as const)("born %s → %d y %d m, retires %s", (birth, y, m, month) => {
    expect(statutoryRetirement(birth, "female-50")).toMatchObject({
      ageYears: y,
      ageMonths: m,
      retirementMonth: month,
    });
  });
});

describe("working age", () => {
  it("starts at the 16th birthday and ends at the retirement month", () => {
    expect(isWorkingAge("2010-03-15", "male-60", "2026-03-14")).toBe(false);
    expect(isWorkingAge("2010-03-15", "male-60", "2026-03-15")).toBe(true);
    expect(isWorkingAge("1965-01-10", "male-60", "2025-01-31")).toBe(true);
    expect(isWorkingAge("1965-01-10", "male-60", "2025-02-01")).toBe(false);
  });
});

describe("retirementStartDate", () => {
  it("is the first day of the retirement month, the day isWorkingAge turns false", () => {
    // men born 1965-01 retire at 60y1m: 2025-02
    expect(retirementStartDate("1965-01-15", "male-60")).toBe("2025-02-01");
    expect(isWorkingAge("1965-01-15", "male-60", "2025-01-31")).toBe(true);
    expect(isWorkingAge("1965-01-15", "male-60", retirementStartDate("1965-01-15", "male-60"))).toBe(false);
  });
});
