import { describe, expect, it } from 'vitest';
import { normalizeText } from '../../../src/domain/monitoring/normalize.js';
import {
  chineseNumeralsToDigits,
  closeness,
  DEFAULT_REPRINT_SETTINGS as S,
  fingerprint,
  hammingDistance,
  isSameStory,
  jaccard,
  keyHash,
  keyPrefix,
  minhash,
  reprintKeys,
  resemblance,
  simhash,
  simhashBits,
  simhashHex,
  storyBody,
  storyTitle,
  storyTitleOfNormalized,
  timeBucket,
  titleRecall,
  titleShingles,
  withSimhash,
  type Fingerprint,
  type ReprintSettings,
} from '../../../src/domain/monitoring/reprints.js';

// Unit tests of the reprint detector's parts (SPEC §14), edge by edge; reprints.test.ts tests it on
// the fixture headlines. Hashes and keys are stored (items' SimHashes, the key index), so their
// values must not change from one version to the next: some are pinned below, and SimHash is also
// checked against a plain re-statement of its definition (a counter per bit, majority vote).

/** MurmurHash3's 32-bit finaliser (the mixing function of the hashes, restated). */
function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The 32-bit value of each character bigram (code points), or of the one character. */
function grams(text: string): number[] {
  const cps = [...text].map((c) => c.codePointAt(0)!);
  if (cps.length === 1) return [mix32(cps[0]! ^ 0x5bd1e995)];
  return cps.slice(1).map((code, i) => mix32(Math.imul(cps[i]!, 0x01000193) ^ code ^ (cps[i]! >>> 21)));
}

/** SimHash by its definition: 64 counters, each bigram's 64-bit hash votes, majority sets the bit. */
function referenceSimhash(text: string, minChars: number): string | null {
  const g = grams(text);
  const n = text.length === 0 ? 0 : g.length;
  if (n + 1 < minChars) return null;
  const counts = new Array<number>(64).fill(0);
  for (const gram of g) {
    const lo = mix32(gram ^ 0x27d4eb2f);
    const hi = mix32(gram ^ 0x165667b1);
    for (let b = 0; b < 32; b++) {
      counts[b]! += (lo >>> b) & 1;
      counts[b + 32]! += (hi >>> b) & 1;
    }
  }
  let bits = 0n;
  for (let b = 63; b >= 0; b--) bits = (bits << 1n) | (counts[b]! * 2 > n ? 1n : 0n);
  return bits.toString(16).padStart(16, '0');
}

const fp = (title: string, body = '', link: string | null = null, settings: ReprintSettings = S) =>
  fingerprint({ title, normalizedBody: normalizeText(body), link }, settings);

const RAIN =
  '今天凌晨起，我市遭遇今年以来最强降雨，城区多处道路出现积水，部分路段交通一度中断。市防汛指挥部已启动三级应急响应，调派排水车辆和抢险人员赶赴现场，目前主要道路积水已基本排除，请市民尽量减少外出。';

describe('chineseNumeralsToDigits', () => {
  it('reads tens, hundreds and thousands with and without a leading digit', () => {
    expect(chineseNumeralsToDigits('十')).toBe('10');
    expect(chineseNumeralsToDigits('十五')).toBe('15');
    expect(chineseNumeralsToDigits('二十')).toBe('20');
    expect(chineseNumeralsToDigits('百')).toBe('100');
    expect(chineseNumeralsToDigits('一百')).toBe('100');
    expect(chineseNumeralsToDigits('一百零五')).toBe('105');
    expect(chineseNumeralsToDigits('三百二十一')).toBe('321');
    expect(chineseNumeralsToDigits('两千')).toBe('2000');
    expect(chineseNumeralsToDigits('一千零一')).toBe('1001');
    expect(chineseNumeralsToDigits('九千九百九十九')).toBe('9999');
  });

  it('reads 万 and 亿 as multiplying everything before them', () => {
    expect(chineseNumeralsToDigits('万')).toBe('10000');
    expect(chineseNumeralsToDigits('一万')).toBe('10000');
    expect(chineseNumeralsToDigits('十万')).toBe('100000');
    expect(chineseNumeralsToDigits('二十三万')).toBe('230000');
    expect(chineseNumeralsToDigits('三万五千')).toBe('35000');
    expect(chineseNumeralsToDigits('一亿')).toBe('100000000');
    expect(chineseNumeralsToDigits('亿')).toBe('100000000');
    expect(chineseNumeralsToDigits('三亿五千万')).toBe('350000000');
    expect(chineseNumeralsToDigits('一亿零八')).toBe('100000008');
  });

  it('reads a run without units digit by digit', () => {
    expect(chineseNumeralsToDigits('零')).toBe('0');
    expect(chineseNumeralsToDigits('〇')).toBe('0');
    expect(chineseNumeralsToDigits('两')).toBe('2');
    expect(chineseNumeralsToDigits('二〇二六')).toBe('2026');
    expect(chineseNumeralsToDigits('九八七六五四三二一零')).toBe('9876543210');
  });
});

