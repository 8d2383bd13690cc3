import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
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

describe("jiuye check", () => {
  it("prints JSON and exits 0 for valid input, 1 for invalid", () => {
    const ok = jiuye(["check", "retirement", "--birth", "1976-09", "--sex", "male", "--category", "male-60"]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({
      valid: true,
      ageYears: 63,
      ageMonths: 0,
      retirementMonth: "2039-09",
    });
    const legacy = jiuye(["check", "id-number", "110105491231002"]);
    expect(legacy.code).toBe(1);
    expect(JSON.parse(legacy.stdout)).toMatchObject({ valid: false, converted: "11010519491231002X" });
    const code = jiuye(["check", "credit-code", "91350100M000100Y43"]);
    expect(JSON.parse(code.stdout)).toMatchObject({ valid: true, registrationAuthority: "工商（市场监管）" });
  });
});

describe("jiuye policy evaluate", () => {
  it("evaluates a hypothetical subject from a JSON file and prints the API's JSON; bad facts exit 1 naming the field", () => {
    const file = join(dataDir, "subject.json");
    writeFileSync(
      file,
      JSON.stringify({
        kind: "employer",
        regionCode: "320102",
        facts: { planned_layoffs: 19, headcount: 1000 },
      }),
    );
    const r = jiuye(["policy", "evaluate", "--subject", file, "--as-of", "2026-11-28", "--policy", "mass_layoff_duty"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.results).toHaveLength(1);
    expect(out.results[0]).toMatchObject({ policyId: "mass_layoff_duty", state: "not_met", failed: ["large_layoff"] });
    writeFileSync(file, JSON.stringify({ kind: "employer", regionCode: "320102", facts: { headcount: "一千" } }));
    const bad = jiuye(["policy", "evaluate", "--subject", file, "--as-of", "2026-11-28"]);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stderr).errors[0]).toMatchObject({ field: "subject.facts.headcount" });
    expect(bad.stderr).toContain("职工人数");
  }, 120_000);
});

describe("jiuye serve", () => {
  it("creates the first administrator from the environment, serves, and drains in-flight requests on SIGTERM", async () => {
    // a database with no administrator yet
    const serveDir = mkdtempSync(join(tmpdir(), "jiuye-serve-"));
    let serveUrl = "";
    if (serverUrl) {
      const u = new URL(serverUrl);
      u.pathname = `${u.pathname}_serve`;
      serveUrl = u.toString();
    }
    const p = spawn(process.execPath, [BIN, "serve"], {
      env: {
        ...process.env,
        ...env,
        JIUYE_DATA_DIR: serveDir,
        JIUYE_SHUTDOWN_GRACE_MS: "1000",
        DATABASE_URL: serveUrl,
        JIUYE_PORT: "0",
        JIUYE_HOST: "127.0.0.1",
        JIUYE_ADMIN_USER: "boss",
        JIUYE_ADMIN_PASSWORD: "First-Admin-Pass-1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    p.stdout.on("data", (d) => {
      out += d;
    });
    const exited = new Promise<number | null>((ok) => p.on("exit", (c) => ok(c)));
    const url = await new Promise<string>((ok, fail) => {
      const timer = setInterval(() => {
        const m = /已启动：(http:\/\/\S+)/.exec(out);
        if (m) {
          clearInterval(timer);
          ok(m[1]!.replace("localhost", "127.0.0.1"));
        }
      }, 50);
      setTimeout(() => fail(new Error(`server did not start: ${out}`)), 90_000);
    });
    expect(out).toContain("已创建首个管理员账号：boss");
    const login = await fetch(`${url}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "boss", password: "First-Admin-Pass-1" }),
    });
    expect(login.status).toBe(200);
    expect(await login.json()).toMatchObject({ role: "admin", totpRequired: true, totpEnabled: false });
    // SIGTERM under load: every request gets an HTTP answer (200 before the drain, 503 after it
    // began), none is cut off, and the process exits cleanly.
    const inflight = Array.from({ length: 40 }, () =>
      fetch(`${url}/api/v1/health`).then(
        (r) => r.status,
        (e: Error & { cause?: { code?: string } }) => e.cause?.code ?? String(e),
      ),
    );
    await Promise.race(inflight); // connections are up and serving
    p.kill("SIGTERM");
    // and requests arriving during the drain are answered, not dropped
    await new Promise((r) => setTimeout(r, 200));
    const during = await fetch(`${url}/api/v1/health`);
    expect(during.status).toBe(503);
    expect(during.headers.get("retry-after")).toBe("5");
    const statuses = await Promise.all(inflight);
    // ECONNREFUSED: the request arrived after the listener closed, so it was never in flight;
    // a reset or a dropped response would show up as anything else.
    expect(statuses.filter((s) => s !== 200 && s !== 503 && s !== "ECONNREFUSED")).toEqual([]);
    expect(statuses).toContain(200);
    expect(await exited).toBe(0);
    rmSync(serveDir, { recursive: true, force: true });
    if (serveUrl) await dropServerDatabase(serveUrl);
  });
});
