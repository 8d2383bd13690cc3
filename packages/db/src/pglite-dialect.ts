import { type PGlite, types } from "@electric-sql/pglite";
import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from "kysely";
import { CopyData } from "./copy.ts";

/**
 * A Kysely dialect over embedded PGlite. PGlite is one connection, so connections are handed out
 * one at a time (a FIFO mutex): a transaction holds the only connection until it ends.
 */
export class PGliteDialect implements Dialect {
  constructor(private readonly pg: PGlite) {}
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PGliteDriver(this.pg);
  }
  createIntrospector(db: Kysely<any>) {
    return new PostgresIntrospector(db);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
}

class Mutex {
  #locked = false;
  #waiters: Array<() => void> = [];
  async lock(): Promise<void> {
    if (!this.#locked) {
      this.#locked = true;
      return;
    }
    await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }
  unlock(): void {
    const next = this.#waiters.shift();
    if (next) next();
    else this.#locked = false;
  }
}

class PGliteDriver implements Driver {
  readonly #mutex = new Mutex();
  readonly #connection: PGliteConnection;
  constructor(private readonly pg: PGlite) {
    this.#connection = new PGliteConnection(pg);
  }
  async init(): Promise<void> {
    await this.pg.waitReady;
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#mutex.lock();
    return this.#connection;
  }
  async beginTransaction(conn: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const iso = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : "";
    await conn.executeQuery(CompiledQuery.raw(`begin${iso}`));
  }
  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw("commit"));
  }
  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw("rollback"));
  }
  async releaseConnection(): Promise<void> {
    this.#mutex.unlock();
  }
  async destroy(): Promise<void> {
    if (!this.pg.closed) await this.pg.close();
  }
}

/**
 * As node-postgres binds them: a string bound to a bytea parameter is bytea text (`\x` and hex
 * digits, how blind indexes travel), also as an element of a bytea[] parameter; bytes go through
 * PGlite's own serializer, which takes bytes only.
 */
const byteaParam = (v: unknown) => (typeof v === "string" ? v : types.serializers[types.BYTEA]!(v));
const BYTEA_ARRAY = 1001; // pg_type.typarray of bytea
const SERIALIZERS = {
  [types.BYTEA]: byteaParam,
  [BYTEA_ARRAY]: (v: unknown) => types.arraySerializer(v, byteaParam, BYTEA_ARRAY),
};

class PGliteConnection implements DatabaseConnection {
  constructor(private readonly pg: PGlite) {}
  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    if (compiled.parameters.length === 0) {
      // exec() runs the simple protocol, so a migration may hold several statements.
      const results = await this.pg.exec(compiled.sql);
      const last = results[results.length - 1];
      return {
        rows: (last?.rows ?? []) as R[],
        ...(last?.affectedRows !== undefined ? { numAffectedRows: BigInt(last.affectedRows) } : {}),
      };
    }
    const [first] = compiled.parameters;
    if (first instanceof CopyData) {
      // PGlite reads COPY data from a blob given with the query
      const result = await this.pg.query<R>(compiled.sql.replace(/ from stdin$/, " from '/dev/blob'"), [], {
        blob: new Blob([first.text]),
      });
      return {
        rows: [],
        ...(result.affectedRows !== undefined ? { numAffectedRows: BigInt(result.affectedRows) } : {}),
      };
    }
    const result = await this.pg.query<R>(compiled.sql, compiled.parameters as unknown[], { serializers: SERIALIZERS });
    return {
      rows: result.rows,
      ...(result.affectedRows !== undefined ? { numAffectedRows: BigInt(result.affectedRows) } : {}),
    };
  }
  // biome-ignore lint/correctness/useYield: streaming is not supported by this dialect
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error("PGlite dialect does not support streaming");
  }
}
