/** A jsonb column as the value it holds (drivers return parsed JSON; a string is parsed). */
export function fromJson<T>(v: unknown): T {
  return (typeof v === "string" ? JSON.parse(v) : v) as T;
}
