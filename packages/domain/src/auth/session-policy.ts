import { isStaffRole, type Role } from "./roles.ts";

export interface SessionLimits {
  /** Staff idle timeout in ms (15 minutes by default). */
  staffIdleMs: number;
  /** Staff absolute lifetime in ms (12 hours by default). */
  staffAbsoluteMs: number;
  /** Idle timeout for employers and individuals. */
  publicIdleMs: number;
  /** Absolute lifetime for employers and individuals. */
  publicAbsoluteMs: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = {
  staffIdleMs: 15 * 60_000,
  staffAbsoluteMs: 12 * 3_600_000,
  publicIdleMs: 30 * 60_000,
  publicAbsoluteMs: 24 * 3_600_000,
};

/** Why a session is no longer valid at `now`, or null while it is. */
export function sessionExpiry(
  s: { role: Role; createdAt: Date; lastSeenAt: Date },
  now: Date,
  limits: SessionLimits = DEFAULT_SESSION_LIMITS,
): "idle" | "absolute" | null {
  const staff = isStaffRole(s.role);
  const idle = staff ? limits.staffIdleMs : limits.publicIdleMs;
  const absolute = staff ? limits.staffAbsoluteMs : limits.publicAbsoluteMs;
  if (now.getTime() - s.createdAt.getTime() >= absolute) return "absolute";
  if (now.getTime() - s.lastSeenAt.getTime() >= idle) return "idle";
  return null;
}

export interface LockoutPolicy {
  maxFailures: number;
  lockMs: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = { maxFailures: 5, lockMs: 15 * 60_000 };

/** The state after a failed login: count and, at the threshold, the lock expiry. */
export function afterFailedLogin(
  failures: number,
  now: Date,
  policy: LockoutPolicy = DEFAULT_LOCKOUT,
): { failures: number; lockedUntil: Date | null } {
  const next = failures + 1;
  if (next >= policy.maxFailures) return { failures: 0, lockedUntil: new Date(now.getTime() + policy.lockMs) };
  return { failures: next, lockedUntil: null };
}
