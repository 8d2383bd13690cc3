import { EMPLOYER_ROSTER_COLUMNS, maskPhone, maskText, normaliseCell, validateEmployerRosterRow } from "@jiuye/domain";
import type { FieldCipher } from "../../lib/field-cipher.ts";
import type { StagedRow } from "./imports.repository.ts";
import type { RawRow } from "./roster-reader.ts";

/**
 * Employer roster rows → staged rows: validated with the registry's rules, duplicates in the file
 * and already-registered credit codes rejected, the contact phone stored encrypted and masked.
 */
export function createEmployerRosterStager(deps: {
  cipher: FieldCipher;
  index: Record<string, number>;
  today: string;
  ctx: { regionKnown(code: string): boolean; regionInScope(code: string): boolean };
  existing: (codes: string[]) => Promise<Set<string>>;
}) {
  const { cipher, index, ctx } = deps;
  const keys = Object.keys(index);
  const headerOf = Object.fromEntries(EMPLOYER_ROSTER_COLUMNS.map((c) => [c.key, c.header]));
  const firstSeen = new Map<string, number>();
  const display = (cells: Record<string, string>) =>
    Object.fromEntries(
      keys.map((k) => {
        const v = normaliseCell(cells[k] ?? "");
        return [headerOf[k]!, k === "contactPhone" && v ? maskPhone(v) : maskText(v)];
      }),
    );

  return async function stage(batch: RawRow[]): Promise<StagedRow[]> {
    const out: StagedRow[] = [];
    const pending: Array<{
      rowNo: number;
      value: ReturnType<typeof validateEmployerRosterRow> & { ok: true };
      display: Record<string, string>;
    }> = [];
    for (const raw of batch) {
      const cells: Record<string, string> = {};
      for (const k of keys) cells[k] = raw.cells[index[k]!] ?? "";
      const r = validateEmployerRosterRow(cells, ctx);
      const shown = display(cells);
      if (!r.ok) {
        out.push({ rowNo: raw.rowNo, status: "rejected", payload: null, display: shown, errors: r.errors });
        continue;
      }
      const first = firstSeen.get(r.value.creditCode);
      if (first !== undefined) {
        out.push({
          rowNo: raw.rowNo,
          status: "rejected",
          payload: null,
          display: shown,
          errors: [
            {
              column: "统一社会信用代码",
              code: "DUPLICATE_IN_FILE",
              message: `与本文件第 ${first} 行的统一社会信用代码重复`,
            },
          ],
        });
        continue;
      }
      firstSeen.set(r.value.creditCode, raw.rowNo);
      pending.push({ rowNo: raw.rowNo, value: r, display: shown });
    }
    const existing = await deps.existing(pending.map((p) => p.value.value.creditCode));
    for (const p of pending) {
      const v = p.value.value;
      if (existing.has(v.creditCode)) {
        out.push({
          rowNo: p.rowNo,
          status: "rejected",
          payload: null,
          display: p.display,
          errors: [
            { column: "统一社会信用代码", code: "EMPLOYER_EXISTS", message: "该统一社会信用代码已登记，未重复导入" },
          ],
        });
        continue;
      }
      out.push({
        rowNo: p.rowNo,
        status: "valid",
        display: p.display,
        errors: null,
        payload: {
          province_code: v.regionCode.slice(0, 2),
          credit_code: v.creditCode,
          name: v.name,
          industry_code: v.industryCode,
          ownership: v.ownership,
          size_class: v.sizeClass,
          region_code: v.regionCode,
          headcount: v.headcount,
          insured_headcount: v.insuredHeadcount,
          headcount_as_of: v.headcountAsOf,
          contact_name: v.contactName,
          contact_phone_enc: v.contactPhone ? cipher.encrypt(v.contactPhone) : null,
          contact_phone_masked: v.contactPhone ? maskPhone(v.contactPhone) : null,
        },
      });
    }
    return out.sort((a, b) => a.rowNo - b.rowNo);
  };
}
