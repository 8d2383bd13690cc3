/**
 * Worker thread of a large direct person import (imports.service.ts): validates and protects
 * batches of roster rows — the import's most expensive work (AES-GCM and HMAC per ID and phone
 * number) — while the main thread reads the file and the database inserts the previous batch.
 */
import { parentPort, workerData } from "node:worker_threads";
import { createFieldCipher } from "../../lib/field-cipher.ts";
import { personLine } from "./imports.repository.ts";
import { createPersonRosterStager } from "./person-roster.stage.ts";
import type { RawRow } from "./roster-reader.ts";
import { rosterContext } from "./roster-stager.ts";
import type { StageWorkerInit, StageWorkerReply } from "./stage-worker-client.ts";

const init = workerData as StageWorkerInit;
const stage = createPersonRosterStager({
  cipher: createFieldCipher(Buffer.from(init.secret)),
  index: init.index,
  ctx: rosterContext(init.today, new Set(init.regions), init.scope),
});

// Valid rows go back as one string of COPY lines (cloning thousands of payload objects between
// threads cost the main thread more than staging them itself); rejected rows as they are.
parentPort!.on("message", async (m: { seq: number; rows: RawRow[] }) => {
  try {
    const staged = await stage(m.rows);
    const valid = staged.filter((r) => r.status === "valid");
    const reply: StageWorkerReply = {
      seq: m.seq,
      rowNos: valid.map((r) => r.rowNo),
      lines: valid.map((r) => personLine(r.payload!)).join("\n"),
      rejected: staged.filter((r) => r.status === "rejected"),
    };
    parentPort!.postMessage(reply);
  } catch (e) {
    parentPort!.postMessage({ seq: m.seq, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
});
