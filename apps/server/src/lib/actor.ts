import type { Role } from "@jiuye/domain";

/** The authenticated caller, resolved from the session cookie once per request. */
export interface Actor {
  userId: string;
  username: string;
  displayName: string;
  role: Role;
  /** Region scope (prefix) for staff; null = the whole installation (admin, auditor only). */
  regionCode: string | null;
  personId: string | null;
  /** The organisation an employer account acts for. */
  employerId: string | null;
  sessionId: string;
  csrfToken: string;
  totpEnabled: boolean;
  mustChangePassword: boolean;
}

/** Who may call a route: everyone, any signed-in user, or the listed roles. */
export type Access = "public" | "authenticated" | readonly Role[];

/** A case worker acting outside a browser session (CLI imports, background import jobs). */
export function caseWorkerActor(u: {
  userId: string;
  username: string;
  displayName: string;
  regionCode: string | null;
  sessionId: string;
}): Actor {
  return {
    ...u,
    role: "case_worker",
    personId: null,
    employerId: null,
    csrfToken: "",
    totpEnabled: false,
    mustChangePassword: false,
  };
}
