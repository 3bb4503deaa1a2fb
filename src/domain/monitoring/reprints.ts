import { normalizeText } from './normalize.js';

/**
 * Reprints (SPEC §14): two feed items carry the same story when their titles, normalised, are
 * near-duplicates — Jaccard similarity of their character-bigram sets at least `titleJaccard` —
 * or when both have a body of at least `minBodyChars` characters and the 64-bit SimHashes of the
 * bodies differ in at most `simhashDistance` bits, or when they link to the same page; and when
 * they appeared within `windowHours` of each other.
 *
 * Finding the candidates must not cost more as history grows, so every item is reduced to a few
 * integer keys that near-duplicates share (locality-sensitive hashing), and only items sharing a
 * key are compared exactly:
 * - titles: MinHash of the bigram set, `bands` bands of `rows` values each; two titles of
 *   similarity J share at least one band with probability 1 − (1 − J^rows)^bands;
 * - bodies: the SimHash cut into simhashDistance + 1 blocks; two hashes within that distance agree
 *   exactly on at least one block (pigeonhole), so the block keys find every such pair;
 * - the link itself.
 * Each key also names a time bucket of `windowHours` (in its high bits, and in its hash), so that
 * a bucket holds only the items of about one window, however long the history: stored items are
 * filed under their own bucket and both neighbours, a new item looks in its own.
 */
export interface ReprintSettings {
  /** Jaccard similarity of title bigram sets from which two titles are the same story (0.6). */
  titleJaccard: number;
  /** Largest Hamming distance between two body SimHashes of the same story (3). */
  simhashDistance: number;
  /** Bodies shorter than this (normalised characters) have no SimHash (50). */
  minBodyChars: number;
  /** Items further apart in time than this are never the same story (168 h: a week). */
  windowHours: number;
  /** MinHash bands and values per band of the title index (10 × 2). */
  bands: number;
  rows: number;
}

export const DEFAULT_REPRINT_SETTINGS: ReprintSettings = {
  titleJaccard: 0.6,
  simhashDistance: 3,
  minBodyChars: 50,
  windowHours: 168,
  bands: 10,
  rows: 2,
};

/** The probability that the title index offers a pair of titles of similarity `j` for comparison. */
export function titleRecall(j: number, settings: Pick<ReprintSettings, 'bands' | 'rows'>): number {
  return 1 - (1 - j ** settings.rows) ** settings.bands;
}

// --- Normalisation -----------------------------------------------------------------------------

// Tags a reprint adds to a title: 【关注】, 【转载】, [图], (组图)…; and a trailing source name
// after a separator: " - 新华网", "——人民网", "_中国政府网", "|澎湃新闻".
const BRACKET_TAG = /【[^】]{0,12}】|\[[^\]]{0,12}\]|〖[^〗]{0,12}〗/g;
const PAREN_TAG = /\((?:图|组图|多图|视频|图文|转|转载|原创|附全文|全文|附视频|更新|直播|快讯|独家)\)/g;
const SOURCE_SUFFIX = /\s*(?:[-_|｜]|—+|–)\s*[^-_|｜—–]{1,14}(?:网|报|社|台|新闻|客户端|日报|晚报|在线|网站|频道|号|app)$/;
// A separator SOURCE_SUFFIX needs.
const SEPARATOR = /[-_|｜—–]/;
// Everything that is not a letter, a digit or an ideograph: punctuation, symbols, spaces.
const NOT_TEXT = /[^\p{L}\p{N}]+/gu;

const CHINESE_DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const CHINESE_UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000, 万: 10_000, 亿: 100_000_000 };
const CHINESE_NUMERAL_RUN = /[零〇一二两三四五六七八九十百千万亿]+/g;

/**
 * A run of Chinese numerals as Arabic digits: 三 → 3, 十二 → 12, 二十三 → 23, 一百零五 → 105,
 * 二〇二六 → 2026 (digits only: read digit by digit). The same story writes 3人, 三人 and ３人.
 */
export function chineseNumeralsToDigits(run: string): string {
  if (![...run].some((c) => c in CHINESE_UNITS)) return [...run].map((c) => CHINESE_DIGITS[c]).join('');
  let total = 0;
  let section = 0;
  let digit = 0;
  for (const c of run) {
    const d = CHINESE_DIGITS[c];
    if (d !== undefined) {
      digit = d;
      continue;
    }
    const unit = CHINESE_UNITS[c]!;
    if (unit >= 10_000) {
      total += (section + digit || 1) * unit;
      section = 0;
    } else {
      section += (digit || 1) * unit;
    }
    digit = 0;
  }
  return String(total + section + digit);
}

