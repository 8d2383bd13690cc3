import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";

const bool = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((v) => v === "true" || v === "1");

const DEFAULT_PURPOSES =
  "identity_verification:身份核验,contact_service:联系服务对象,benefit_payment:待遇核发,registration:就业失业登记办理,legal_request:依法协查";

const EnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "DATABASE_URL 应以 postgres:// 开头")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  JIUYE_DATA_DIR: z.string().min(1).default("./data"),
  JIUYE_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  JIUYE_HOST: z.string().default("0.0.0.0"),
  JIUYE_SECRET_KEY: z
    .string()
    .refine((v) => Buffer.from(v, "base64").length === 32, "JIUYE_SECRET_KEY 应为32字节的 base64 字符串")
    .optional(),
  JIUYE_ADMIN_USER: z.string().optional(),
  JIUYE_ADMIN_PASSWORD: z.string().optional(),
  JIUYE_ADMIN_REGION: z
    .string()
    .regex(/^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/)
    .optional(),
  JIUYE_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  JIUYE_COOKIE_SECURE: bool,
  JIUYE_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(1200),
  JIUYE_LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  JIUYE_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  JIUYE_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).default(15),
  JIUYE_SESSION_MAX_HOURS: z.coerce.number().int().min(1).default(12),
  JIUYE_REVEAL_PURPOSES: z.string().default(DEFAULT_PURPOSES),
  JIUYE_DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  JIUYE_WEB_DIST: z.string().optional(),
  JIUYE_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(60_000).default(2000),
  JIUYE_POSTING_CONFIRM_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** The in-process job search index (on) or SQL full-text search only (off: less memory). */
  JIUYE_SEARCH_INDEX: z.enum(["on", "off"]).default("on"),
  JIUYE_NOTICE_DAYS: z.coerce.number().int().min(1).max(30).default(5),
  JIUYE_IMPORT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(200 * 1024 * 1024),
  JIUYE_IMPORT_MAX_UNZIPPED_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(2 * 1024 * 1024 * 1024),
});

export interface Config {
  databaseUrl?: string;
  dataDir: string;
  port: number;
  host: string;
  secretKey: Buffer;
  admin?: { username: string; password: string; regionCode?: string };
  logLevel: string;
  cookieSecure: boolean;
  rateLimitPerMinute: number;
  loginRateLimitPerMinute: number;
  bodyLimitBytes: number;
  sessionIdleMs: number;
  sessionMaxMs: number;
  revealPurposes: Array<{ code: string; label: string }>;
  dbPoolSize: number;
  webDist?: string;
  shutdownGraceMs: number;
  /** Roster upload limit, and the largest total a .xlsx (a zip) may expand to. */
  importMaxBytes: number;
  importMaxUnzippedBytes: number;
  /** A published posting expires unless its employer re-confirms it within this many days. */
  postingConfirmDays: number;
  searchIndex: boolean;
  /** 公示期 of a 免申即享 list, in days. */
  noticeDays: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`配置错误:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

/** Parses the environment once; every problem is listed together. Nothing else reads process.env. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  }
  const e = parsed.data;
  const purposes = e.JIUYE_REVEAL_PURPOSES.split(",")
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => {
      const [code, label] = p.split(":");
      return { code: code!.trim(), label: (label ?? code!).trim() };
    });
  return {
    databaseUrl: e.DATABASE_URL,
    dataDir: e.JIUYE_DATA_DIR,
    port: e.JIUYE_PORT,
    host: e.JIUYE_HOST,
    secretKey: e.JIUYE_SECRET_KEY ? Buffer.from(e.JIUYE_SECRET_KEY, "base64") : Buffer.alloc(0),
    admin:
      e.JIUYE_ADMIN_USER && e.JIUYE_ADMIN_PASSWORD
        ? { username: e.JIUYE_ADMIN_USER, password: e.JIUYE_ADMIN_PASSWORD, regionCode: e.JIUYE_ADMIN_REGION }
        : undefined,
    logLevel: e.JIUYE_LOG_LEVEL,
    cookieSecure: e.JIUYE_COOKIE_SECURE,
    rateLimitPerMinute: e.JIUYE_RATE_LIMIT_PER_MINUTE,
    loginRateLimitPerMinute: e.JIUYE_LOGIN_RATE_LIMIT_PER_MINUTE,
    bodyLimitBytes: e.JIUYE_BODY_LIMIT_BYTES,
    sessionIdleMs: e.JIUYE_SESSION_IDLE_MINUTES * 60_000,
    sessionMaxMs: e.JIUYE_SESSION_MAX_HOURS * 3_600_000,
    revealPurposes: purposes,
    dbPoolSize: e.JIUYE_DB_POOL_SIZE,
    webDist: e.JIUYE_WEB_DIST,
    shutdownGraceMs: e.JIUYE_SHUTDOWN_GRACE_MS,
    importMaxBytes: e.JIUYE_IMPORT_MAX_BYTES,
    importMaxUnzippedBytes: e.JIUYE_IMPORT_MAX_UNZIPPED_BYTES,
    postingConfirmDays: e.JIUYE_POSTING_CONFIRM_DAYS,
    searchIndex: e.JIUYE_SEARCH_INDEX === "on",
    noticeDays: e.JIUYE_NOTICE_DAYS,
  };
}

/**
 * The key that encrypts personal fields and keys the blind indexes. Taken from JIUYE_SECRET_KEY,
 * or created once under the data directory (mode 0600) so a demo install needs no setup.
 */
export function ensureSecretKey(config: Config): Config {
  if (config.secretKey.length === 32) return config;
  mkdirSync(config.dataDir, { recursive: true });
  const file = join(config.dataDir, "secret.key");
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("base64"), { mode: 0o600 });
  const key = Buffer.from(readFileSync(file, "utf8").trim(), "base64");
  if (key.length !== 32) throw new ConfigError([`${file}: 密钥应为32字节的 base64 字符串`]);
  return { ...config, secretKey: key };
}
