import { createWriteStream } from "node:fs";
import { finished } from "node:stream/promises";
import { EDUCATION_LABELS, idNumberCheckChar, PERSON_ROSTER_COLUMNS } from "@jiuye/domain";
import ExcelJS from "../lib/exceljs.ts";
import { createRandom, syntheticPerson } from "./factories.ts";

/**
 * Writes a synthetic persons roster (tests and benchmarks): `rows` data rows on the given region
 * codes, with every `badEvery`-th row carrying a wrong ID check digit (0 = none). Deterministic.
 */
export async function writePersonRoster(
  path: string,
  opts: { rows: number; regions: string[]; seed?: number; badEvery?: number; format?: "csv" | "xlsx"; offset?: number },
): Promise<{ valid: number; bad: number }> {
  const rnd = createRandom(opts.seed ?? 1);
  const education = Object.values(EDUCATION_LABELS);
  const header = PERSON_ROSTER_COLUMNS.map((c) => c.header);
  let bad = 0;
  const row = (n: number): string[] => {
    // `offset` shifts the row index so two files hold different people
    const i = n + (opts.offset ?? 0);
    const region = opts.regions[i % opts.regions.length]!;
    const p = syntheticPerson(rnd, region);
    // unique by construction: the row index is spread over birth date sequence digits
    const birth = new Date(Date.UTC(1966, 0, 1) + (i % 14_600) * 86_400_000).toISOString().slice(0, 10);
    const seq = String(Math.floor(i / 14_600) % 1000).padStart(3, "0");
    const first17 = `${region.slice(0, 6)}${birth.replace(/-/g, "")}${seq}`;
    let id = first17 + idNumberCheckChar(first17);
    if (opts.badEvery && i % opts.badEvery === opts.badEvery - 1) {
      id = first17 + (id[17] === "1" ? "2" : "1");
      bad++;
    }
    return [p.name, id, p.phone, region, education[i % education.length]!, i % 3 ? "城镇" : "农村", region.slice(0, 6)];
  };
  if ((opts.format ?? "csv") === "csv") {
    const out = createWriteStream(path);
    out.write(`\uFEFF${header.join(",")}\r\n`);
    for (let i = 0; i < opts.rows; i++) {
      if (!out.write(`${row(i).join(",")}\r\n`)) await new Promise<void>((r) => out.once("drain", () => r()));
    }
    out.end();
    await finished(out);
  } else {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: false, useStyles: false });
    const ws = wb.addWorksheet("花名册");
    ws.addRow(header).commit();
    for (let i = 0; i < opts.rows; i++) ws.addRow(row(i)).commit();
    ws.commit();
    await wb.commit();
  }
  return { valid: opts.rows - bad, bad };
}
