import { describe, expect, it } from 'vitest';
import {
  MAX_POSITIONS_PER_TERM,
  compileRules,
  evaluateRule,
  matchByIncludes,
  testRuleQuery,
  type MatchStats,
  type RuleMatch,
} from '../../../src/domain/monitoring/matcher.js';
import { normalizeText } from '../../../src/domain/monitoring/normalize.js';
import { RuleQueryError, parseRuleQuery, ruleTerms, type RuleNode } from '../../../src/domain/monitoring/rule-query.js';

function matchOne(query: string, text: string): RuleMatch | undefined {
  return compileRules([{ id: 1, query }]).match(text)[0];
}

function stats(): MatchStats {
  return { termsFound: -1, rulesEvaluated: -1 };
}

describe('compileRules: substring matching', () => {
  it('when Chinese text has no spaces, then terms match as substrings, listed by first occurrence', () => {
    expect(matchOne('食品安全 学校', '学校食堂发生食品安全事故')).toEqual({ ruleId: 1, terms: ['学校', '食品安全'] });
    expect(matchOne('食品安全 幼儿园', '学校食堂发生食品安全事故')).toBeUndefined();
  });

  it('when the text is full-width or in other case, then it still matches the normalised term', () => {
    expect(matchOne('covid', 'ＣＯＶＩＤ－１９疫情通报')).toEqual({ ruleId: 1, terms: ['covid'] });
    expect(matchOne('Covid-19', 'COVID-19 疫情')).toEqual({ ruleId: 1, terms: ['covid-19'] });
    expect(matchOne('（暴雨 OR 内涝） 预警', '暴雨\u200b预警')).toEqual({ ruleId: 1, terms: ['暴雨', '预警'] });
  });

  it('when a phrase is quoted, then its words must appear together with the space between them', () => {
    expect(matchOne('"燃气 爆炸"', '某小区燃气\n  爆炸')).toEqual({ ruleId: 1, terms: ['燃气 爆炸'] });
    expect(matchOne('"燃气 爆炸"', '某小区燃气爆炸')).toBeUndefined();
  });

  it('when a NOT term is present, then the rule does not match', () => {
    expect(matchOne('食品安全 NOT 演练', '学校开展食品安全演练')).toBeUndefined();
    expect(matchOne('食品安全 NOT 演练', '学校发生食品安全事故')).toEqual({ ruleId: 1, terms: ['食品安全'] });
  });

  it('when a negated term is found in a matching rule, then it is listed with the other found terms', () => {
    expect(matchOne('食品 OR (学校 NOT 演练)', '演练后食品中毒')).toEqual({ ruleId: 1, terms: ['演练', '食品'] });
  });

  it('when terms overlap in the text, then each is found', () => {
    const matcher = compileRules([
      { id: 1, query: '南京市' },
      { id: 2, query: '市长' },
      { id: 3, query: '长江大桥' },
      { id: 4, query: '南京市 NEAR/1 市长' },
      { id: 5, query: '南京 江大 桥' },
    ]);
    expect(matcher.match('南京市长江大桥').map((m) => m.ruleId)).toEqual([1, 2, 3, 4, 5]);
    expect(matcher.match('南京市长江大桥').find((m) => m.ruleId === 4)?.terms).toEqual(['南京市', '市长']);
  });

  it('when terms are suffixes of one another, then every one ending at the same place is found', () => {
    const matcher = compileRules(['he', 'she', 'his', 'hers', 'us'].map((query, i) => ({ id: i + 1, query })));
    expect(matcher.match('USHERS').map((m) => m.ruleId)).toEqual([1, 2, 4, 5]);
  });

  it('when no rule is compiled, then nothing matches', () => {
    const matcher = compileRules([]);
    expect(matcher.ruleCount).toBe(0);
    expect(matcher.match('食品安全')).toEqual([]);
  });

  it('when rules are given out of order, then the matches come ordered by id', () => {
    const matcher = compileRules([
      { id: 30, query: '事故' },
      { id: 10, query: '食品' },
      { id: 20, query: '安全 NOT 演练' },
    ]);
    expect(matcher.match('食品安全事故').map((m) => m.ruleId)).toEqual([10, 20, 30]);
  });

  it('when a rule is given as a parsed tree, then it matches like its query string', () => {
    const matcher = compileRules([{ id: 1, query: parseRuleQuery('食品 NOT 演练') }]);
    expect(matcher.match('食品安全')).toEqual([{ ruleId: 1, terms: ['食品'] }]);
    expect(matcher.match('食品安全演练')).toEqual([]);
  });

  it('when a query is invalid or a tree needs no term, then compiling throws RuleQueryError', () => {
    expect(() => compileRules([{ id: 1, query: '食品 OR' }])).toThrow(RuleQueryError);
    const notOnly: RuleNode = { type: 'not', child: { type: 'term', text: '广告', raw: '广告' } };
    expect(() => compileRules([{ id: 7, query: notOnly }])).toThrow(/规则 7 不能只由 NOT 组成/);
  });
});

