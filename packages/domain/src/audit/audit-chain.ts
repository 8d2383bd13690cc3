import { createHash } from "node:crypto";

/** The fields of an audit record that the hash chain protects. */
export interface AuditEntryContent {
  seq: number;
  at: string; // ISO timestamp
  actorId: string | null;
  actorRole: string | null;
  ip: string | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  fields: string[];
  purpose: string | null;
  outcome: string;
  requestId: string | null;
  detail: Record<string, unknown> | null;
}

export const GENESIS_HASH = "0".repeat(64);

/** JSON with object keys sorted at every level: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const keys = Object.keys(value as object).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(",")}}`;
}

/** hash_n = SHA-256(hash_{n-1} || canonical JSON of entry n). */
export function auditHash(prevHash: string, entry: AuditEntryContent): string {
  return createHash("sha256").update(prevHash).update("\n").update(canonicalJson(entry)).digest("hex");
}

export interface ChainBreak {
  seq: number;
  reason: "hash_mismatch" | "prev_mismatch" | "missing_row";
}

/** One link of the chain: the sealed hashes and the audit row they cover (null when it is gone). */
export interface ChainLink {
  seq: number;
  prevHash: string;
  hash: string;
  entry: AuditEntryContent | null;
}

/** Verifies links in chain order; returns the first break, or null. */
export function verifyAuditChain(links: Iterable<ChainLink>, startPrev: string = GENESIS_HASH): ChainBreak | null {
  let prev = startPrev;
  for (const l of links) {
    if (l.prevHash !== prev) return { seq: l.seq, reason: "prev_mismatch" };
    if (!l.entry) return { seq: l.seq, reason: "missing_row" };
    if (auditHash(l.prevHash, l.entry) !== l.hash) return { seq: l.seq, reason: "hash_mismatch" };
    prev = l.hash;
  }
  return null;
}