describe('storyTitle', () => {
  it('drops bracketed tags of up to 12 characters, of each bracket kind', () => {
    for (const [open, close] of [['【', '】'], ['[', ']'], ['〖', '〗']]) {
      expect(storyTitle(`${open}关注${close}市长视察`)).toBe('市长视察');
      expect(storyTitle(`${open}${close}市长视察`)).toBe('市长视察');
      expect(storyTitle(`市长视察${open}abcdefghijkl${close}`)).toBe('市长视察');
      expect(storyTitle(`市长视察${open}abcdefghijklm${close}`)).toBe('市长视察abcdefghijklm');
      expect(storyTitle(`${open}ab${close}市长${open}cd${close}视察`)).toBe('市长视察');
    }
  });

  it('drops the parenthesised tags a reprint adds, and keeps other parentheses', () => {
    for (const tag of ['图', '组图', '多图', '视频', '图文', '转', '转载', '原创', '附全文', '全文', '附视频', '更新', '直播', '快讯', '独家']) {
      expect(storyTitle(`(${tag})市长视察`)).toBe('市长视察');
      expect(storyTitle(`市长视察（${tag}）`)).toBe('市长视察');
    }
    expect(storyTitle('(重磅)市长视察')).toBe('重磅市长视察');
  });

  it('drops a trailing source name after any separator, with or without spaces', () => {
    for (const sep of ['-', '_', '|', '｜', '—', '——', '–', ' - ', ' —— ', '  |  ']) {
      expect(storyTitle(`市长视察${sep}新华网`)).toBe('市长视察');
    }
    for (const source of ['新华网', '人民日报', '南方周末报', '新华社', '中央电视台', '澎湃新闻', '新闻客户端', '北京晚报', '人民在线', '政府网站', '新闻频道', '某某号', '某某app', '某某APP']) {
      expect(storyTitle(`市长视察 - ${source}`)).toBe('市长视察');
    }
  });

  it('keeps what is not a source name: no separator, no source word, too long, not at the end', () => {
    expect(storyTitle('市长视察新华网')).toBe('市长视察新华网');
    expect(storyTitle('市长视察 - 张明')).toBe('市长视察张明');
    expect(storyTitle('市长视察 - 新华网评论')).toBe('市长视察新华网评论');
    expect(storyTitle('市长视察-网')).toBe('市长视察网');
    expect(storyTitle('市长视察-新网')).toBe('市长视察');
    // 14 characters before 网 are a source name; 15 are not.
    expect(storyTitle(`市长视察-${'a'.repeat(14)}网`)).toBe('市长视察');
    expect(storyTitle(`市长视察-${'a'.repeat(15)}网`)).toBe(`市长视察${'a'.repeat(15)}网`);
    // The name holds no separator: only the last one's name goes.
    expect(storyTitle('甲-乙-新华网')).toBe('甲乙');
  });

  it('finds the source name once the tags after it are gone', () => {
    expect(storyTitle('市长视察 - 新华网【关注】')).toBe('市长视察');
    expect(storyTitle('市长视察 - 新华网 (图)')).toBe('市长视察');
    expect(storyTitle('市长视察 - 新华网【】')).toBe('市长视察');
  });

  it('normalises: full-width forms, case, numerals, and nothing but letters, digits and ideographs', () => {
    expect(storyTitle('ＡＢＣ　Def，g!')).toBe('abcdefg');
    expect(storyTitle('二十三人 受伤')).toBe('23人受伤');
    expect(storyTitle('第一百零五届...')).toBe('第105届');
  });

  it('reads a dropped tag as a space: numerals on either side of it stay two numbers', () => {
    expect(storyTitle('十五')).toBe('15');
    expect(storyTitle('十【关注】五')).toBe('105');
    expect(storyTitle('十[图]五')).toBe('105');
    expect(storyTitle('十(图)五')).toBe('105');
    expect(storyTitle('十 五')).toBe('105');
  });
});