describe('compileRules: NEAR', () => {
  it('when the two terms are within the distance, in either order, then the rule matches', () => {
    expect(matchOne('化工厂 NEAR/3 泄漏', '化工厂发生泄漏')?.terms).toEqual(['化工厂', '泄漏']);
    expect(matchOne('化工厂 NEAR/3 泄漏', '泄漏来自化工厂')?.terms).toEqual(['泄漏', '化工厂']);
  });

  it('when the gap is exactly the distance, then it matches; one more, then it does not', () => {
    expect(matchOne('化工厂 NEAR/3 泄漏', '化工厂昨夜有泄漏')).toBeDefined();
    expect(matchOne('化工厂 NEAR/3 泄漏', '化工厂昨夜又有泄漏')).toBeUndefined();
    expect(matchOne('化工厂 NEAR/3 泄漏', '泄漏源自于化工厂')).toBeDefined();
    expect(matchOne('化工厂 NEAR/3 泄漏', '泄漏据说源自化工厂')).toBeUndefined();
  });

  it('when one pair is far but another is near, then the rule matches', () => {
    const text = '化工厂今天上午发布通报称，昨日泄漏系另一化工厂所致';
    expect(matchOne('化工厂 NEAR/3 泄漏', text)).toBeDefined();
    expect(matchOne('化工厂 NEAR/2 泄漏', text)).toBeUndefined();
  });

  it('when occurrences overlap, then their distance is 0', () => {
    expect(matchOne('南京市长江 NEAR/1 市长江大桥', '南京市长江大桥')).toBeDefined();
    expect(matchOne('市长江大桥 NEAR/1 南京市长江', '南京市长江大桥')).toBeDefined();
    expect(matchOne('南京市 NEAR/1 长江', '南京市长江大桥')).toBeDefined();
    expect(matchOne('南京市 NEAR/1 大桥', '南京市长江大桥')).toBeUndefined();
  });

  it('when the distance is measured, then whitespace runs count as one character and a supplementary character as one', () => {
    expect(matchOne('化工厂 NEAR/1 泄漏', '化工厂 \n\t 泄漏')).toBeDefined();
    expect(matchOne('化工厂 NEAR/1 泄漏', '化工厂𠮷泄漏')).toBeDefined();
    expect(matchOne('𠮷 NEAR/1 泄漏', '𠮷𠮷泄漏')).toBeDefined();
    expect(matchOne('化工厂 NEAR/1 泄漏', '化工厂𠮷𠮷泄漏')).toBeUndefined();
  });

  it('when a term holds a supplementary character, then it counts as one character of its length, at the distance and one past it', () => {
    // 𠮷 is one character but two UTF-16 code units; counting units would shorten every gap by one.
    expect(matchOne('𠮷野 NEAR/2 泄漏', '𠮷野昨夜泄漏')).toBeDefined();
    expect(matchOne('𠮷野 NEAR/2 泄漏', '𠮷野昨夜有泄漏')).toBeUndefined();
    expect(matchOne('泄漏 NEAR/2 𠮷野', '𠮷野昨夜泄漏')).toBeDefined();
    expect(matchOne('泄漏 NEAR/2 𠮷野', '𠮷野昨夜有泄漏')).toBeUndefined();
    expect(matchOne('泄漏 NEAR/2 𠮷野', '泄漏于昨𠮷野')).toBeDefined();
    expect(matchOne('泄漏 NEAR/2 𠮷野', '泄漏于昨夜𠮷野')).toBeUndefined();
    expect(matchOne('𠮷野 NEAR/2 泄漏', '泄漏于昨𠮷野')).toBeDefined();
    expect(matchOne('𠮷野 NEAR/2 泄漏', '泄漏于昨夜𠮷野')).toBeUndefined();
  });

  it('when both sides are the same term with a supplementary character, then the gap between occurrences counts it as one', () => {
    expect(matchOne('𠮷野 NEAR/1 𠮷野', '𠮷野和𠮷野')).toBeDefined();
    expect(matchOne('𠮷野 NEAR/1 𠮷野', '𠮷野和与𠮷野')).toBeUndefined();
    expect(matchOne('𠮷野 NEAR/1 𠮷野', '𠮷野𠮷野')).toBeDefined();
  });

  it('when a term with a supplementary character is found, then its start is where it begins, in characters', () => {
    expect(testRuleQuery('𠮷野 NEAR/1 泄漏', '泄漏𠮷野')).toEqual({ matched: true, terms: ['泄漏', '𠮷野'] });
    expect(testRuleQuery('野𠮷 NEAR/1 泄漏', '𠮷野𠮷泄漏')).toEqual({ matched: true, terms: ['野𠮷', '泄漏'] });
    expect(testRuleQuery('野𠮷 NEAR/1 泄漏', '𠮷野𠮷和与泄漏')).toEqual({ matched: false, terms: ['野𠮷', '泄漏'] });
  });

  it('when the text or a term holds U+FFFF (the last BMP character) or U+10000 (the first beyond it), then each is one character', () => {
    expect(matchOne('泄漏', '化工厂\uffff泄漏')?.terms).toEqual(['泄漏']);
    expect(matchOne('\uffff NEAR/1 泄漏', '\uffff和泄漏')).toBeDefined();
    expect(matchOne('\uffff NEAR/1 泄漏', '\uffff和与泄漏')).toBeUndefined();
    expect(matchOne('甲\uffff NEAR/1 泄漏', '甲\uffff和泄漏')).toBeDefined();
    expect(matchOne('甲\uffff NEAR/1 泄漏', '甲\uffff和与泄漏')).toBeUndefined();
    expect(matchOne('\u{10000}', '化工厂\u{10000}')?.terms).toEqual(['\u{10000}']);
    expect(matchOne('\u{10000}甲 NEAR/1 泄漏', '泄漏和\u{10000}甲')).toBeDefined();
    expect(matchOne('\u{10000}甲 NEAR/1 泄漏', '泄漏和与\u{10000}甲')).toBeUndefined();
  });

  it(`when a term occurs more than ${MAX_POSITIONS_PER_TERM} times, then only its first ${MAX_POSITIONS_PER_TERM} occurrences count for NEAR`, () => {
    const far = '事故，'.repeat(MAX_POSITIONS_PER_TERM - 1);
    expect(matchOne('事故 NEAR/1 泄漏', `${far}事故后泄漏`)).toBeDefined(); // the 1000th occurrence
    expect(matchOne('事故 NEAR/1 泄漏', `${far}事故，事故后泄漏`)).toBeUndefined(); // the 1001st
    expect(matchOne('事故', `${far}事故，事故`)?.terms).toEqual(['事故']);
  });

  it('when both sides are the same term, then two different occurrences are needed', () => {
    expect(matchOne('事故 NEAR/2 事故', '一起事故')).toBeUndefined();
    expect(matchOne('事故 NEAR/2 事故', '事故又一事故')).toBeDefined();
    expect(matchOne('事故 NEAR/1 事故', '事故又一事故')).toBeUndefined();
  });

  it('when only one of the two terms occurs, then NEAR does not match', () => {
    expect(matchOne('化工厂 NEAR/10 泄漏', '化工厂 化工厂')).toBeUndefined();
  });

  it('when a phrase is a NEAR operand, then its length counts from its end', () => {
    expect(matchOne('"燃气 管道" NEAR/2 爆炸', '燃气 管道突然爆炸')).toBeDefined();
    expect(matchOne('"燃气 管道" NEAR/1 爆炸', '燃气 管道突然爆炸')).toBeUndefined();
  });
});

