import { readdirSync, readFileSync } from "node:fs";
import type { Database } from "@jiuye/db";
import {
  type CompiledPolicy,
  compilePolicy,
  compilePolicySet,
  parsePolicyYaml,
  SHIPPED_POLICY_DIR,
} from "@jiuye/domain";
import type { Kysely } from "kysely";
import { fromJson } from "../../lib/json.ts";
import { policiesRepository } from "./policies.repository.ts";

let shippedDocs: { file: string; doc: unknown }[] | null = null;
let shipped: CompiledPolicy[] | null = null;

/** The shipped catalogue's documents (packages/domain/policies/*.yaml), parsed once. */
export function loadShippedDocs() {
  shippedDocs ??= readdirSync(SHIPPED_POLICY_DIR)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => ({ file: f, doc: parsePolicyYaml(f, readFileSync(new URL(f, SHIPPED_POLICY_DIR), "utf8")) }));
  return shippedDocs;
}

/** The shipped catalogue, compiled once, in dependency order. */
export function loadShippedPolicies(): CompiledPolicy[] {
  shipped ??= compilePolicySet(loadShippedDocs());
  return shipped;
}

export type PolicyCatalogue = ReturnType<typeof createPolicyCatalogue>;

/**
 * The policies in force: the shipped catalogue (version 0) with the administrator-approved
 * versions from the database in place of theirs. Every version ever compiled stays reachable by its
 * hash, so an old decision is explained by the rules it was made with. Until `refresh()` has run,
 * the shipped catalogue is in force.
 */
export function createPolicyCatalogue(db: Kysely<Database>) {
  let current: CompiledPolicy[] = loadShippedPolicies();
  let currentDocs: { file: string; doc: unknown }[] = loadShippedDocs();
  let versionOf = new Map<string, number>(current.map((p) => [p.id, 0]));
  const byHash = new Map<string, CompiledPolicy>(current.map((p) => [p.hash, p]));

  /** Compile `doc` in place of its id in the set in force (the set must still compile). */
  function compileWith(doc: unknown, file = "upload.yaml"): { set: CompiledPolicy[]; policy: CompiledPolicy } {
    const id = (doc as { id?: unknown })?.id;
    const docs = [...currentDocs.filter((d) => (d.doc as { id: string }).id !== id), { file, doc }];
    const set = compilePolicySet(docs);
    return { set, policy: set.find((p) => p.id === id)! };
  }

  async function refresh() {
    const versions = await policiesRepository.versionsWithSource(db);
    const known = new Set([...loadShippedPolicies().map((p) => p.id), ...versions.map((v) => v.policy_id)]);
    for (const v of versions) {
      if (byHash.has(v.hash)) continue;
      try {
        const doc = fromJson<unknown>(v.source);
        byHash.set(v.hash, compilePolicy(`${v.policy_id}@${v.version}`, doc, { knownPolicies: known }));
      } catch {
        // a stored version that no longer compiles stays unexplainable rather than breaking the catalogue
      }
    }
    const active = versions.filter((v) => v.status === "active");
    const docs = loadShippedDocs().map((d) => {
      const a = active.find((v) => v.policy_id === (d.doc as { id: string }).id);
      if (!a) return d;
      return {
        file: `${a.policy_id}@${a.version}`,
        doc: fromJson<unknown>(a.source),
      };
    });
    current = compilePolicySet(docs);
    currentDocs = docs;
    versionOf = new Map(current.map((p) => [p.id, active.find((v) => v.policy_id === p.id)?.version ?? 0]));
    for (const p of current) byHash.set(p.hash, p);
  }

  // the server calls refresh() once the database is migrated (server.ts), and after every approval
  return {
    all: () => current,
    byId: (id: string) => current.find((p) => p.id === id) ?? null,
    byHash: (hash: string) => byHash.get(hash) ?? null,
    versionOf: (id: string) => versionOf.get(id) ?? 0,
    compileWith,
    refresh,
  };
}
