/** Calendar dates in this domain are Asia/Shanghai dates (UTC+8, no daylight saving). */
export function shanghaiDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** A moment as Asia/Shanghai wall-clock time, `YYYY-MM-DD HH:mm:ss` (for spreadsheets people read). */
export function shanghaiDateTime(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace("T", " ");
}