describe('compileRules: many rules', () => {
  const rules = Array.from({ length: 200 }, (_, i) => ({ id: i + 1, query: `食品安全 AND 地区${i + 1}` }));
  const matcher = compileRules(rules);

  it('when many rules share a term, then it is stored once', () => {
    expect(matcher.ruleCount).toBe(200);
    expect(matcher.termCount).toBe(201);
  });

  it('when the text holds the shared term and one district, then the rules whose district is a substring of it match', () => {
    expect(matcher.match('地区17发生食品安全事故')).toEqual([
      { ruleId: 1, terms: ['地区1', '食品安全'] },
      { ruleId: 17, terms: ['地区17', '食品安全'] },
    ]);
    expect(matcher.match('地区17发生事故')).toEqual([]);
  });

  it('when only the shared term is found, then every rule holding it is evaluated and none matches', () => {
    const s = stats();
    expect(matcher.match('食品安全', s)).toEqual([]);
    expect(s).toEqual({ termsFound: 1, rulesEvaluated: 200 });
  });
});

describe('compileRules: only candidate rules are evaluated', () => {
  const id = (i: number) => String(i).padStart(4, '0');
  const matcher = compileRules(Array.from({ length: 5000 }, (_, i) => ({ id: i, query: `词${id(i)} NOT 广告` })));

  it('when no term is found, then no rule is evaluated', () => {
    const s = stats();
    expect(matcher.match('今日天气晴', s)).toEqual([]);
    expect(s).toEqual({ termsFound: 0, rulesEvaluated: 0 });
  });

  it('when only a term every rule negates is found, then no rule is evaluated', () => {
    const s = stats();
    expect(matcher.match('广告', s)).toEqual([]);
    expect(s).toEqual({ termsFound: 1, rulesEvaluated: 0 });
  });

  it('when the positive terms of two rules are found, then exactly those two are evaluated', () => {
    const s = stats();
    expect(matcher.match('词0042 和 词4999', s)).toEqual([
      { ruleId: 42, terms: ['词0042'] },
      { ruleId: 4999, terms: ['词4999'] },
    ]);
    expect(s).toEqual({ termsFound: 2, rulesEvaluated: 2 });
  });

  it('when a candidate rule is excluded by its NOT term, then it is evaluated but does not match', () => {
    const s = stats();
    expect(matcher.match('词0042 广告', s)).toEqual([]);
    expect(s).toEqual({ termsFound: 2, rulesEvaluated: 1 });
  });
});

