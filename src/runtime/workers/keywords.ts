import type { KeywordExtractor } from '../../app/context.js';
import { isHotWord } from '../../domain/monitoring/hot-words.js';

// Hot words on Workers, where nodejieba (native) cannot run: the runtime's own word segmenter
// (Intl.Segmenter, ICU's dictionary for Chinese) and term frequency in place of jieba's TF-IDF.
// The words of our user dictionary (feeds/userdict.txt) are counted whole first, so that policy
// terms such as 政策解读 or 新闻发布会 are not split by ICU, and then blanked out of the text. What
// names nothing (isHotWord: stop words, counts, 某 placeholders) is not counted.

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
        if (!s.isWordLike || !isHotWord(w)) continue;
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