/**
 * The text a title is compared by: normalised as rule text is (NFKC, case-folded), without the
 * tags and source names reprints add, with Chinese numerals as digits, and with only letters,
 * digits and ideographs left.
 */
export function storyTitle(title: string): string {
  return storyTitleOfNormalized(normalizeText(title));
}

/** storyTitle of a title already normalised as rules read it (normalizeText twice is normalizeText once). */
export function storyTitleOfNormalized(normalized: string): string {
  return storyTitleMarked(normalized).replace(NOT_TEXT, '');
}

/**
 * storyTitleOfNormalized before its last step: still with the characters that are not letters,
 * digits or ideographs. (Each tag pattern runs only where its first character occurs: every new
 * item's title passes here.)
 */
function storyTitleMarked(normalized: string): string {
  let text = normalized;
  if (text.includes('【') || text.includes('[') || text.includes('〖')) text = text.replace(BRACKET_TAG, ' ');
  if (text.includes('(')) text = text.replace(PAREN_TAG, ' ');
  text = text.trim();
  if (SEPARATOR.test(text)) text = text.replace(SOURCE_SUFFIX, '');
  return text.replace(CHINESE_NUMERAL_RUN, chineseNumeralsToDigits);
}

// What a reprint adds around the same body: a dateline (本报讯, 新华社北京11月20日电, 据…报道), a
// credit in brackets ((来源:…), (记者 …), (责任编辑:…)) or a trailing 来源/编辑 line.
const BODY_DATELINE = /^(?:本报讯|本台讯|本网讯|据[^,，。]{1,16}(?:报道|消息)|[^,，。]{1,10}(?:社|网|报|台)[^,，。]{0,12}电)[:：,，\s]*/;
const BODY_CREDIT = /[(（](?:来源|稿源|责任编辑|编辑|记者|通讯员|作者|原标题)[:：\s][^)）]{0,40}[)）]/g;
const BODY_TRAILER = /\s*(?:来源|稿源|责任编辑|编辑)[:：][^。!?！？]{0,30}$/;

/**
 * The text a body is compared by: already normalised text without the dateline and credits a
 * reprint adds, with only letters, digits and ideographs.
 */
export function storyBody(normalizedBody: string): string {
  return storyBodyMarked(normalizedBody).replace(NOT_TEXT, '');
}

/** storyBody before its last step: still with the characters that are not letters, digits or ideographs. */
function storyBodyMarked(normalizedBody: string): string {
  // Credits are in brackets (NFKC made them ASCII); a trailer is within the last 40 characters:
  // each pattern runs only where it can match (every new item's body passes here).
  let text = normalizedBody.includes('(') || normalizedBody.includes('（') ? normalizedBody.replace(BODY_CREDIT, ' ').trim() : normalizedBody.trim();
  text = text.replace(BODY_DATELINE, '');
  const tailStart = Math.max(0, text.length - 40);
  const tail = text.slice(tailStart).replace(BODY_TRAILER, '');
  return tailStart === 0 ? tail : text.slice(0, tailStart) + tail;
}

const IS_TEXT = /^[\p{L}\p{N}]$/u;
/** Per BMP code point: 0 not yet known, 1 a letter, digit or ideograph (what NOT_TEXT keeps), 2 not. */
const BMP_TEXT = new Uint8Array(0x10000);

/** Whether NOT_TEXT keeps a code point (a table for the BMP, filled as characters are met). */
function isTextCode(code: number): boolean {
  if (code < 0x10000) {
    let kind = BMP_TEXT[code]!;
    if (kind === 0) BMP_TEXT[code] = kind = IS_TEXT.test(String.fromCharCode(code)) ? 1 : 2;
    return kind === 1;
  }
  return IS_TEXT.test(String.fromCodePoint(code));
}

// --- Hashing -----------------------------------------------------------------------------------

/** MurmurHash3's 32-bit finaliser: a cheap, well-mixed permutation of 32-bit integers. */
function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit value per character bigram (code point pair). */
const bigramHash = (previous: number, code: number) => mix32(Math.imul(previous, 0x01000193) ^ code ^ (previous >>> 21));
/** The value of a one-character text: the text is its character. */
const oneCharHash = (code: number) => mix32(code ^ 0x5bd1e995);

