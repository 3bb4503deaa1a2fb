import nodejieba from 'nodejieba';
import type { KeywordExtractor } from '../../app/context.js';

/**
 * Hot words by nodejieba's TF-IDF, with our user dictionary (feeds/userdict.txt) so that policy
 * terms such as 政策解读 or 新闻发布会 stay whole. Single characters and bare numbers are dropped.
 */
let loadedDict: string | undefined;

export function jiebaKeywords(userDictPath: string): KeywordExtractor {
  // Loading reads every dictionary again (hundreds of ms): once per process and dictionary.
  if (loadedDict !== userDictPath) {
    nodejieba.load({ userDict: userDictPath });
    loadedDict = userDictPath;
  }
  return {
    extract(text, topN) {
      if (!text.trim()) return [];
      return nodejieba
        .extract(text, topN * 2)
        .filter(({ word }) => [...word].length > 1 && !/^[\d\s\p{P}]+$/u.test(word))
        .slice(0, topN)
        .map(({ word, weight }) => ({ word, weight: Math.round(weight * 100) / 100 }));
    },
  };
}
