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