describe('storyBody', () => {
  const TEXT = '城区多处道路出现积水部分路段交通一度中断';
  const same = (raw: string) => expect(storyBody(normalizeText(raw))).toBe(TEXT);

  it('drops each kind of dateline at the start only', () => {
    same(`本报讯 ${TEXT}`);
    same(`本台讯：${TEXT}`);
    same(`本网讯,${TEXT}`);
    same(`据新华社报道，${TEXT}`);
    same(`据央视消息 ${TEXT}`);
    same(`新华社北京11月20日电 ${TEXT}`);
    same(`人民网讯电 ${TEXT}`);
    same(`中新网电 ${TEXT}`);
    same(`央视台电${TEXT}`);
    same(`   本报讯 ${TEXT}`);
    expect(storyBody(`城区多处道路。本报讯${TEXT}`)).toBe(`城区多处道路本报讯${TEXT}`);
    expect(storyBody(`据报道${TEXT}`)).toBe(`据报道${TEXT}`);
  });

  it('reads the dateline forms up to their lengths: 据 + 16 characters, 10 before 社 and 12 before 电', () => {
    same(`据${'甲'.repeat(16)}报道 ${TEXT}`);
    expect(storyBody(`据${'甲'.repeat(17)}报道 ${TEXT}`)).toBe(`据${'甲'.repeat(17)}报道${TEXT}`);
    same(`${'甲'.repeat(10)}社${'乙'.repeat(12)}电 ${TEXT}`);
    expect(storyBody(`${'甲'.repeat(11)}社电 ${TEXT}`)).toBe(`${'甲'.repeat(11)}社电${TEXT}`);
    expect(storyBody(`甲社${'乙'.repeat(13)}电 ${TEXT}`)).toBe(`甲社${'乙'.repeat(13)}电${TEXT}`);
    expect(storyBody(`社电 ${TEXT}`)).toBe(`社电${TEXT}`);
    // The dateline ends at the first comma or full stop.
    expect(storyBody(`新华社北京，11月20日电 ${TEXT}`)).toBe(`新华社北京11月20日电${TEXT}`);
  });

  it('drops credits in brackets, full-width or not, and the spaces they leave', () => {
    same(`${TEXT}（来源：市融媒体中心）`);
    same(`${TEXT}(记者 张三)`);
    same(`(责任编辑:李四)${TEXT}`);
    same(`（通讯员 王五）本报讯 ${TEXT}`);
    expect(storyBody(`（记者 张三）本报讯 ${TEXT}`)).toBe(TEXT);
    expect(storyBody(`(记者 张三) 本报讯 ${TEXT}`)).toBe(TEXT);
    expect(storyBody(`${TEXT}（稿源：甲）`)).toBe(TEXT);
    expect(storyBody(` 本报讯 ${TEXT}`)).toBe(TEXT);
    for (const word of ['来源', '稿源', '责任编辑', '编辑', '记者', '通讯员', '作者', '原标题']) same(`${TEXT}(${word}:某某)`);
    expect(storyBody(`${TEXT}(图片)`)).toBe(`${TEXT}图片`);
    // A credit reads as a space: it counts as one character of a dateline (据 + at most 16).
    same(`据${'甲'.repeat(15)}(记者 张明)报道 ${TEXT}`);
    expect(storyBody(`据${'甲'.repeat(16)}(记者 张明)报道 ${TEXT}`)).toBe(`据${'甲'.repeat(16)}报道${TEXT}`);
  });

  it('drops a trailing source or editor line within the last 40 characters', () => {
    same(`${TEXT} 来源：新华网`);
    same(`${TEXT}。责任编辑：张三`);
    const long = '今天凌晨起我市遭遇今年以来最强降雨'.repeat(4);
    expect(storyBody(normalizeText(`${long}。来源：新华网`))).toBe(long);
    expect(storyBody(normalizeText(`${long}编辑：张三`))).toBe(long);
    expect(storyBody(`${long}。来源：新华网。${TEXT}`)).toBe(`${long}来源新华网${TEXT}`);
  });
});

