import type { Person } from "@jiuye/contracts";

/** Row → API shape. Only masked columns are selected upstream, so nothing unmasked can leak here. */
export function presentPerson(r: {
  id: string;
  name: string;
  id_number_masked: string;
  phone_masked: string | null;
  sex: string;
  birth_date: string;
  residence_region_code: string;
  region_name: string | null;
  education: string | null;
  hukou_type: string | null;
  hukou_region_code: string | null;
  retirement_category: string | null;
}): Person {
  return {
    id: r.id,
    name: r.name,
    idNumberMasked: r.id_number_masked,
    phoneMasked: r.phone_masked,
    sex: r.sex as Person["sex"],
    birthDate: r.birth_date,
    residenceRegionCode: r.residence_region_code,
    residenceRegionName: r.region_name,
    education: r.education,
    hukouType: r.hukou_type,
    hukouRegionCode: r.hukou_region_code,
    retirementCategory: r.retirement_category,
  };
}
