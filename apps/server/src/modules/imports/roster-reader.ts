import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { parse } from "csv-parse";
import ExcelJS from "../../lib/exceljs.ts";

/** Thrown for a file that cannot be read as a roster; the message is Chinese and shown to the user. */
export class RosterFileError extends Error {
  constructor(
    readonly code: "IMPORT_FILE_INVALID" | "IMPORT_FILE_TOO_LARGE",
    message: string,
  ) {
    super(message);
  }
}

export type RosterFormat = "csv" | "xlsx";

export function formatOf(fileName: string): RosterFormat {
  const lower = fileName.toLowerCase();
  if (lower.endsWith(".csv")) return "csv";
  if (lower.endsWith(".xlsx")) return "xlsx";
  throw new RosterFileError("IMPORT_FILE_INVALID", "只支持 .xlsx 或 .csv 格式的花名册（.xls 请另存为 .xlsx）");
}

/**
 * Zip-bomb pre-scan of an .xlsx (a zip) from its central directory, before anything is inflated:
 * the declared uncompressed total must stay under the limit and no large entry may claim an
 * extreme compression ratio. ZIP64 archives (> 4 GiB) are refused outright.
 */
export async function scanZip(path: string, maxUnzippedBytes: number): Promise<void> {
  const fh = await open(path, "r");
  try {
    const size = (await fh.stat()).size;
    const tailLen = Math.min(size, 65_557);
    const tail = Buffer.alloc(tailLen);
    await fh.read(tail, 0, tailLen, size - tailLen);
    let eocd = -1;
    for (let i = tailLen - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw new RosterFileError("IMPORT_FILE_INVALID", "文件不是有效的 .xlsx（无法读取压缩目录）");
    const entries = tail.readUInt16LE(eocd + 10);
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    if (entries === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff)
      throw new RosterFileError("IMPORT_FILE_TOO_LARGE", "文件过大（ZIP64），请拆分后分批导入");
    if (cdOffset + cdSize > size)
      throw new RosterFileError("IMPORT_FILE_INVALID", "文件不是有效的 .xlsx（压缩目录损坏）");
    const cd = Buffer.alloc(cdSize);
    await fh.read(cd, 0, cdSize, cdOffset);
    let pos = 0;
    let total = 0;
    for (let n = 0; n < entries; n++) {
      if (cd.readUInt32LE(pos) !== 0x02014b50)
        throw new RosterFileError("IMPORT_FILE_INVALID", "文件不是有效的 .xlsx（压缩目录损坏）");
      const compressed = cd.readUInt32LE(pos + 20);
      const uncompressed = cd.readUInt32LE(pos + 24);
      if (compressed === 0xffffffff || uncompressed === 0xffffffff)
        throw new RosterFileError("IMPORT_FILE_TOO_LARGE", "文件过大（ZIP64），请拆分后分批导入");
      total += uncompressed;
      if (uncompressed > 10 * 1024 * 1024 && uncompressed / Math.max(compressed, 1) > 200)
        throw new RosterFileError("IMPORT_FILE_TOO_LARGE", "文件的压缩比异常（疑似压缩炸弹），已拒绝");
      pos += 46 + cd.readUInt16LE(pos + 28) + cd.readUInt16LE(pos + 30) + cd.readUInt16LE(pos + 32);
    }
    if (total > maxUnzippedBytes)
      throw new RosterFileError(
        "IMPORT_FILE_TOO_LARGE",
        `文件解压后超过 ${Math.round(maxUnzippedBytes / 1048576)} MB，请拆分后分批导入`,
      );
  } finally {
    await fh.close();
  }
}

/** UTF-8 (with or without BOM) or, failing strict UTF-8 decoding, GB18030 (Excel's default CSV in China). */
export async function detectCsvEncoding(path: string): Promise<"utf-8" | "gb18030"> {
  const fh = await open(path, "r");
  try {
    const buf = Buffer.alloc(256 * 1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    let head = buf.subarray(0, bytesRead);
    if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return "utf-8";
    // cut a possibly split multi-byte character at the end
    if (bytesRead === buf.length) {
      let end = head.length;
      while (end > 0 && end > head.length - 4 && (head[end - 1]! & 0xc0) === 0x80) end--;
      if (end > 0 && head[end - 1]! >= 0xc0) end--;
      head = head.subarray(0, end);
    }
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(head);
      return "utf-8";
    } catch {
      return "gb18030";
    }
  } finally {
    await fh.close();
  }
}

/** One roster data row: its 1-based row number in the sheet and the raw cell texts. */
export interface RawRow {
  rowNo: number;
  cells: string[];
}

export interface RosterSource {
  header: string[];
  rows: AsyncIterable<RawRow[]>;
  /** Bytes of the file consumed so far (for progress and ETA). */
  bytesRead(): number;
  size: number;
  encoding?: string;
}

const BATCH = 2000;

function cellText(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number") {
    // An 18-digit ID typed into a General cell is stored as a float and has lost its last digits.
    if (Number.isInteger(v) && Math.abs(v) >= 1e15) return `#NUMBER:${v}`;
    return String(v);
  }
  if (typeof v === "boolean") return v ? "TRUE" : "FALSE";
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === "object") {
    const o = v as { richText?: Array<{ text: string }>; text?: unknown; result?: unknown; error?: string };
    if (o.richText) return o.richText.map((r) => r.text).join("");
    if ("result" in o) return cellText(o.result);
    if (o.text !== undefined) return cellText(o.text);
    if (o.error) return "";
  }
  return String(v);
}

