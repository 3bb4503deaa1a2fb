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
  const text = s.normalize('NFKC');
  return isPlain(text) ? text : normalizeGeneral(text);
}

/** normalizeText's steps after the first NFKC, for any text. */
function normalizeGeneral(nfkc: string): string {
  let text = nfkc;
  if (INVISIBLE.test(text)) text = text.replace(INVISIBLE_ALL, '').normalize('NFKC');
  return text.toLowerCase().replace(WHITESPACE_RUNS, ' ').trim();
}

/**
 * Whether the steps after NFKC leave this text as it is, told in one pass over it: only
 * characters with no case, that are neither whitespace nor invisible (ASCII other than capitals
 * and control characters, CJK ideographs, kana, hangul syllables, CJK and general punctuation),
 * with single spaces between words and none at the ends. Nearly every feed item is such a text
 * after NFKC (which makes full-width punctuation ASCII); the general steps (a Unicode property
 * scan, case mapping, a whitespace pass and a trim, each copying the text) cost several times
 * the NFKC pass.
 */
export function isPlain(text: string): boolean {
  const n = text.length;
  if (n === 0) return true;
  if (text.charCodeAt(0) === 0x20 || text.charCodeAt(n - 1) === 0x20) return false;
  let previousSpace = false;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      if (c === 0x20) {
        if (previousSpace) return false;
        previousSpace = true;
        continue;
      }
      // Control characters (tabs and line breaks among them) and capitals.
      if (c < 0x20 || c === 0x7f || (c >= 0x41 && c <= 0x5a)) return false;
    } else if (
      !(
        (c >= 0x4e00 && c <= 0x9fff) || // CJK unified ideographs
        (c >= 0x3001 && c <= 0x30ff) || // CJK punctuation, kana (U+3000, a space, is not)
        (c >= 0xac00 && c <= 0xd7a3) || // hangul syllables
        (c >= 0x2010 && c <= 0x2027) || // dashes, quotation marks, ellipsis (U+200B–200F are invisible, U+2028 a line break)
        (c >= 0x3400 && c <= 0x4dbf) // CJK extension A
      )
    ) {
      return false;
    }
    previousSpace = false;
  }
  return true;
}
