import type { Employer } from "@jiuye/contracts";
import type { EmployerRow } from "./employers.repository.ts";

/** Row → API shape; only the masked contact phone is ever selected. */
export function presentEmployer(r: EmployerRow): Employer {
  return {
    id: r.id,
    creditCode: r.credit_code,
    creditCodeOverride: r.credit_code_override,
    name: r.name,
    industryCode: r.industry_code,
    industryName: r.industry_name ?? null,
    sectionCode: r.section_code ?? null,
    sectionName: r.section_name ?? null,
    ownership: r.ownership as Employer["ownership"],
    sizeClass: r.size_class as Employer["sizeClass"],
    regionCode: r.region_code,
    regionName: r.region_name ?? null,
    address: r.address,
    contactName: r.contact_name,
    contactPhoneMasked: r.contact_phone_masked,
    headcount: r.headcount,
    insuredHeadcount: r.insured_headcount,
    headcountAsOf: r.headcount_as_of,
    createdAt: new Date(r.created_at).toISOString(),
  };
}
