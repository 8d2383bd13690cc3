import { describe, expect, it } from "vitest";
import { checkIdNumber, convertLegacyIdNumber, idNumberCheckChar } from "./id-number.ts";

const TODAY = "2026-11-28";

describe("checkIdNumber (GB 11643-1999)", () => {
  // GB 11643-1999's own example, and two sums worked by hand:
  // 4·7+4·9+0·10+3·5+0·8+8·4+1·2+9·1+9·6+0·3+0·7+1·9+0·10+1·5+0·8+0·4+1·2 = 192; 192 mod 11 = 5 → "7"
  // 1·7+1·9+0+1·5+0+1·4+1·2+9·1+9·6+0+0+3·9+0+7·5+0+0+1·2 = 154; 154 mod 11 = 0 → "1"
  it.each([
    ["11010519491231002", "X"],
    ["44030819900101001", "7"],
    ["11010119900307001", "1"],
  ])("check character of %s is %s", (first17, check) => {
    expect(idNumberCheckChar(first17)).toBe(check);
  });

  it("accepts a valid number and derives sex, birth date and province", () => {
    expect(checkIdNumber("11010519491231002x", TODAY)).toMatchObject({
      valid: true,
      normalized: "11010519491231002X",
      sex: "female",
      birthDate: "1949-12-31",
      provinceCode: "11",
      errors: [],
    });
  });

  it.each([
    ["11010519491231002", "ID_NUMBER_FORMAT"],
    ["11010519491231002A", "ID_NUMBER_FORMAT"],
    ["110105194912310021", "ID_NUMBER_CHECKSUM"],
    ["990105194912310023", "ID_NUMBER_PROVINCE"],
    ["110105194902300022", "ID_NUMBER_BIRTH_DATE"],
    ["110105203001010012", "ID_NUMBER_BIRTH_FUTURE"],
    ["110105491231002", "ID_NUMBER_LEGACY_15"],
  ])("%s → %s", (value, code) => {
    const r = checkIdNumber(value, TODAY);
    expect(r.valid).toBe(false);
    expect(r.errors.map((e) => e.code)).toContain(code);
    for (const e of r.errors) expect(e.message).toMatch(/身份证号码/);
  });

  it("treats the day after today as the future and today as valid (Asia/Shanghai date passed in)", () => {
    const first = (d: string) => `110105${d}002`;
    const ok = first("20261128");
    const future = first("20261129");
    expect(checkIdNumber(ok + idNumberCheckChar(ok), TODAY).valid).toBe(true);
    expect(checkIdNumber(future + idNumberCheckChar(future), TODAY).errors[0]!.code).toBe("ID_NUMBER_BIRTH_FUTURE");
  });

  it("only warns for an area code that is not in today's list (abolished codes stay valid)", () => {
    const r = checkIdNumber("11010519491231002X", TODAY, () => false);
    expect(r.valid).toBe(true);
    expect(r.warnings.map((w) => w.code)).toEqual(["ID_NUMBER_AREA_UNKNOWN"]);
  });

  it("converts a legacy 15-digit number to 18 digits with a correct check character", () => {
    const converted = convertLegacyIdNumber("110105491231002");
    expect(converted).toBe("11010519491231002X");
    expect(checkIdNumber(converted, TODAY).valid).toBe(true);
  });
});
