import {
  maskIdNumber,
  maskPhone,
  maskText,
  normaliseCell,
  PERSON_ROSTER_COLUMNS,
  type PersonRosterContext,
  type PersonRosterRow,
  validatePersonRosterRow,
} from "@jiuye/domain";
import type { FieldCipher } from "../../lib/field-cipher.ts";
import { idNumberIndex, protectedPersonRow } from "../persons/persons.protect.ts";
import type { StagedRow } from "./imports.repository.ts";
import type { RawRow } from "./roster-reader.ts";

/**
 * Turns raw persons-roster rows into staged rows: validated with the API's rules, duplicates in
 * the file and already-registered people rejected, valid rows stored only in protected form
 * (encrypted + blind index + masked), display values masked for the error report.
 */
export function createPersonRosterStager(deps: {
  cipher: FieldCipher;
  ctx: PersonRosterContext;
  index: Record<string, number>;
  existing: (bidx: string[]) => Promise<Set<string>>;
}) {
  const { cipher, ctx, index } = deps;
  const firstSeen = new Map<string, number>();
  const keys = Object.keys(index);
  const headerOf = Object.fromEntries(PERSON_ROSTER_COLUMNS.map((c) => [c.key, c.header]));

  function display(cells: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const k of keys) {
      const v = normaliseCell(cells[k] ?? "");
      out[headerOf[k]!] =
        k === "idNumber"
          ? v
            ? maskIdNumber(v.replace(/^#NUMBER:/, ""))
            : ""
          : k === "phone"
            ? v
              ? maskPhone(v)
              : ""
            : maskText(v);
    }
    return out;
  }

  return async function stage(batch: RawRow[]): Promise<StagedRow[]> {
    const out: StagedRow[] = [];
    const pending: Array<{ rowNo: number; bidx: string; value: PersonRosterRow; display: Record<string, string> }> = [];
    for (const raw of batch) {
      const cells: Record<string, string> = {};
      for (const k of keys) cells[k] = raw.cells[index[k]!] ?? "";
      const r = validatePersonRosterRow(cells, ctx);
      const shown = display(cells);
      if (!r.ok) {
        out.push({ rowNo: raw.rowNo, status: "rejected", payload: null, display: shown, errors: r.errors });
        continue;
      }
      const bidx = idNumberIndex(cipher, r.value.idNumber);
      const first = firstSeen.get(bidx);
      if (first !== undefined) {
        out.push({
          rowNo: raw.rowNo,
          status: "rejected",
          payload: null,
          display: shown,
          errors: [
            { column: "公民身份号码", code: "DUPLICATE_IN_FILE", message: `与本文件第 ${first} 行的公民身份号码重复` },
          ],
        });
        continue;
      }
      firstSeen.set(bidx, raw.rowNo);
      pending.push({ rowNo: raw.rowNo, bidx, value: r.value, display: shown });
    }
    const existing = await deps.existing(pending.map((p) => p.bidx));
    for (const p of pending) {
      if (existing.has(p.bidx)) {
        out.push({
          rowNo: p.rowNo,
          status: "rejected",
          payload: null,
          display: p.display,
          errors: [{ column: "公民身份号码", code: "PERSON_EXISTS", message: "该公民身份号码已登记，未重复导入" }],
        });
        continue;
      }
      const v = p.value;
      out.push({
        rowNo: p.rowNo,
        status: "valid",
        display: p.display,
        errors: null,
        payload: {
          ...protectedPersonRow(cipher, v, p.bidx),
          education: v.education,
          hukou_type: v.hukouType,
          hukou_region_code: v.hukouRegionCode,
        },
      });
    }
    return out.sort((a, b) => a.rowNo - b.rowNo);
  };
}
