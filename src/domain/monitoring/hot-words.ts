// Which words may be the daily briefing's hot words (SPEC §14), whichever segmenter found them
// (nodejieba on Node, Intl.Segmenter on Workers). A hot word should name something: a place, a
// thing, an act. Segmenters also return words that name nothing:
// - words every news text uses (发生, 表示, 今日 …);
// - the placeholders of anonymised reports (某区, 某市, 某某);
// - counts (数十名, 一人, 3起);
// - fragments a segmenter glued together from a function character and its neighbour, as jieba's
//   model for unknown words does with 已致 (已致2人受伤) or 拆致 (强拆致一人死亡); see isFragment.

/** Words too common in Chinese news and notices to say anything about a story. */
const STOPWORDS = new Set(
  (
    '我们 你们 他们 她们 它们 自己 这个 那个 这些 那些 这样 那样 一个 一些 没有 不是 就是 还是 已经 正在 可以 可能 ' +
    '应该 需要 进行 通过 对于 关于 以及 并且 而且 但是 因为 所以 如果 虽然 然后 其中 之后 之前 以上 以下 目前 今天 ' +
    '昨天 今年 去年 表示 认为 指出 记者 有关 相关 方面 工作 问题 情况 什么 怎么 为了 同时 此外 其他 等等 一下 一起 ' +
    '这里 那里 时候 出现 发生 开展 有限 公司 通知 全文 今日 昨日 明日 日前 近日 当日 当天 凌晨 上午 下午 晚上 随后 ' +
    '据悉 据了解 来源 编辑 责任编辑 原标题 本报讯 新华社 消息 报道 介绍 透露 目前为止'
  ).split(' '),
);

// A count: digits and Chinese numerals (数十, 几百, 两, 100万, 十余), perhaps with one measure word after them.
const COUNT = /^[\d.数几多余两零〇一二三四五六七八九十百千万亿]+[个名人位起次件家条项岁元户辆所座处栋间只头批轮天年月日时分秒]?$/u;
// Only digits, whitespace and punctuation.
const NO_LETTERS = /^[\d\s\p{P}\p{S}]+$/u;

/** Characters that do not start a word of their own when a segmenter's guess begins with them (已致). */
const LEADING_FUNCTION = new Set([...'已被将曾均仍并又还也都就才该其此']);
/** … or end it (拆致). */
const TRAILING_FUNCTION = new Set([...'致了着过的地得称']);

/** Whether a segmenter's word may be a hot word. */
export function isHotWord(word: string): boolean {
  const chars = [...word];
  if (chars.length < 2 || NO_LETTERS.test(word)) return false;
  if (STOPWORDS.has(word) || word.startsWith('某') || COUNT.test(word)) return false;
  return true;
}

/**
 * Whether a two-character word that the segmenter's dictionary does not hold (jieba tags it `x`)
 * is a guess glued from a function character and its neighbour: 已致, 拆致. Two-character words
 * of the dictionary that start so (就业, 被告, 都市) are not asked about; longer unknown words
 * (new names, 李明华) are kept.
 */
export function isFragment(word: string): boolean {
  const chars = [...word];
  return chars.length === 2 && (LEADING_FUNCTION.has(chars[0]!) || TRAILING_FUNCTION.has(chars[1]!));
}
