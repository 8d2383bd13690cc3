import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import iconv from "iconv-lite";
import { afterAll, describe, expect, it } from "vitest";
import ExcelJS from "../../lib/exceljs.ts";
import { detectCsvEncoding, openRoster } from "./roster-reader.ts";

const dir = mkdtempSync(join(tmpdir(), "jiuye-reader-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("roster reader", () => {
  it("keeps every Chinese character intact across the zip chunks of a large .xlsx (exceljs splits them unpatched)", async () => {
    const path = join(dir, "big.xlsx");
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: false, useStyles: false });
    const ws = wb.addWorksheet("花名册");
    ws.addRow(["姓名", "学历"]).commit();
    const rows = 20_000;
    // odd-length ASCII prefixes shift the byte offsets so 3-byte characters land on every boundary
    for (let i = 0; i < rows; i++) ws.addRow([`${"x".repeat(i % 7)}张三丰${i}`, "硕士研究生"]).commit();
    ws.commit();
    await wb.commit();
    const src = await openRoster(path, "xlsx", 1e9);
    let n = 0;
    let broken = 0;
    for await (const batch of src.rows) {
      for (const r of batch) {
        n++;
        if (r.cells.join("").includes("\uFFFD") || r.cells[1] !== "硕士研究生") broken++;
      }
    }
    expect(n).toBe(rows);
    expect(broken).toBe(0);
  });

  it("detects GB18030 and UTF-8 (with or without BOM) CSV", async () => {
    const text = "姓名,公民身份号码\r\n张三,1\r\n";
    const cases: Array<[Buffer, string]> = [
      [Buffer.from(text, "utf8"), "utf-8"],
      [Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")]), "utf-8"],
      [iconv.encode(text, "gb18030"), "gb18030"],
    ];
    for (const [bytes, want] of cases) {
      const p = join(dir, `${want}-${bytes.length}.csv`);
      writeFileSync(p, bytes);
      expect(await detectCsvEncoding(p)).toBe(want);
      const src = await openRoster(p, "csv", 1e9);
      expect(src.header).toEqual(["姓名", "公民身份号码"]);
    }
  });
});