describe('titleShingles and jaccard', () => {
  it('are the distinct bigrams, ascending, of code points', () => {
    expect(titleShingles('').length).toBe(0);
    expect(titleShingles('ab').length).toBe(1);
    expect(titleShingles('aaa').length).toBe(1);
    expect(titleShingles('abab').length).toBe(2);
    expect(titleShingles('abcd').length).toBe(3);
    expect([...titleShingles('abcd')]).toEqual([...grams('abcd')].sort((x, y) => x - y));
    expect([...titleShingles('某区化工厂发生爆炸')]).toEqual([...new Set(grams('某区化工厂发生爆炸'))].sort((x, y) => x - y));
    expect([...titleShingles('a')]).toEqual(grams('a'));
    expect([...titleShingles('\0')]).toEqual(grams('\0'));
    expect([...titleShingles('\0a')]).toEqual(grams('\0a'));
    expect(titleShingles('\0a')).not.toEqual(titleShingles('a'));
    // A character outside the BMP is one code point: 𠀀𠀁 is one bigram.
    expect([...titleShingles('𠀀𠀁')]).toEqual(grams('𠀀𠀁'));
    expect([...titleShingles('𠀀')]).toEqual(grams('𠀀'));
    expect([...titleShingles('\uffffa')]).toEqual(grams('\uffffa'));
    expect(titleShingles('ab')).not.toEqual(titleShingles('ba'));
    const s = titleShingles('甲乙丙丁戊己庚辛壬癸甲乙');
    for (let i = 1; i < s.length; i++) expect(s[i]!).toBeGreaterThan(s[i - 1]!);
  });

  it('gives the exact Jaccard similarity of two ascending sets', () => {
    const u = (...v: number[]) => Uint32Array.from(v);
    expect(jaccard(u(1, 2, 3), u(2, 3, 4))).toBe(0.5);
    expect(jaccard(u(1, 3), u(2, 3))).toBe(1 / 3);
    expect(jaccard(u(2, 3), u(1, 3))).toBe(1 / 3);
    expect(jaccard(u(1, 5, 9), u(2, 5, 10))).toBe(1 / 5);
    expect(jaccard(u(1, 2, 3, 4), u(4))).toBe(1 / 4);
    expect(jaccard(u(4), u(1, 2, 3, 4))).toBe(1 / 4);
    expect(jaccard(u(1), u(2))).toBe(0);
    expect(jaccard(u(7, 0xffffffff), u(7, 0xffffffff))).toBe(1);
    expect(jaccard(u(), u(1))).toBe(0);
    expect(jaccard(u(), u())).toBe(0);
    expect(jaccard(titleShingles('abcde'), titleShingles('abcdx'))).toBe(3 / 5);
  });
});

describe('titleRecall', () => {
  it('is 1 − (1 − J^rows)^bands', () => {
    expect(titleRecall(0.5, { bands: 1, rows: 1 })).toBe(0.5);
    expect(titleRecall(0.5, { bands: 2, rows: 1 })).toBe(0.75);
    expect(titleRecall(0.5, { bands: 1, rows: 2 })).toBe(0.25);
    expect(titleRecall(0, S)).toBe(0);
    expect(titleRecall(1, S)).toBe(1);
  });
});

describe('minhash', () => {
  const set = (text: string) => titleShingles(text);

  it('gives bands × rows values, none for an empty set, and refuses more than 64', () => {
    expect(minhash(set('某区化工厂'), S).length).toBe(20);
    expect(minhash(set('某区化工厂'), { bands: 3, rows: 5 }).length).toBe(15);
    expect(minhash(set(''), S).length).toBe(0);
    expect(minhash(set('某区化工厂'), { bands: 8, rows: 8 }).length).toBe(64);
    expect(() => minhash(set('某区化工厂'), { bands: 5, rows: 13 })).toThrow('reprint index: bands × rows must be at most 64');
    expect(() => minhash(set(''), { bands: 65, rows: 1 })).toThrow(/at most 64/);
  });

  it('depends only on the set: the same set, however reached, has the same signature', () => {
    expect([...minhash(set('abab'), S)]).toEqual([...minhash(set('abab'), S)]);
    expect([...minhash(set('ababab'), S)]).toEqual([...minhash(set('bab'), S)]);
    expect([...minhash(set('abc'), S)]).not.toEqual([...minhash(set('abd'), S)]);
    // The first values do not depend on how many are asked for.
    expect([...minhash(set('某区化工厂'), { bands: 2, rows: 2 })]).toEqual([...minhash(set('某区化工厂'), S)].slice(0, 4));
  });

  it('is, value by value, the minimum over the set: the union takes the smaller of its parts', () => {
    const a = Uint32Array.from([11]);
    const b = Uint32Array.from([22]);
    const c = Uint32Array.from([33]);
    const both = Uint32Array.from([11, 22, 33]);
    const [ma, mb, mc, m] = [a, b, c, both].map((x) => minhash(x, S));
    for (let k = 0; k < 20; k++) expect(m![k]).toBe(Math.min(ma![k]!, mb![k]!, mc![k]!));
    // Different hash functions: the values of one singleton are not all equal.
    expect(new Set(ma).size).toBe(20);
  });

  it('keeps its stored values (pinned)', () => {
    expect([...minhash(Uint32Array.from([1, 2, 3]), { bands: 2, rows: 2 })]).toEqual(PINNED_MINHASH);
  });
});

