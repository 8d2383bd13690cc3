import type { Database } from "@jiuye/db";
import {
  availabilityPoints,
  EDUCATION_RANK,
  educationPoints,
  monthlyEquivalentFen,
  OCCUPATION_POINTS,
  regionPoints,
  salaryPoints,
  skillPoints,
} from "@jiuye/domain";
import { type Kysely, sql } from "kysely";
import { Interner } from "../../lib/interner.ts";
import { UuidSlots } from "../../lib/uuid-slots.ts";

/**
 * The in-process recommendation index (matching.md: "a read-only in-process typed-array index
 * built from PostgreSQL"): published postings and active seekers held as columns of small
 * integers, bucketed by (职业中类, city) for candidate retrieval. It scores with the same
 * point functions as `scoreMatch` (packages/domain/src/jobs/matching.ts) and breaks ties by id,
 * so its top-k equals the SQL reference (`rankPostingsSql` / `rankSeekersSql`); a differential
 * test holds it to that. Protected attributes are not loaded: the index cannot use them.
 *
 * Freshness: the services call `refreshPosting` / `refreshSeeker` on every change in this
 * process; `poll()` (every 30 s in the server) picks up changes made by other processes.
 */

type IntArray = Int32Array | Uint16Array | Int8Array;
type IntArrayKind = Int32ArrayConstructor | Uint16ArrayConstructor | Int8ArrayConstructor;

/** Growable integer column (Int32 unless a narrower type holds every value it will get). */
class Column {
  data: IntArray;
  length = 0;
  constructor(
    private readonly Kind: IntArrayKind = Int32Array,
    capacity = 1024,
  ) {
    this.data = new Kind(capacity);
  }
  push(v: number): number {
    if (this.length === this.data.length) {
      const next = new this.Kind(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length] = v;
    return this.length++;
  }
  get(i: number): number {
    return this.data[i] as number;
  }
  set(i: number, v: number) {
    this.data[i] = v;
  }
  /** Gives back the capacity doubling left unused (after a bulk load: up to half the column). */
  trim() {
    if (this.data.length > this.length + 1024) this.data = this.data.slice(0, this.length + 1024);
  }
}

/** A list of small integer lists (skills, occupations, regions per row) in one pool. */
class ListColumn {
  readonly start = new Column();
  readonly len = new Column(Uint16Array);
  readonly pool = new Column(Int32Array, 4096);
  push(values: number[]): void {
    this.start.push(this.pool.length);
    const n = Math.min(values.length, 65_535); // lengths are Uint16
    this.len.push(n);
    for (let i = 0; i < n; i++) this.pool.push(values[i] as number);
  }
  trim() {
    this.start.trim();
    this.len.trim();
    this.pool.trim();
  }
}

const WORK_TYPES = ["full_time", "part_time", "flexible"];
/** Slots of one (中类, region) bucket: growable while loading, packed by trim(). */
type Bucket = number[] | Int32Array;
/** Region code lengths (province, city, county, street, community) → their place in a posting's prefix list. */
const PREFIX_LENGTHS = [2, 4, 6, 9, 12];
const PREFIX_SLOT: Record<number, number> = { 2: 0, 4: 1, 6: 2, 9: 3, 12: 4 };
const DAY = 86_400_000;
/** Best score a seeker can reach by tier (same occupation / 小类 / 中类): its points + 70 for the rest. */
const TIER_BEST = [OCCUPATION_POINTS.same + 70, OCCUPATION_POINTS.minor + 70, OCCUPATION_POINTS.middle + 70];
const dayNumber = (d: string | null) => (d ? Math.floor(Date.parse(`${d}T00:00:00Z`) / DAY) : -1);

export interface IndexedMatch {
  id: string;
  score: number;
}

export interface PostingRowForIndex {
  id: string;
  occupation_code: string;
  skills: string[];
  region_code: string;
  salary_type: string;
  salary_min_fen: number;
  salary_max_fen: number;
  education: string | null;
  work_type: string;
}

export interface SeekerRowForIndex {
  id: string;
  region_code: string;
  occupations: string[];
  skills: string[];
  regions: string[];
  salary_expectation_fen: number | null;
  education: string | null;
  available_from: string | null;
  work_types: string[];
  employer_visible: boolean;
}

export class MatchIndex {
  private readonly occ = new Interner();
  private readonly minorOf: number[] = [];
  private readonly middleOf: number[] = [];
  private readonly middles = new Interner();
  private readonly minors = new Interner();
  private readonly skills = new Interner();
  private readonly regions = new Interner();

