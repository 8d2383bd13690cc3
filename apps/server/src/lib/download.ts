import { PassThrough } from "node:stream";
import type { FastifyReply } from "fastify";

export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const TYPES = { xlsx: XLSX_TYPE, csv: "text/csv; charset=utf-8" } as const;

/** Content-Disposition for a Chinese file name (RFC 6266 / 5987), with an ASCII fallback. */
export function attachment(name: string, ascii = name.replace(/[^\x20-\x7e]/g, "_")) {
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/**
 * Streams a generated file. `prepare` validates the request and writes its audit row before it
 * returns the producer, so a refusal is still an ordinary JSON error: no header has been sent yet.
 * A failure while producing destroys the stream (the client sees a truncated download, not a
 * file that looks complete).
 */
export async function sendDownload(
  reply: FastifyReply,
  file: { format: "xlsx" | "csv"; name: string; ascii: string },
  prepare: (out: PassThrough) => Promise<() => Promise<void>>,
) {
  const out = new PassThrough();
  const produce = await prepare(out);
  reply
    .header("content-type", TYPES[file.format])
    .header("cache-control", "no-store")
    .header("content-disposition", attachment(`${file.name}.${file.format}`, `${file.ascii}.${file.format}`));
  produce().catch((e) => out.destroy(e));
  return reply.send(out);
}