describe('simhash', () => {
  it('is null for a body shorter than minChars characters, at the exact edge', () => {
    expect(simhash('abcde', 5)).not.toBeNull();
    expect(simhash('abcde', 6)).toBeNull();
    expect(simhashBits('abcde', 6)).toBeNull();
    expect(simhash('a', 2)).not.toBeNull();
    expect(simhash('a', 3)).toBeNull();
    expect(simhash('', 1)).toBe('0000000000000000');
    expect(simhashBits('', 1)).toEqual({ hi: 0, lo: 0 });
    expect(simhash('', 2)).toBeNull();
    expect(simhash(RAIN, 50)).not.toBeNull();
    expect(simhash(RAIN.slice(0, 49), 50)).toBeNull();
    expect(simhash(RAIN.slice(0, 50), 50)).not.toBeNull();
  });

  it('is the majority of the bigrams’ votes, bit by bit', () => {
    for (const text of ['a', '\0', 'ab', 'abc', 'abcd', 'abab', '\0a', RAIN, RAIN.repeat(30), '𠀀𠀁𠀂 x😀y', '\ud800\udc00z', '\udc00\udc01q', '\ud800\ue000w', 'a\ud800', '\ud800', 'a\ud800b', 'a\udc00b', '\ud7ff\udc00c']) {
      expect(simhash(text, 0)).toBe(referenceSimhash(text, 0));
    }
  });

  it('counts every vote however many bigrams agree: one bigram 199 times, two alternating, and random texts of every length', () => {
    // 'a' × 200 is 199 votes of one bigram: each bit it sets gets every vote, as many as a counter
    // can hold; past 255 (and 256 × 15 + …), as many as an 8-bit counter can.
    const counterEdges = ['a'.repeat(16), 'a'.repeat(17), 'a'.repeat(31), 'a'.repeat(32), 'a'.repeat(255), 'a'.repeat(256), 'a'.repeat(257), 'a'.repeat(271), 'a'.repeat(272)];
    for (const text of ['a'.repeat(200), 'ab'.repeat(100), ...counterEdges, 'a'.repeat(600), 'a'.repeat(5000), 'ab'.repeat(700)]) {
      expect(simhash(text, 0)).toBe(referenceSimhash(text, 0));
    }
    let seed = 11;
    const next = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const alphabet = [...'的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经'];
    for (let i = 0; i < 200; i++) {
      // Small alphabets repeat bigrams often, so counters fill; long texts pass many flushes.
      const size = 2 + Math.floor(next() * alphabet.length);
      const text = Array.from({ length: Math.floor(next() * 2000) }, () => alphabet[Math.floor(next() * size)]).join('');
      expect(simhash(text, 0)).toBe(referenceSimhash(text, 0));
    }
  });

  it('of one bigram is its hash; of two, the bits both have; of ab-ab, that of ab', () => {
    const ab = BigInt(`0x${simhash('ab', 0)}`);
    const bc = BigInt(`0x${simhash('bc', 0)}`);
    expect(simhash('abc', 0)).toBe((ab & bc).toString(16).padStart(16, '0'));
    expect(simhash('abab', 0)).toBe(simhash('ab', 0));
    expect(simhash('ab', 0)).not.toBe(simhash('ba', 0));
  });

  it('gives its halves as bits and as 16 hex digits', () => {
    const bits = simhashBits(RAIN, 50)!;
    expect(simhash(RAIN, 50)).toBe(simhashHex(bits.hi, bits.lo));
    expect(bits.hi).toBeGreaterThanOrEqual(0);
    expect(bits.lo).toBeGreaterThanOrEqual(0);
    expect(simhashHex(0xabc, 0x1)).toBe('00000abc00000001');
    expect(simhashHex(0xffffffff, 0x80000000)).toBe('ffffffff80000000');
  });

  it('keeps its stored values (pinned)', () => {
    expect(simhash(RAIN, 50)).toBe(PINNED_RAIN);
  });
});

describe('hammingDistance', () => {
  it('counts the differing bits of two 16-hex-digit hashes, in both halves', () => {
    expect(hammingDistance('0000000000000000', '0000000000000000')).toBe(0);
    expect(hammingDistance('0000000000000000', 'ffffffffffffffff')).toBe(64);
    expect(hammingDistance('0000000100000000', '0000000000000000')).toBe(1);
    expect(hammingDistance('0000000000000001', '0000000000000000')).toBe(1);
    expect(hammingDistance('8000000000000000', '0000000080000000')).toBe(2);
    expect(hammingDistance('f0f0f0f00f0f0f0f', '0f0f0f0ff0f0f0f0')).toBe(64);
    expect(hammingDistance('123456789abcdef0', '123456789abcdef7')).toBe(3);
    expect(hammingDistance('ffffffff00000000', '7fffffff00000000')).toBe(1);
    expect(hammingDistance('00000000000000ff', '0000000000000000')).toBe(8);
    expect(hammingDistance('0000ffff0000ffff', '0000000000000000')).toBe(32);
  });
});

