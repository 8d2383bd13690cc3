/**
 * Password rules (等保 2.0 level 3; OWASP ASVS 2.1): at least 12 characters, three of the
 * four character classes, and not a common password or a simple variation of one.
 */

// A compact list of the most common passwords and patterns seen in breach corpora, lower-cased.
const COMMON = new Set([
  "123456789012",
  "1234567890ab",
  "password1234",
  "password@123",
  "password123!",
  "qwerty123456",
  "qwertyuiop12",
  "1qaz2wsx3edc",
  "1q2w3e4r5t6y",
  "abc123456789",
  "admin1234567",
  "admin@123456",
  "administrator",
  "passw0rd1234",
  "p@ssw0rd1234",
  "p@ssword1234",
  "iloveyou1234",
  "welcome12345",
  "welcome@1234",
  "changeme1234",
  "letmein12345",
  "a1234567890!",
  "aa1234567890",
  "abcd1234abcd",
  "qwer1234qwer",
  "asdf1234asdf",
  "zxcv1234zxcv",
  "woaini520131",
  "woaini1314520",
  "5201314woaini",
  "huawei123456",
  "huawei@12345",
  "root12345678",
  "root@1234567",
  "test12345678",
  "test@1234567",
  "jiuye1234567",
  "jiuye@123456",
  "abc@12345678",
  "admin@12345678",
  "password12345",
  "qazwsxedc123",
]);

const WEAK_STEMS = [
  "password",
  "passw0rd",
  "p@ssw0rd",
  "qwerty",
  "admin",
  "123456",
  "abcdef",
  "iloveyou",
  "woaini",
  "jiuye",
];

export interface PasswordProblem {
  code: "PASSWORD_TOO_SHORT" | "PASSWORD_CLASSES" | "PASSWORD_COMMON" | "PASSWORD_CONTAINS_USERNAME";
  message: string;
}

export function characterClasses(password: string): number {
  let n = 0;
  if (/[a-z]/.test(password)) n++;
  if (/[A-Z]/.test(password)) n++;
  if (/[0-9]/.test(password)) n++;
  if (/[^A-Za-z0-9]/.test(password)) n++;
  return n;
}

/** Returns every rule the password breaks (empty when acceptable). */
export function checkPasswordStrength(password: string, username?: string): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  if ([...password].length < 12) problems.push({ code: "PASSWORD_TOO_SHORT", message: "密码至少需要12个字符" });
  if (characterClasses(password) < 3) {
    problems.push({ code: "PASSWORD_CLASSES", message: "密码需包含大写字母、小写字母、数字、特殊字符中的至少三类" });
  }
  const lower = password.toLowerCase();
  const stripped = lower.replace(/[^a-z0-9@]/g, "");
  const isCommon =
    COMMON.has(lower) ||
    COMMON.has(stripped) ||
    WEAK_STEMS.some((stem) => {
      const rest = lower.split(stem).join("");
      // the stem plus only digits / punctuation around it is a trivial variation
      return lower.includes(stem) && /^[^a-z]*$/.test(rest);
    }) ||
    /^(.)\1+$/.test(lower) ||
    /^(0123456789|1234567890|9876543210)/.test(lower);
  if (isCommon) problems.push({ code: "PASSWORD_COMMON", message: "密码过于常见或容易被猜到，请换一个" });
  if (username && username.length >= 3 && lower.includes(username.toLowerCase())) {
    problems.push({ code: "PASSWORD_CONTAINS_USERNAME", message: "密码不能包含用户名" });
  }
  return problems;
}
