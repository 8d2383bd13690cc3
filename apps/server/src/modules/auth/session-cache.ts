/**
 * A short-lived in-process cache of resolved sessions, so an authenticated request does not need
 * a database round trip every time. Expiry (idle/absolute) is still decided on every request from
 * the cached timestamps; anything that changes a session or its user (logout, password change,
 * TOTP, disable, reset) evicts the user's entries here at once. Another server process sees such a
 * change within `ttlMs` (2 s by default).
 */
export interface SessionCache<T extends { user_id: string }> {
  get(sessionId: string, now: Date): T | undefined;
  set(sessionId: string, row: T, now: Date): void;
  delete(sessionId: string): void;
  evictUser(userId: string): void;
}

export function createSessionCache<T extends { user_id: string }>(options: {
  ttlMs: number;
  max: number;
}): SessionCache<T> {
  const entries = new Map<string, { row: T; at: number }>();
  return {
    get(id, now) {
      const e = entries.get(id);
      if (!e) return undefined;
      const age = now.getTime() - e.at;
      if (age < 0 || age >= options.ttlMs) {
        entries.delete(id);
        return undefined;
      }
      return e.row;
    },
    set(id, row, now) {
      if (entries.size >= options.max) entries.delete(entries.keys().next().value as string);
      entries.set(id, { row, at: now.getTime() });
    },
    delete(id) {
      entries.delete(id);
    },
    evictUser(userId) {
      for (const [id, e] of entries) if (e.row.user_id === userId) entries.delete(id);
    },
  };
}