  // postings
  /** posting id ⇄ slot, packed (a slot keeps its id after the posting is replaced) */
  private readonly pSlot = new UuidSlots();
  private readonly pAlive = new Column(Int8Array);
  private readonly pOcc = new Column();
  private readonly pRegion = new Column();
  /** per posting, the region ids of its code's 5 prefixes (-1 where the code is shorter) */
  private readonly pPrefix = new Column();
  /** monthly equivalents in 分 (hourly × 174 can exceed Int32) */
  private readonly pMin: number[] = [];
  private readonly pMax: number[] = [];
  private readonly pEdu = new Column(Int8Array);
  private readonly pWork = new Column(Int8Array);
  private readonly pSkills = new ListColumn();
  /** middle → city(4) → posting slots */
  private readonly pBuckets = new Map<number, Map<string, Bucket>>();

  // seekers
  /** seeker id ⇄ slot, packed: millions of seekers as strings and a Map took hundreds of MB */
  private readonly sSlot = new UuidSlots();
  private readonly sAlive = new Column(Int8Array);
  private readonly sHome = new Column();
  private readonly sOccs = new ListColumn();
  private readonly sSkills = new ListColumn();
  private readonly sRegions = new ListColumn();
  private readonly sExpect = new Column();
  private readonly sEdu = new Column(Int8Array);
  private readonly sAvail = new Column();
  private readonly sWork = new Column(Int8Array);
  private readonly sVisible = new Column(Int8Array);
  /**
   * middle → region key (city 4, province 2, or "*") → occupation → seeker slots. By exact
   * occupation so that seekersFor can visit the seekers who want the posting's occupation first and
   * skip whole groups whose best possible score (their occupation points + 70) cannot reach the k-th.
   */
  private readonly sBuckets = new Map<number, Map<string, Map<number, Bucket>>>();
  /** seekers already visited by the current seekersFor (stamped, not hashed) */
  private sSeen = new Uint32Array(0);
  private stamp = 0;

  private occId(code: string): number {
    const existing = this.occ.find(code);
    if (existing !== undefined) return existing;
    const id = this.occ.id(code);
    this.minorOf[id] = this.minors.id(code.slice(0, 7));
    this.middleOf[id] = this.middles.id(code.slice(0, 4));
    return id;
  }

  private static child<K, V>(map: Map<K, V>, key: K, make: () => V): V {
    let v = map.get(key);
    if (v === undefined) {
      v = make();
      map.set(key, v);
    }
    return v;
  }

  private bucket(map: Map<number, Map<string, Bucket>>, middle: number, key: string, slot: number) {
    MatchIndex.append(
      MatchIndex.child(map, middle, () => new Map()),
      key,
      slot,
    );
  }

  private static append<K>(byKey: Map<K, Bucket>, key: K, slot: number) {
    let list = byKey.get(key);
    if (!list) {
      list = [];
      byKey.set(key, list);
    } else if (!Array.isArray(list)) {
      // a bucket packed by trim() takes a change: back to a growable list (rare after the load)
      list = Array.from(list);
      byKey.set(key, list);
    }
    list.push(slot);
  }

