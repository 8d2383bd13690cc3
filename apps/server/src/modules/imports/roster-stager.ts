import {
  maskText,
  normaliseCell,
  type PersonRosterContext,
  type RosterColumn,
  type RosterError,
  type RosterResult,
  scopeCovers,
} from "@jiuye/domain";
import type { StagedRow } from "./imports.repository.ts";
import type { RawRow } from "./roster-reader.ts";

/**
 * A roster row's cells by column key, and how the row is shown in the error report: each value
 * normalised and masked (`maskText`, or the column's own mask), under its Chinese header.
 */
export function rosterRows(
  columns: readonly RosterColumn[],
  index: Record<string, number>,
  mask: Record<string, (value: string) => string> = {},
) {
  const keys = Object.keys(index);
  const headerOf = Object.fromEntries(columns.map((c) => [c.key, c.header]));
  return {
    cellsOf(raw: RawRow): Record<string, string> {
      const cells: Record<string, string> = {};
      for (const k of keys) cells[k] = raw.cells[index[k]!] ?? "";
      return cells;
    },
    display(cells: Record<string, string>): Record<string, string> {
      return Object.fromEntries(
        keys.map((k) => {
          const v = normaliseCell(cells[k] ?? "");
          return [headerOf[k]!, v ? (mask[k] ?? maskText)(v) : ""];
        }),
      );
    },
  };
}

/**
 * What roster validators check a row's regions against: the known region codes and the importing
 * worker's scope (none: nothing is in scope). The same in the main thread and in a stage worker.
 */
export function rosterContext(today: string, regions: ReadonlySet<string>, scope: string): PersonRosterContext {
  return { today, regionKnown: (c) => regions.has(c), regionInScope: (c) => !!scope && scopeCovers(scope, c) };
}

/** Rows validated and protected between two turns of the event loop (~15 ms of work). */
const YIELD_EVERY = 250;

/**
 * The staging loop every roster kind shares: cells by header, validation, masked display values,
 * duplicates of a key within the file and (optionally) keys already registered rejected, the rest
 * turned into a protected payload. Kinds supply only what differs.
 */
export function createRosterStager<T>(spec: {
  columns: readonly RosterColumn[];
  index: Record<string, number>;
  validate(cells: Record<string, string>): RosterResult<T>;
  /** How a column's raw value is shown in the error report (default: `maskText`). */
  mask?: Record<string, (value: string) => string>;
  /** The key that must be unique in the file and in the registry, with the column it belongs to. */
  key?: { of(value: T): string; column: string; label: string };
  existing?: (keys: string[]) => Promise<Set<string>>;
  exists?: RosterError;
  payload(value: T, key: string | undefined): Promise<Record<string, unknown>> | Record<string, unknown>;
}) {
  const { cellsOf, display } = rosterRows(spec.columns, spec.index, spec.mask);
  const firstSeen = new Map<string, number>();
  // batches are staged one after another in the order given, even when a caller starts the next
  // before the last has finished: which of two equal keys came first depends on it
  let previous: Promise<unknown> = Promise.resolve();
  return (batch: RawRow[]): Promise<StagedRow[]> => {
    const staged = previous.then(() => stage(batch));
    previous = staged.catch(() => {});
    return staged;
  };

  async function stage(batch: RawRow[]): Promise<StagedRow[]> {
    const out: StagedRow[] = [];
    // A valid row's display is not stored: only rejected rows are reported, and a row rejected
    // later (at commit) is shown from its protected payload (`displayOf` of its kind).
    const pending: Array<{ rowNo: number; value: T; key?: string; cells: Record<string, string> }> = [];
    for (let i = 0; i < batch.length; i++) {
      // let the event loop run between slices of a batch: the previous batch is still being
      // sent to the database, and its socket only drains while the loop turns
      if (i > 0 && i % YIELD_EVERY === 0) await new Promise<void>((r) => setImmediate(r));
      const raw = batch[i]!;
      const cells = cellsOf(raw);
      const r = spec.validate(cells);
      if (!r.ok) {
        out.push({ rowNo: raw.rowNo, status: "rejected", payload: null, display: display(cells), errors: r.errors });
        continue;
      }
      const key = spec.key?.of(r.value);
      if (key !== undefined) {
        const first = firstSeen.get(key);
        if (first !== undefined) {
          out.push({
            rowNo: raw.rowNo,
            status: "rejected",
            payload: null,
            display: display(cells),
            errors: [
              {
                column: spec.key!.column,
                code: "DUPLICATE_IN_FILE",
                message: `与本文件第 ${first} 行的${spec.key!.label}重复`,
              },
            ],
          });
          continue;
        }
        firstSeen.set(key, raw.rowNo);
      }
      pending.push({ rowNo: raw.rowNo, value: r.value, key, cells });
    }
    const existing = spec.existing ? await spec.existing(pending.map((p) => p.key!)) : new Set<string>();
    for (const p of pending) {
      if (p.key !== undefined && existing.has(p.key)) {
        out.push({
          rowNo: p.rowNo,
          status: "rejected",
          payload: null,
          display: display(p.cells),
          errors: [spec.exists!],
        });
        continue;
      }
      out.push({
        rowNo: p.rowNo,
        status: "valid",
        display: null,
        errors: null,
        payload: await spec.payload(p.value, p.key),
      });
    }
    return out.sort((a, b) => a.rowNo - b.rowNo);
  }
}
