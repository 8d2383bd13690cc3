import { maskText } from "@jiuye/domain";
import type { DestinationStream, LoggerOptions } from "pino";
import pino from "pino";

/** Paths that never reach a log line, whatever their content. */
export const REDACT_PATHS = [
  "req.headers.cookie",
  "req.headers.authorization",
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  "password",
  "*.password",
  "*.newPassword",
  "*.currentPassword",
  "*.totpCode",
  "token",
  "*.token",
];

function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return maskText(value);
  if (depth > 5 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrub(v, depth + 1);
  return out;
}

/**
 * pino options: a request id and actor id on every line (child loggers), secrets redacted by
 * path, and ID numbers / phones masked wherever they appear in a string (URLs, messages).
 */
export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: "[已隐去]" },
    formatters: { log: (obj) => scrub(obj) as Record<string, unknown> },
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((a) => (typeof a === "string" ? maskText(a) : a)) as Parameters<typeof method>);
      },
    },
    serializers: {
      req: (req: { method?: string; url?: string; originalUrl?: string; id?: string; raw?: { url?: string } }) => ({
        method: req.method,
        url: maskText(String(req.url ?? req.originalUrl ?? req.raw?.url ?? "")),
        reqId: req.id,
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  };
}

export function createLogger(level: string, destination?: DestinationStream) {
  return destination ? pino(loggerOptions(level), destination) : pino(loggerOptions(level));
}