describe('testRuleQuery', () => {
  it('when the rule matches, then the found terms come back', () => {
    expect(testRuleQuery('食品安全 AND (学校 OR 幼儿园) NOT 演练', '幼儿园食品安全事故')).toEqual({
      matched: true,
      terms: ['幼儿园', '食品安全'],
    });
  });

  it('when a NOT term excludes the text, then it is listed among the found terms', () => {
    expect(testRuleQuery('食品安全 NOT 演练', '食品安全演练')).toEqual({ matched: false, terms: ['食品安全', '演练'] });
  });

  it('when the query is invalid, then it throws RuleQueryError with the position', () => {
    expect(() => testRuleQuery('食品 NEAR/0 安全', '食品安全')).toThrow(expect.objectContaining({ name: 'RuleQueryError', position: 3 }));
  });
});

describe('evaluateRule', () => {
  const node = parseRuleQuery('化工厂 NEAR/2 泄漏 NOT 演练');

  it('when given occurrence positions, then it applies NEAR distances and NOT', () => {
    expect(evaluateRule(node, new Map([['化工厂', [0]], ['泄漏', [5]]]))).toBe(true);
    expect(evaluateRule(node, new Map([['化工厂', [0]], ['泄漏', [6]]]))).toBe(false);
    expect(evaluateRule(node, new Map([['化工厂', [0]], ['泄漏', [5]], ['演练', [9]]]))).toBe(false);
  });

  it('when a term has an empty position list, then it counts as absent', () => {
    expect(evaluateRule(parseRuleQuery('a NOT b'), new Map([['a', [0]], ['b', []]]))).toBe(true);
  });
});

