import type { Database } from "@jiuye/db";
import { type Kysely, sql } from "kysely";
import { Interner } from "../../lib/interner.ts";
import { UuidSlots } from "../../lib/uuid-slots.ts";
import { type SearchFilter, TOTAL_CAP } from "./postings.repository.ts";

/**
 * The in-process job search index (matching.md: a read-only in-process index built from
 * PostgreSQL, kept fresh by change notifications and polling). It answers exactly what
 * `postingsRepository.search` answers — the same tokens (`posting_search.tsv` / `title_tsv`), the
 * same filters, the same order (title matches first, then the rest, each by published_at desc,
 * posting_id), the same totals (exact up to TOTAL_CAP) — and a differential test holds it to that.
 *
 * Layout: the postings of the last build are numbered by rank in the result order (rank 0 = newest),
 * so every token's posting list, ascending, is already in result order and a query stops as soon
 * as it has its page and its capped count. A token found in at least 1/32 of the postings is a
 * bitmap (N/8 bytes), a rarer one a sorted Int32Array of ranks: memory ≤ min(4·df, N/8) bytes per
 * token. Filters are typed columns (regions and occupations interned; a prefix is decided once per
 * distinct value per query). Postings published, edited or withdrawn since the build live in a
 * small delta (tombstones over the base, new rows beside it) merged at query time; when the delta
 * grows the index is rebuilt in the background and swapped.
 */

const BITMAP_SHARE = 32;

interface TokenList {
  bits: Uint32Array | null;
  ranks: Int32Array | null;
  df: number;
}

/** One posting as the index needs it (base rows become columns; delta rows stay objects). */
interface Row {
  id: string;
  /** published_at in microseconds since the epoch (exact, from PostgreSQL). */
  us: number;
  region: string;
  occupation: string;
  salaryMax: number;
  educationRank: number;
  workType: string;
  tokens: Set<string>;
  titleTokens: Set<string>;
}

/** Lexemes of a tsvector's text form: 'a' 'b''c' (quotes doubled, backslashes escaped; no positions here). */
export function parseTsvector(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] !== "'") {
      i++;
      continue;
    }
    let s = "";
    i++;
    for (;;) {
      const c = text[i];
      if (c === undefined) break;
      if (c === "\\") {
        s += text[i + 1] ?? "";
        i += 2;
      } else if (c === "'") {
        if (text[i + 1] === "'") {
          s += "'";
          i += 2;
        } else {
          i++;
          break;
        }
      } else {
        s += c;
        i++;
      }
    }
    out.push(s);
  }
  return out;
}

/** A list of ranks being built, ascending; becomes a bitmap once frequent. */
class ListBuilder {
  ranks = new Int32Array(4);
  df = 0;
  bits: Uint32Array | null = null;
  constructor(private readonly n: number) {}
  add(rank: number) {
    this.df++;
    if (this.bits) {
      this.bits[rank >>> 5]! |= 1 << (rank & 31);
      return;
    }
    if (this.df * BITMAP_SHARE >= this.n) {
      this.bits = new Uint32Array((this.n + 31) >>> 5);
      for (let k = 0; k < this.df - 1; k++) this.bits[this.ranks[k]! >>> 5]! |= 1 << (this.ranks[k]! & 31);
      this.bits[rank >>> 5]! |= 1 << (rank & 31);
      this.ranks = new Int32Array(0);
      return;
    }
    if (this.df > this.ranks.length) {
      const next = new Int32Array(this.ranks.length * 2);
      next.set(this.ranks);
      this.ranks = next;
    }
    this.ranks[this.df - 1] = rank;
  }
  done(): TokenList {
    return this.bits
      ? { bits: this.bits, ranks: null, df: this.df }
      : { bits: null, ranks: this.ranks.slice(0, this.df), df: this.df };
  }
}

class Base {
  n = 0;
  ids = new UuidSlots(16);
  us = new Float64Array(0);
  region = new Int32Array(0);
  occupation = new Int32Array(0);
  salaryMax = new Int32Array(0);
  educationRank = new Int8Array(0);
  workType = new Uint8Array(0);
  dead = new Uint8Array(0);
  regions = new Interner();
  occupations = new Interner();
  workTypes = new Interner();
  tokens = new Map<string, TokenList>();
  titleTokens = new Map<string, TokenList>();
}

