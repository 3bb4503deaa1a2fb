import nodejieba from 'nodejieba';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { KeywordExtractor } from '../../app/context.js';
import { isFragment, isHotWord } from '../../domain/monitoring/hot-words.js';

/**
 * Hot words by nodejieba's TF-IDF, with our user dictionary (feeds/userdict.txt) so that policy
 * terms such as 政策解读 or 新闻发布会 stay whole. What names nothing is dropped (isHotWord: single
 * characters, numbers, counts, stop words, 某 placeholders), and so are two-character guesses of
 * jieba's model for unknown words glued from a function character (已致, isFragment).
 *
 * `compact` (the default) loads feeds/jieba/: the 60,000 most frequent words of jieba's dictionary
 * and their IDF weights, about 50 MB resident instead of about 240 MB for the full 349,000 words
 * (cppjieba builds its trie twice). Words outside it are still found by jieba's HMM for unknown
 * words. `full` loads nodejieba's bundled dictionaries. Either is loaded on the first extraction,
 * not at start: a service nobody asks for hot words never pays for them.
 */
let loaded: string | undefined;

export function jiebaKeywords(feedsDir: string, dictionary: 'compact' | 'full' = 'compact'): KeywordExtractor {
  const userDict = join(feedsDir, 'userdict.txt');
  const key = `${dictionary}:${feedsDir}`;
  const ensureLoaded = () => {
    // Loading reads every dictionary (hundreds of ms): once per process and choice.
    if (loaded === key) return;
    // cppjieba aborts the whole process on a dictionary file it cannot open: load only files that
    // exist (a FEEDS_DIR of one's own may lack jieba/ or userdict.txt), else nodejieba's own.
    const compact = { dict: join(feedsDir, 'jieba/dict.utf8'), idfDict: join(feedsDir, 'jieba/idf.utf8') };
    const useCompact = dictionary === 'compact' && existsSync(compact.dict) && existsSync(compact.idfDict);
    if (dictionary === 'compact' && !useCompact) console.error(`${feedsDir}/jieba/ 下没有精简词典，热词改用 nodejieba 自带的完整词典`);
    nodejieba.load({ ...(useCompact ? compact : {}), ...(existsSync(userDict) ? { userDict } : {}) });
    loaded = key;
  };
  return {
    extract(text, topN) {
      if (!text.trim()) return [];
      ensureLoaded();
      return nodejieba
        .extract(text, topN * 3)
        .filter(({ word }) => isHotWord(word) && !(isFragment(word) && !inDictionary(word)))
        .slice(0, topN)
        .map(({ word, weight }) => ({ word, weight: Math.round(weight * 100) / 100 }));
    },
  };
}

/** Whether jieba's dictionary holds the word: it tags it as one word, and not `x` (unknown). */
function inDictionary(word: string): boolean {
  const tagged = nodejieba.tag(word);
  return tagged.length === 1 && tagged[0]!.tag !== 'x';
}
