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

/**
 * Inserts rows with COPY (several times cheaper for the server than INSERT … SELECT of the same
 * rows): `rows` are lines of values in `columns` order. Fails as a whole on any constraint
 * violation, like a single INSERT; returns how many rows were copied.
 */
export async function copyInto(
  db: Kysely<any> | Transaction<any>,
  table: string,
  columns: readonly string[],
  rows: Array<Array<string | null>>,
) {
  if (!/^[a-z_]+$/.test(table) || columns.some((c) => !/^[a-z_]+$/.test(c))) throw new Error("bad COPY target");
  if (rows.length === 0) return 0;
  let text = "";
  for (const r of rows) {
    let line = "";
    for (let i = 0; i < r.length; i++) line += (i === 0 ? "" : "\t") + copyValue(r[i]);
    text += `${line}\n`;
  }
  const result = await db.executeQuery(
    CompiledQuery.raw(`copy ${table} (${columns.join(", ")}) from stdin`, [new CopyData(text)]),
  );
  return Number(result.numAffectedRows ?? rows.length);
}
