import { compileTermFinder, noTerms } from './matcher.js';
import { normalizeText } from './normalize.js';

/**
 * Negative signals (SPEC §14): words that make a story worse news — 伤亡, 爆炸, 维权, 谣言 … — read
 * from feeds/signals.txt. An item's signal is the number of distinct signal words in its title and
 * body; an incident's, the number of distinct signal words over all its items.
 */

/**
 * The words of a signals file: one per line, `#` starts a comment (to the end of the line), blank
 * lines are skipped; each word normalised as rule text is, duplicates dropped, in file order.
 */
export function parseSignalWords(text: string): string[] {
  const words: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    // Up to the first `#`, whatever follows it (a regex's `.` would stop at a stray \r or \u2028).
    const word = normalizeText(line.split('#', 1)[0]!);
    if (word && !words.includes(word)) words.push(word);
  }
  return words;
}

/** Finds the distinct signal words (in list order) in already normalised text, in one pass. */
export type SignalFinder = (normalizedText: string) => string[];

export function compileSignals(words: readonly string[]): SignalFinder {
  if (words.length === 0) return noTerms;
  return compileTermFinder(words);
}
