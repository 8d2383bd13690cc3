import { describe, expect, it } from "vitest";
import { creditCodeCheck, idNumberCheck, retirementCheck } from "./checks.ts";

describe("check outputs", () => {
  it("id-number: derived fields with the area name when known, a warning when the area code is unknown", () => {
    const known = idNumberCheck("11010519491231002X", "2026-11-28", (c) => (c === "110105" ? "朝阳区" : undefined));
    expect(known).toMatchObject({
      valid: true,
      sex: "female",
      birthDate: "1949-12-31",
      region: { provinceName: "北京市", areaName: "朝阳区" },
      warnings: [],
    });
    const unknown = idNumberCheck("11010519491231002X", "2026-11-28", () => undefined);
    expect(unknown.valid).toBe(true);
    expect(unknown.warnings).toEqual([expect.objectContaining({ code: "ID_NUMBER_AREA_UNKNOWN" })]);
  });
  it("id-number: a legacy 15-digit number is refused with its 18-digit form", () => {
    expect(idNumberCheck("110105491231002", "2026-11-28")).toMatchObject({
      valid: false,
      converted: "11010519491231002X",
      errors: [{ code: "ID_NUMBER_LEGACY_15" }],
    });
  });
  it("credit-code", () => {
    expect(creditCodeCheck("91350100M000100Y43")).toMatchObject({ valid: true, regionCode: "350100" });
    expect(creditCodeCheck("91350100M000100Y44").errors[0]!.code).toBe("CREDIT_CODE_CHECKSUM");
  });
  it("retirement: agreement of sex and category, and the derived month", () => {
    expect(retirementCheck({ birth: "1976-09", sex: "male", category: "male-60" }, "2026-11-28")).toMatchObject({
      valid: true,
      ageYears: 63,
      ageMonths: 0,
      retirementMonth: "2039-09",
    });
    expect(
      retirementCheck({ birth: "1976-09", sex: "female", category: "male-60" }, "2026-11-28").errors[0]!.code,
    ).toBe("RETIREMENT_CATEGORY_SEX");
    expect(retirementCheck({ birth: "1976-13", sex: "male", category: "male-60" }, "2026-11-28").errors[0]!.code).toBe(
      "BIRTH_MONTH_INVALID",
    );
    expect(
      retirementCheck({ birth: "1960-01", sex: "male", category: "male-60" }, "2026-11-28").warnings[0]!.code,
    ).toBe("ALREADY_RETIREMENT_AGE");
  });
});
