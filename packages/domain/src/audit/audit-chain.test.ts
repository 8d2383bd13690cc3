import { describe, expect, it } from "vitest";
import { type AuditEntryContent, auditHash, GENESIS_HASH, verifyAuditChain } from "./audit-chain.ts";

function entry(seq: number, action = "person.read"): AuditEntryContent {
  return {
    seq,
    at: `2026-11-28T00:00:0${seq}.000Z`,
    actorId: "u1",
    actorRole: "case_worker",
    ip: "10.0.0.1",
    action,
    subjectType: "person",
    subjectId: `p${seq}`,
    fields: ["name"],
    purpose: null,
    outcome: "ok",
    requestId: `r${seq}`,
    detail: { b: 1, a: [1, 2] },
  };
}

function chain(n: number) {
  const rows = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const e = entry(i);
    const hash = auditHash(prev, e);
    rows.push({ seq: i, entry: e as AuditEntryContent | null, prevHash: prev, hash });
    prev = hash;
  }
  return rows;
}

describe("audit hash chain", () => {
  it("verifies an intact chain", () => {
    expect(verifyAuditChain(chain(5))).toBeNull();
  });
  it("is independent of key order in details", () => {
    const e = entry(1);
    expect(auditHash(GENESIS_HASH, e)).toBe(auditHash(GENESIS_HASH, { ...e, detail: { a: [1, 2], b: 1 } }));
  });
  it("detects a changed row", () => {
    const rows = chain(5);
    rows[2] = { ...rows[2]!, entry: { ...rows[2]!.entry!, action: "person.search" } };
    expect(verifyAuditChain(rows)).toEqual({ seq: 3, reason: "hash_mismatch" });
  });
  it("detects a removed link", () => {
    const rows = chain(5);
    rows.splice(1, 1);
    expect(verifyAuditChain(rows)).toEqual({ seq: 3, reason: "prev_mismatch" });
  });
  it("detects a removed audit row behind an intact link", () => {
    const rows = chain(5);
    rows[3] = { ...rows[3]!, entry: null };
    expect(verifyAuditChain(rows)).toEqual({ seq: 4, reason: "missing_row" });
  });
});
