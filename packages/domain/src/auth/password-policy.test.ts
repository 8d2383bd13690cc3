import { describe, expect, it } from "vitest";
import { checkPasswordStrength } from "./password-policy.ts";

const codes = (pw: string, user?: string) => checkPasswordStrength(pw, user).map((p) => p.code);

describe("password policy", () => {
  it.each([
    ["Abcdefgh12!", ["PASSWORD_TOO_SHORT"]],
    ["Abcdefgh123!", []],
    ["abcdefghijkl", ["PASSWORD_CLASSES"]],
    ["abcdefghijk1", ["PASSWORD_CLASSES"]],
    ["abcdefghij1!", []],
    ["ABCDEFGHIJ1!", []],
  ])("%s → %j", (pw, expected) => expect(codes(pw)).toEqual(expected));

  it.each(["Password1234", "P@ssw0rd1234", "Admin@123456", "Qwerty123456!", "1qaz2wsx3edc", "Woaini1314520"])(
    "refuses the common password %s",
    (pw) => {
      expect(codes(pw)).toContain("PASSWORD_COMMON");
    },
  );

  it("refuses a password containing the username", () => {
    expect(codes("Zhangwei-2026-x", "zhangwei")).toContain("PASSWORD_CONTAINS_USERNAME");
  });

  it("counts characters, not UTF-16 units", () => {
    expect(codes("密码密码密码密码密码A1")).toEqual([]);
    expect(codes("𠀀𠀀𠀀𠀀𠀀A1")).toContain("PASSWORD_TOO_SHORT");
  });
});
