/**
 * The columnar evaluator split across worker threads: the population lives in shared memory
 * (SharedArrayBuffer-backed typed arrays); each worker takes a contiguous slice of subjects and
 * writes its states, reason masks and amounts straight into shared result arrays. Nothing is copied.
 */
import { Worker } from "node:worker_threads";
import {
  type Column,
  type ColumnarResult,
  createRandom,
  dayNumber,
  FACTS,
  NEVER,
  type Population,
  type ResultSlots,
  wordsFor,
} from "@jiuye/domain";
import { loadShippedPolicies } from "./catalogue.ts";

export function sharedArray<T extends Float64Array | Uint8Array | Uint32Array | Int32Array>(
  ctor: { new (buf: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number },
  n: number,
): T {
  return new ctor(new SharedArrayBuffer(Math.max(1, n) * ctor.BYTES_PER_ELEMENT));
}

export interface ColumnarPool {
  run(policyIds: string[], asOf: string, options?: { amounts?: boolean }): Promise<Map<string, ColumnarResult>>;
  close(): Promise<void>;
}

const WORKER_URL = new URL("./columnar-worker-boot.mjs", import.meta.url);

/** Shared result arrays of one policy over the whole population. */
function slotsFor(n: number, conditions: number): ResultSlots {
  const words = wordsFor(n);
  const plane = () => sharedArray(Uint32Array, words);
  return {
    met: plane(),
    notMet: plane(),
    outside: plane(),
    conditions: Array.from({ length: conditions }, () => ({ t: plane(), f: plane(), ne: plane() })),
    amount: sharedArray(Float64Array, n),
  };
}

async function start(threads: number, pop: Population): Promise<ColumnarPool> {
  const n = pop.n;
  // slices start on a word boundary so that each worker owns whole words of the bit planes
  // and between households, so that every household is evaluated whole by one worker
  const spans = (c: number) => {
    const m = pop.members;
    if (!m || c <= 0 || c >= n) return false;
    return Array.from(m.index.subarray(m.offsets[c - 1]!, m.offsets[c]!)).some((x) => x >= c);
  };
  const cut = (i: number) => {
    let c = Math.min(n, Math.ceil((n * i) / threads / 32) * 32);
    while (spans(c)) c = Math.min(n, c + 32);
    return c;
  };
  const slices = Array.from({ length: threads }, (_, i) => [cut(i), cut(i + 1)] as const);
  const workers = slices.map(() => new Worker(WORKER_URL));
  await Promise.all(
    workers.map(
      (w, i) =>
        new Promise<void>((resolve, reject) => {
          w.once("message", () => resolve());
          w.once("error", reject);
          w.postMessage({ kind: "init", pop, slice: slices[i] });
        }),
    ),
  );
  const slots = new Map<string, ResultSlots>();
  let seq = 0;
  return {
    async run(policyIds, asOf, options = {}) {
      const all = loadShippedPolicies();
      const wanted = new Set(policyIds);
      // a policy's dependencies run too (their states feed `policy:` conditions)
      for (const p of [...all].reverse()) if (wanted.has(p.id)) for (const d of p.dependsOn) wanted.add(d);
      const chosen = all.filter((p) => wanted.has(p.id));
      for (const p of chosen) if (!slots.has(p.id)) slots.set(p.id, slotsFor(n, p.conditions.length));
      const ids = chosen.map((p) => p.id);
      const job = ++seq;
      const conflicts = await Promise.all(
        workers.map(
          (w) =>
            new Promise<Record<string, string[]>>((resolve, reject) => {
              const onMessage = (m: { job: number; conflicts?: Record<string, string[]>; error?: string }) => {
                if (m.job !== job) return;
                w.off("message", onMessage);
                if (m.error) reject(new Error(m.error));
                else resolve(m.conflicts ?? {});
              };
              w.on("message", onMessage);
              w.postMessage({
                kind: "run",
                job,
                ids,
                asOf,
                amounts: options.amounts !== false,
                slots: Object.fromEntries(ids.map((id) => [id, slots.get(id)])),
              });
            }),
        ),
      );
      return new Map(
        chosen.map((p) => {
          const s = slots.get(p.id)!;
          const hasNe = p.conditions.map((c) => c.requires.length > 0);
          const result: ColumnarResult = {
            policyId: p.id,
            n,
            met: s.met,
            notMet: s.notMet,
            outside: p.region ? s.outside : null,
            conditions: s.conditions.map((c, i) => ({ t: c.t, f: c.f, ne: hasNe[i] ? c.ne : null })),
            amount:
              options.amounts === false || !p.outputs.some((o) => o.name === "amount") ? new Float64Array(0) : s.amount,
            conflicts: [...new Set(conflicts.flatMap((c) => c[p.id] ?? []))],
          };
          return [p.id, result] as const;
        }),
      );
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

export const evaluateInWorkers = { start };

/**
 * A synthetic population for the bench: every person fact filled with plausible values (a few
 * unknown), dates near the catalogue's thresholds, in shared memory when `shared`.
 */
export function syntheticPersonPopulation(n: number, seed: number, asOf: string, shared: boolean): Population {
  const rnd = createRandom(seed).next;
  const f64 = (len: number) => (shared ? sharedArray(Float64Array, len) : new Float64Array(len));
  const u8 = (len: number) => (shared ? sharedArray(Uint8Array, len) : new Uint8Array(len));
  const today = dayNumber(asOf);
  const regions = ["320102", "320104", "320105", "320106", "320111", "320205", "320505", "321002", "320902", "320311"];
  const regionOf = shared ? sharedArray(Int32Array, n) : new Int32Array(n);
  for (let i = 0; i < n; i++) regionOf[i] = Math.floor(rnd() * regions.length);
  const cols: Record<string, Column> = {};
  for (const [name, def] of Object.entries(FACTS.person)) {
    const v = f64(n);
    const k = u8(n);
    const enumSize = def.values ? Object.keys(def.values).length : 0;
    for (let i = 0; i < n; i++) {
      if (rnd() < 0.03) continue;
      k[i] = 1;
      switch (def.type) {
        case "bool":
          v[i] = rnd() < 0.2 ? 1 : 0;
          break;
        case "enum":
          v[i] = Math.floor(rnd() * enumSize);
          break;
        case "date":
          v[i] =
            name === "birth_date"
              ? today - 16 * 365 - Math.floor(rnd() * 45 * 365)
              : name === "retirement_date"
                ? today + Math.floor(rnd() * 30 * 365)
                : today - Math.floor(rnd() * 4 * 365);
          break;
        case "money":
          v[i] = 200_000 + Math.floor(rnd() * 50_000);
          break;
        case "rate":
          v[i] = 300 + Math.floor(rnd() * 200);
          break;
        default:
          v[i] = name === "certificate_level" ? Math.floor(rnd() * 6) : Math.floor(rnd() * 150);
      }
    }
    cols[name] = { v, k };
  }
  const paidV = f64(n);
  const paidK = u8(n);
  for (let i = 0; i < n; i++) {
    paidK[i] = 1;
    paidV[i] = rnd() < 0.9 ? NEVER : today - Math.floor(rnd() * 700);
  }
  // households of 1–4 consecutive persons (the subject included in its own list)
  const offsets = shared ? sharedArray(Int32Array, n + 1) : new Int32Array(n + 1);
  const index = shared ? sharedArray(Int32Array, n * 4) : new Int32Array(n * 4);
  const known = u8(n).fill(1);
  let at = 0;
  for (let start = 0; start < n; ) {
    const size = Math.min(n - start, 1 + Math.floor(rnd() * 4));
    for (let i = start; i < start + size; i++) {
      offsets[i] = at;
      for (let j = start; j < start + size; j++) index[at++] = j;
    }
    start += size;
  }
  offsets[n] = at;
  return {
    n,
    regionOf,
    regions,
    cols,
    paid: { vocational_training: { v: paidV, k: paidK } },
    members: { offsets, index: index.subarray(0, at), known },
  };
}
