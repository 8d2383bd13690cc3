import { CompiledQuery, type Kysely, type Transaction } from "kysely";

/**
 * Rows for `copy … from stdin`, in COPY's text format: the one parameter of a COPY statement.
 * Both engines recognise it (the server's pooled clients stream it with pg-copy-streams, PGlite
 * reads it as a blob), so a bulk insert is one code path on both.
 */
export class CopyData {
  constructor(readonly text: string) {}
}

const SPECIAL = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/** One value in COPY's text format: NULL as \N, backslash, tab and line breaks escaped. */
export function copyValue(v: string | null | undefined): string {
  if (v === null || v === undefined) return "\\N";
  return SPECIAL.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]!) : v;
}

/** One row as a line of COPY's text format (no line break). */
export function copyLine(values: ReadonlyArray<string | null | undefined>): string {
  let line = "";
  for (let i = 0; i < values.length; i++) line += (i === 0 ? "" : "\t") + copyValue(values[i]);
  return line;
}

const UNESCAPES: Record<string, string> = { "\\": "\\", t: "\t", n: "\n", r: "\r" };

/** The values of a line made by `copyLine`. */
export function parseCopyLine(line: string): Array<string | null> {
  return line
    .split("\t")
    .map((v) => (v === "\\N" ? null : v.includes("\\") ? v.replace(/\\(.)/g, (_, c: string) => UNESCAPES[c] ?? c) : v));
}

/**
 * Inserts rows with COPY (several times cheaper for the server than INSERT … SELECT of the same
 * rows): `lines` as made by `copyLine`, values in `columns` order. Fails as a whole on any
 * constraint violation, like a single INSERT; returns how many rows were copied.
 */
export async function copyLines(
  db: Kysely<any> | Transaction<any>,
  table: string,
  columns: readonly string[],
  lines: readonly string[],
): Promise<number> {
  if (!/^[a-z_]+$/.test(table) || columns.some((c) => !/^[a-z_]+$/.test(c))) throw new Error("bad COPY target");
  if (lines.length === 0) return 0;
  const result = await db.executeQuery(
    CompiledQuery.raw(`copy ${table} (${columns.join(", ")}) from stdin`, [new CopyData(`${lines.join("\n")}\n`)]),
  );
  return Number(result.numAffectedRows ?? lines.length);
}
