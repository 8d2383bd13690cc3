import { EMPLOYER_ROSTER_COLUMNS, maskPhone, validateEmployerRosterRow } from "@jiuye/domain";
import type { FieldCipher } from "../../lib/field-cipher.ts";
import { createRosterStager } from "./roster-stager.ts";

/**
 * Employer roster rows: validated with the registry's rules, duplicates in the file and credit
 * codes already registered rejected, the contact phone stored encrypted and masked.
 */
export function createEmployerRosterStager(deps: {
  cipher: FieldCipher;
  index: Record<string, number>;
  ctx: { regionKnown(code: string): boolean; regionInScope(code: string): boolean };
  existing: (codes: string[]) => Promise<Set<string>>;
}) {
  const { cipher } = deps;
  return createRosterStager({
    columns: EMPLOYER_ROSTER_COLUMNS,
    index: deps.index,
    validate: (cells) => validateEmployerRosterRow(cells, deps.ctx),
    mask: { contactPhone: maskPhone },
    key: { of: (v) => v.creditCode, column: "统一社会信用代码", label: "统一社会信用代码" },
    existing: deps.existing,
    exists: { column: "统一社会信用代码", code: "EMPLOYER_EXISTS", message: "该统一社会信用代码已登记，未重复导入" },
    payload: (v) => ({
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
    }),
  });
}
