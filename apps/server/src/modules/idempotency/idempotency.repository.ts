import { sql } from "kysely";
import type { Executor } from "../../lib/executor.ts";

export const idempotencyRepository = {
  /** Claims a key; false when it is already there. */
  async claim(db: Executor, actorId: string, key: string, hash: string, now: Date): Promise<boolean> {
    const r = await db
      .insertInto("idempotency_keys")
      .values({ actor_id: actorId, key, request_hash: hash, state: "running", created_at: now })
      .onConflict((oc) => oc.columns(["actor_id", "key"]).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
  },

  find(db: Executor, actorId: string, key: string) {
    return db
      .selectFrom("idempotency_keys")
      .selectAll()
      .where("actor_id", "=", actorId)
      .where("key", "=", key)
      .executeTakeFirst();
  },

  /** Takes over a claim left 'running' by a crashed process (older than `staleBefore`). */
  async takeOverStale(
    db: Executor,
    actorId: string,
    key: string,
    hash: string,
    staleBefore: Date,
    now: Date,
  ): Promise<boolean> {
    const r = await db
      .updateTable("idempotency_keys")
      .set({ created_at: now })
      .where("actor_id", "=", actorId)
      .where("key", "=", key)
      .where("request_hash", "=", hash)
      .where("state", "=", "running")
      .where("created_at", "<", staleBefore)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  complete(db: Executor, actorId: string, key: string, statusCode: number, body: string) {
    return db
      .updateTable("idempotency_keys")
      .set({ state: "done", status_code: statusCode, response_body: body })
      .where("actor_id", "=", actorId)
      .where("key", "=", key)
      .execute();
  },

  release(db: Executor, actorId: string, key: string) {
    return db
      .deleteFrom("idempotency_keys")
      .where("actor_id", "=", actorId)
      .where("key", "=", key)
      .where("state", "=", "running")
      .execute();
  },

  purgeOlderThan(db: Executor, before: Date) {
    return sql`delete from idempotency_keys where created_at < ${before}`.execute(db);
  },
};