describe('matchByIncludes', () => {
  it('when the rules have no NEAR, then it agrees with the automaton', () => {
    const rules = [
      { id: 2, query: '食品安全 学校' },
      { id: 1, query: '食品 NOT 演练' },
      { id: 3, query: '幼儿园 OR 食堂' },
    ];
    const text = '学校食堂发生食品安全事故';
    expect(matchByIncludes(rules, text)).toEqual(compileRules(rules).match(text));
    expect(matchByIncludes(rules, text).map((m) => m.ruleId)).toEqual([1, 2, 3]);
  });

  it('when a rule uses NEAR, then it only checks that both terms occur', () => {
    const rules = [{ id: 1, query: '化工厂 NEAR/1 泄漏' }];
    expect(matchByIncludes(rules, '化工厂今天发布通报，无泄漏')).toEqual([{ ruleId: 1, terms: ['化工厂', '泄漏'] }]);
    expect(compileRules(rules).match('化工厂今天发布通报，无泄漏')).toEqual([]);
    expect(matchByIncludes(rules, '化工厂今天发布通报')).toEqual([]);
    expect(matchByIncludes(rules, '今天发布通报，无泄漏')).toEqual([]);
  });
});

// --- The automaton against a naive evaluator, on generated rules and texts -------------------

/** Deterministic, so that a failure can be replayed. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T,>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick };
}

// A small alphabet, so that terms overlap, nest and repeat in the texts.
const LETTERS = ['食', '品', '安', '全', '学', '校', 'A', 'b'];
const TEXT_LETTERS = [...LETTERS, ' ', 'ａ', 'B', '\u3000'];

function randomQuery(g: ReturnType<typeof generator>, depth: number): string {
  const word = () => Array.from({ length: 1 + g.int(3) }, () => g.pick(LETTERS)).join('');
  const roll = depth <= 0 ? 0 : g.int(7);
  switch (roll) {
    case 0:
    case 1:
      return g.int(5) === 0 ? `"${word()} ${word()}"` : word();
    case 2:
      return `${word()} NEAR/${1 + g.int(4)} ${word()}`;
    case 3:
      return `${randomQuery(g, depth - 1)} ${g.pick(['AND ', ''])}${randomQuery(g, depth - 1)}`;
    case 4:
      return `${g.pick(['(', '（'])}${randomQuery(g, depth - 1)} OR ${randomQuery(g, depth - 1)}${g.pick([')', '）'])}`;
    case 5:
      return `NOT ${randomQuery(g, depth - 1)}`;
    default:
      return `(${randomQuery(g, depth - 1)})`;
  }
}

/** Every start of `term` in `text`, overlapping ones included, by indexOf. */
function allStarts(text: string, term: string): number[] {
  const starts: number[] = [];
  for (let at = text.indexOf(term); at >= 0; at = text.indexOf(term, at + 1)) starts.push(at);
  return starts;
}

/** The definition, spelled out: every pair of occurrences, every term by indexOf. */
function naiveHolds(node: RuleNode, text: string): boolean {
  switch (node.type) {
    case 'term':
      return text.includes(node.text);
    case 'and':
      return node.children.every((child) => naiveHolds(child, text));
    case 'or':
      return node.children.some((child) => naiveHolds(child, text));
    case 'not':
      return !naiveHolds(node.child, text);
    case 'near': {
      const a = node.left.text;
      const b = node.right.text;
      for (const x of allStarts(text, a)) {
        for (const y of allStarts(text, b)) {
          if (a === b && x === y) continue;
          const gap = Math.max(0, y - (x + a.length), x - (y + b.length));
          if (gap <= node.distance) return true;
        }
      }
      return false;
    }
  }
}

function naiveMatch(rules: { id: number; node: RuleNode }[], rawText: string): RuleMatch[] {
  const text = normalizeText(rawText);
  return rules
    .filter((rule) => naiveHolds(rule.node, text))
    .map((rule) => ({
      ruleId: rule.id,
      terms: ruleTerms(rule.node)
        .filter((term) => text.includes(term))
        .sort((a, b) => text.indexOf(a) - text.indexOf(b)),
    }));
}

