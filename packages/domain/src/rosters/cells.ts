/**
 * Spreadsheet cell hygiene for rosters (花名册).
 * - Export: a cell that starts with = + - @ tab or CR is a formula to Excel/WPS (CSV injection,
 *   OWASP); it gets a leading apostrophe so it is shown as text (security.md item 22).
 * - Import: full-width ASCII (ＡＢＣ１２３, common in hand-typed Chinese sheets) becomes half-width,
 *   surrounding and zero-width spaces are trimmed.
 */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** Full-width forms, the ideographic space and zero-width characters: what `normaliseCell` rewrites. */
const UNUSUAL = /[\uFF01-\uFF5E\u3000\u200B-\u200D\uFEFF]/;
const EACH_UNUSUAL = new RegExp(UNUSUAL.source, "g");

const normalChar = (c: string) =>
  c === "\u3000" ? " " : c >= "\uFF01" && c <= "\uFF5E" ? String.fromCharCode(c.charCodeAt(0) - 0xfee0) : "";

export function normaliseCell(value: string): string {
  // most cells have none: a test is cheaper than a replace that finds nothing (bulk imports: 7 cells a row)
  return (UNUSUAL.test(value) ? value.replace(EACH_UNUSUAL, normalChar) : value).trim();
}
