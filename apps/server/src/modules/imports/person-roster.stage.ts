import {
  maskIdNumber,
  maskPhone,
  PERSON_ROSTER_COLUMNS,
  type PersonRosterContext,
  validatePersonRosterRow,
} from "@jiuye/domain";
import type { FieldCipher } from "../../lib/field-cipher.ts";
import { idNumberIndex, protectedPersonRow } from "../persons/persons.protect.ts";
import { createRosterStager } from "./roster-stager.ts";

/** A roster row for someone already in the registry: reported, never a second record. */
export const PERSON_EXISTS = {
  column: "公民身份号码",
  code: "PERSON_EXISTS",
  message: "该公民身份号码已登记，未重复导入",
} as const;

/**
 * Persons roster rows: validated with the API's rules, duplicates in the file and people already
 * registered rejected (by blind index), valid rows stored only in protected form.
 */
export function createPersonRosterStager(deps: {
  cipher: FieldCipher;
  ctx: PersonRosterContext;
  index: Record<string, number>;
  /** Registered people among these blind indexes (none for a direct import: its insert decides). */
  existing?: (bidx: string[]) => Promise<Set<string>>;
}) {
  const { cipher } = deps;
  return createRosterStager({
    columns: PERSON_ROSTER_COLUMNS,
    index: deps.index,
    validate: (cells) => validatePersonRosterRow(cells, deps.ctx),
    mask: { idNumber: (v) => maskIdNumber(v.replace(/^#NUMBER:/, "")), phone: maskPhone },
    key: { of: (v) => idNumberIndex(cipher, v.idNumber), column: "公民身份号码", label: "公民身份号码" },
    existing: deps.existing,
    exists: PERSON_EXISTS,
    payload: (v, bidx) => ({
      ...protectedPersonRow(cipher, v, bidx),
      education: v.education,
      hukou_type: v.hukouType,
      hukou_region_code: v.hukouRegionCode,
    }),
  });
}