describe('timeBucket', () => {
  const week = 168 * 3_600_000;
  it('counts whole windows since the epoch', () => {
    expect(timeBucket(0, S)).toBe(0);
    expect(timeBucket(week - 1, S)).toBe(0);
    expect(timeBucket(week, S)).toBe(1);
    expect(timeBucket(3 * week + 5, S)).toBe(3);
    expect(timeBucket(-1, S)).toBe(-1);
    expect(timeBucket(3_600_000, { windowHours: 1 })).toBe(1);
    expect(timeBucket(3_599_999, { windowHours: 1 })).toBe(0);
    expect(timeBucket(Date.UTC(2026, 10, 30), S)).toBe(2969); // 20,787 days: 2,969 whole weeks
  });
});

describe('fingerprint and withSimhash', () => {
  it('holds the title’s shingles and MinHash, the body’s SimHash and halves, and the trimmed link', () => {
    const f = fp('【关注】市长视察 - 新华网', `本报讯 ${RAIN}`, '  https://a.cn/1 ');
    expect([...f.shingles]).toEqual([...titleShingles('市长视察')]);
    expect([...f.minhash]).toEqual([...minhash(titleShingles('市长视察'), S)]);
    expect(f.simhash).toBe(simhash(storyBody(normalizeText(RAIN)), 50));
    expect(f.simhash).toBe(simhashHex(f.simHi, f.simLo));
    expect(f.link).toBe('https://a.cn/1');
    expect(fp('甲', '', '   ').link).toBeNull();
    expect(fp('甲', '', null).link).toBeNull();
  });

  it('is the same from the title as from the title already normalised as rules read it', () => {
    for (const title of ['【关注】市长视察 - 新华网', 'ＡＢＣ　三人受伤（组图）', '  市长\u200b视察  ']) {
      const fromTitle = fingerprint({ title, normalizedBody: '', link: null }, S);
      const fromNormalized = fingerprint({ title: 'ignored', normalizedTitle: normalizeText(title), normalizedBody: '', link: null }, S);
      expect([...fromNormalized.shingles]).toEqual([...fromTitle.shingles]);
      expect([...fromNormalized.minhash]).toEqual([...fromTitle.minhash]);
      expect(storyTitleOfNormalized(normalizeText(title))).toBe(storyTitle(title));
    }
  });

  it('has the shingles of storyTitle, whatever the title holds', () => {
    const titles = ['', '甲', '😀', '😀😀甲', '【关注】 ——！！ 三人 (图) | 澎湃新闻', 'a\ud800b\udc00c', '𠀀𠀁·𐀀', '  ，。  ', 'ＡＢＣ　二十三 - 新华网', '二〇二六年 [转] 一百零五'];
    for (const title of titles) {
      expect([...fingerprint({ title, normalizedBody: '', link: null }, S).shingles]).toEqual([...titleShingles(storyTitle(title))]);
    }
  });

  it('has no SimHash for a short body, from the exact edge', () => {
    const body = RAIN.replace(/[，。]/g, '');
    const short = fp('甲', body.slice(0, 49));
    expect(short.simhash).toBeNull();
    expect(short.simHi).toBe(0);
    expect(short.simLo).toBe(0);
    expect(fp('甲', body.slice(0, 50)).simhash).toBe(simhash(body.slice(0, 50), 50));
    const one = { ...S, minBodyChars: 2 };
    expect(fp('甲', 'a', null, one).simhash).toBe(simhash('a', 2));
    expect(fp('甲', '', null, { ...S, minBodyChars: 1 }).simhash).toBe('0000000000000000');
    expect(fp('甲', '', null, one).simhash).toBeNull();
  });

  it('hashes the body’s letters, digits and ideographs only, as storyBody leaves them', () => {
    const bodies = [
      RAIN,
      `新华社北京11月20日电 ${RAIN}（记者 张三）`,
      `${RAIN} 😀😀 𠀀𠀁𠀂𐀀𐀁 ——！！ abc DEF 123`,
      `${RAIN}\ud800 \udc00\ud800\ue000 。。`,
      `𐀀${'、'.repeat(3)}${RAIN}`,
    ];
    for (const body of bodies) {
      const normalized = normalizeText(body);
      expect(fp('甲', body).simhash).toBe(simhash(storyBody(normalized), 50));
      expect(fp('甲', body).simhash).toBe(referenceSimhash(storyBody(normalized), 50));
    }
  });

  it('withSimhash puts a stored SimHash and its halves in place of its own', () => {
    const f = fp('甲乙', RAIN, 'x');
    const g = withSimhash(f, 'ffffffff00000001');
    expect(g.simhash).toBe('ffffffff00000001');
    expect(g.simHi).toBe(0xffffffff);
    expect(g.simLo).toBe(1);
    expect(g.shingles).toBe(f.shingles);
    expect(g.minhash).toBe(f.minhash);
    expect(g.link).toBe('x');
    const none = withSimhash(f, null);
    expect(none.simhash).toBeNull();
    expect(none.simHi).toBe(0);
    expect(none.simLo).toBe(0);
    expect(withSimhash(none, f.simhash).simHi).toBe(f.simHi);
    expect(withSimhash(none, f.simhash).simLo).toBe(f.simLo);
  });
});

