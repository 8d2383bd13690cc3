import { ExternalBatchBodySchema } from "@jiuye/contracts";
import type { Database } from "@jiuye/db";
import {
  EXTERNAL_KIND_OF,
  EXTERNAL_ROSTER_COLUMNS,
  type ExternalRosterKind,
  externalColumnHeader,
  externalRecordOfCells,
  maskIdNumber,
} from "@jiuye/domain";
import type { Kysely } from "kysely";
import type { FieldCipher } from "../../lib/field-cipher.ts";
import { externalRowsOf, type Kind } from "../external/external.service.ts";
import type { StagedRow } from "./imports.repository.ts";
import type { RawRow } from "./roster-reader.ts";
import { rosterRows } from "./roster-stager.ts";

const SOURCE_SYSTEM = ExternalBatchBodySchema.shape.sourceSystem;

/**
 * Rosters of other systems' records → staged rows: the cells read (labels, amounts in 元), then
 * the very decision the API makes (`externalRowsOf`: schema, ID checksum, the person found within
 * the importer's region), and the table row staged in its protected form; rejected rows keep the
 * Chinese reason under the column's header.
 */
export function createExternalRosterStager(deps: {
  kind: ExternalRosterKind;
  cipher: FieldCipher;
  index: Record<string, number>;
  db: Kysely<Database>;
  scope: string;
  today: string;
  now: () => Date;
}) {
  const { kind, index } = deps;
  const { cellsOf, display } = rosterRows(EXTERNAL_ROSTER_COLUMNS[kind], index, { idNumber: maskIdNumber });
  return async function stage(batch: RawRow[]): Promise<StagedRow[]> {
    const out: StagedRow[] = [];
    const bySystem = new Map<
      string,
      { rowNo: number; record: Record<string, unknown>; display: Record<string, string> }[]
    >();
    for (const raw of batch) {
      const cells = cellsOf(raw);
      const shown = display(cells);
      const r = externalRecordOfCells(kind, cells);
      if (!r.ok) {
        out.push({ rowNo: raw.rowNo, status: "rejected", payload: null, display: shown, errors: r.errors });
        continue;
      }
      const system = SOURCE_SYSTEM.safeParse(r.sourceSystem);
      if (!system.success) {
        out.push({
          rowNo: raw.rowNo,
          status: "rejected",
          payload: null,
          display: shown,
          errors: [{ column: "来源系统", code: "SOURCE_SYSTEM_INVALID", message: system.error.issues[0]!.message }],
        });
        continue;
      }
      const list = bySystem.get(system.data) ?? [];
      list.push({ rowNo: raw.rowNo, record: r.record, display: shown });
      bySystem.set(system.data, list);
    }
    for (const [system, list] of bySystem) {
      const { rows, rejected } = await externalRowsOf(
        { db: deps.db, cipher: deps.cipher },
        EXTERNAL_KIND_OF[kind] as Kind,
        { kind: "region", prefix: deps.scope },
        system,
        list.map((x) => x.record),
        deps.today,
        deps.now(),
      );
      for (const { index: i, row } of rows)
        out.push({ rowNo: list[i]!.rowNo, status: "valid", display: list[i]!.display, errors: null, payload: { row } });
      for (const x of rejected)
        out.push({
          rowNo: list[x.index]!.rowNo,
          status: "rejected",
          payload: null,
          display: list[x.index]!.display,
          errors: [{ column: externalColumnHeader(kind, x.field.split(".")[0]!), code: x.code, message: x.message }],
        });
    }
    return out.sort((a, b) => a.rowNo - b.rowNo);
  };
}
