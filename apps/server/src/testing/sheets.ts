import ExcelJS from "../lib/exceljs.ts";

/** The cells of a downloaded workbook's sheet (the first, or the one named) as text, row by row. */
export async function sheetRows(payload: Buffer, sheet?: string): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(payload as unknown as ArrayBuffer);
  const ws = sheet ? wb.getWorksheet(sheet) : wb.worksheets[0];
  if (!ws) throw new Error(`no sheet ${sheet ?? "(first)"} in the workbook`);
  const rows: string[][] = [];
  ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1).map((v) => String(v ?? ""))));
  return rows;
}