describe('reprintKeys', () => {
  const bucketOf = (key: number) => Math.floor(key / 2 ** 20);
  const withBits = (f: Fingerprint, hi: number, lo: number) => withSimhash(f, simhashHex(hi >>> 0, lo >>> 0));

  it('gives one key per band, per body block and for the link, as the settings say', () => {
    const full = fp('市长视察', RAIN, 'https://a.cn/1');
    expect(reprintKeys(full, 7, S).length).toBe(10 + 4 + 1);
    expect(reprintKeys(fp('市长视察', RAIN, null), 7, S).length).toBe(14);
    expect(reprintKeys(fp('市长视察', '', null), 7, S).length).toBe(10);
    expect(reprintKeys(fp('', RAIN, null), 7, S).length).toBe(4);
    expect(reprintKeys(fp('', '', 'l'), 7, S).length).toBe(1);
    expect(reprintKeys(fp('', '', null), 7, S)).toEqual([]);
    const other: ReprintSettings = { ...S, bands: 3, rows: 2, simhashDistance: 1 };
    expect(reprintKeys(fp('市长视察', RAIN, 'l', other), 7, other).length).toBe(3 + 2 + 1);
    const distinct = new Set(reprintKeys(full, 7, S));
    expect(distinct.size).toBe(15);
  });

  it('splits back into the bucket (mod 2,048) and 20 bits of hash: keyPrefix and keyHash', () => {
    const f = fp('市长视察', RAIN, 'https://a.cn/1');
    for (const bucket of [0, 7, 2047, 2048, 2917, -1]) {
      for (const key of reprintKeys(f, bucket, S)) {
        expect(keyPrefix(key)).toBe(((bucket % 2048) + 2048) % 2048);
        expect(keyHash(key)).toBeLessThan(2 ** 20);
        expect(keyHash(key)).toBeGreaterThanOrEqual(0);
        expect(keyPrefix(key) * 2 ** 20 + keyHash(key)).toBe(key);
      }
    }
  });

  it('puts the bucket (mod 2,048) in the high bits and keeps keys in [0, 2^31)', () => {
    const f = fp('市长视察', RAIN, 'https://a.cn/1');
    for (const [bucket, high] of [[0, 0], [7, 7], [2047, 2047], [2048, 0], [2049, 1], [-1, 2047], [-2049, 2047], [2917, 869]] as const) {
      for (const k of reprintKeys(f, bucket, S)) {
        expect(Number.isInteger(k) && k >= 0 && k < 2 ** 31).toBe(true);
        expect(bucketOf(k)).toBe(high);
      }
    }
    // Buckets 2,048 weeks apart share the high bits but not the keys.
    const k0 = reprintKeys(f, 0, S);
    expect(reprintKeys(f, 2048, S).some((k) => k0.includes(k))).toBe(false);
  });

  it('depends on the title only through its MinHash, band by band', () => {
    const a = fp('市长视察', '', null);
    const keys = reprintKeys(a, 7, S);
    for (let band = 0; band < 10; band++) {
      for (let r = 0; r < 2; r++) {
        const changed = Uint32Array.from(a.minhash);
        changed[band * 2 + r]! ^= 1;
        const other = reprintKeys({ ...a, minhash: changed }, 7, S);
        expect(other.map((k, i) => (k === keys[i] ? '=' : 'x')).join('')).toBe('='.repeat(band) + 'x' + '='.repeat(9 - band));
      }
    }
    // Equal bands in different positions are different keys.
    const flat = { ...a, minhash: new Uint32Array(20).fill(5) };
    expect(new Set(reprintKeys(flat, 7, S)).size).toBe(10);
  });

  it('changes exactly the key of the body block holding a flipped bit', () => {
    const base = fp('', RAIN, null);
    for (const [distance, edges] of [[3, [0, 16, 32, 48, 64]], [2, [0, 21, 42, 64]], [0, [0, 64]], [1, [0, 32, 64]], [4, [0, 12, 25, 38, 51, 64]], [7, [0, 8, 16, 24, 32, 40, 48, 56, 64]]] as const) {
      const settings = { ...S, simhashDistance: distance };
      const keys = reprintKeys(base, 7, settings);
      expect(keys.length).toBe(edges.length - 1);
      for (let bit = 0; bit < 64; bit++) {
        const hi = bit >= 32 ? base.simHi ^ (1 << (bit - 32)) : base.simHi;
        const lo = bit < 32 ? base.simLo ^ (1 << bit) : base.simLo;
        const flipped = reprintKeys(withBits(base, hi, lo), 7, settings);
        const block = edges.findIndex((e, i) => bit >= e && bit < edges[i + 1]!);
        expect(flipped.map((k, i) => (k === keys[i] ? '=' : 'x')).join('')).toBe(keys.map((_, i) => (i === block ? 'x' : '=')).join(''));
      }
    }
    // Equal blocks in different positions are different keys.
    expect(new Set(reprintKeys(withBits(base, 0, 0), 7, S)).size).toBe(4);
    expect(new Set(reprintKeys(withBits(base, 0xffffffff, 0xffffffff), 7, S)).size).toBe(4);
  });

  it('gives one key for a link, the same whatever else the item has', () => {
    const a = reprintKeys(fp('', '', 'https://a.cn/1'), 7, S);
    const b = reprintKeys(fp('市长视察', RAIN, 'https://a.cn/1'), 7, S);
    expect(b[b.length - 1]).toBe(a[0]);
    expect(reprintKeys(fp('', '', 'https://a.cn/2'), 7, S)[0]).not.toBe(a[0]);
    expect(reprintKeys(fp('', '', 'https://a.cn/1'), 8, S)[0]).not.toBe(a[0]);
  });

  it('keeps its stored values (pinned)', () => {
    expect(reprintKeys(fp('市长视察', RAIN, 'https://a.cn/1'), 2917, S)).toEqual(PINNED_KEYS);
  });
});