type Query = Omit<SearchFilter, "tsquery" | "frequent"> & { tokens: string[] };

const has = (l: TokenList, rank: number): boolean => {
  if (l.bits) return ((l.bits[rank >>> 5]! >>> (rank & 31)) & 1) === 1;
  // binary search in the sorted ranks
  const r = l.ranks!;
  let lo = 0;
  let hi = r.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = r[mid]!;
    if (v === rank) return true;
    if (v < rank) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
};

/**
 * Ranks of the base holding every list, ascending, passing `keep`, until `visit` returns false.
 * Driven by the shortest array list (membership in the others by bit test or binary search), or,
 * when every list is a bitmap, by word-wise AND of the bitmaps.
 */
function each(base: Base, lists: TokenList[], keep: (rank: number) => boolean, visit: (rank: number) => boolean) {
  const arrays = lists.filter((l) => l.ranks).sort((a, b) => a.df - b.df);
  if (lists.length === 0) {
    for (let r = 0; r < base.n; r++) if (keep(r) && !visit(r)) return;
    return;
  }
  if (arrays.length) {
    const driver = arrays[0]!;
    const others = lists.filter((l) => l !== driver);
    const ranks = driver.ranks!;
    outer: for (let j = 0; j < ranks.length; j++) {
      const r = ranks[j]!;
      for (const o of others) if (!has(o, r)) continue outer;
      if (keep(r) && !visit(r)) return;
    }
    return;
  }
  const words = (base.n + 31) >>> 5;
  const bitmaps = lists.map((l) => l.bits!);
  for (let w = 0; w < words; w++) {
    let x = bitmaps[0]![w]!;
    for (let k = 1; k < bitmaps.length && x; k++) x &= bitmaps[k]![w]!;
    while (x) {
      const bit = 31 - Math.clz32(x & -x);
      x &= x - 1;
      const r = (w << 5) | bit;
      if (keep(r) && !visit(r)) return;
    }
  }
}

export type SearchIndex = ReturnType<typeof createSearchIndex>;

