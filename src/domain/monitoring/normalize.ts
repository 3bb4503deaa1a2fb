// Characters that render as nothing (zero-width spaces, soft hyphens, joiners, variation
// selectors, bidi marks). Feeds and copied text carry them invisibly, and one inside 食品安全 would
// otherwise hide the word from every rule.
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/u;
const INVISIBLE_ALL = /\p{Default_Ignorable_Code_Point}/gu;
const WHITESPACE_RUNS = /\s+/g;

/**
 * The form in which rule terms and feed text are compared.
 *
 * Chinese script has no spaces between words, so a rule term matches wherever it occurs as a
 * substring of the normalised text: there are no word boundaries to respect, and 学校 is found in
 * 学校食堂. Normalising both sides the same way makes that substring test insensitive to how the
 * text was typed:
 * - NFKC turns full-width letters, digits and punctuation into their ASCII forms (ＡＢＣ１２３（） →
 *   ABC123()) and compatibility characters into their plain ones;
 * - invisible characters are removed (then NFKC again, so that a mark separated from its letter by
 *   one recombines with it);
 * - `toLowerCase`, which unlike `toLocaleLowerCase` gives the same result on every machine;
 * - every whitespace run becomes one ASCII space, and the ends are trimmed.
 *
 * Applying it twice gives the same result as applying it once.
 */
export function normalizeText(s: string): string {
  let text = s.normalize('NFKC');
  if (INVISIBLE.test(text)) text = text.replace(INVISIBLE_ALL, '').normalize('NFKC');
  return text.toLowerCase().replace(WHITESPACE_RUNS, ' ').trim();
}