describe('compileRules: states with many children', () => {
  // 事故 followed by 20 different characters: the state after 事故 has more children than a short
  // list holds, so it keeps them in a Map. 丁 (U+4E01) and 両 (U+4E21) share their low five bits,
  // so the mask admits one for the other and only the look-up can tell them apart.
  const tails = Array.from({ length: 20 }, (_, i) => String.fromCodePoint(0x4e01 + i));
  const rules = tails.map((tail, i) => ({ id: i + 1, query: `事故${tail}` }));
  const matcher = compileRules([...rules, { id: 100, query: '故両' }, { id: 101, query: '事故' }]);

  it('when the text continues a wide state with one of its children, then exactly that term is found', () => {
    expect(matcher.match('发生事故丁').map((m) => m.ruleId)).toEqual([1, 101]);
    expect(matcher.match('发生事故丈后').map((m) => m.ruleId)).toEqual([tails.indexOf('丈') + 1, 101]);
    expect(matcher.match(`事故${tails[1]}，又一事故${tails[19]}`).map((m) => m.ruleId)).toEqual([2, 20, 101]);
  });

  it('when the character after a wide state is none of its children, then it falls back and still finds a shorter term', () => {
    expect(matcher.match('事故両').map((m) => m.ruleId)).toEqual([100, 101]);
    expect(matcher.match('事故乙').map((m) => m.ruleId)).toEqual([101]);
    expect(matcher.match('事故😀').map((m) => m.ruleId)).toEqual([101]);
  });

  it('when random texts over a large alphabet meet terms branching more than 16 ways at several depths, then it agrees with the naive evaluator', () => {
    const g = generator(16);
    const alphabet = Array.from({ length: 40 }, (_, i) => String.fromCodePoint(0x4e00 + i * 17));
    const terms = new Set<string>();
    for (const head of alphabet.slice(0, 3)) for (const tail of alphabet) terms.add(head + tail);
    for (const tail of alphabet.slice(0, 24)) terms.add(alphabet[5]! + alphabet[6]! + tail);
    while (terms.size < 200) terms.add(Array.from({ length: 1 + g.int(4) }, () => g.pick(alphabet)).join(''));
    const wide = [...terms].map((text, i) => ({ id: i + 1, node: parseRuleQuery(text) }));
    const compiled = compileRules(wide.map((r) => ({ id: r.id, query: r.node })));
    let matches = 0;
    for (let n = 0; n < 300; n++) {
      const text = Array.from({ length: 5 + g.int(30) }, () => g.pick(alphabet)).join('');
      const expected = naiveMatch(wide, text);
      expect(compiled.match(text), text).toEqual(expected);
      matches += expected.length;
    }
    expect(matches).toBeGreaterThan(300);
  });
});

describe('compileRules against a naive evaluator', () => {
  it('when hundreds of generated rules meet generated texts, then both find the same matches and terms', () => {
    const g = generator(20240607);
    const rules: { id: number; node: RuleNode }[] = [];
    let rejected = 0;
    while (rules.length < 300) {
      const query = randomQuery(g, 3);
      try {
        rules.push({ id: rules.length + 1, node: parseRuleQuery(query) });
      } catch (err) {
        if (!(err instanceof RuleQueryError)) throw err;
        rejected++;
      }
    }
    const matcher = compileRules(rules.map((r) => ({ id: r.id, query: r.node })));
    let matches = 0;
    let nearMatches = 0;
    for (let n = 0; n < 300; n++) {
      const text = Array.from({ length: 5 + g.int(40) }, () => g.pick(TEXT_LETTERS)).join('');
      const expected = naiveMatch(rules, text);
      expect(matcher.match(text), text).toEqual(expected);
      matches += expected.length;
      nearMatches += expected.filter((m) => JSON.stringify(rules[m.ruleId - 1]!.node).includes('"near"')).length;
    }
    // The generator must exercise every path: rejected queries, matches, and NEAR among them.
    expect(rejected).toBeGreaterThan(0);
    expect(matches).toBeGreaterThan(1000);
    expect(nearMatches).toBeGreaterThan(100);
  });

  it('when rules have no NEAR, then the includes baseline agrees too', () => {
    const g = generator(7);
    const rules: { id: number; query: RuleNode }[] = [];
    while (rules.length < 200) {
      const query = randomQuery(g, 3);
      if (query.includes('NEAR')) continue;
      try {
        rules.push({ id: rules.length + 1, query: parseRuleQuery(query) });
      } catch (err) {
        if (!(err instanceof RuleQueryError)) throw err;
      }
    }
    const matcher = compileRules(rules);
    for (let n = 0; n < 200; n++) {
      const text = Array.from({ length: 5 + g.int(40) }, () => g.pick(TEXT_LETTERS)).join('');
      expect(matcher.match(text), text).toEqual(matchByIncludes(rules, text));
    }
  });
});
