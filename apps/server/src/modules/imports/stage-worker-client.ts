import { Worker } from "node:worker_threads";
import type { StagedRow } from "./imports.repository.ts";
import type { RawRow } from "./roster-reader.ts";

/** What a stage worker needs to validate and protect person rows as the main thread would. */
export interface StageWorkerInit {
  /** the field cipher's key (stays in this process) */
  secret: Uint8Array;
  index: Record<string, number>;
  today: string;
  regions: string[];
  scope: string;
}

export type StageWorkerReply =
  | { seq: number; rowNos: number[]; lines: string; rejected: StagedRow[]; error?: undefined }
  | { seq: number; error: string };

const WORKER_URL = new URL("./stage-worker-boot.mjs", import.meta.url);

/**
 * A person roster stager in a worker thread: `stage` sends a batch and resolves with its staged
 * rows, batches in the order sent (the worker keeps the file's first-seen ID numbers, so a
 * duplicate across batches is still found). A worker that fails fails every batch after it.
 */
export function startStageWorker(init: StageWorkerInit) {
  const worker = new Worker(WORKER_URL, { workerData: init });
  const waiting = new Map<number, { resolve(r: StagedRow[]): void; reject(e: Error): void }>();
  let failure: Error | null = null;
  let seq = 0;
  const fail = (e: Error) => {
    failure ??= e;
    for (const w of waiting.values()) w.reject(failure);
    waiting.clear();
  };
  worker.on("message", (m: StageWorkerReply) => {
    const w = waiting.get(m.seq);
    waiting.delete(m.seq);
    if (m.error !== undefined) return fail(new Error(`stage worker: ${m.error}`));
    const lines = m.lines === "" ? [] : m.lines.split("\n");
    const valid = m.rowNos.map(
      (rowNo, i): StagedRow => ({ rowNo, status: "valid", payload: null, display: null, errors: null, line: lines[i] }),
    );
    w?.resolve([...valid, ...m.rejected].sort((a, b) => a.rowNo - b.rowNo));
  });
  worker.on("error", fail);
  worker.on("exit", (code) => fail(new Error(`stage worker exited (${code})`)));
  return {
    stage(rows: RawRow[]): Promise<StagedRow[]> {
      if (failure) return Promise.reject(failure);
      const n = ++seq;
      return new Promise((resolve, reject) => {
        waiting.set(n, { resolve, reject });
        worker.postMessage({ seq: n, rows });
      });
    },
    async close() {
      failure ??= new Error("stage worker closed");
      await worker.terminate();
    },
  };
}
