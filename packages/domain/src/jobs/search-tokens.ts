/**
 * Tokens for Chinese job search with substring semantics. A posting is indexed by every CJK
 * character and every pair of adjacent CJK characters (unigrams + bigrams), and by every Latin or
 * digit word and its character trigrams. A query matches when all of its tokens are present:
 * bigrams of each CJK run (a single character uses its unigram), trigrams of each Latin word of
 * three or more characters, the whole word otherwise. So "电工" finds "低压电工", "退役军人"
 * finds "欢迎退役军人", "sql" finds "MySQL" — no dictionary can swallow a query term (the recall
 * trap matching.md describes for word segmentation).
 */
const CJK = /\p{Script=Han}/u;
const WORD = /[\p{L}\p{N}]/u;

function runs(text: string): Array<{ cjk: boolean; chars: string[] }> {
  const out: Array<{ cjk: boolean; chars: string[] }> = [];
  let cur: { cjk: boolean; chars: string[] } | null = null;
  for (const raw of text.normalize("NFKC").toLowerCase()) {
    const isCjk = CJK.test(raw);
    const isWord = !isCjk && WORD.test(raw);
    if (!isCjk && !isWord) {
      cur = null;
      continue;
    }
    if (!cur || cur.cjk !== isCjk) {
      cur = { cjk: isCjk, chars: [] };
      out.push(cur);
    }
    cur.chars.push(raw);
  }
  return out;
}

function trigrams(chars: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 3 <= chars.length; i++) out.push(chars.slice(i, i + 3).join(""));
  return out;
}

/** Index tokens of a text (deduplicated). */
export function indexTokens(text: string): string[] {
  const set = new Set<string>();
  for (const r of runs(text)) {
    if (r.cjk) {
      for (let i = 0; i < r.chars.length; i++) {
        set.add(r.chars[i] as string);
        if (i + 1 < r.chars.length) set.add(`${r.chars[i]}${r.chars[i + 1]}`);
      }
    } else {
      set.add(r.chars.join(""));
      for (const t of trigrams(r.chars)) set.add(t);
    }
  }
  return [...set];
}

/** Tokens a query requires (all must be present); empty for a query with no letters or digits. */
export function queryTokens(query: string): string[] {
  const set = new Set<string>();
  for (const r of runs(query.slice(0, 100))) {
    if (r.cjk) {
      if (r.chars.length === 1) set.add(r.chars[0] as string);
      for (let i = 0; i + 1 < r.chars.length; i++) set.add(`${r.chars[i]}${r.chars[i + 1]}`);
    } else if (r.chars.length >= 3) {
      for (const t of trigrams(r.chars)) set.add(t);
    } else {
      set.add(r.chars.join(""));
    }
  }
  return [...set];
}

/** A tsquery literal (AND of the tokens), quoted for the ::tsquery cast, which does no parsing of words. */
export function toTsqueryLiteral(tokens: string[]): string {
  return tokens.map(quote).join(" & ");
}

function quote(t: string): string {
  return `'${t.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
}

/**
 * A tsvector literal of bare lexemes (no positions, no weights: the smallest tsvector, and the
 * search never needs positions — a query is an AND of tokens). Duplicates are merged by PostgreSQL.
 */
export function toTsvectorLiteral(...tokenLists: string[][]): string {
  return [...new Set(tokenLists.flat())].map(quote).join(" ");
}
