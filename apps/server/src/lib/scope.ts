/** A LIKE pattern for a region-code prefix (codes are digits, so nothing needs escaping). */
export function prefixPattern(regionCode: string): string {
  if (!/^\d+$/.test(regionCode)) throw new Error("region code must be digits");
  return `${regionCode}%`;
}

/** A LIKE pattern matching text that contains `text` literally (%, _ and \\ escaped). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[%_\\]/g, "\\$&")}%`;
}

/** Postgres unique_violation. */
export function isUniqueViolation(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as { code?: string }).code === "23505";
}
