import type { PersonsTable } from "@jiuye/db";
import { maskIdNumber, maskPhone } from "@jiuye/domain";
import type { Insertable } from "kysely";
import type { FieldCipher } from "../../lib/field-cipher.ts";

/** Blind-index keys, shared by writes and exact searches. */
export const idNumberIndex = (cipher: FieldCipher, idNumber: string) =>
  cipher.blindIndex("id_number", idNumber.toUpperCase());
export const phoneIndex = (cipher: FieldCipher, phone: string) => cipher.blindIndex("phone", phone);

/**
 * The stored form of a person: ID and phone numbers encrypted, blind-indexed for exact search and
 * kept masked for display — never in plain text. Used by the API and by seeds alike.
 */
export function protectedPersonRow(
  cipher: FieldCipher,
  p: {
    name: string;
    idNumber: string;
    phone?: string | null;
    sex: string;
    birthDate: string;
    residenceRegionCode: string;
  },
): Insertable<PersonsTable> {
  return {
    name: p.name,
    id_number_enc: cipher.encrypt(p.idNumber),
    id_number_bidx: idNumberIndex(cipher, p.idNumber),
    id_number_masked: maskIdNumber(p.idNumber),
    phone_enc: p.phone ? cipher.encrypt(p.phone) : null,
    phone_bidx: p.phone ? phoneIndex(cipher, p.phone) : null,
    phone_masked: p.phone ? maskPhone(p.phone) : null,
    sex: p.sex,
    birth_date: p.birthDate,
    residence_region_code: p.residenceRegionCode,
    province_code: p.residenceRegionCode.slice(0, 2),
  };
}