/** The distinct bigram values of a story title, ascending: the set the Jaccard similarity is of. */
export function titleShingles(story: string): Uint32Array {
  return shinglesOf(story, false);
}

/**
 * The distinct bigram values of `text`'s code points, ascending; with `textOnly`, of those
 * NOT_TEXT keeps (titleShingles(text.replace(NOT_TEXT, '')), without building that string).
 */
function shinglesOf(text: string, textOnly: boolean): Uint32Array {
  const values = new Uint32Array(Math.max(text.length, 1));
  let n = 0;
  let previous = -1;
  for (let i = 0; i < text.length; ) {
    const code = text.codePointAt(i)!;
    i += code > 0xffff ? 2 : 1;
    if (textOnly && !isTextCode(code)) continue;
    if (previous >= 0) values[n++] = bigramHash(previous, code);
    previous = code;
  }
  if (n === 0 && previous >= 0) values[n++] = oneCharHash(previous);
  return distinctSorted(values.subarray(0, n));
}

/** The values of an array, sorted ascending and without repeats (in place; a view of the front). */
function distinctSorted(values: Uint32Array): Uint32Array {
  values.sort();
  let n = 0;
  for (let i = 0; i < values.length; i++) if (i === 0 || values[i] !== values[i - 1]) values[n++] = values[i]!;
  return values.subarray(0, n);
}

/** |A ∩ B| / |A ∪ B| of two ascending sets (0 when both are empty). */
export function jaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length === 0 && b.length === 0) return 0;
  let i = 0;
  let j = 0;
  let common = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      common++;
      i++;
      j++;
    } else if (a[i]! < b[j]!) i++;
    else j++;
  }
  return common / (a.length + b.length - common);
}

// Seeds of the MinHash functions (fixed: stored keys must stay comparable across restarts).
const MINHASH_SEEDS = Uint32Array.from({ length: 64 }, (_, i) => mix32(0x9e3779b9 + Math.imul(i + 1, 0x7f4a7c15)));

/** bands × rows MinHash values of a bigram set (empty set: none). */
export function minhash(shingles: Uint32Array, settings: Pick<ReprintSettings, 'bands' | 'rows'>): Uint32Array {
  const n = settings.bands * settings.rows;
  if (n > MINHASH_SEEDS.length) throw new Error(`reprint index: bands × rows must be at most ${MINHASH_SEEDS.length}`);
  const out = new Uint32Array(shingles.length === 0 ? 0 : n).fill(0xffffffff);
  for (let k = 0; k < out.length; k++) {
    const seed = MINHASH_SEEDS[k]!;
    let min = 0xffffffff;
    for (let s = 0; s < shingles.length; s++) {
      const v = mix32(shingles[s]! ^ seed);
      if (v < min) min = v;
    }
    out[k] = min;
  }
  return out;
}

/**
 * The 64-bit SimHash of a body (high and low 32 bits), over its character bigrams, or null when it
 * is shorter than `minChars` characters. Each bigram votes with each bit of its 64-bit hash; the
 * hash's bit is set where the votes for 1 outnumber those for 0.
 *
 * The votes are counted in three tiers, so that a bigram costs eight additions rather than 64:
 * - each byte of a bigram's hash adds, from a table, one to each of eight 4-bit counters packed in
 *   one integer (a local variable per byte of the hash);
 * - every 15 bigrams, before a 4-bit counter could overflow, each packed integer is split into two
 *   of four 8-bit counters (its even and its odd bits) and added to those;
 * - every 17 such steps (255 bigrams), before an 8-bit counter could overflow, and at the end, the
 *   8-bit counters are added to the 64 vote counts.
 */
export function simhashBits(body: string, minChars: number): { hi: number; lo: number } | null {
  return bodySimhash(body, minChars, false);
}

/** Byte value → its eight bits as eight 4-bit counters (bit b of the byte in bits 4b..4b+3). */
const SPREAD = Int32Array.from({ length: 256 }, (_, v) => spreadOf(v));
function spreadOf(byte: number): number {
  let x = 0;
  for (let b = 0; b < 8; b++) if ((byte >>> b) & 1) x |= 1 << (4 * b);
  return x;
}
const NIBBLES = 0x0f0f0f0f;
// The 8-bit counters (wide[2k]: bits 0, 2, 4, 6 of byte k of the hash, one per byte of the
// integer; wide[2k + 1]: bits 1, 3, 5, 7; the low half's bytes first) and the 64 vote counts,
// reused by every call (a call runs to its end without yielding).
const WIDE = new Int32Array(16);
const VOTES = new Int32Array(64);
const LO_SEED = 0x27d4eb2f;
const HI_SEED = 0x165667b1;