  /** Gives back unused column capacity; call after a bulk load. */
  trim() {
    for (const c of [this.pAlive, this.pOcc, this.pRegion, this.pPrefix, this.pEdu, this.pWork]) c.trim();
    this.pSkills.trim();
    for (const c of [this.sAlive, this.sHome, this.sExpect, this.sEdu, this.sAvail, this.sWork, this.sVisible])
      c.trim();
    for (const l of [this.sOccs, this.sSkills, this.sRegions]) l.trim();
    // bucket lists as Int32Array: 4 bytes a slot instead of 8 (and no spare capacity)
    const pack = <K>(byKey: Map<K, Bucket>) => {
      for (const [key, list] of byKey) if (Array.isArray(list)) byKey.set(key, Int32Array.from(list));
    };
    for (const byKey of this.pBuckets.values()) pack(byKey);
    for (const byKey of this.sBuckets.values()) for (const byOcc of byKey.values()) pack(byOcc);
    this.pSlot.trim();
    this.sSlot.trim();
  }

  get postingCount() {
    return this.pSlot.size;
  }
  get seekerCount() {
    return this.sSlot.size;
  }

  /** Adds or replaces a published posting (null removes it). */
  putPosting(id: string, p: PostingRowForIndex | null) {
    const old = this.pSlot.get(id);
    if (old !== undefined) {
      this.pAlive.set(old, 0);
      this.pSlot.delete(id);
    }
    if (!p) return;
    const slot = this.pAlive.push(1);
    this.pSlot.set(id, slot);
    const occ = this.occId(p.occupation_code);
    this.pOcc.push(occ);
    this.pRegion.push(this.regions.id(p.region_code));
    for (const len of PREFIX_LENGTHS)
      this.pPrefix.push(len <= p.region_code.length ? this.regions.id(p.region_code.slice(0, len)) : -1);
    const type = p.salary_type === "hourly" ? "hourly" : "monthly";
    this.pMin[slot] = monthlyEquivalentFen(type, p.salary_min_fen);
    this.pMax[slot] = monthlyEquivalentFen(type, p.salary_max_fen);
    this.pEdu.push(p.education ? (EDUCATION_RANK[p.education] ?? 0) : 0);
    this.pWork.push(WORK_TYPES.indexOf(p.work_type));
    this.pSkills.push(p.skills.map((s) => this.skills.id(s.toLowerCase())));
    this.bucket(this.pBuckets, this.middleOf[occ] as number, p.region_code.slice(0, 4), slot);
  }

  /** Adds or replaces an active seeker (null removes it). */
  putSeeker(id: string, s: SeekerRowForIndex | null) {
    const old = this.sSlot.get(id);
    if (old !== undefined) {
      this.sAlive.set(old, 0);
      this.sSlot.delete(id);
    }
    if (!s) return;
    const slot = this.sAlive.push(1);
    this.sSlot.set(id, slot);
    this.sHome.push(this.regions.id(s.region_code));
    const occs = s.occupations.map((o) => this.occId(o));
    this.sOccs.push(occs);
    this.sSkills.push(s.skills.map((x) => this.skills.id(x.toLowerCase())));
    this.sRegions.push(s.regions.map((r) => this.regions.id(r)));
    this.sExpect.push(s.salary_expectation_fen ?? -1);
    this.sEdu.push(s.education ? (EDUCATION_RANK[s.education] ?? 0) : -1);
    this.sAvail.push(dayNumber(s.available_from));
    this.sWork.push(s.work_types.reduce((m, w) => m | (1 << WORK_TYPES.indexOf(w)), 0));
    this.sVisible.push(s.employer_visible ? 1 : 0);
    const keys =
      s.regions.length === 0 ? ["*"] : [...new Set(s.regions.map((r) => (r.length >= 4 ? r.slice(0, 4) : r)))];
    for (const occ of new Set(occs)) {
      const byKey = MatchIndex.child(this.sBuckets, this.middleOf[occ] as number, () => new Map());
      for (const k of keys)
        MatchIndex.append(
          MatchIndex.child(byKey, k, () => new Map()),
          occ,
          slot,
        );
    }
  }

