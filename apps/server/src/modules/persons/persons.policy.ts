import { AppError } from "../../errors/catalogue.ts";
import type { Actor } from "../../lib/actor.ts";
import type { PersonScope } from "./persons.repository.ts";

/**
 * Which person records a caller may see: case workers their region subtree, individuals
 * themselves. Analysts see aggregates only; admins and auditors no personal records.
 */
export function personScopeOf(actor: Actor): PersonScope {
  if (actor.role === "case_worker" && actor.regionCode) return { kind: "region", prefix: actor.regionCode };
  if (actor.role === "individual" && actor.personId) return { kind: "self", personId: actor.personId };
  return { kind: "none" };
}

/**
 * Refuses a stated purpose (查看目的) that is not on the configured list — for revealing one
 * number and for unmasked exports alike; `what` names the act in the message (查看 / 导出).
 */
export function assertRevealPurpose(
  purposes: ReadonlyArray<{ code: string }>,
  purpose: string | undefined,
  what: "查看" | "导出",
): void {
  if (purposes.some((p) => p.code === purpose)) return;
  throw new AppError("REVEAL_PURPOSE_UNKNOWN", {
    errors: [{ field: "purpose", code: "REVEAL_PURPOSE_UNKNOWN", message: `${what}目的不在允许的目的清单中` }],
  });
}
