import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { CopyData } from "./copy.ts";
import { PGliteDialect } from "./pglite-dialect.ts";
import type { Database } from "./schema.ts";

// Same value types on both engines: int8 as number (our counts fit), date as 'YYYY-MM-DD' text
// (a calendar date must not move with the process time zone).
const INT8 = 20;
const DATE = 1082;
pg.types.setTypeParser(INT8, (v: string) => Number(v));
pg.types.setTypeParser(DATE, (v: string) => v);

export type Engine = "embedded" | "server";

export interface DatabaseHandle {
  db: Kysely<Database>;
  engine: Engine;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** postgres://… — when set, the server engine is used. */
  databaseUrl?: string;
  /** Embedded data directory; `memory` keeps it in memory (tests). */
  dataDir?: string | "memory";
  poolSize?: number;
  /** Called when an idle pooled connection fails (logged by the server; never fatal). */
  onIdleClientError?: (err: Error) => void;
}

/**
 * Statement texts run as named prepared statements on a PostgreSQL server: parsed and planned once
 * per pooled connection instead of on every execution. Only the hot, fixed-text statements of the
 * read path are registered (explicitly, by `prepareStatement`), so the set stays small: for the
 * scoped person read, planning cost PostgreSQL more than executing.
 */
const PREPARED = new Map<string, string>();
const MAX_PREPARED = 100;

export function prepareStatement(text: string): void {
  if (!PREPARED.has(text) && PREPARED.size < MAX_PREPARED) PREPARED.set(text, `jiuye_${PREPARED.size + 1}`);
}

/** Streams a `copy … from stdin` statement's data to the server (see `copyLines`). */
function copyIn(client: pg.PoolClient, text: string, data: CopyData): Promise<{ command: string; rowCount: number }> {
  return new Promise((resolve, reject) => {
    const stream = client.query(copyFrom(text));
    stream.on("error", reject);
    stream.on("finish", () => resolve({ command: "COPY", rowCount: stream.rowCount }));
    stream.end(data.text);
  });
}

/**
 * A pooled client's statements: registered texts go through pg's named-statement path, and a
 * statement whose one parameter is `CopyData` runs as COPY with that data.
 */
function routeStatements(client: pg.PoolClient) {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (text: unknown, ...rest: unknown[]) => {
    const values = rest[0];
    if (Array.isArray(values) && values[0] instanceof CopyData && typeof text === "string") {
      return copyIn(client, text, values[0]);
    }
    const name = typeof text === "string" ? PREPARED.get(text) : undefined;
    if (name === undefined || rest.length > 1 || typeof rest[0] === "function") return query(text, ...rest);
    return query({ name, text, values: rest[0] });
  };
}

/** Opens the database: a PostgreSQL server when a URL is given, otherwise embedded PGlite. */
export async function openDatabase(options: ConnectOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
    // An idle client whose backend goes away (server restart, failover, pg_terminate_backend)
    // emits 'error' on the pool; without a listener that would crash the process. The pool
    // discards the client and the next query opens a new connection.
    pool.on("error", (err) => options.onIdleClientError?.(err));
    pool.on("connect", routeStatements);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, engine: "server", close: () => db.destroy() };
  }
  const dir = options.dataDir ?? "./data";
  let dataDir: string | undefined;
  if (dir !== "memory") {
    mkdirSync(dir, { recursive: true });
    dataDir = join(dir, "pgdata");
  }
  const client = new PGlite(
    dataDir
      ? { dataDir, parsers: { [INT8]: Number, [DATE]: (v: string) => v } }
      : { parsers: { [INT8]: Number, [DATE]: (v: string) => v } },
  );
  await client.waitReady;
  const db = new Kysely<Database>({ dialect: new PGliteDialect(client) });
  return { db, engine: "embedded", close: () => db.destroy() };
}

/**
 * Creates the database named in a server URL when it does not exist yet: UTF8 with
 * LC_CTYPE C.UTF-8, which Chinese full-text search needs.
 */
export async function ensureServerDatabase(databaseUrl: string): Promise<boolean> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ""));
  if (!name) throw new Error("DATABASE_URL has no database name");
  url.pathname = "/postgres";
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    const exists = await admin.query("select 1 from pg_database where datname = $1", [name]);
    if (exists.rowCount) return false;
    const quoted = `"${name.replace(/"/g, '""')}"`;
    await admin.query(
      `create database ${quoted} template template0 encoding 'UTF8' lc_collate 'C.UTF-8' lc_ctype 'C.UTF-8'`,
    );
    return true;
  } finally {
    await admin.end();
  }
}

/** Drops a server database (tests and benchmarks clean up after themselves). */
export async function dropServerDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ""));
  url.pathname = "/postgres";
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    await admin.query(`drop database if exists "${name.replace(/"/g, '""')}" with (force)`);
  } finally {
    await admin.end();
  }
}

/**
 * LISTEN on `channel` over a dedicated connection to a PostgreSQL server, reconnecting 5 s after
 * any failure (the callers also poll, so a lost notification only delays a change). Returns a
 * function that stops listening.
 */
export function listenForNotifications(
  databaseUrl: string,
  channel: string,
  onNotify: (payload: string) => void,
  onError: (err: Error) => void,
  retryMs = 5_000,
): () => Promise<void> {
  if (!/^[a-z_]+$/.test(channel)) throw new Error(`bad channel name: ${channel}`);
  let current: pg.Client | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  const retry = (c: pg.Client) => {
    if (current === c) current = null;
    c.end().catch(() => {});
    if (stopped || timer) return;
    timer = setTimeout(() => {
      timer = null;
      void connect();
    }, retryMs);
    timer.unref();
  };
  const connect = async () => {
    if (stopped) return;
    const c = new pg.Client({ connectionString: databaseUrl });
    c.on("notification", (m) => {
      if (m.channel === channel) onNotify(m.payload ?? "");
    });
    c.on("error", (e) => {
      onError(e);
      retry(c);
    });
    try {
      await c.connect();
      await c.query(`listen ${channel}`);
      current = c;
      if (stopped) await c.end();
    } catch (e) {
      onError(e as Error);
      retry(c);
    }
  };
  void connect();
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await current?.end().catch(() => {});
  };
}