export function createSearchIndex(db: Kysely<Database>, opts: { rebuildAfter?: number } = {}) {
  const rebuildAfter = opts.rebuildAfter ?? 50_000;
  let base: Base | null = null;
  /** Rows changed since the build, by posting id: the current row, or null when no longer searchable. */
  let delta = new Map<string, Row | null>();
  let watermark = new Date(0);
  let rebuilding: Promise<void> | null = null;

  const ROW = sql`s.posting_id::text as id, (extract(epoch from s.published_at) * 1000000)::int8::text as us,
    s.region_code, s.occupation_code, s.salary_max_monthly_fen, s.education_rank, s.work_type,
    s.tsv::text as tsv, s.title_tsv::text as title_tsv`;
  type DbRow = {
    id: string;
    us: string;
    region_code: string;
    occupation_code: string;
    salary_max_monthly_fen: number;
    education_rank: number;
    work_type: string;
    tsv: string;
    title_tsv: string;
  };
  const rowOf = (r: DbRow): Row => ({
    id: r.id,
    us: Number(r.us),
    region: r.region_code,
    occupation: r.occupation_code,
    salaryMax: r.salary_max_monthly_fen,
    educationRank: r.education_rank,
    workType: r.work_type,
    tokens: new Set(parseTsvector(r.tsv)),
    titleTokens: new Set(parseTsvector(r.title_tsv)),
  });

  /** Reads every searchable posting in result order into a new base (through a cursor). */
  async function build(): Promise<{ base: Base; startedAt: Date }> {
    const startedAt = new Date(Date.now() - 60_000); // changes committed while reading: the next poll
    return db.transaction().execute(async (tx) => {
      // one consistent snapshot for the count and the rows
      await sql`set transaction isolation level repeatable read`.execute(tx);
      await sql`set local cursor_tuple_fraction = 1.0`.execute(tx);
      const n = Number((await sql<{ n: string }>`select count(*) as n from posting_search`.execute(tx)).rows[0]!.n);
      const b = new Base();
      b.n = n;
      b.ids = new UuidSlots(n);
      b.us = new Float64Array(n);
      b.region = new Int32Array(n);
      b.occupation = new Int32Array(n);
      b.salaryMax = new Int32Array(n);
      b.educationRank = new Int8Array(n);
      b.workType = new Uint8Array(n);
      b.dead = new Uint8Array(n);
      const lists = new Map<string, ListBuilder>();
      const titleLists = new Map<string, ListBuilder>();
      const add = (m: Map<string, ListBuilder>, token: string, rank: number) => {
        let l = m.get(token);
        if (!l) {
          l = new ListBuilder(n);
          m.set(token, l);
        }
        l.add(rank);
      };
      const cursor = `search_index_${Math.random().toString(36).slice(2)}`;
      await sql`declare ${sql.raw(cursor)} no scroll cursor for
        select ${ROW} from posting_search s order by s.published_at desc, s.posting_id`.execute(tx);
      let rank = 0;
      for (;;) {
        const { rows } = await sql.raw<DbRow>(`fetch 2000 from ${cursor}`).execute(tx);
        if (!rows.length) break;
        for (const r of rows) {
          if (rank >= n) break;
          b.ids.set(r.id, rank);
          b.us[rank] = Number(r.us);
          b.region[rank] = b.regions.id(r.region_code);
          b.occupation[rank] = b.occupations.id(r.occupation_code);
          b.salaryMax[rank] = r.salary_max_monthly_fen;
          b.educationRank[rank] = r.education_rank;
          b.workType[rank] = b.workTypes.id(r.work_type);
          for (const t of parseTsvector(r.tsv)) add(lists, t, rank);
          for (const t of parseTsvector(r.title_tsv)) add(titleLists, t, rank);
          rank++;
        }
        // PGlite runs SQL on this thread: let requests in between batches
        await new Promise((ok) => setImmediate(ok));
      }
      await sql.raw(`close ${cursor}`).execute(tx);
      b.n = rank;
      for (const [t, l] of lists) b.tokens.set(t, l.done());
      for (const [t, l] of titleLists) b.titleTokens.set(t, l.done());
      return { base: b, startedAt };
    });
  }

  /** Builds the index (again); changes made meanwhile are applied by the next poll. */
  async function loadAll() {
    const { base: next, startedAt } = await build();
    base = next;
    delta = new Map();
    watermark = startedAt;
  }

  /** Re-reads one posting's search row (after a change in this process, or found by a poll). */
  async function refresh(postingId: string) {
    if (!base) return;
    const { rows } = await sql<DbRow>`select ${ROW} from posting_search s where s.posting_id = ${postingId}`.execute(
      db,
    );
    delta.set(postingId, rows[0] ? rowOf(rows[0]) : null);
    const rank = base.ids.get(postingId);
    if (rank !== undefined) base.dead[rank] = 1;
    if (delta.size > rebuildAfter && !rebuilding)
      rebuilding = loadAll().finally(() => {
        rebuilding = null;
      });
  }

  /** Applies changes made since the last poll by any process (postings.updated_at). */
  async function poll() {
    if (!base) return;
    const since = watermark;
    watermark = new Date(Date.now() - 2_000); // overlap: commits in flight at the boundary
    const { rows } = await sql<{
      id: string;
    }>`select id::text as id from postings where updated_at >= ${since}`.execute(db);
    if (rows.length > rebuildAfter) return loadAll(); // a bulk change: read everything again
    for (const { id } of rows) await refresh(id);
  }

  /**
   * The same answer as `postingsRepository.search`, or null while the index is not built.
   * `tokens` are the query's required tokens (queryTokens), empty for a filter-only search.
   */
  function search(q: Query): { ids: string[]; total: number; totalIsLowerBound: boolean } | null {
    const b = base;
    if (!b) return null;
    const want = q.offset + q.limit;
    // filters, decided once per distinct region / occupation / work type
    const regionOk = b.regions.values.map((r) => !q.regionPrefix || r.startsWith(q.regionPrefix));
    // as the SQL does: LIKE metacharacters are dropped from an occupation prefix
    const occupationPrefix = q.occupationPrefix?.replace(/[%_\\]/g, "");
    const occupationOk = b.occupations.values.map((o) => !occupationPrefix || o.startsWith(occupationPrefix));
    const workTypeId = q.workType === undefined ? -1 : (b.workTypes.find(q.workType) ?? -2);
    const sinceUs = q.publishedSince ? q.publishedSince.getTime() * 1000 : Number.NEGATIVE_INFINITY;
    const salaryMin = q.salaryMinFen ?? Number.NEGATIVE_INFINITY;
    const eduMax = q.educationRankAtMost ?? Number.POSITIVE_INFINITY;
    const keep = (r: number) =>
      b.dead[r] === 0 &&
      regionOk[b.region[r]!]! &&
      occupationOk[b.occupation[r]!]! &&
      b.salaryMax[r]! >= salaryMin &&
      b.educationRank[r]! <= eduMax &&
      (workTypeId === -1 || b.workType[r] === workTypeId) &&
      b.us[r]! >= sinceUs;
    const rowKeep = (x: Row) =>
      (!q.regionPrefix || x.region.startsWith(q.regionPrefix)) &&
      (!occupationPrefix || x.occupation.startsWith(occupationPrefix)) &&
      x.salaryMax >= salaryMin &&
      x.educationRank <= eduMax &&
      (q.workType === undefined || x.workType === q.workType) &&
      x.us >= sinceUs;

    const lists: TokenList[] = [];
    for (const t of q.tokens) {
      const l = b.tokens.get(t);
      if (l) lists.push(l);
    }
    const baseMatches = lists.length === q.tokens.length;
    // delta rows matching, in result order (by published_at desc, posting_id)
    const byDate = (x: { us: number; id: string }, y: { us: number; id: string }) =>
      y.us - x.us || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);
    const fresh: (Row & { inTitle: boolean })[] = [];
    for (const x of delta.values())
      if (x && rowKeep(x) && q.tokens.every((t) => x.tokens.has(t)))
        fresh.push({ ...x, inTitle: q.tokens.length > 0 && q.tokens.every((t) => x.titleTokens.has(t)) });
    fresh.sort(byDate);

    // base: count up to the cap; keep the first `want` of each class (title matches, the others)
    const title: number[] = [];
    const other: number[] = [];
    let count = 0;
    const relevance = q.sort === "relevance" && q.tokens.length > 0;
    const titleLists: TokenList[] = [];
    if (relevance)
      for (const t of q.tokens)
        titleLists.push(b.titleTokens.get(t) ?? { bits: null, ranks: new Int32Array(0), df: 0 });
    if (baseMatches) {
      if (relevance) {
        // title matches are found through the (short) title lists
        each(b, titleLists, keep, (r) => {
          title.push(r);
          return title.length < want;
        });
      }
      each(b, lists, keep, (r) => {
        count++;
        if (other.length < want && !(relevance && titleLists.every((l) => has(l, r)))) other.push(r);
        return count <= TOTAL_CAP || other.length < want;
      });
    }
    count += fresh.length;
    const asRow = (r: number) => ({ id: b.ids.idOf(r), us: b.us[r]! });
    const merge = (a: { id: string; us: number }[], c: { id: string; us: number }[]) => [...a, ...c].sort(byDate);
    const ordered = relevance
      ? [
          ...merge(
            title.map(asRow),
            fresh.filter((x) => x.inTitle),
          ),
          ...merge(
            other.map(asRow),
            fresh.filter((x) => !x.inTitle),
          ),
        ]
      : merge(other.map(asRow), fresh);
    return {
      ids: ordered.slice(q.offset, want).map((x) => x.id),
      total: Math.min(count, TOTAL_CAP),
      totalIsLowerBound: count > TOTAL_CAP,
    };
  }

  function stats() {
    const b = base;
    if (!b) return null;
    let bitmaps = 0;
    let bytes = 0;
    for (const m of [b.tokens, b.titleTokens])
      for (const l of m.values()) {
        if (l.bits) bitmaps++;
        bytes += l.bits ? l.bits.byteLength : l.ranks!.byteLength;
      }
    return {
      postings: b.n,
      tokens: b.tokens.size,
      titleTokens: b.titleTokens.size,
      bitmaps,
      listBytes: bytes,
      delta: delta.size,
    };
  }

  return { loadAll, refresh, poll, search, stats, isLoaded: () => base !== null };
}
