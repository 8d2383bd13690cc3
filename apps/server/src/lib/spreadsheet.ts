import type { Writable } from "node:stream";
import { neutraliseFormula, type RosterColumn } from "@jiuye/domain";
import ExcelJS from "./exceljs.ts";

const TEMPLATE_ROWS = 10_000;

function colLetter(n: number): string {
  let s = "";
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

/**
 * A downloadable roster template: the 花名册 sheet with Chinese headers (required ones starred),
 * every column formatted as text (so ID numbers keep all 18 digits), dropdowns for coded columns,
 * and a 填写说明 sheet explaining each column.
 */
export async function rosterTemplate(title: string, columns: readonly RosterColumn[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "Jiuye 就业促进服务平台";
  const ws = wb.addWorksheet("花名册", { views: [{ state: "frozen", ySplit: 1 }] });
  ws.columns = columns.map((c) => ({
    header: c.required ? `*${c.header}` : c.header,
    key: c.key,
    width: Math.max(14, c.example.length + 6),
    style: { numFmt: "@" },
  }));
  const header = ws.getRow(1);
  header.font = { bold: true };
  columns.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.note = c.note;
    if (c.required) cell.font = { bold: true, color: { argb: "FFC00000" } };
  });
  columns.forEach((c, i) => {
    if (!c.options) return;
    const letter = colLetter(i + 1);
    // exceljs supports sheet-level validations but its typings omit them
    (ws as unknown as { dataValidations: { add(range: string, v: unknown): void } }).dataValidations.add(
      `${letter}2:${letter}${TEMPLATE_ROWS + 1}`,
      {
        type: "list",
        allowBlank: true,
        formulae: [`"${c.options.join(",")}"`],
        showErrorMessage: true,
        errorTitle: "输入有误",
        error: `请从下拉列表中选择：${c.options.join("、")}`,
      },
    );
  });
  const help = wb.addWorksheet("填写说明");
  help.columns = [
    { header: "列名", key: "header", width: 20 },
    { header: "是否必填", key: "required", width: 10 },
    { header: "填写说明", key: "note", width: 60 },
    { header: "示例", key: "example", width: 24 },
  ];
  help.getRow(1).font = { bold: true };
  for (const c of columns)
    help.addRow({ header: c.header, required: c.required ? "必填" : "选填", note: c.note, example: c.example });
  help.addRow({});
  for (const line of [
    `本模板用于导入${title}。请在“花名册”工作表第2行起逐行填写，不要修改表头。`,
    "所有列均已设为文本格式：请勿把身份证号码改成数字格式，否则末几位会丢失。",
    "导入前可先“试导入”（只校验、不入库），下载错误报告修改后再正式导入；同一文件重复导入不会重复登记。",
    "也可上传 CSV 文件（UTF-8 或 GB18030 编码，首行为同样的表头）。",
  ]) {
    help.addRow({ header: line });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A streaming sheet writer for reports and exports: every cell passes through formula neutralisation. */
export function streamingSheet(out: Writable, sheetName: string, headers: string[]) {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const ws = wb.addWorksheet(sheetName, { views: [{ state: "frozen", ySplit: 1 }] });
  ws.columns = headers.map((h) => ({ header: h, width: Math.max(12, h.length * 2 + 4) }));
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).commit();
  return {
    add(values: Array<string | number | null>) {
      ws.addRow(values.map((v) => (typeof v === "string" ? neutraliseFormula(v) : v))).commit();
    },
    async end() {
      ws.commit();
      await wb.commit();
    },
  };
}

/** CSV with a UTF-8 BOM (so Excel opens Chinese correctly), RFC 4180 quoting, formulas neutralised. */
export function csvLine(values: Array<string | number | null>): string {
  return `${values
    .map((v) => {
      const s = v === null ? "" : typeof v === "number" ? String(v) : neutraliseFormula(v);
      return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    })
    .join(",")}\r\n`;
}

/**
 * One writer for every list export: `.xlsx` through the streaming sheet or `.csv` with a BOM,
 * both with formulas neutralised; `add` waits when the response stream is full.
 */
export function tableWriter(out: Writable, format: "xlsx" | "csv", sheetName: string, headers: string[]) {
  const sheet = format === "xlsx" ? streamingSheet(out, sheetName, headers) : null;
  if (!sheet) out.write(`\uFEFF${csvLine(headers)}`);
  return {
    async add(values: Array<string | number | null>) {
      if (sheet) sheet.add(values);
      else if (!out.write(csvLine(values))) await new Promise<void>((res) => out.once("drain", () => res()));
    },
    async end() {
      if (sheet) await sheet.end();
      else out.end();
    },
  };
}
