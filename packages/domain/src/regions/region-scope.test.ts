import { describe, expect, it } from "vitest";
import { ancestorCodes, isRegionCode, parentCode, regionLevel, scopeCovers } from "./region-scope.ts";

describe("region codes", () => {
  it.each([
    ["32", true],
    ["3201", true],
    ["320102", true],
    ["320102003", true],
    ["320102003001", true],
    ["320", false],
    ["32010200", false],
    ["32a1", false],
  ])("isRegionCode(%s) = %s", (c, ok) => expect(isRegionCode(c)).toBe(ok));

  it("derives levels and ancestors from the fixed-width code", () => {
    expect(regionLevel("320102003001")).toBe(5);
    expect(ancestorCodes("320102003001")).toEqual(["32", "3201", "320102", "320102003"]);
    expect(parentCode("320102003")).toBe("320102");
    expect(parentCode("32")).toBeNull();
  });

  it("a scope covers itself and its subtree only", () => {
    expect(scopeCovers("320102", "320102003001")).toBe(true);
    expect(scopeCovers("320102", "320102")).toBe(true);
    expect(scopeCovers("320102", "320104001")).toBe(false);
    expect(scopeCovers("320102003", "320102")).toBe(false);
  });
});
