/**
 * UUIDs ⇄ dense slots for the in-process indexes, packed: 16 bytes per slot and an open-addressing
 * table of Int32 (0 empty, -1 deleted, slot + 1 otherwise). A million ids as strings in an array
 * plus a Map take ~130 MB; this takes ~24 MB. Version-4 UUIDs are random, so their first four bytes
 * are the hash.
 */
export class UuidSlots {
  private bytes: Uint8Array;
  private table: Int32Array;
  private used = 0; // live + deleted entries in the table
  private live = 0;
  private readonly key = new Uint8Array(16);
  /** the highest slot ever set (deleted slots keep their id bytes) */
  private top = -1;

  constructor(expected = 1024) {
    this.bytes = new Uint8Array(Math.max(16, expected) * 16);
    let size = 64;
    while (size < expected * 2) size *= 2;
    this.table = new Int32Array(size);
  }

  get size(): number {
    return this.live;
  }

  private static pack(id: string, into: Uint8Array, at: number) {
    let k = 0;
    for (let i = 0; i < id.length && k < 16; i++) {
      const c = id.charCodeAt(i);
      if (c === 45) continue; // "-"
      const hi = hex(c);
      const lo = hex(id.charCodeAt(++i));
      into[at + k++] = (hi << 4) | lo;
    }
  }

  private hashAt(b: Uint8Array, at: number): number {
    return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) & (this.table.length - 1);
  }

  private equalsKey(slot: number): boolean {
    const o = slot * 16;
    for (let k = 0; k < 16; k++) if (this.bytes[o + k] !== this.key[k]) return false;
    return true;
  }

  /** The table position of `id` (in this.key), or -1. */
  private find(): number {
    const mask = this.table.length - 1;
    for (let s = this.hashAt(this.key, 0); ; s = (s + 1) & mask) {
      const v = this.table[s]!;
      if (v === 0) return -1;
      if (v > 0 && this.equalsKey(v - 1)) return s;
    }
  }

  get(id: string): number | undefined {
    UuidSlots.pack(id, this.key, 0);
    const at = this.find();
    return at < 0 ? undefined : this.table[at]! - 1;
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  /** The id of a slot that was set (deleted slots keep their id). */
  idOf(slot: number): string {
    const o = slot * 16;
    let s = "";
    for (let k = 0; k < 16; k++) {
      s += HEX[this.bytes[o + k]!];
      if (k === 3 || k === 5 || k === 7 || k === 9) s += "-";
    }
    return s;
  }

  /** Maps `id` to `slot` (the id must not be mapped already). */
  set(id: string, slot: number) {
    while ((slot + 1) * 16 > this.bytes.length) {
      const next = new Uint8Array(this.bytes.length * 2);
      next.set(this.bytes);
      this.bytes = next;
    }
    UuidSlots.pack(id, this.bytes, slot * 16);
    if (slot > this.top) this.top = slot;
    if ((this.used + 1) * 2 > this.table.length) this.rehash();
    const mask = this.table.length - 1;
    let s = this.hashAt(this.bytes, slot * 16);
    while (this.table[s]! > 0) s = (s + 1) & mask;
    if (this.table[s] === 0) this.used++;
    this.table[s] = slot + 1;
    this.live++;
  }

  /** Gives back id storage the doubling left unused (after a bulk load). */
  trim() {
    const keep = Math.max(16, this.top + 1 + 1024) * 16;
    if (this.bytes.length > keep) this.bytes = this.bytes.slice(0, keep);
  }

  delete(id: string): boolean {
    UuidSlots.pack(id, this.key, 0);
    const at = this.find();
    if (at < 0) return false;
    this.table[at] = -1;
    this.live--;
    return true;
  }

  private rehash() {
    const old = this.table;
    // load ≤ 1/3 after a rehash (it runs again at 1/2, live and deleted entries counted): the
    // table was 8× the live ids, 134 MB for 3.85M seekers
    let size = 64;
    while (size < (this.live + 1) * 3) size *= 2;
    this.table = new Int32Array(size);
    this.used = 0;
    const mask = this.table.length - 1;
    for (const v of old) {
      if (v <= 0) continue;
      let s = this.hashAt(this.bytes, (v - 1) * 16);
      while (this.table[s] !== 0) s = (s + 1) & mask;
      this.table[s] = v;
      this.used++;
    }
  }
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
function hex(c: number): number {
  return c <= 57 ? c - 48 : (c | 32) - 87;
}
