import { LEDGER_ROSTER_COLUMNS, maskIdNumber, validateLedgerRosterRow } from "@jiuye/domain";
import type { FieldCipher } from "../../lib/field-cipher.ts";
import { idNumberIndex } from "../persons/persons.protect.ts";
import type { StagedRow } from "./imports.repository.ts";
import type { RawRow } from "./roster-reader.ts";
import { rosterRows } from "./roster-stager.ts";

/**
 * Ledger roster rows → staged rows: the row's shape is validated and the person found (by blind
 * index, within the importer's region); the ledger rules themselves run at commit, row by row.
 */
export function createLedgerRosterStager(deps: {
  cipher: FieldCipher;
  index: Record<string, number>;
  today: string;
  persons: (bidx: string[]) => Promise<Map<string, string>>;
}) {
  const { cipher, index } = deps;
  const { cellsOf, display } = rosterRows(LEDGER_ROSTER_COLUMNS, index, { idNumber: maskIdNumber });
  return async function stage(batch: RawRow[]): Promise<StagedRow[]> {
    const out: StagedRow[] = [];
    const pending: Array<{ rowNo: number; bidx: string; event: unknown; display: Record<string, string> }> = [];
    for (const raw of batch) {
      const cells = cellsOf(raw);
      const r = validateLedgerRosterRow(cells, deps.today);
      const shown = display(cells);
      if (!r.ok) out.push({ rowNo: raw.rowNo, status: "rejected", payload: null, display: shown, errors: r.errors });
      else
        pending.push({
          rowNo: raw.rowNo,
          bidx: idNumberIndex(cipher, r.value.idNumber),
          event: r.value.event,
          display: shown,
        });
    }
    const persons = await deps.persons([...new Set(pending.map((p) => p.bidx))]);
    for (const p of pending) {
      const personId = persons.get(p.bidx);
      out.push(
        personId
          ? {
              rowNo: p.rowNo,
              status: "valid",
              display: p.display,
              errors: null,
              payload: { person_id: personId, event: p.event },
            }
          : {
              rowNo: p.rowNo,
              status: "rejected",
              payload: null,
              display: p.display,
              errors: [
                {
                  column: "公民身份号码",
                  code: "PERSON_NOT_FOUND",
                  message: "未找到该公民身份号码对应的劳动者（或不在您的辖区），请先登记基本信息",
                },
              ],
            },
      );
    }
    return out.sort((a, b) => a.rowNo - b.rowNo);
  };
}
