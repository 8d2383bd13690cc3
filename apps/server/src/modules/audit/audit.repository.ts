import type { AuditRow } from "@jiuye/db";
import { sql } from "kysely";
import type { Executor } from "../../lib/executor.ts";

// One advisory lock serialises appends so that the hash chain has a single order.
const CHAIN_LOCK = 72010001;

export interface AuditListFilter {
  action?: string;
  actorId?: string;
  subjectId?: string;
  from?: string;
  to?: string;
}

export const auditRepository = {
  async lockChainAndGetTip(db: Executor): Promise<{ prevHash: string | null; seq: number }> {
    await sql`select pg_advisory_xact_lock(${CHAIN_LOCK})`.execute(db);
    const last = await db.selectFrom("audit_log").select("hash").orderBy("seq", "desc").limit(1).executeTakeFirst();
    const next = await sql<{ seq: number }>`select nextval(pg_get_serial_sequence('audit_log', 'seq')) as seq`.execute(
      db,
    );
    return { prevHash: last?.hash ?? null, seq: Number(next.rows[0]!.seq) };
  },

  async insert(
    db: Executor,
    row: Omit<AuditRow, "detail"> & { detail: Record<string, unknown> | null },
  ): Promise<void> {
    await db
      .insertInto("audit_log")
      .values({ ...row, detail: row.detail ? JSON.stringify(row.detail) : null } as any)
      .execute();
  },

  async list(db: Executor, f: AuditListFilter, page: number, pageSize: number) {
    let q = db.selectFrom("audit_log").leftJoin("users", "users.id", "audit_log.actor_id");
    if (f.action) q = q.where("audit_log.action", "like", `${f.action.replace(/[%_\\]/g, "\\$&")}%`);
    if (f.actorId) q = q.where("audit_log.actor_id", "=", f.actorId);
    if (f.subjectId) q = q.where("audit_log.subject_id", "=", f.subjectId);
    if (f.from) q = q.where("audit_log.at", ">=", new Date(f.from));
    if (f.to) q = q.where("audit_log.at", "<", new Date(f.to));
    const [rows, total] = await Promise.all([
      q
        .selectAll("audit_log")
        .select("users.display_name as actor_name")
        .orderBy("audit_log.seq", "desc")
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute(),
      q.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(total.n) };
  },

  /** Rows in chain order, a batch at a time (verification streams the whole table). */
  async batchAfter(db: Executor, afterSeq: number, limit: number): Promise<AuditRow[]> {
    return db.selectFrom("audit_log").selectAll().where("seq", ">", afterSeq).orderBy("seq").limit(limit).execute();
  },

  async countByAction(db: Executor, action: string): Promise<number> {
    const r = await db
      .selectFrom("audit_log")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("action", "=", action)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },
};