/** Adds the 8-bit counters to the vote counts (bit 8k + b: byte k of the hash, bit b) and clears them. */
function flushWide(wide: Int32Array, votes: Int32Array): void {
  for (let k = 0; k < 8; k++) {
    const even = wide[2 * k]!;
    const odd = wide[2 * k + 1]!;
    for (let j = 0; j < 4; j++) {
      votes[8 * k + 2 * j]! += (even >>> (8 * j)) & 255;
      votes[8 * k + 2 * j + 1]! += (odd >>> (8 * j)) & 255;
    }
    wide[2 * k] = 0;
    wide[2 * k + 1] = 0;
  }
}

/**
 * simhashBits of `body`, or with `textOnly` of `body` without what NOT_TEXT removes (the same
 * bigrams as simhashBits(body.replace(NOT_TEXT, '')), without building that string). The bigram
 * values are those of titleShingles (bigramHash), computed as the text is read.
 */
function bodySimhash(body: string, minChars: number, textOnly: boolean): { hi: number; lo: number } | null {
  const wide = WIDE.fill(0);
  const votes = VOTES.fill(0);
  // The 4-bit counters of the hash's eight bytes (low half first).
  let c0 = 0;
  let c1 = 0;
  let c2 = 0;
  let c3 = 0;
  let c4 = 0;
  let c5 = 0;
  let c6 = 0;
  let c7 = 0;
  let n = 0;
  let pending = 0;
  let widened = 0;
  let previous = -1;
  for (let i = 0; i < body.length; ) {
    let code = body.charCodeAt(i++);
    // A surrogate pair is one code point (as codePointAt reads it).
    if (code >= 0xd800 && code < 0xdc00 && i < body.length) {
      const low = body.charCodeAt(i);
      if (low >= 0xdc00 && low < 0xe000) {
        code = (code - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
        i++;
      }
    }
    if (textOnly && (code < 0x10000 ? BMP_TEXT[code] !== 1 && (BMP_TEXT[code] === 2 || !isTextCode(code)) : !isTextCode(code))) continue;
    if (previous >= 0) {
      const gram = bigramHash(previous, code);
      const lo = mix32(gram ^ LO_SEED);
      const hi = mix32(gram ^ HI_SEED);
      c0 += SPREAD[lo & 255]!;
      c1 += SPREAD[(lo >>> 8) & 255]!;
      c2 += SPREAD[(lo >>> 16) & 255]!;
      c3 += SPREAD[lo >>> 24]!;
      c4 += SPREAD[hi & 255]!;
      c5 += SPREAD[(hi >>> 8) & 255]!;
      c6 += SPREAD[(hi >>> 16) & 255]!;
      c7 += SPREAD[hi >>> 24]!;
      n++;
      // A 4-bit counter holds 15 votes; an 8-bit one, 17 times 15.
      if (++pending === 15) {
        widen(wide, c0, c1, c2, c3, c4, c5, c6, c7);
        c0 = c1 = c2 = c3 = c4 = c5 = c6 = c7 = 0;
        pending = 0;
        if (++widened === 17) {
          flushWide(wide, votes);
          widened = 0;
        }
      }
    }
    previous = code;
  }
  widen(wide, c0, c1, c2, c3, c4, c5, c6, c7);
  flushWide(wide, votes);
  if (n === 0) {
    if (previous < 0) return minChars <= 1 ? { hi: 0, lo: 0 } : null;
    // A one-character text is its character (as in titleShingles): one vote, its hash's bits.
    if (minChars > 2) return null;
    const gram = oneCharHash(previous);
    return { hi: mix32(gram ^ HI_SEED), lo: mix32(gram ^ LO_SEED) };
  }
  if (n + 1 < minChars) return null;
  // Bit b is set when more than half of the bigrams set it: count × 2 > n.
  let outLo = 0;
  let outHi = 0;
  for (let b = 0; b < 32; b++) {
    if (votes[b]! * 2 > n) outLo |= 1 << b;
    if (votes[32 + b]! * 2 > n) outHi |= 1 << b;
  }
  return { hi: outHi >>> 0, lo: outLo >>> 0 };
}

/** Adds the eight packed 4-bit counters to the 8-bit ones (see bodySimhash). */
function widen(wide: Int32Array, c0: number, c1: number, c2: number, c3: number, c4: number, c5: number, c6: number, c7: number): void {
  wide[0]! += c0 & NIBBLES;
  wide[1]! += (c0 >>> 4) & NIBBLES;
  wide[2]! += c1 & NIBBLES;
  wide[3]! += (c1 >>> 4) & NIBBLES;
  wide[4]! += c2 & NIBBLES;
  wide[5]! += (c2 >>> 4) & NIBBLES;
  wide[6]! += c3 & NIBBLES;
  wide[7]! += (c3 >>> 4) & NIBBLES;
  wide[8]! += c4 & NIBBLES;
  wide[9]! += (c4 >>> 4) & NIBBLES;
  wide[10]! += c5 & NIBBLES;
  wide[11]! += (c5 >>> 4) & NIBBLES;
  wide[12]! += c6 & NIBBLES;
  wide[13]! += (c6 >>> 4) & NIBBLES;
  wide[14]! += c7 & NIBBLES;
  wide[15]! += (c7 >>> 4) & NIBBLES;
}

/** The SimHash as 16 hex digits (how it is stored), or null. */
export function simhash(body: string, minChars: number): string | null {
  const bits = simhashBits(body, minChars);
  return bits === null ? null : simhashHex(bits.hi, bits.lo);
}

const HEX_BYTE = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
const hex32 = (x: number) => HEX_BYTE[x >>> 24]! + HEX_BYTE[(x >>> 16) & 255]! + HEX_BYTE[(x >>> 8) & 255]! + HEX_BYTE[x & 255]!;
export const simhashHex = (hi: number, lo: number) => hex32(hi) + hex32(lo);

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** Bits in which two SimHashes (16 hex digits each) differ. */
export function hammingDistance(a: string, b: string): number {
  return popcount32(parseInt(a.slice(0, 8), 16) ^ parseInt(b.slice(0, 8), 16)) + popcount32(parseInt(a.slice(8), 16) ^ parseInt(b.slice(8), 16));
}

/** FNV-1a over UTF-16 code units, 32 bits. */
function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

// --- Fingerprints and keys ---------------------------------------------------------------------

/** What two items are compared by. */
export interface Fingerprint {
  shingles: Uint32Array;
  minhash: Uint32Array;
  /** The body's SimHash as 16 hex digits, and as its two halves (0 when there is none). */
  simhash: string | null;
  simHi: number;
  simLo: number;
  link: string | null;
}

/** A fingerprint with a stored SimHash (16 hex digits, or null) in place of its own. */
export function withSimhash(fp: Fingerprint, hex: string | null): Fingerprint {
  return { ...fp, simhash: hex, simHi: hex ? parseInt(hex.slice(0, 8), 16) : 0, simLo: hex ? parseInt(hex.slice(8), 16) : 0 };
}

/**
 * An item's fingerprint from its title (or its title already normalised, as rules read it), its
 * body (already normalised) and link.
 */
export function fingerprint(item: { title: string; normalizedTitle?: string; normalizedBody: string; link: string | null }, settings: ReprintSettings): Fingerprint {
  const shingles = shinglesOf(storyTitleMarked(item.normalizedTitle ?? normalizeText(item.title)), true);
  const bits = item.normalizedBody.length + 1 >= settings.minBodyChars ? bodySimhash(storyBodyMarked(item.normalizedBody), settings.minBodyChars, true) : null;
  return {
    shingles,
    minhash: minhash(shingles, settings),
    simhash: bits === null ? null : simhashHex(bits.hi, bits.lo),
    simHi: bits?.hi ?? 0,
    simLo: bits?.lo ?? 0,
    link: item.link?.trim() || null,
  };
}

/** The time bucket of an instant: windows of `windowHours` since the epoch. */
export function timeBucket(at: number, settings: Pick<ReprintSettings, 'windowHours'>): number {
  return Math.floor(at / (settings.windowHours * 3_600_000));
}

const KIND_TITLE = 0x1b873593;
const KIND_BODY = 0x5e2d58d8;
const KIND_LINK = 0x3c6ef372;

/**
 * Bits of a key that name its time bucket (its high bits), and those left for the hash. Keys are
 * in [0, 2^31): the index stores each with the item id in one 63-bit integer, key first. With the
 * bucket in the high bits, all the keys of one week sit together in the index: a poll's lookups
 * and its filing touch only the recent end of it, however long the history (a scan of nothing
 * but a few hot pages), rather than pages spread over the whole table.
 */
const BUCKET_BITS = 11;
const HASH_BITS = 31 - BUCKET_BITS;
const HASH_MASK = 2 ** HASH_BITS - 1;

/** The part of a key that names its time bucket (the bucket mod 2,048), and its hash bits. */
export const keyPrefix = (key: number) => key >>> HASH_BITS;
export const keyHash = (key: number) => key & HASH_MASK;
export const KEY_HASH_BITS = HASH_BITS;

/** A key of a time bucket: the bucket (mod 2,048 weeks, some 39 years) above 20 bits of the hash. */
const bucketKey = (bucket: number, h: number) => ((bucket & 2047) << HASH_BITS) | (h & HASH_MASK);

/**
 * The index keys of a fingerprint in one time bucket: one per title band, one per body block,
 * one for the link. Items that may be the same story share at least one key of a common bucket.
 */
export function reprintKeys(fp: Fingerprint, bucket: number, settings: ReprintSettings): number[] {
  const keys: number[] = [];
  const b = mix32(bucket ^ 0x2545f491);
  for (let band = 0; band < settings.bands && fp.minhash.length > 0; band++) {
    let h = mix32(KIND_TITLE ^ b ^ Math.imul(band + 1, 0x9e3779b1));
    for (let r = 0; r < settings.rows; r++) h = mix32(h ^ fp.minhash[band * settings.rows + r]!);
    keys.push(bucketKey(bucket, mix32(h)));
  }
  if (fp.simhash !== null) {
    const blocks = settings.simhashDistance + 1;
    const hi = fp.simHi;
    const lo = fp.simLo;
    for (let block = 0; block < blocks; block++) {
      const start = Math.floor((block * 64) / blocks);
      const end = Math.floor(((block + 1) * 64) / blocks);
      const [low, high] = bitsOf(hi, lo, start, end);
      keys.push(bucketKey(bucket, mix32(mix32(mix32(KIND_BODY ^ b ^ Math.imul(block + 1, 0x85ebca6b)) ^ low) ^ high)));
    }
  }
  if (fp.link !== null) keys.push(bucketKey(bucket, mix32(KIND_LINK ^ b ^ fnv1a32(fp.link))));
  return keys;
}

/** Bits [start, end) of the 64-bit value hi:lo (bit 0 = lowest of lo): the first 32 of them, and the rest. */
function bitsOf(hi: number, lo: number, start: number, end: number): [number, number] {
  const width = end - start;
  return width <= 32 ? [bitRange(hi, lo, start, width), 0] : [bitRange(hi, lo, start, 32), bitRange(hi, lo, start + 32, width - 32)];
}

/** `width` (at most 32) bits of hi:lo from bit `start`, as an unsigned integer. */
function bitRange(hi: number, lo: number, start: number, width: number): number {
  const mask = width === 32 ? 0xffffffff : (1 << width) - 1;
  if (start >= 32) return ((hi >>> (start - 32)) & mask) >>> 0;
  if (start === 0) return (lo & mask) >>> 0;
  return (((lo >>> start) | (hi << (32 - start))) & mask) >>> 0;
}

/** How similar two fingerprints are, by each of the three tests. */
export interface Resemblance {
  titleJaccard: number;
  bodyDistance: number | null;
  sameLink: boolean;
}

export function resemblance(a: Fingerprint, b: Fingerprint): Resemblance {
  return {
    titleJaccard: jaccard(a.shingles, b.shingles),
    bodyDistance: a.simhash !== null && b.simhash !== null ? popcount32(a.simHi ^ b.simHi) + popcount32(a.simLo ^ b.simLo) : null,
    sameLink: a.link !== null && a.link === b.link,
  };
}

/** Whether a resemblance makes two items one story (the time window is the caller's). */
export function isSameStory(r: Resemblance, settings: ReprintSettings): boolean {
  return r.sameLink || r.titleJaccard >= settings.titleJaccard || (r.bodyDistance !== null && r.bodyDistance <= settings.simhashDistance);
}

/** Orders candidate stories: the closer resemblance first (link, then title, then body). */
export function closeness(r: Resemblance): number {
  return (r.sameLink ? 2 : 0) + r.titleJaccard + (r.bodyDistance === null ? 0 : (64 - r.bodyDistance) / 64);
}
