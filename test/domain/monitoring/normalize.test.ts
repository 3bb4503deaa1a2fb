import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isPlain, normalizeText } from '../../../src/domain/monitoring/normalize.js';

/** normalizeText by its definition (see its comment): every step on every text. */
function byDefinition(s: string): string {
  let text = s.normalize('NFKC');
  text = text.replace(/\p{Default_Ignorable_Code_Point}/gu, '').normalize('NFKC');
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

describe('normalizeText', () => {
  it('when the text is full-width, then letters, digits and brackets become ASCII (and letters lower-case)', () => {
    expect(normalizeText('ＡＢＣ１２３（）')).toBe('abc123()');
    expect(normalizeText('ＣＯＶＩＤ－１９')).toBe('covid-19');
  });

  it('when the text has capitals, then they become lower-case', () => {
    expect(normalizeText('COVID-19 Omicron')).toBe('covid-19 omicron');
  });

  it('when the text is Chinese, then it is left as it is', () => {
    expect(normalizeText('学校食堂发生食品安全事故')).toBe('学校食堂发生食品安全事故');
  });

  it('when the text has whitespace runs of any kind, then each becomes one ASCII space and the ends are trimmed', () => {
    expect(normalizeText('  食品\t\n安全\u3000事故   通报 ')).toBe('食品 安全 事故 通报');
    expect(normalizeText('a\u00a0\u00a0b')).toBe('a b');
  });

  it('when the text is only whitespace, then it becomes empty', () => {
    expect(normalizeText(' \t\u3000\n')).toBe('');
    expect(normalizeText('')).toBe('');
  });

  it('when a compatibility character is used, then its plain form replaces it', () => {
    expect(normalizeText('㈱')).toBe('(株)');
    expect(normalizeText('①号')).toBe('1号');
    expect(normalizeText('ｶﾀｶﾅ')).toBe('カタカナ');
  });

  it('when invisible characters are inside a word, then they are removed so the word still matches', () => {
    expect(normalizeText('食品\u200b安全\u00ad事故\ufeff')).toBe('食品安全事故');
    expect(normalizeText('葛\u{e0100}')).toBe('葛');
  });

  it('when an invisible character separates a letter from its accent, then they recombine', () => {
    expect(normalizeText('e\u200b\u0301')).toBe('\u00e9');
  });

  it('when applied twice to any single character, then the result is the same as applied once', () => {
    const changed: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const once = normalizeText(String.fromCodePoint(cp));
      if (normalizeText(once) !== once) changed.push(cp.toString(16));
    }
    expect(changed).toEqual([]);
  });

  it('when applied twice to mixed strings with marks, invisibles and capitals, then the result is the same as applied once', () => {
    const pieces = ['A', 'e', '\u0301', '\u0308', '\u200b', '\u00ad', ' ', '\u3000', 'Ｉ', '\u0130', 'ß', 'ﬁ', '食', '（', '\ufe0f', 'ᴬ'];
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let n = 0; n < 2000; n++) {
      let s = '';
      for (let k = 0; k < 6; k++) s += pieces[Math.floor(random() * pieces.length)];
      const once = normalizeText(s);
      expect(normalizeText(once), JSON.stringify(s)).toBe(once);
    }
  });

  // normalizeText skips its later steps for a text it can tell they leave as it is: that must
  // never change an answer.
  it('when given any character of the BMP (and every 251st beyond), at the ends, doubled and beside spaces, then the result is that of every step', () => {
    // Every range the shortcut leaves alone is in the BMP; beyond it, a sample (all 1.1 million
    // took over 20 s under mutation testing's instrumentation).
    const differ: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp += cp < 0x10000 ? 1 : 251) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const c = String.fromCodePoint(cp);
      for (const s of [`${c} 甲${c}${c}`, `乙${c}`]) if (normalizeText(s) !== byDefinition(s)) differ.push(`${cp.toString(16)}: ${JSON.stringify(s)}`);
    }
    expect(differ).toEqual([]);
  });

  it('when given texts mixing the edges of the characters it leaves alone with spaces, capitals and invisibles, then the result is that of every step', () => {
    const edges = [0x20, 0x09, 0x0a, 0x1f, 0x40, 0x41, 0x5a, 0x5b, 0x7e, 0x7f, 0xa0, 0xad, 0x200b, 0x200f, 0x2010, 0x2027, 0x2028, 0x2029, 0x3000, 0x3001, 0x30ff, 0x3100, 0x33ff, 0x3400, 0x4dbf, 0x4dc0, 0x4dff, 0x4e00, 0x9fff, 0xa000, 0xabff, 0xac00, 0xd7a3, 0xd7a4, 0xfeff, 0xff0c, 0xff21];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...edges.map((cp) => String.fromCodePoint(cp))), { maxLength: 12 }), (chars) => {
        const s = chars.join('');
        expect(normalizeText(s)).toBe(byDefinition(s));
      }),
      { numRuns: 3000, seed: 20261201 },
    );
  });
});

describe('isPlain (the texts normalizeText leaves as they are after NFKC, told in one pass)', () => {
  const c = (cp: number) => String.fromCodePoint(cp);

  it('when a text is Chinese news after NFKC (ideographs, kana, hangul, quotation marks, ASCII punctuation, single spaces), then it is plain', () => {
    expect(isPlain('')).toBe(true);
    expect(isPlain('某区化工厂发生爆炸,已致2人受伤。“网传”——官方回应…… a b @[z]')).toBe(true);
    for (const cp of [0x21, 0x40, 0x5b, 0x7e, 0x2010, 0x2027, 0x3001, 0x30ff, 0x3400, 0x4dbf, 0x4e00, 0x9fff, 0xac00, 0xd7a3]) expect(isPlain(`甲${c(cp)}乙`), cp.toString(16)).toBe(true);
  });

  it('when a text has a capital, a control character, another script, or a space at an end or doubled, then it is not', () => {
    for (const cp of [0x09, 0x0a, 0x1f, 0x41, 0x5a, 0x7f, 0x80, 0xa0, 0x200f, 0x2028, 0x2fff, 0x3000, 0x3100, 0x33ff, 0x4dc0, 0x4dff, 0xa000, 0xabff, 0xd7a4]) {
      expect(isPlain(`甲${c(cp)}乙`), cp.toString(16)).toBe(false);
    }
    for (const s of [' 甲', '甲 ', ' ', '甲  乙']) expect(isPlain(s), JSON.stringify(s)).toBe(false);
  });
});