  /**
   * The pair's score, or -1 when a hard filter vetoes it (same rules as vetoReason + scoreMatch) —
   * or when even full marks on the parts not yet scored could not reach `floor` (the current k-th
   * score: such a pair cannot enter the top k, so the skill comparison is skipped).
   */
  private score(s: number, p: number, asOfDay: number, floor = -1): number {
    // 用工形式
    const work = this.sWork.get(s);
    if (work !== 0 && (work & (1 << this.pWork.get(p))) === 0) return -1;
    // 地区: the first seeker region containing the posting (a region of a standard length is
    // compared by id with the posting's prefix of that length; any other by its text)
    const rs = this.sRegions.start.get(s);
    const rn = this.sRegions.len.get(s);
    let prefix: number | null = null;
    for (let i = 0; i < rn; i++) {
      const r = this.sRegions.pool.get(rs + i);
      const len = (this.regions.values[r] as string).length;
      const at = PREFIX_SLOT[len];
      const contains =
        at !== undefined
          ? this.pPrefix.get(p * 5 + at) === r
          : (this.regions.values[this.pRegion.get(p)] as string).startsWith(this.regions.values[r] as string);
      if (contains) {
        prefix = len;
        break;
      }
    }
    if (rn > 0 && prefix === null) return -1;
    // 职业
    const pOcc = this.pOcc.get(p);
    let occPoints = -1;
    const os = this.sOccs.start.get(s);
    const on = this.sOccs.len.get(s);
    for (let i = 0; i < on; i++) {
      const o = this.sOccs.pool.get(os + i);
      const pts =
        o === pOcc
          ? OCCUPATION_POINTS.same
          : this.minorOf[o] === this.minorOf[pOcc]
            ? OCCUPATION_POINTS.minor
            : this.middleOf[o] === this.middleOf[pOcc]
              ? OCCUPATION_POINTS.middle
              : 0;
      if (pts > occPoints) occPoints = pts;
    }
    if (occPoints <= 0) return -1;
    // 学历
    const required = this.pEdu.get(p);
    const has = this.sEdu.get(s);
    if (has >= 0 && has < required) return -1;
    const ps = this.pSkills.start.get(p);
    const pn = this.pSkills.len.get(p);
    const region = regionPoints(prefix, rn > 0);
    // skills ≤ 30 (15 when none are asked), salary ≤ 15, education ≤ 5, availability ≤ 5
    if (floor >= 0 && occPoints + region + (pn === 0 ? 15 : 30) + 25 < floor) return -1;
    // 技能
    const ss = this.sSkills.start.get(s);
    const sn = this.sSkills.len.get(s);
    let matched = 0;
    for (let i = 0; i < pn; i++) {
      const k = this.pSkills.pool.get(ps + i);
      for (let j = 0; j < sn; j++)
        if (this.sSkills.pool.get(ss + j) === k) {
          matched++;
          break;
        }
    }
    const expect = this.sExpect.get(s);
    const avail = this.sAvail.get(s);
    return (
      occPoints +
      skillPoints(matched, pn) +
      region +
      salaryPoints(expect < 0 ? null : expect, this.pMin[p] as number, this.pMax[p] as number) +
      educationPoints(required, has < 0 ? null : has) +
      availabilityPoints(avail < 0 ? null : avail, asOfDay)
    );
  }

  private static top(k: number, out: IndexedMatch[], m: IndexedMatch) {
    // keep `out` sorted by score desc, id asc, at most k long
    if (out.length === k) {
      const last = out[k - 1] as IndexedMatch;
      if (m.score < last.score || (m.score === last.score && m.id > last.id)) return;
    }
    let i = out.length;
    while (i > 0) {
      const prev = out[i - 1] as IndexedMatch;
      if (prev.score > m.score || (prev.score === m.score && prev.id < m.id)) break;
      i--;
    }
    out.splice(i, 0, m);
    if (out.length > k) out.pop();
  }

