import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fromRoot } from './paths.js';

// npm run dict:compact — writes feeds/jieba/{dict,idf}.utf8: the COMPACT_WORDS most frequent
// words of nodejieba's bundled dictionary (349k words), and the IDF weights of those words.
// cppjieba builds its trie twice (segmenter and keyword extractor); with the full dictionary that
// is about 240 MB resident, with the compact one about 50 MB (README, "Hot words").

export const COMPACT_WORDS = 60_000;

const FEEDS = fromRoot('feeds', 'jieba');
const bundled = join(dirname(createRequire(import.meta.url).resolve('nodejieba')), 'submodules/cppjieba/dict');

const lines = readFileSync(join(bundled, 'jieba.dict.utf8'), 'utf8').split('\n').filter((l) => l.trim());
const entries = lines.map((line) => {
  const [word, freq] = line.split(' ');
  return { line, word: word!, freq: Number(freq) };
});
entries.sort((a, b) => b.freq - a.freq || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0));
const kept = entries.slice(0, COMPACT_WORDS);
const words = new Set(kept.map((e) => e.word));
const idf = readFileSync(join(bundled, 'idf.utf8'), 'utf8')
  .split('\n')
  .filter((line) => words.has(line.split(' ')[0]!));

mkdirSync(FEEDS, { recursive: true });
writeFileSync(join(FEEDS, 'dict.utf8'), `${kept.map((e) => e.line).join('\n')}\n`);
writeFileSync(join(FEEDS, 'idf.utf8'), `${idf.join('\n')}\n`);
console.log(`feeds/jieba/dict.utf8: ${kept.length} of ${entries.length} words; feeds/jieba/idf.utf8: ${idf.length} weights`);
