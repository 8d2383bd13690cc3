/**
 * Text normalisation for job-ad screening (招聘信息审核). Evasions such as "男 生 优 先",
 * "男＊性", full-width letters and traditional characters ("僅限男士") must read like the plain
 * phrase, while every finding still points at the characters the employer actually wrote.
 *
 * `normaliseForScreening` keeps only letters and digits (after NFKC, lower-casing and a
 * traditional→simplified table of the characters screening rules use) and remembers, for each
 * kept character, its offset in the original text.
 */

// Traditional → simplified, restricted to characters that occur in screening patterns and their
// common contexts. Screening only needs these to match; it is not a general converter.
const TRADITIONAL: Record<string, string> = {
  僅: "仅",
  隻: "只",
  祇: "只",
  優: "优",
  慮: "虑",
  婦: "妇",
  檢: "检",
  驗: "验",
  測: "测",
  試: "试",
  體: "体",
  戶: "户",
  齡: "龄",
  歲: "岁",
  漢: "汉",
  維: "维",
  爾: "尔",
  蘭: "兰",
  殘: "残",
  礙: "碍",
  攜: "携",
  帶: "带",
  擾: "扰",
  謝: "谢",
  絕: "绝",
  結: "结",
  離: "离",
  異: "异",
  屆: "届",
  畢: "毕",
  業: "业",
  學: "学",
  歷: "历",
  統: "统",
  爲: "为",
  為: "为",
  應: "应",
  員: "员",
  職: "职",
  徵: "征",
  請: "请",
  錄: "录",
  與: "与",
  們: "们",
  經: "经",
  過: "过",
  內: "内",
  後: "后",
  個: "个",
  紀: "纪",
  傳: "传",
  滿: "满",
  幾: "几",
  無: "无",
  須: "须",
  點: "点",
  準: "准",
  時: "时",
  資: "资",
  萬: "万",
  門: "门",
  國: "国",
  義: "义",
  務: "务",
  區: "区",
  縣: "县",
  鄉: "乡",
  鎮: "镇",
  場: "场",
  進: "进",
  導: "导",
  護: "护",
  醫: "医",
  師: "师",
  專: "专",
  長: "长",
  雙: "双",
  臺: "台",
  轉: "转",
  單: "单",
  親: "亲",
  兒: "儿",
  歡: "欢",
  勞: "劳",
  動: "动",
  規: "规",
  範: "范",
  圍: "围",
  愛: "爱",
  陽: "阳",
  黨: "党",
  數: "数",
  團: "团",
  聯: "联",
  繫: "系",
  係: "系",
  電: "电",
  話: "话",
  視: "视",
  將: "将",
  閒: "闲",
  當: "当",
  輕: "轻",
  極: "极",
  選: "选",
  強: "强",
  觀: "观",
  種: "种",
  膚: "肤",
  顏: "颜",
  產: "产",
  懷: "怀",
  頭: "头",
  見: "见",
  習: "习",
  計: "计",
  劃: "划",
  擇: "择",
  隨: "随",
  積: "积",
  責: "责",
  協: "协",
  會: "会",
  條: "条",
  標: "标",
  類: "类",
  總: "总",
  績: "绩",
  頒: "颁",
  發: "发",
  證: "证",
  書: "书",
  樓: "楼",
  層: "层",
  據: "据",
};

export interface NormalisedText {
  /** Letters and digits only, NFKC, lower case, screening characters simplified. */
  text: string;
  /** For each code unit of `text`, the offset in the original string where it came from. */
  origin: number[];
  original: string;
}

const KEEP = /[\p{L}\p{N}]/u;

export function normaliseForScreening(original: string): NormalisedText {
  let text = "";
  const origin: number[] = [];
  let offset = 0;
  for (const ch of original) {
    const width = ch.length;
    let folded = ch.normalize("NFKC").toLowerCase();
    folded = [...folded].map((c) => TRADITIONAL[c] ?? c).join("");
    for (const c of folded) {
      if (KEEP.test(c)) {
        text += c;
        for (let i = 0; i < c.length; i++) origin.push(offset);
      }
    }
    offset += width;
  }
  return { text, origin, original };
}

/** Maps a [start, end) range in the normalised text back to the original string. */
export function originalSpan(
  n: NormalisedText,
  start: number,
  end: number,
): { start: number; end: number; text: string } {
  const from = n.origin[start] ?? n.original.length;
  const lastOrigin = n.origin[end - 1] ?? from;
  // The last kept character may be a surrogate pair in the original: extend to its end.
  const code = n.original.codePointAt(lastOrigin) ?? 0;
  const to = lastOrigin + (code > 0xffff ? 2 : 1);
  return { start: from, end: to, text: n.original.slice(from, to) };
}