  /** Top-k published postings for a seeker, excluding the given posting ids. */
  postingsFor(
    seekerId: string,
    k: number,
    asOf: string,
    exclude: ReadonlySet<string> = new Set(),
  ): IndexedMatch[] | null {
    const s = this.sSlot.get(seekerId);
    if (s === undefined) return null;
    const asOfDay = dayNumber(asOf);
    const out: IndexedMatch[] = [];
    const seen = new Set<number>();
    const excluded = new Set<number>();
    for (const id of exclude) {
      const slot = this.pSlot.get(id);
      if (slot !== undefined) excluded.add(slot);
    }
    const os = this.sOccs.start.get(s);
    const on = this.sOccs.len.get(s);
    const rs = this.sRegions.start.get(s);
    const rn = this.sRegions.len.get(s);
    const cities = new Set<string>();
    for (let i = 0; i < rn; i++)
      cities.add((this.regions.values[this.sRegions.pool.get(rs + i)] as string).slice(0, 4));
    const wanted = [...cities];
    for (let i = 0; i < on; i++) {
      const middle = this.middleOf[this.sOccs.pool.get(os + i)] as number;
      if (seen.has(-1 - middle)) continue;
      seen.add(-1 - middle);
      const byCity = this.pBuckets.get(middle);
      if (!byCity) continue;
      for (const [city, slots] of byCity) {
        if (rn > 0 && !wanted.some((c) => city.startsWith(c) || c.startsWith(city))) continue;
        for (const p of slots) {
          if (this.pAlive.get(p) === 0 || excluded.has(p)) continue;
          const floor = out.length === k ? (out[k - 1] as IndexedMatch).score : -1;
          const score = this.score(s, p, asOfDay, floor);
          // the id (a string built from packed bytes) only for a score that can enter the top k
          if (score < 0 || score < floor) continue;
          MatchIndex.top(k, out, { id: this.pSlot.idOf(p), score });
        }
      }
    }
    return out;
  }

