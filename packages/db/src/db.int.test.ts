import { Migrator, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blindIndexText, blindIndexValue, blindIndexValues } from "./blind-index.ts";
import { DATA_CLASSES, UNCLASSIFIED_TABLES } from "./classification.ts";
import type { DatabaseHandle } from "./connection.ts";
import { copyLine, copyLines, parseCopyLine } from "./copy.ts";
import { migrateToLatest, migrations } from "./migrate.ts";
import { createTestDatabase } from "./test-harness.ts";

let h: DatabaseHandle;
beforeAll(async () => {
  h = await createTestDatabase({ regions: false });
});
afterAll(async () => h?.close());

describe("migrations", () => {
  it("ran every migration on an empty database and a second run changes nothing", async () => {
    const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(h.db);
    expect(applied.rows.map((r) => r.name)).toEqual(Object.keys(migrations).sort());
    const again = await migrateToLatest(h.db);
    expect(again.results).toEqual([]);
  });

  it("classifies every column of every table", async () => {
    const cols = await sql<{ table_name: string; column_name: string }>`
      select table_name, column_name from information_schema.columns
      where table_schema = 'public' order by table_name, ordinal_position`.execute(h.db);
    const unclassified = cols.rows
      .filter((c) => !UNCLASSIFIED_TABLES.includes(c.table_name))
      .filter((c) => !DATA_CLASSES[c.table_name]?.[c.column_name])
      .map((c) => `${c.table_name}.${c.column_name}`);
    expect(unclassified).toEqual([]);
    expect(cols.rows.length).toBeGreaterThan(40);
  });

  it("refuses UPDATE, DELETE and TRUNCATE on the audit log", async () => {
    await sql`insert into audit_log (at, action, outcome) values (now(), 'test', 'ok')`.execute(h.db);
    await sql`insert into audit_chain (seq, prev_hash, hash) values (1, ${"0".repeat(64)}, ${"1".repeat(64)})`.execute(
      h.db,
    );
    await expect(sql`update audit_chain set hash = ${"2".repeat(64)}`.execute(h.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_chain`.execute(h.db)).rejects.toThrow(/append-only/);
    await expect(sql`update audit_log set action = 'changed'`.execute(h.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log`.execute(h.db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_log`.execute(h.db)).rejects.toThrow(/append-only/);
    const n = await sql<{ n: number }>`select count(*)::int as n from audit_log where action = 'test'`.execute(h.db);
    expect(n.rows[0]?.n).toBe(1);
  });

  it("keeps calendar dates as text on both engines", async () => {
    const r = await sql<{ d: string }>`select date '2025-01-01' as d`.execute(h.db);
    expect(r.rows[0]?.d).toBe("2025-01-01");
  });
});

describe("blind indexes as bytes (20261206150000_persons_compact_indexes)", () => {
  it("keeps every digest when a registry written as hex text is migrated, and finds people by it", async () => {
    const old = await createTestDatabase({ regions: false });
    try {
      const migrator = new Migrator({ db: old.db, provider: { getMigrations: async () => migrations } });
      const back = await migrator.migrateTo("20261206120000_persons_region_check");
      expect(back.error).toBeUndefined();
      const idHex = "0123456789abcdef".repeat(4);
      const phoneHex = "fedcba9876543210".repeat(4);
      await sql`insert into regions (code, name, level) values ('91', '测试省', 1)`.execute(old.db);
      await sql`
        insert into persons (name, id_number_enc, id_number_bidx, id_number_masked, phone_enc, phone_bidx, phone_masked,
                             sex, birth_date, residence_region_code, province_code)
        values ('李四', 'v1.x', ${idHex}, '1101**********0011', 'v1.y', ${phoneHex}, '138****0000',
                'male', '1990-01-01', '91', '91'),
               ('王五', 'v1.z', ${"1".repeat(64)}, '1101**********0022', null, null, null,
                'female', '1991-01-01', '91', '91')`.execute(old.db);
      await migrateToLatest(old.db);
      const rows = await sql<{ name: string; id: string; phone: string | null }>`
        select name, ${blindIndexText("id_number_bidx")} as id,
               case when phone_bidx is null then null else ${blindIndexText("phone_bidx")} end as phone
        from persons order by name`.execute(old.db);
      expect(rows.rows).toEqual([
        { name: "李四", id: `\\x${idHex}`, phone: `\\x${phoneHex}` },
        { name: "王五", id: `\\x${"1".repeat(64)}`, phone: null },
      ]);
      const byPhone = await sql<{ name: string }>`
        select name from persons where phone_bidx = ${blindIndexValue(`\\x${phoneHex}`)}`.execute(old.db);
      expect(byPhone.rows).toEqual([{ name: "李四" }]);
      const byIds = await sql<{ name: string }>`
        select name from persons
        where id_number_bidx = any(${blindIndexValues([`\\x${idHex}`, `\\x${"2".repeat(64)}`])})`.execute(old.db);
      expect(byIds.rows).toEqual([{ name: "李四" }]);
      const indexes = await sql<{ indexname: string; indexdef: string }>`
        select indexname, indexdef from pg_indexes where tablename = 'persons' order by indexname`.execute(old.db);
      const names = indexes.rows.map((r) => r.indexname);
      expect(names).not.toContain("persons_name_idx");
      expect(indexes.rows.find((r) => r.indexname === "persons_phone_bidx_idx")?.indexdef).toMatch(/USING hash/);
    } finally {
      await old.close();
    }
  });
});

describe("a person's 常住地", () => {
  const person = (bidx: string, region: string) => [
    "张三",
    "v1.x",
    `\\x${bidx.padEnd(64, "0")}`,
    "1101**********0011",
    "male",
    "1990-01-01",
    region,
    region.slice(0, 2),
  ];
  const cols = [
    "name",
    "id_number_enc",
    "id_number_bidx",
    "id_number_masked",
    "sex",
    "birth_date",
    "residence_region_code",
    "province_code",
  ];
  it("must be a known region, checked per statement for INSERT, COPY and UPDATE; regions cannot be removed", async () => {
    await sql`insert into regions (code, name, level) values ('91', '测试省', 1), ('9101', '测试市', 2)`.execute(h.db);
    const insert = (rows: string[][]) =>
      sql`insert into persons (${sql.raw(cols.join(", "))}) values ${sql.join(
        rows.map((r) => sql`(${sql.join(r)})`),
      )}`.execute(h.db);
    await insert([person("a1", "9101"), person("a2", "91")]);
    // one unknown region among several rows: the statement fails, nothing of it remains
    await expect(insert([person("a3", "9101"), person("a4", "9102")])).rejects.toMatchObject({ code: "23503" });
    await expect(
      copyLines(h.db, "persons", cols, [person("a5", "9101"), person("a6", "9199")].map(copyLine)),
    ).rejects.toMatchObject({
      code: "23503",
    });
    await expect(
      sql`update persons set residence_region_code = '9102' where encode(id_number_bidx, 'hex') like 'a1%'`.execute(
        h.db,
      ),
    ).rejects.toMatchObject({ code: "23503" });
    const n = await sql<{
      n: number;
    }>`select count(*)::int as n from persons where encode(id_number_bidx, 'hex') like 'a%'`.execute(h.db);
    expect(n.rows[0]!.n).toBe(2);
    await expect(sql`delete from regions where code = '9101'`.execute(h.db)).rejects.toMatchObject({ code: "23503" });
    await expect(sql`update regions set code = '9103' where code = '9101'`.execute(h.db)).rejects.toMatchObject({
      code: "23503",
    });
    await sql`update regions set name = '测试市（更名）' where code = '9101'`.execute(h.db);
    // blind indexes are 32 bytes: 64 hex digits without the `\x` of bytea text would be 64 bytes
    await expect(insert([person("b1", "9101").map((v, i) => (i === 2 ? v.slice(2) : v))])).rejects.toMatchObject({
      code: "23514",
    });
    const back = await sql<{ b: string }>`
      select ${blindIndexText("id_number_bidx")} as b from persons where id_number_bidx = ${blindIndexValue(`\\x${"a2".padEnd(64, "0")}`)}`.execute(
      h.db,
    );
    expect(back.rows).toEqual([{ b: `\\x${"a2".padEnd(64, "0")}` }]);
    await sql`delete from persons where encode(id_number_bidx, 'hex') like 'a%'`.execute(h.db);
  });
});

describe("COPY", () => {
  it("copies rows with tabs, line breaks, backslashes and NULLs intact, and fails as a whole on a violation", async () => {
    await sql`create table copy_probe (k text primary key, v text, n int)`.execute(h.db);
    const odd = ["a\tb", "line1\nline2\r\n", "back\\slash \\N", "王小明", ""];
    const rows = [...odd.map((v, i) => [`k${i}`, v, String(i)]), ["k9", null, null]];
    // a line reads back as the values it was made from (a direct import reports rows from their lines)
    for (const r of rows) expect(parseCopyLine(copyLine(r))).toEqual(r);
    expect(await copyLines(h.db, "copy_probe", ["k", "v", "n"], rows.map(copyLine))).toBe(6);
    const back = await sql<{ k: string; v: string | null; n: number | null }>`
      select k, v, n from copy_probe order by k`.execute(h.db);
    expect(back.rows).toEqual([...odd.map((v, i) => ({ k: `k${i}`, v, n: i })), { k: "k9", v: null, n: null }]);
    // one duplicate key among new rows: nothing of the COPY remains, inside a transaction too
    const again = [
      ["k10", "new", "10"],
      ["k0", "dup", "0"],
    ];
    await expect(copyLines(h.db, "copy_probe", ["k", "v", "n"], again.map(copyLine))).rejects.toMatchObject({
      code: "23505",
    });
    await expect(
      h.db.transaction().execute((trx) => copyLines(trx, "copy_probe", ["k", "v", "n"], again.map(copyLine))),
    ).rejects.toMatchObject({ code: "23505" });
    const n = await sql<{ n: number }>`select count(*)::int as n from copy_probe`.execute(h.db);
    expect(n.rows[0]!.n).toBe(6);
    await sql`drop table copy_probe`.execute(h.db);
  });
});

describe("server connections", () => {
  // Always against the machine's PostgreSQL server (the embedded engine has no pool to lose).
  const serverUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  it("survive the backend of an idle pooled connection being terminated", async () => {
    const { openDatabase } = await import("./connection.ts");
    const errors: Error[] = [];
    const pooled = await openDatabase({
      databaseUrl: serverUrl,
      poolSize: 2,
      onIdleClientError: (e) => errors.push(e),
    });
    const admin = await openDatabase({ databaseUrl: serverUrl, poolSize: 1 });
    try {
      const pid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(pooled.db)).rows[0]!.pid;
      await sql`select pg_terminate_backend(${pid})`.execute(admin.db);
      await new Promise((r) => setTimeout(r, 300));
      expect(errors.length).toBe(1);
      expect((await sql<{ one: number }>`select 1 as one`.execute(pooled.db)).rows[0]!.one).toBe(1);
    } finally {
      await pooled.close();
      await admin.close();
    }
  });

  it("run registered statements as named prepared statements, with the same results, others unnamed", async () => {
    const { openDatabase, prepareStatement } = await import("./connection.ts");
    const h = await openDatabase({ databaseUrl: serverUrl, poolSize: 1 });
    try {
      const hot = sql<{ n: number }>`select ${41}::int + 1 as n /* prepared-test */`.compile(h.db);
      const cold = sql<{ n: number }>`select ${1}::int + 1 as n /* unprepared-test */`.compile(h.db);
      prepareStatement(hot.sql);
      for (let i = 0; i < 3; i++) {
        expect((await h.db.executeQuery(hot)).rows).toEqual([{ n: 42 }]);
        expect((await h.db.executeQuery(cold)).rows).toEqual([{ n: 2 }]);
      }
      // same (only) pooled connection: its session holds the one registered text, prepared once
      const prepared = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(h.db);
      expect(prepared.rows.map((r) => r.statement)).toEqual([hot.sql]);
    } finally {
      await h.close();
    }
  });

  it("deliver postings notifications to a listener, which reconnects after losing its connection", async () => {
    const { openDatabase, ensureServerDatabase, dropServerDatabase, listenForNotifications } = await import(
      "./connection.ts"
    );
    const url = new URL(serverUrl);
    url.pathname = `/jiuye_t_listen_${Date.now().toString(36)}`;
    const dbUrl = url.toString();
    await ensureServerDatabase(dbUrl);
    const h2 = await openDatabase({ databaseUrl: dbUrl, poolSize: 2 });
    const received: string[] = [];
    const errors: Error[] = [];
    const stop = listenForNotifications(
      dbUrl,
      "jiuye_postings",
      (p) => received.push(p),
      (e) => errors.push(e),
      200,
    );
    const until = async (ok: () => boolean) => {
      for (let i = 0; i < 100 && !ok(); i++) await new Promise((r) => setTimeout(r, 50));
      return ok();
    };
    // the listening backend, once it has connected (null if it does not within 5 s)
    const listener = async (except = 0) => {
      for (let i = 0; i < 100; i++) {
        const r = await sql<{ pid: number }>`select pid from pg_stat_activity
          where datname = current_database() and query ilike 'listen%' and pid <> ${except}`.execute(h2.db);
        if (r.rows[0]) return r.rows[0].pid;
        await new Promise((r) => setTimeout(r, 50));
      }
      return null;
    };
    try {
      await migrateToLatest(h2.db);
      const first = await listener();
      expect(first).not.toBeNull();
      // a statement on postings notifies once, even when it changes no row
      await sql`update postings set title = title where false`.execute(h2.db);
      expect(await until(() => received.length === 1)).toBe(true);
      // the listening backend goes away: the listener reconnects and hears the next change
      await sql`select pg_terminate_backend(${first})`.execute(h2.db);
      expect(await until(() => errors.length > 0)).toBe(true);
      const second = await listener(first!);
      expect(second).not.toBeNull();
      expect(second).not.toBe(first);
      await sql`update postings set title = title where false`.execute(h2.db);
      expect(await until(() => received.length === 2)).toBe(true);
    } finally {
      await stop();
      await h2.close();
      await dropServerDatabase(dbUrl);
    }
  });
});
