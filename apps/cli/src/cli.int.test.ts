import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { dropServerDatabase, openDatabase } from "@jiuye/db";
import { createAuditService } from "@jiuye/server";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const BIN = resolve(import.meta.dirname, "../bin/jiuye.mjs");
let env: Record<string, string>;
let dataDir: string;
let serverUrl: string | undefined;

function jiuye(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, ...env },
    input,
    encoding: "utf8",
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function withDb<T>(fn: (db: Awaited<ReturnType<typeof openDatabase>>["db"]) => Promise<T>): Promise<T> {
  const h = await openDatabase(serverUrl ? { databaseUrl: serverUrl } : { dataDir });
  try {
    return await fn(h.db);
  } finally {
    await h.close();
  }
}

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), "jiuye-cli-"));
  env = { JIUYE_DATA_DIR: dataDir, JIUYE_SECRET_KEY: randomBytes(32).toString("base64"), JIUYE_LOG_LEVEL: "silent" };
  if (process.env.DATABASE_URL) {
    const u = new URL(process.env.DATABASE_URL);
    u.pathname = `/jiuye_cli_${randomBytes(5).toString("hex")}`;
    serverUrl = u.toString();
    env.DATABASE_URL = serverUrl;
  } else env.DATABASE_URL = "";
});
afterAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  if (serverUrl) await dropServerDatabase(serverUrl);
});

describe("jiuye CLI", () => {
  it("migrates an empty database", () => {
    const r = jiuye(["migrate"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });

  it("creates an administrator, refusing a weak password", async () => {
    expect(jiuye(["admin", "create", "--username", "root", "--password-stdin"], "password1234\n").code).toBe(1);
    const ok = jiuye(["admin", "create", "--username", "root", "--password-stdin"], "Strong-Admin-Pass-9\n");
    expect(ok.code).toBe(0);
    const row = await withDb((db) =>
      db
        .selectFrom("users")
        .select(["role", "region_code", "password_hash"])
        .where("username", "=", "root")
        .executeTakeFirstOrThrow(),
    );
    expect(row.role).toBe("admin");
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
  });

  it("audit verify passes on an intact chain and exits 2 after a row is changed", async () => {
    await withDb(async (db) => {
      const audit = createAuditService({ clock: () => new Date() });
      for (let i = 0; i < 5; i++)
        await db
          .transaction()
          .execute((trx) =>
            audit.record(
              trx,
              { actorId: null, actorRole: null, ip: "127.0.0.1", requestId: `r${i}` },
              { action: "test.event" },
            ),
          );
    });
    const ok = jiuye(["audit", "verify"]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, checked: 5 });
    const seq = await withDb(async (db) => {
      const rows = await db.selectFrom("audit_log").select("seq").orderBy("seq").execute();
      await sql`alter table audit_log disable trigger audit_log_no_update`.execute(db);
      await sql`update audit_log set request_id = 'forged' where seq = ${rows[3]!.seq}`.execute(db);
      await sql`alter table audit_log enable trigger audit_log_no_update`.execute(db);
      return rows[3]!.seq;
    });
    const bad = jiuye(["audit", "verify"]);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout)).toMatchObject({ ok: false, brokenAtSeq: seq });
    expect(bad.stderr).toContain("断裂");
  });

  it("a bad configuration lists the problem and exits 1", () => {
    const r = spawnSync(process.execPath, [BIN, "migrate"], {
      env: { ...process.env, ...env, JIUYE_PORT: "not-a-port", DATABASE_URL: "mysql://x" },
      encoding: "utf8",
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("JIUYE_PORT");
    expect(r.stderr).toContain("DATABASE_URL");
  });
});