  /** Top-k active seekers for a published posting; `within` limits by residence region prefix. */
  seekersFor(
    posting: PostingRowForIndex & { id: string },
    k: number,
    asOf: string,
    opts: { within?: string; employerVisibleOnly?: boolean; exclude?: ReadonlySet<string> } = {},
  ): IndexedMatch[] {
    // a posting not (yet) in the index is scored from its row
    if (!this.pSlot.has(posting.id)) this.putPosting(posting.id, posting);
    const p = this.pSlot.get(posting.id) as number;
    const asOfDay = dayNumber(asOf);
    const middle = this.middleOf[this.pOcc.get(p)] as number;
    const byKey = this.sBuckets.get(middle);
    const out: IndexedMatch[] = [];
    if (!byKey) return out;
    if (this.sSeen.length < this.sAlive.length) {
      const grown = new Uint32Array(this.sAlive.length + 65_536);
      grown.set(this.sSeen);
      this.sSeen = grown;
    }
    const seen = this.sSeen;
    const stamp = ++this.stamp;
    const excluded = new Set<number>();
    for (const id of opts.exclude ?? []) {
      const slot = this.sSlot.get(id);
      if (slot !== undefined) excluded.add(slot);
    }
    // whether a home region lies within `within`, decided once per region
    const within = opts.within;
    const inside = within ? new Int8Array(this.regions.values.length) : null;
    // the seekers' buckets in three tiers by what their occupation can earn against the posting's:
    // same occupation, same 小类, same 中类 only; a tier whose best score (its occupation points and
    // full marks on the rest) is below the k-th score so far is not visited
    const pOcc = this.pOcc.get(p);
    const tiers: Bucket[][] = [[], [], []];
    const region = posting.region_code;
    for (const key of [region.slice(0, 4), region.slice(0, 2), "*"]) {
      for (const [occ, list] of byKey.get(key) ?? []) {
        const tier = occ === pOcc ? 0 : this.minorOf[occ] === this.minorOf[pOcc] ? 1 : 2;
        (tiers[tier] as Bucket[]).push(list);
      }
    }
    for (let t = 0; t < 3; t++) {
      if (out.length === k && TIER_BEST[t]! < (out[k - 1] as IndexedMatch).score) break;
      for (const list of tiers[t] as Bucket[])
        for (const s of list) {
          if (this.sAlive.get(s) === 0 || seen[s] === stamp) continue;
          seen[s] = stamp;
          if (opts.employerVisibleOnly && this.sVisible.get(s) === 0) continue;
          if (inside && within) {
            const home = this.sHome.get(s);
            if (inside[home] === 0) inside[home] = (this.regions.values[home] as string).startsWith(within) ? 1 : -1;
            if (inside[home] === -1) continue;
          }
          if (excluded.size && excluded.has(s)) continue;
          const floor = out.length === k ? (out[k - 1] as IndexedMatch).score : -1;
          const score = this.score(s, p, asOfDay, floor);
          if (score < 0 || score < floor) continue;
          MatchIndex.top(k, out, { id: this.sSlot.idOf(s), score });
        }
    }
    return out;
  }
}

const POSTING_COLUMNS = sql`p.id, p.occupation_code, p.skills, p.region_code, p.salary_type, p.salary_min_fen, p.salary_max_fen, p.education, p.work_type`;
// education is read per seeker by primary key: as a join, each page of the full load was planned as
// a hash join over every person (a parallel scan of 5M rows per 20,000 seekers)
const SEEKER_COLUMNS = sql`s.id, s.region_code, s.occupations, s.skills, s.regions, s.salary_expectation_fen,
  (select per.education from persons per where per.id = s.person_id) as education,
  to_char(s.available_from, 'YYYY-MM-DD') as available_from, s.work_types, s.employer_visible`;

/** Loads, and keeps fresh, the index from PostgreSQL. */
export function createMatchIndexLoader(db: Kysely<Database>) {
  const index = new MatchIndex();
  let watermark = new Date(0);
  let loaded = false;

  async function loadAll(batch = 20_000) {
    const started = new Date();
    let after = "00000000-0000-0000-0000-000000000000";
    for (;;) {
      const rows = (
        await sql<PostingRowForIndex>`select ${POSTING_COLUMNS} from postings p join posting_search ps on ps.posting_id = p.id
          where p.id > ${after}::uuid order by p.id limit ${batch}`.execute(db)
      ).rows;
      for (const r of rows) index.putPosting(r.id, r);
      if (rows.length < batch) break;
      after = (rows[rows.length - 1] as PostingRowForIndex).id;
    }
    after = "00000000-0000-0000-0000-000000000000";
    for (;;) {
      const rows = (
        await sql<SeekerRowForIndex>`select ${SEEKER_COLUMNS} from seekers s
          where s.status = 'active' and s.id > ${after}::uuid order by s.id limit ${batch}`.execute(db)
      ).rows;
      for (const r of rows) index.putSeeker(r.id, r);
      if (rows.length < batch) break;
      after = (rows[rows.length - 1] as SeekerRowForIndex).id;
    }
    index.trim();
    // changes committed while loading are picked up by the next poll (overlap by a minute)
    watermark = new Date(started.getTime() - 60_000);
    loaded = true;
  }

  async function refreshPosting(id: string) {
    const r = (
      await sql<PostingRowForIndex>`select ${POSTING_COLUMNS} from postings p join posting_search ps on ps.posting_id = p.id where p.id = ${id}::uuid`.execute(
        db,
      )
    ).rows[0];
    index.putPosting(id, r ?? null);
  }

  async function refreshSeeker(id: string) {
    const r = (
      await sql<SeekerRowForIndex>`select ${SEEKER_COLUMNS} from seekers s
        where s.id = ${id}::uuid and s.status = 'active'`.execute(db)
    ).rows[0];
    index.putSeeker(id, r ?? null);
  }

  /** Applies changes made since the last poll (by any process). */
  async function poll() {
    if (!loaded) return;
    const since = watermark;
    const now = new Date();
    const postings = await sql<{ id: string }>`select id from postings where updated_at >= ${since}`.execute(db);
    for (const { id } of postings.rows) await refreshPosting(id);
    const seekers = await sql<{ id: string }>`select id from seekers where updated_at >= ${since}`.execute(db);
    for (const { id } of seekers.rows) await refreshSeeker(id);
    watermark = new Date(now.getTime() - 5_000);
  }

  return { index, loadAll, refreshPosting, refreshSeeker, poll, isLoaded: () => loaded };
}

export type MatchIndexLoader = ReturnType<typeof createMatchIndexLoader>;
