import type { AuditRow } from "@jiuye/db";
import { type AuditEntryContent, auditHash, GENESIS_HASH, verifyAuditChain } from "@jiuye/domain";
import type { Clock, Executor, RequestContext } from "../../lib/executor.ts";
import { auditRepository } from "./audit.repository.ts";

export interface AuditEvent {
  action: string;
  subjectType?: string;
  subjectId?: string;
  fields?: string[];
  purpose?: string;
  outcome?: "ok" | "denied" | "failed";
  detail?: Record<string, unknown>;
}

function contentOf(row: AuditRow): AuditEntryContent {
  return {
    seq: Number(row.seq),
    at: new Date(row.at).toISOString(),
    actorId: row.actor_id,
    actorRole: row.actor_role,
    ip: row.ip,
    action: row.action,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    fields: row.fields ?? [],
    purpose: row.purpose,
    outcome: row.outcome,
    requestId: row.request_id,
    detail: (typeof row.detail === "string" ? JSON.parse(row.detail) : row.detail) ?? null,
  };
}

export type AuditService = ReturnType<typeof createAuditService>;

/**
 * The audit trail (等保 2.0 安全审计): who, when, from where, what and why. `record` must run inside
 * the caller's transaction, so a failed audit write fails the whole request.
 */
export function createAuditService(deps: { clock: Clock }) {
  return {
    async record(trx: Executor, ctx: RequestContext, event: AuditEvent): Promise<void> {
      const tip = await auditRepository.lockChainAndGetTip(trx);
      const at = deps.clock();
      const entry: AuditEntryContent = {
        seq: tip.seq,
        at: at.toISOString(),
        actorId: ctx.actorId,
        actorRole: ctx.actorRole,
        ip: ctx.ip,
        action: event.action,
        subjectType: event.subjectType ?? null,
        subjectId: event.subjectId ?? null,
        fields: event.fields ?? [],
        purpose: event.purpose ?? null,
        outcome: event.outcome ?? "ok",
        requestId: ctx.requestId,
        detail: event.detail ?? null,
      };
      const prevHash = tip.prevHash ?? GENESIS_HASH;
      await auditRepository.insert(trx, {
        seq: entry.seq,
        at,
        actor_id: entry.actorId,
        actor_role: entry.actorRole,
        ip: entry.ip,
        action: entry.action,
        subject_type: entry.subjectType,
        subject_id: entry.subjectId,
        fields: entry.fields,
        purpose: entry.purpose,
        outcome: entry.outcome,
        request_id: entry.requestId,
        detail: entry.detail,
        prev_hash: prevHash,
        hash: auditHash(prevHash, entry),
      });
    },

    /** Recomputes the whole chain; a changed, inserted or removed row breaks it. */
    async verify(db: Executor, onProgress?: (checked: number) => void) {
      let after = 0;
      let prev = GENESIS_HASH;
      let checked = 0;
      for (;;) {
        const rows = await auditRepository.batchAfter(db, after, 5000);
        if (rows.length === 0) break;
        const brk = verifyAuditChain(
          rows.map((r) => ({ entry: contentOf(r), prevHash: r.prev_hash, hash: r.hash })),
          prev,
        );
        if (brk)
          return {
            ok: false,
            checked: checked + rows.findIndex((r) => Number(r.seq) === brk.seq),
            brokenAtSeq: brk.seq,
            reason: brk.reason,
          };
        checked += rows.length;
        prev = rows[rows.length - 1]!.hash;
        after = Number(rows[rows.length - 1]!.seq);
        onProgress?.(checked);
      }
      return { ok: true, checked, brokenAtSeq: null, reason: null };
    },
  };
}
