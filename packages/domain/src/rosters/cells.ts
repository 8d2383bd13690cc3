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

export function normaliseCell(value: string): string {
  // most cells have none of them: one test instead of three replacements (bulk imports: 7 cells a row)
  if (!UNUSUAL.test(value)) return value.trim();
  return value
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, " ")
    .replace(/[\u200B-\u200D\uFEFF]/g, "")
    .trim();
}
