import type { Database } from "@jiuye/db";
import type { Kysely } from "kysely";
import { policiesRepository as repo } from "./policies.repository.ts";

/** A channel that delivers a message; SMS gateways plug in here. */
export interface MessageSender {
  channel: "in_app" | "sms";
  /** Resolves when delivered; throws to retry later. Returns "skipped" when the channel is not set up. */
  send(message: {
    recipientKind: string;
    recipientId: string;
    title: string;
    body: string;
  }): Promise<"sent" | "skipped">;
}

/** In-app messages are delivered by being marked sent: the recipient's inbox reads them. */
export const inAppSender: MessageSender = { channel: "in_app", send: async () => "sent" };

/** No SMS gateway configured: messages are kept and marked skipped, never silently dropped. */
export const unconfiguredSmsSender: MessageSender = { channel: "sms", send: async () => "skipped" };

const MAX_ATTEMPTS = 5;

/**
 * Deliver pending outbox messages (the transactional outbox: messages were written in the same
 * transaction as the payment they announce). Claimed with FOR UPDATE SKIP LOCKED, so two servers
 * never send one twice; a failure is retried up to 5 times.
 */
export async function dispatchOutbox(db: Kysely<Database>, senders: MessageSender[], batch = 200): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const pending = await repo.claimPending(tx, batch);
    for (const m of pending) {
      const sender = senders.find((s) => s.channel === m.channel);
      try {
        const r = sender
          ? await sender.send({
              recipientKind: m.recipient_kind,
              recipientId: m.recipient_id,
              title: m.title,
              body: m.body,
            })
          : "skipped";
        await repo.markMessage(tx, m.id, r, r === "skipped" ? "该渠道未配置" : null);
      } catch (e) {
        await repo.markMessage(
          tx,
          m.id,
          m.attempts + 1 >= MAX_ATTEMPTS ? "failed" : "pending",
          (e as Error).message.slice(0, 500),
        );
      }
    }
    return pending.length;
  });
}
