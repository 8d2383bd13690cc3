import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { UuidSlots } from "./uuid-slots.ts";

it("maps ids to slots and back like a Map, through growth, deletes and re-adds", () => {
  const t = new UuidSlots(4);
  const ref = new Map<string, number>();
  const ids: string[] = [];
  for (let slot = 0; slot < 20_000; slot++) {
    const id = randomUUID();
    ids.push(id);
    t.set(id, slot);
    ref.set(id, slot);
    if (slot % 7 === 3) {
      const gone = ids[slot - 3]!;
      expect(t.delete(gone)).toBe(ref.delete(gone));
    }
  }
  // a deleted id can be mapped again, to a new slot
  const back = ids[0]!;
  t.set(back, 20_000);
  ref.set(back, 20_000);
  expect(t.size).toBe(ref.size);
  for (const id of ids) expect(t.get(id), id).toBe(ref.get(id));
  for (const [id, slot] of ref) expect(t.idOf(slot)).toBe(id);
  expect(t.get(randomUUID())).toBeUndefined();
  expect(t.delete(randomUUID())).toBe(false);
  // upper-case input finds the same id
  expect(t.get(ids[5]!.toUpperCase())).toBe(ref.get(ids[5]!));
});

it("keeps every id (deleted slots' too) and keeps growing after a trim", () => {
  const t = new UuidSlots(4);
  const ids = Array.from({ length: 5_000 }, () => randomUUID());
  for (const [slot, id] of ids.entries()) t.set(id, slot);
  t.delete(ids[4_999]!);
  t.trim();
  for (const [slot, id] of ids.entries()) expect(t.idOf(slot)).toBe(id);
  expect(t.get(ids[4_999]!)).toBeUndefined();
  const more = Array.from({ length: 3_000 }, () => randomUUID());
  for (const [i, id] of more.entries()) t.set(id, 5_000 + i);
  for (const [i, id] of more.entries()) expect(t.get(id)).toBe(5_000 + i);
  expect(t.get(ids[17]!)).toBe(17);
});
