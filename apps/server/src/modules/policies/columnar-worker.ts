/** Worker thread of the columnar pool (columnar-pool.ts): evaluates one slice of the population. */
import { parentPort } from "node:worker_threads";
import { type Column, evaluateColumnar, type Population, type ResultSlots } from "@jiuye/domain";
import { loadShippedPolicies } from "./catalogue.ts";

let slice: Population | null = null;
let range: readonly [number, number] = [0, 0];

const sub = (c: Column, from: number, to: number): Column => ({
  v: c.v.subarray(from, to),
  k: c.k ? c.k.subarray(from, to) : null,
});

parentPort!.on("message", (m) => {
  if (m.kind === "init") {
    const pop = m.pop as Population;
    range = m.slice;
    const [from, to] = range;
    slice = {
      n: to - from,
      regions: pop.regions,
      regionOf: (pop.regionOf as Int32Array).subarray(from, to),
      cols: Object.fromEntries(Object.entries(pop.cols).map(([k, c]) => [k, sub(c, from, to)])),
      paid: Object.fromEntries(Object.entries(pop.paid ?? {}).map(([k, c]) => [k, sub(c, from, to)])),
    };
    // households: the slice keeps its own lists, re-based to slice indexes (slices cut between
    // households would split one; the pool cuts on word boundaries, so a household spanning the cut
    // is marked unknown on both sides rather than evaluated in part)
    if (pop.members) {
      const m = pop.members;
      const offsets = new Int32Array(to - from + 1);
      const index: number[] = [];
      const known = new Uint8Array(to - from);
      for (let i = from; i < to; i++) {
        offsets[i - from] = index.length;
        const list = m.index.subarray(m.offsets[i]!, m.offsets[i + 1]!);
        if (!m.known[i] || list.some((x) => x < from || x >= to)) continue;
        known[i - from] = 1;
        for (const x of list) index.push(x - from);
      }
      offsets[to - from] = index.length;
      slice.members = { offsets, index: Int32Array.from(index), known };
    }
    parentPort!.postMessage({ ready: true });
    return;
  }
  try {
    const [from, to] = range;
    const ids = new Set<string>(m.ids);
    const policies = loadShippedPolicies().filter((p) => ids.has(p.id));
    const w0 = from >>> 5;
    const w1 = (to + 31) >>> 5;
    const out = evaluateColumnar(policies, slice!, m.asOf, {
      amounts: m.amounts,
      into: (id) => {
        const s = m.slots[id] as ResultSlots;
        const plane = (p: Uint32Array) => p.subarray(w0, w1);
        return {
          met: plane(s.met),
          notMet: plane(s.notMet),
          outside: plane(s.outside),
          conditions: s.conditions.map((c) => ({ t: plane(c.t), f: plane(c.f), ne: plane(c.ne) })),
          amount: s.amount.subarray(from, to),
        };
      },
    });
    parentPort!.postMessage({
      job: m.job,
      conflicts: Object.fromEntries([...out].map(([id, r]) => [id, r.conflicts])),
    });
  } catch (e) {
    parentPort!.postMessage({ job: m.job, error: (e as Error).stack ?? String(e) });
  }
});
