import { describe, expect, it } from 'vitest';
import { normalizeText } from '../../../src/domain/monitoring/normalize.js';
import {
  chineseNumeralsToDigits,
  DEFAULT_REPRINT_SETTINGS as S,
  fingerprint,
  hammingDistance,
  isSameStory,
  jaccard,
  reprintKeys,
  resemblance,
  simhash,
  storyBody,
  storyTitle,
  titleRecall,
  titleShingles,
  withSimhash,
} from '../../../src/domain/monitoring/reprints.js';
import { STORY_GROUPS } from '../../fixtures/reprints.js';

const fp = (title: string, body = '', link: string | null = null) => fingerprint({ title, normalizedBody: normalizeText(body), link }, S);
const sharesKey = (a: ReturnType<typeof fp>, b: ReturnType<typeof fp>) => {
  const keys = new Set(reprintKeys(a, 7, S));
  return reprintKeys(b, 7, S).some((k) => keys.has(k));
};

describe('story titles', () => {
  it('when a reprint adds tags, a source or punctuation, then its story title is the original one', () => {
    expect(storyTitle('【关注】某区化工厂发生爆炸，已致三人死亡')).toBe('某区化工厂发生爆炸已致3人死亡');
    expect(storyTitle('[转载] 某区化工厂发生爆炸 已致3人死亡 - 新华网')).toBe('某区化工厂发生爆炸已致3人死亡');
    expect(storyTitle('某区化工厂发生爆炸已致３人死亡——人民网')).toBe('某区化工厂发生爆炸已致3人死亡');
    expect(storyTitle('（图）市政府召开新闻发布会')).toBe('市政府召开新闻发布会');
  });

  it('when numbers are written in Chinese, full-width or Arabic digits, then they read the same', () => {
    expect(chineseNumeralsToDigits('三')).toBe('3');
    expect(chineseNumeralsToDigits('十二')).toBe('12');
    expect(chineseNumeralsToDigits('二十三')).toBe('23');
    expect(chineseNumeralsToDigits('一百零五')).toBe('105');
    expect(chineseNumeralsToDigits('两千')).toBe('2000');
    expect(chineseNumeralsToDigits('三万五千')).toBe('35000');
    expect(chineseNumeralsToDigits('二〇二六')).toBe('2026');
    expect(storyTitle('扩招两千人')).toBe(storyTitle('扩招2000人'));
    expect(storyTitle('地铁二号线')).toBe(storyTitle('地铁２号线'));
  });
});

describe('title similarity', () => {
  it('is the Jaccard similarity of the bigram sets', () => {
    // 某区 区化 化工 工厂 vs 某区 区化 化肥 肥厂: 2 shared of 6.
    expect(jaccard(titleShingles('某区化工厂'), titleShingles('某区化肥厂'))).toBeCloseTo(2 / 6);
    expect(jaccard(titleShingles('化工厂'), titleShingles('化工厂'))).toBe(1);
    expect(jaccard(titleShingles(''), titleShingles(''))).toBe(0);
  });

  it('when two titles are at the threshold, then they are one story; just under it, not', () => {
    // 10 bigrams each; sharing 6 of 14 → 0.43; sharing 8 of 12 → 0.67.
    const a = fp('甲乙丙丁戊己庚辛壬癸子');
    expect(isSameStory(resemblance(a, fp('甲乙丙丁戊己庚辛壬癸丑')), S)).toBe(true);
    expect(isSameStory(resemblance(a, fp('甲乙丙丁戊己庚寅卯辰巳')), S)).toBe(false);
  });
});

describe('the fixture headlines', () => {
  const all = STORY_GROUPS.flatMap((group, g) => group.map((m) => ({ g, title: m.title, fp: fp(m.title, m.body ?? '') })));
  const pairs = all.flatMap((a, i) => all.slice(i + 1).map((b) => ({ a, b, same: a.g === b.g })));

  it('when compared exactly, then every known pair is one story and no known non-pair is', () => {
    const wrong = pairs.filter(({ a, b, same }) => isSameStory(resemblance(a.fp, b.fp), S) !== same).map(({ a, b }) => `${a.title} / ${b.title}`);
    expect(wrong).toEqual([]);
    // Non-pairs that share words, places and numbers are among them.
    expect(pairs.filter((p) => !p.same && jaccard(p.a.fp.shingles, p.b.fp.shingles) > 0.3).length).toBeGreaterThanOrEqual(5);
  });

  it('when indexed, then every known pair shares a key (so the index offers it for comparison)', () => {
    const missed = pairs.filter(({ a, b, same }) => same && !sharesKey(a.fp, b.fp)).map(({ a, b }) => `${a.title} / ${b.title}`);
    expect(missed).toEqual([]);
  });
});

