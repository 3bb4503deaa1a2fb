import type { KeywordExtractor } from '../../app/context.js';

// Hot words on Workers, where nodejieba (native) cannot run: the runtime's own word segmenter
// (Intl.Segmenter, ICU's dictionary for Chinese) and term frequency in place of jieba's TF-IDF.
// The words of our user dictionary (feeds/userdict.txt) are counted whole first, so that policy
// terms such as 政策解读 or 新闻发布会 are not split by ICU, and then blanked out of the text.

/** Words too common in Chinese news and notices to say anything about a story. */
const STOPWORDS = new Set(
  (
    '我们 你们 他们 她们 它们 自己 这个 那个 这些 那些 这样 那样 一个 一些 没有 不是 就是 还是 已经 正在 可以 可能 ' +
    '应该 需要 进行 通过 对于 关于 以及 并且 而且 但是 因为 所以 如果 虽然 然后 其中 之后 之前 以上 以下 目前 今天 ' +
    '昨天 今年 去年 表示 认为 指出 记者 有关 相关 方面 工作 问题 情况 什么 怎么 为了 同时 此外 其他 等等 一下 一起 ' +
    '这里 那里 时候 出现 发生 开展 有限 公司 通知 全文'
  ).split(' '),
);

/** The words of a jieba user dictionary ("word [freq] [tag]" per line). */
export function userDictionaryWords(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim().split(/\s+/)[0] ?? '')
    .filter((w) => [...w].length > 1);
}

export function segmenterKeywords(dictionary: readonly string[] = []): KeywordExtractor {
  const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
  // Longest first, so that 新闻发布会 is taken before a shorter entry inside it.
  const words = [...new Set(dictionary)].sort((a, b) => b.length - a.length);
  return {
    extract(text, topN) {
      if (!text.trim()) return [];
      const counts = new Map<string, number>();
      const add = (w: string) => counts.set(w, (counts.get(w) ?? 0) + 1);
      let rest = text;
      for (const w of words) {
        const parts = rest.split(w);
        for (let i = 1; i < parts.length; i++) add(w);
        rest = parts.join(' ');
      }
      for (const s of segmenter.segment(rest)) {
        const w = s.segment;
        if (!s.isWordLike || [...w].length < 2 || /^[\d\s\p{P}]+$/u.test(w) || STOPWORDS.has(w)) continue;
        add(w.toLowerCase());
      }
      let total = 0;
      for (const n of counts.values()) total += n;
      return [...counts]
        .sort((a, b) => b[1] - a[1] || b[0].length - a[0].length || (a[0] < b[0] ? -1 : 1))
        .slice(0, topN)
        .map(([word, n]) => ({ word, weight: Math.round((n / total) * 100) / 100 }));
    },
  };
}
