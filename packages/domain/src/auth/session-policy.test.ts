import { describe, expect, it } from "vitest";
import { afterFailedLogin, sessionExpiry } from "./session-policy.ts";

const t0 = new Date("2026-11-28T00:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);
const MIN = 60_000;

describe("sessionExpiry", () => {
  it("ends a staff session at exactly 15 idle minutes", () => {
    const s = { role: "case_worker" as const, createdAt: t0, lastSeenAt: t0 };
    expect(sessionExpiry(s, at(15 * MIN - 1))).toBeNull();
    expect(sessionExpiry(s, at(15 * MIN))).toBe("idle");
  });
  it("ends a staff session at 12 hours however recently it was used", () => {
    const s = { role: "admin" as const, createdAt: t0, lastSeenAt: at(12 * 60 * MIN - MIN) };
    expect(sessionExpiry(s, at(12 * 60 * MIN - 1))).toBeNull();
    expect(sessionExpiry(s, at(12 * 60 * MIN))).toBe("absolute");
  });
  it("gives individuals a longer idle window", () => {
    expect(sessionExpiry({ role: "individual", createdAt: t0, lastSeenAt: t0 }, at(20 * MIN))).toBeNull();
  });
});

describe("afterFailedLogin", () => {
  it("locks on the 5th failure for 15 minutes and resets the counter", () => {
    let f = 0;
    for (let i = 1; i <= 4; i++) {
      const r = afterFailedLogin(f, t0);
      expect(r.lockedUntil).toBeNull();
      f = r.failures;
    }
    expect(afterFailedLogin(f, t0)).toEqual({ failures: 0, lockedUntil: at(15 * MIN) });
  });
});