describe('the title index', () => {
  it('offers a pair for comparison with probability 1 − (1 − J^rows)^bands', () => {
    expect(titleRecall(0.6, S)).toBeGreaterThan(0.98);
    expect(titleRecall(0.8, S)).toBeGreaterThan(0.9999);
    expect(titleRecall(0.2, S)).toBeLessThan(0.35);
  });

  it('when many pairs of a given similarity are indexed, then the share that meets under a key follows that curve', () => {
    // Synthetic titles of 20 distinct characters; the second keeps the first k and replaces the rest.
    const chars = [...'的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经'];
    let met = 0;
    const n = 400;
    let expectedSum = 0;
    for (let i = 0; i < n; i++) {
      const pick = (seed: number) => Array.from({ length: 20 }, (_, j) => chars[(seed * 7 + j * 13 + ((seed * j) % 11)) % chars.length]).join('');
      const a = `${i}号${pick(i)}`;
      const b = a.slice(0, 15) + pick(i + 1000).slice(0, 8);
      const fa = fp(a);
      const fb = fp(b);
      expectedSum += titleRecall(jaccard(fa.shingles, fb.shingles), S);
      if (sharesKey(fa, fb)) met++;
    }
    expect(Math.abs(met / n - expectedSum / n)).toBeLessThan(0.05);
  });

  it('when two items are in different time buckets, then their keys differ', () => {
    const a = fp('某区化工厂发生爆炸 已致3人死亡');
    expect(reprintKeys(a, 1, S).some((k) => reprintKeys(a, 2, S).includes(k))).toBe(false);
    for (const k of reprintKeys(a, 1, S)) expect(k >= 0 && k < 2 ** 31 && Number.isInteger(k)).toBe(true);
  });
});

describe('body SimHash', () => {
  const body =
    '今天凌晨起，我市遭遇今年以来最强降雨，城区多处道路出现积水，部分路段交通一度中断。市防汛指挥部已启动三级应急响应，调派排水车辆和抢险人员赶赴现场，目前主要道路积水已基本排除，请市民尽量减少外出。';
  const hash = (text: string) => simhash(storyBody(normalizeText(text)), S.minBodyChars);

  it('when a reprint adds a dateline or a credit, then its SimHash is the same', () => {
    expect(hammingDistance(hash(body)!, hash(`本报讯 ${body}`)!)).toBe(0);
    expect(hammingDistance(hash(body)!, hash(`${body}（来源：市融媒体中心）`)!)).toBe(0);
    expect(hammingDistance(hash(body)!, hash(`新华社北京11月20日电 ${body}`)!)).toBe(0);
  });

  it('when bodies are different reports, then their SimHashes are far apart; a short body has none', () => {
    const other = '记者从市教育局获悉，今年中考招生政策近日公布，普通高中招生计划比去年增加两千人，指标到校比例不低于百分之六十，同时取消部分加分项目。';
    expect(hammingDistance(hash(body)!, hash(other)!)).toBeGreaterThan(10);
    expect(hash('城区多处道路出现积水')).toBeNull();
  });

  it('when two SimHashes are within the distance, then they share a block key (pigeonhole)', () => {
    const a = fp('甲', body);
    // Flip 3 bits spread over the hash: every block but one still agrees.
    const flipped = (BigInt(`0x${a.simhash}`) ^ (1n | (1n << 21n) | (1n << 42n))).toString(16).padStart(16, '0');
    const b = withSimhash({ ...a, shingles: titleShingles('乙'), minhash: new Uint32Array(0) }, flipped);
    expect(hammingDistance(a.simhash!, flipped)).toBe(3);
    expect(sharesKey({ ...a, minhash: new Uint32Array(0) }, b)).toBe(true);
  });

  it('when the same link appears, then it is the same story whatever the titles', () => {
    expect(isSameStory(resemblance(fp('甲乙丙', '', 'https://a.cn/1'), fp('丁戊己', '', 'https://a.cn/1')), S)).toBe(true);
  });
});
