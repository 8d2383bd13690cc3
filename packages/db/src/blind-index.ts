import { type RawBuilder, sql } from "kysely";

/**
 * A blind-index column (schema.ts `BlindIndex`) read as the application keys it: bytea text, `\x`
 * and 64 hex digits, the form FieldCipher.blindIndex makes (whatever the session's bytea_output).
 */
export function blindIndexText(column: string): RawBuilder<string> {
  return sql<string>`'\\x' || encode(${sql.ref(column)}, 'hex')`;
}

/** A blind index made by FieldCipher.blindIndex as a bytea operand (for a comparison with the column). */
export function blindIndexValue(value: string): RawBuilder<Uint8Array> {
  return sql<Uint8Array>`${value}::bytea`;
}

/**
 * Blind indexes made by FieldCipher.blindIndex as one bytea[] operand (`column = any(…)`): one
 * parameter whatever their number.
 */
export function blindIndexValues(values: readonly string[]): RawBuilder<Uint8Array[]> {
  return sql<Uint8Array[]>`${values}::bytea[]`;
}
