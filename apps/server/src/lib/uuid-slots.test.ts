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
