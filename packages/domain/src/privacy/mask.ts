import { idNumberCheckChar } from "../identifiers/id-number.ts";

/** ID number: first 3 + last 4 visible (`110***********002X`). */
export function maskIdNumber(value: string): string {
  if (value.length <= 7) return "*".repeat(value.length);
  return value.slice(0, 3) + "*".repeat(value.length - 7) + value.slice(-4);
}

/** Mobile phone: first 3 + last 4 visible (`138****5678`). */
export function maskPhone(value: string): string {
  if (value.length <= 7) return "*".repeat(value.length);
  return value.slice(0, 3) + "*".repeat(value.length - 7) + value.slice(-4);
}

// An 18-character ID number or an 11-digit mainland mobile number not embedded in a longer number.
const ID_PATTERN = /(?<![0-9A-Za-z])(\d{17}[\dXx])(?![0-9A-Za-z])/g;
const ID15_PATTERN = /(?<![0-9A-Za-z])(\d{15})(?![0-9A-Za-z])/g;
const PHONE_PATTERN = /(?<![0-9A-Za-z.])(1[3-9]\d{9})(?![0-9A-Za-z])/g;

function looksLikeIdNumber(candidate: string): boolean {
  const v = candidate.toUpperCase();
  return idNumberCheckChar(v.slice(0, 17)) === v[17] && /^(19|20)\d{2}(0[1-9]|1[0-2])/.test(v.slice(6, 12));
}

export interface UnmaskedFinding {
  kind: "id_number" | "phone";
  /** Already masked, so a finding can be printed safely. */
  masked: string;
  index: number;
}

/** Finds unmasked ID numbers (valid checksum) and mobile numbers in free text. */
export function findUnmaskedIdentifiers(text: string): UnmaskedFinding[] {
  const found: UnmaskedFinding[] = [];
  for (const m of text.matchAll(ID_PATTERN)) {
    if (looksLikeIdNumber(m[1])) found.push({ kind: "id_number", masked: maskIdNumber(m[1]), index: m.index ?? 0 });
  }
  for (const m of text.matchAll(PHONE_PATTERN)) {
    found.push({ kind: "phone", masked: maskPhone(m[1]), index: m.index ?? 0 });
  }
  return found;
}

/**
 * Masks every ID number (18- and 15-digit) and mobile number found in free text. Used on log
 * lines, URLs and error details, where values can arrive from anywhere.
 */
export function maskText(text: string): string {
  return text
    .replace(ID_PATTERN, (m) => (looksLikeIdNumber(m) ? maskIdNumber(m) : m))
    .replace(ID15_PATTERN, (m) => maskIdNumber(m))
    .replace(PHONE_PATTERN, (m) => maskPhone(m));
}

/** Validates a mainland mobile number (11 digits starting 13–19). */
export function isMobilePhone(value: string): boolean {
  return /^1[3-9]\d{9}$/.test(value);
}

/** A person's name as an employer may see it: the surname (first character) and one * per other character. */
export function maskPersonName(name: string): string {
  const chars = [...name.trim()];
  return chars.length === 0 ? "" : `${chars[0]}${"*".repeat(Math.max(1, chars.length - 1))}`;
}
