import type { IncomingMessage, ServerResponse } from "node:http";
import helmet, { type HelmetOptions } from "helmet";

/**
 * Helmet's response headers (CSP, HSTS, nosniff, frame and referrer policies …), computed once.
 * @fastify/helmet built the helmet middleware again — re-parsing the CSP directives — on every
 * request (3.5 % of the server's CPU under the registry-read benchmark); with static options the
 * headers are the same every time, so they are captured at start and set from a plain object.
 */
export function securityHeaders(options: Readonly<HelmetOptions>): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
    getHeader: (name: string) => headers[name.toLowerCase()],
  };
  let done = false;
  helmet(options)({} as IncomingMessage, res as unknown as ServerResponse, (e?: unknown) => {
    if (e) throw e;
    done = true;
  });
  // every option is static: the middleware finishes synchronously without reading the request
  if (!done) throw new Error("helmet did not finish synchronously: options that depend on the request?");
  return headers;
}
