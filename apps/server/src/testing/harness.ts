import { Writable } from "node:stream";
import type { DatabaseHandle } from "@jiuye/db";
import { createTestDatabase } from "@jiuye/db/test-harness";
import { findUnmaskedIdentifiers, type Role } from "@jiuye/domain";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { buildApp } from "../app.ts";
import { type Config, loadConfig } from "../config.ts";
import { createFieldCipher, type FieldCipher } from "../lib/field-cipher.ts";
import { createLogger } from "../lib/logger.ts";
import { totpCodeAt } from "../modules/auth/auth.service.ts";
import {
  createRandom,
  insertEmployers,
  insertPersons,
  insertUser,
  newTotpSecret,
  syntheticEmployer,
  syntheticIdNumber,
} from "../seed/factories.ts";

export const TEST_PASSWORD = "Correct-Horse-42";
const TEST_KEY = Buffer.alloc(32, 7).toString("base64");

/** A clock the test moves by hand (idle timeouts, lockouts). */
export function createTestClock(start = new Date("2026-11-28T02:00:00Z")) {
  let t = start.getTime();
  return {
    now: () => new Date(t),
    advance(ms: number) {
      t += ms;
    },
  };
}

export interface TestSession {
  cookie: string;
  csrf: string;
  userId: string;
  role: Role;
}

export interface TestApp {
  app: FastifyInstance;
  db: DatabaseHandle["db"];
  cipher: FieldCipher;
  clock: ReturnType<typeof createTestClock>;
  config: Config;
  logLines: string[];
  /** Responses or log lines that carried an unmasked ID number or phone. */
  maskingViolations: string[];
  /** Creates an account (with TOTP where the role needs it) and signs it in. */
  signIn(
    role: Role,
    opts?: { regionCode?: string | null; personId?: string; employerId?: string; username?: string },
  ): Promise<TestSession>;
  request(
    session: TestSession | null,
    opts: { method: string; url: string; payload?: unknown; headers?: Record<string, string>; remoteAddress?: string },
  ): Promise<LightMyRequestResponse>;
  /** Inserts a person with a checksum-valid ID number (default: male, 新街口街道 community). */
  createPerson(p: {
    birthDate: string;
    sex?: "male" | "female";
    residenceRegionCode?: string;
    name?: string;
  }): Promise<{ id: string; idNumber: string }>;
  /** Audit rows recorded so far (of one action, or all). */
  auditCount(action?: string): Promise<number>;
  close(): Promise<void>;
}

let counter = 0;

/**
 * A real app on a real, fresh database (embedded, or the server when DATABASE_URL is set),
 * with every response and log line passed through the masking scanner.
 */
export async function createTestApp(
  opts: { config?: Record<string, string>; clock?: ReturnType<typeof createTestClock> } = {},
): Promise<TestApp> {
  const handle = await createTestDatabase();
  const clock = opts.clock ?? createTestClock();
  const config = loadConfig({
    JIUYE_SECRET_KEY: TEST_KEY,
    JIUYE_LOG_LEVEL: "info",
    JIUYE_RATE_LIMIT_PER_MINUTE: "100000",
    ...opts.config,
  });
  const cipher = createFieldCipher(config.secretKey);
  const logLines: string[] = [];
  const maskingViolations: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      const line = chunk.toString();
      logLines.push(line);
      for (const f of findUnmaskedIdentifiers(line)) maskingViolations.push(`log: ${f.kind} ${f.masked}`);
      cb();
    },
  });
  const app = await buildApp({
    db: handle.db,
    config,
    clock: clock.now,
    logger: createLogger("info", sink),
    observeResponse: (req, payload) => {
      if (req.routeOptions.config?.revealsPersonalData) return;
      if (typeof payload !== "string") return;
      for (const f of findUnmaskedIdentifiers(payload))
        maskingViolations.push(`${req.method} ${req.url}: ${f.kind} ${f.masked}`);
    },
  });
  await app.ready();
  const personRandom = createRandom(Math.floor(Math.random() * 1e9));

  const request: TestApp["request"] = (session, r) =>
    app.inject({
      method: r.method as "GET",
      url: r.url,
      ...(r.payload !== undefined ? { payload: r.payload as object } : {}),
      remoteAddress: r.remoteAddress ?? "127.0.0.1",
      headers: {
        ...(session ? { cookie: session.cookie, "x-csrf-token": session.csrf } : {}),
        ...r.headers,
      },
    });

  return {
    app,
    db: handle.db,
    cipher,
    clock,
    config,
    logLines,
    maskingViolations,
    request,
    async signIn(role, o = {}) {
      const username = o.username ?? `${role}_${++counter}_${Math.random().toString(36).slice(2, 7)}`;
      const staff = ["admin", "auditor", "analyst", "case_worker"].includes(role);
      const totp = role === "admin" || role === "auditor" ? newTotpSecret() : undefined;
      const userId = await insertUser(handle.db, cipher, {
        username,
        role,
        regionCode: o.regionCode === undefined ? (staff ? "3201" : null) : o.regionCode,
        personId: o.personId ?? null,
        employerId:
          o.employerId ??
          (role === "employer"
            ? (await insertEmployers(handle.db, [syntheticEmployer(personRandom, "320102003")], "2026-10-31"))[0]!
            : null),
        password: TEST_PASSWORD,
        totpSecret: totp,
      });
      const res = await request(null, {
        method: "POST",
        url: "/api/v1/auth/login",
        payload: { username, password: TEST_PASSWORD, ...(totp ? { totpCode: totpCodeAt(totp, clock.now()) } : {}) },
        remoteAddress: `10.9.${counter % 250}.${(counter * 7) % 250}`,
      });
      if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
      const cookie = String(res.headers["set-cookie"]).split(";")[0]!;
      return { cookie, csrf: res.json().csrfToken, userId, role };
    },
    async createPerson(p) {
      const sex = p.sex ?? "male";
      const region = p.residenceRegionCode ?? "320102003001";
      const idNumber = syntheticIdNumber(personRandom, region.slice(0, 6), p.birthDate, sex);
      const [id] = await insertPersons(handle.db, cipher, [
        { name: p.name ?? "测试", sex, birthDate: p.birthDate, idNumber, residenceRegionCode: region },
      ]);
      return { id: id!, idNumber };
    },
    async auditCount(action) {
      const q = handle.db.selectFrom("audit_log").select((eb) => eb.fn.countAll<number>().as("n"));
      return Number((await (action ? q.where("action", "=", action) : q).executeTakeFirstOrThrow()).n);
    },
    async close() {
      await app.close();
      await handle.close();
    },
  };
}