describe('resemblance, isSameStory and closeness', () => {
  const r = (titleJaccard: number, bodyDistance: number | null, sameLink = false) => ({ titleJaccard, bodyDistance, sameLink });

  it('measures the title similarity, the body distance (when both have one) and the link', () => {
    const a = fp('abcde', RAIN, 'l');
    const b = withSimhash(fp('abcdx', RAIN, 'l'), simhashHex(a.simHi ^ 0x80000001, a.simLo ^ 0x3));
    expect(resemblance(a, b)).toEqual({ titleJaccard: 3 / 5, bodyDistance: 4, sameLink: true });
    expect(resemblance(a, withSimhash(b, a.simhash))).toEqual({ titleJaccard: 3 / 5, bodyDistance: 0, sameLink: true });
    expect(resemblance(a, withSimhash(b, null)).bodyDistance).toBeNull();
    expect(resemblance(withSimhash(b, null), a).bodyDistance).toBeNull();
    expect(resemblance(fp('a'), fp('a')).sameLink).toBe(false);
    expect(resemblance(fp('a', '', 'x'), fp('a', '', 'y')).sameLink).toBe(false);
    expect(resemblance(fp('a', '', null), fp('a', '', 'y')).sameLink).toBe(false);
  });

  it('makes one story from a title similarity of 0.6, a body distance of 3 or the same link', () => {
    expect(isSameStory(r(0.6, null), S)).toBe(true);
    expect(isSameStory(r(0.5999, null), S)).toBe(false);
    expect(isSameStory(r(0, 3), S)).toBe(true);
    expect(isSameStory(r(0, 4), S)).toBe(false);
    expect(isSameStory(r(0, 0), S)).toBe(true);
    expect(isSameStory(r(0, null), S)).toBe(false);
    expect(isSameStory(r(0, null, true), S)).toBe(true);
    expect(isSameStory(r(0, 64, true), S)).toBe(true);
    expect(isSameStory(r(0.7, 64), { ...S, titleJaccard: 0.8 })).toBe(false);
    expect(isSameStory(r(0, 5), { ...S, simhashDistance: 5 })).toBe(true);
    // Titles of 0.6 exactly: 3 shared of 5 bigrams.
    expect(isSameStory(resemblance(fp('abcde'), fp('abcdx')), S)).toBe(true);
  });

  it('orders by link, then title, then body', () => {
    expect(closeness(r(0.5, 16, true))).toBe(3.25);
    expect(closeness(r(0.5, null, true))).toBe(2.5);
    expect(closeness(r(0.25, 64))).toBe(0.25);
    expect(closeness(r(0, 0))).toBe(1);
    expect(closeness(r(0.75, null))).toBe(0.75);
    expect(closeness(r(0, null, true))).toBeGreaterThan(closeness(r(0.9, 8)));
  });
});

// Values computed by this version and stored by deployed ones: a change to any is a change of format.
const PINNED_MINHASH = [110592042, 396257001, 747252633, 1199620312];
const PINNED_RAIN = '83511e61dd4ccea9';
const PINNED_KEYS = [
  911709349, 911989102, 911333877, 912170542, 912121644, 911421312, 912109464, 912090618, 911655877, 911781391, 911214664, 911985217, 911662787, 912170918,
  912044402,
];