/** Opens a .csv or .xlsx roster as batches of raw rows after the header row. */
export async function openRoster(path: string, format: RosterFormat, maxUnzippedBytes: number): Promise<RosterSource> {
  const size = (await stat(path)).size;
  let read = 0;
  if (format === "csv") {
    const encoding = await detectCsvEncoding(path);
    const stream = createReadStream(path, { highWaterMark: 1 << 20 });
    stream.on("data", (c) => {
      read += c.length;
    });
    const decoder = new TextDecoder(encoding);
    const parser = parse({
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      trim: false,
    });
    (async () => {
      try {
        for await (const chunk of stream) {
          if (!parser.write(decoder.decode(chunk as Buffer, { stream: true }))) {
            await new Promise((r) => parser.once("drain", r));
          }
        }
        parser.end(decoder.decode());
      } catch (e) {
        parser.destroy(e as Error);
      }
    })();
    const it = parser[Symbol.asyncIterator]() as AsyncIterator<string[]>;
    const first = await it.next().catch((e) => {
      throw new RosterFileError("IMPORT_FILE_INVALID", `CSV 文件格式不正确：${(e as Error).message}`);
    });
    if (first.done) throw new RosterFileError("IMPORT_FILE_INVALID", "文件是空的，没有表头");
    let line = 1;
    async function* rows(): AsyncIterable<RawRow[]> {
      let batch: RawRow[] = [];
      for (;;) {
        let next: IteratorResult<string[]>;
        try {
          next = await it.next();
        } catch (e) {
          throw new RosterFileError(
            "IMPORT_FILE_INVALID",
            `CSV 第 ${line + 1} 行附近格式不正确：${(e as Error).message}`,
          );
        }
        if (next.done) break;
        line++;
        if (next.value.every((c) => c.trim() === "")) continue;
        batch.push({ rowNo: line, cells: next.value });
        if (batch.length >= BATCH) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length) yield batch;
    }
    return { header: first.value, rows: rows(), bytesRead: () => read, size, encoding };
  }

  await scanZip(path, maxUnzippedBytes);
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  stream.on("data", (c) => {
    read += c.length;
  });
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(stream, {
    sharedStrings: "cache",
    hyperlinks: "ignore",
    styles: "ignore",
    worksheets: "emit",
    entries: "ignore",
  });
  let header: string[] | null = null;
  const sheets = reader[Symbol.asyncIterator]();
  // The data sheet is the first one that is not the instructions sheet of our template.
  let sheetRows: AsyncIterator<ExcelJS.Row> | null = null;
  try {
    for (;;) {
      const s = await sheets.next();
      if (s.done) break;
      const ws = s.value as unknown as AsyncIterable<ExcelJS.Row> & { name?: string };
      if (ws.name === "填写说明") {
        for await (const _ of ws) {
          // drain
        }
        continue;
      }
      sheetRows = ws[Symbol.asyncIterator]();
      break;
    }
  } catch (e) {
    if (e instanceof RosterFileError) throw e;
    throw new RosterFileError("IMPORT_FILE_INVALID", `文件不是有效的 .xlsx：${(e as Error).message}`);
  }
  if (!sheetRows) throw new RosterFileError("IMPORT_FILE_INVALID", "文件中没有花名册工作表");
  const toCells = (r: ExcelJS.Row) => {
    const values = r.values as unknown[];
    const out: string[] = [];
    for (let i = 1; i < values.length; i++) out.push(cellText(values[i]));
    return out;
  };
  let headerRowNo = 0;
  for (;;) {
    const r = await sheetRows.next();
    if (r.done) break;
    const cells = toCells(r.value);
    if (cells.some((c) => c.trim() !== "")) {
      header = cells;
      headerRowNo = r.value.number;
      break;
    }
  }
  if (!header) throw new RosterFileError("IMPORT_FILE_INVALID", "文件是空的，没有表头");
  const it = sheetRows;
  async function* rows(): AsyncIterable<RawRow[]> {
    let batch: RawRow[] = [];
    for (;;) {
      const r = await it.next();
      if (r.done) break;
      if (r.value.number <= headerRowNo) continue;
      const cells = toCells(r.value);
      if (cells.every((c) => c.trim() === "")) continue;
      batch.push({ rowNo: r.value.number, cells });
      if (batch.length >= BATCH) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length) yield batch;
  }
  return { header, rows: rows(), bytesRead: () => read, size };
}
