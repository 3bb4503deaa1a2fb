import { describe, expect, it } from 'vitest';
import { isFragment, isHotWord } from '../../../src/domain/monitoring/hot-words.js';

describe('isHotWord', () => {
  it('when a word names a place, a thing or an act, then it may be a hot word', () => {
    for (const w of ['化工厂', '爆炸', '食品安全', '教育局', '张伟', '网传', '新闻发布会', 'covid-19', '5g基站']) expect(isHotWord(w), w).toBe(true);
  });

  it('when a word is one character, or only digits, punctuation and symbols, then it is not', () => {
    for (const w of ['', '爆', 'a', '2026', '3.5', '——', '……', '2026-11-20', '%%', '+1']) expect(isHotWord(w), w).toBe(false);
  });

  it('when a word is one every news text uses, then it is not', () => {
    for (const w of ['我们', '已经', '发生', '表示', '今日', '凌晨', '记者', '目前', '有关', '据悉']) expect(isHotWord(w), w).toBe(false);
  });

  it('when a word is an anonymised report’s placeholder, then it is not', () => {
    for (const w of ['某区', '某市', '某县', '某某', '某地', '某公司']) expect(isHotWord(w), w).toBe(false);
    // 某 only counts at the start.
    expect(isHotWord('王某')).toBe(true);
  });

  it('when a word is a count, with or without one measure word, then it is not', () => {
    for (const w of ['数十名', '一人', '三人', '2人', '两起', '十余', '几百户', '100万', '二〇二六', '3起', '5.2亿']) expect(isHotWord(w), w).toBe(false);
    // A number inside a name, or a numeral word that names something, stays.
    for (const w of ['12345热线', '一线', '三峡', '十四五规划']) expect(isHotWord(w), w).toBe(true);
  });
});

describe('isFragment', () => {
  it('when a two-character word starts with a function character or ends with one, then it is a fragment', () => {
    for (const w of ['已致', '拆致', '被打', '将于', '伤了', '曾任', '均为']) expect(isFragment(w), w).toBe(true);
  });

  it('when a word is longer, or its characters are not function characters, then it is not', () => {
    for (const w of ['张伟', '网传', '涉事', '已致伤', '化工厂', '致']) expect(isFragment(w), w).toBe(false);
  });
});
