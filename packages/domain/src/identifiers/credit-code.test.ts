import { describe, expect, it } from "vitest";
import { checkCreditCode } from "./credit-code.ts";

describe("checkCreditCode (GB 32100-2015)", () => {
  it("accepts a published valid code and derives its parts", () => {
    // Σ over the first 17 characters with weights 3^(i−1) mod 31 gives check "3" (worked independently).
    expect(checkCreditCode("91350100m000100y43")).toMatchObject({
      valid: true,
      normalized: "91350100M000100Y43",
      registrationAuthority: "工商（市场监管）",
      regionCode: "350100",
    });
  });
  it.each([
    ["91350100M000100Y4", "CREDIT_CODE_LENGTH"],
    ["91350100M000100Y4I", "CREDIT_CODE_CHARSET"],
    ["91350100M000100Y44", "CREDIT_CODE_CHECKSUM"],
    ["Z1350100M000100Y43", "CREDIT_CODE_CHARSET"],
    ["B1350100M000100Y43", "CREDIT_CODE_AUTHORITY"],
  ])("%s → %s", (code, err) => {
    const r = checkCreditCode(code);
    expect(r.valid).toBe(false);
    expect(r.errors.map((e) => e.code)).toContain(err);
  });
});
