import { hash, verify } from "@node-rs/argon2";

// OWASP Password Storage Cheat Sheet: argon2id, m=19 MiB, t=2, p=1.
const OPTIONS = {
  algorithm: 2 /* Algorithm.Argon2id (a const enum) */ as const,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
};

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export function verifyPassword(stored: string, password: string): Promise<boolean> {
  return verify(stored, password).catch(() => false);
}

let dummy: Promise<string> | undefined;
/** Spends the same time as a real check when the user does not exist (no timing oracle). */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummy ??= hashPassword("jiuye-dummy-password-for-timing");
  await verifyPassword(await dummy, password);
}
