import type { PersonAttributesTable } from "@jiuye/db";
import { maskIdNumber } from "@jiuye/domain";
import type { Selectable } from "kysely";

/** 重点群体 names shown to staff. */
export const ATTRIBUTE_LABELS: Record<string, string> = {
  graduate: "高校毕业生",
  veteran: "退役军人",
  disability: "残疾人",
  dibao: "低保家庭成员",
  poverty_alleviated: "脱贫人口",
  rural_migrant: "农村转移劳动力",
  released_prisoner: "刑满释放人员",
};

/** Attribute row → API shape: the disability certificate number (it contains the ID number) is only ever shown masked. */
export function presentAttribute(a: Selectable<PersonAttributesTable>) {
  const details = { ...(typeof a.details === "string" ? JSON.parse(a.details) : a.details) } as Record<string, unknown>;
  delete details.certificateNumberEnc;
  return {
    id: a.id,
    kind: a.kind,
    label: ATTRIBUTE_LABELS[a.kind] ?? a.kind,
    details,
    source: a.source,
    sourceSystem: a.source_system,
    verifiedBy: a.verified_by,
    validFrom: a.valid_from,
    validTo: a.valid_to,
    recordedAt: new Date(a.recorded_at).toISOString(),
  };
}

/** Stored form of a disability certificate number: encrypted, plus its masked copy. */
export function protectCertificateNumber(value: string, encrypt: (v: string) => string) {
  return {
    certificateNumberEnc: encrypt(value),
    certificateNumberMasked: `${maskIdNumber(value.slice(0, 18))}${value.slice(18)}`,
  };
}
