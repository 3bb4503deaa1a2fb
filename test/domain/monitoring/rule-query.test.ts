import { describe, expect, it } from 'vitest';
import {
  MAX_NESTING,
  RuleQueryError,
  formatRuleQuery,
  parseRuleQuery,
  positiveTerms,
  ruleTerms,
  type RuleNode,
} from '../../../src/domain/monitoring/rule-query.js';

const term = (text: string, raw = text): RuleNode => ({ type: 'term', text, raw });

/** The tree without `raw`, which records spelling, not meaning. */
function shape(node: RuleNode): unknown {
  switch (node.type) {
    case 'term':
      return node.text;
    case 'near':
      return { near: node.distance, left: node.left.text, right: node.right.text };
    case 'and':
    case 'or':
      return { [node.type]: node.children.map(shape) };
    case 'not':
      return { not: shape(node.child) };
  }
}

function parseError(query: string): RuleQueryError {
  try {
    parseRuleQuery(query);
  } catch (err) {
    if (err instanceof RuleQueryError) return err;
    throw err;
  }
  throw new Error(`expected ${JSON.stringify(query)} to be rejected`);
}

describe('parseRuleQuery: valid queries', () => {
  it('when a query combines AND, a group and NOT, then NOT applies only to the word after it', () => {
    expect(parseRuleQuery('食品安全 AND (学校 OR 幼儿园) NOT 演练')).toEqual({
      type: 'and',
      children: [
        term('食品安全'),
        { type: 'or', children: [term('学校'), term('幼儿园')] },
        { type: 'not', child: term('演练') },
      ],
    });
  });

  it('when a phrase is quoted, then it is one term with its inner space', () => {
    expect(parseRuleQuery('"燃气 爆炸"')).toEqual(term('燃气 爆炸', '"燃气 爆炸"'));
    expect(parseRuleQuery('“燃气  爆炸”')).toEqual(term('燃气 爆炸', '“燃气  爆炸”'));
    expect(parseRuleQuery('＂燃气 爆炸＂')).toEqual(term('燃气 爆炸', '＂燃气 爆炸＂'));
  });

  it('when a phrase contains operator words or parentheses, then they are literal text', () => {
    expect(parseRuleQuery('"食品 AND 安全 (通报)"')).toEqual(term('食品 and 安全 (通报)', '"食品 AND 安全 (通报)"'));
    expect(parseRuleQuery('“他说"NOT"”')).toEqual(term('他说"not"', '“他说"NOT"”'));
  });

  it('when NEAR/n joins two terms, then it is a near node with that distance', () => {
    expect(parseRuleQuery('化工厂 NEAR/10 泄漏')).toEqual({ type: 'near', left: term('化工厂'), right: term('泄漏'), distance: 10 });
    expect(parseRuleQuery('"燃气 管道" NEAR/1000 爆炸')).toEqual({
      type: 'near',
      left: term('燃气 管道', '"燃气 管道"'),
      right: term('爆炸'),
      distance: 1000,
    });
  });

  it('when parentheses and operators are full-width, then they work like ASCII ones', () => {
    expect(parseRuleQuery('（暴雨 OR 内涝）')).toEqual({ type: 'or', children: [term('暴雨'), term('内涝')] });
    expect(shape(parseRuleQuery('（暴雨 ＯＲ 内涝） 预警'))).toEqual({ and: [{ or: ['暴雨', '内涝'] }, '预警'] });
    expect(shape(parseRuleQuery('化工厂 ＮＥＡＲ／５ 泄漏'))).toEqual({ near: 5, left: '化工厂', right: '泄漏' });
  });

  it('when operands are side by side, then they are joined by AND', () => {
    expect(parseRuleQuery('食品 安全 学校')).toEqual({ type: 'and', children: [term('食品'), term('安全'), term('学校')] });
    expect(shape(parseRuleQuery('食品"安全"(学校)'))).toEqual({ and: ['食品', '安全', '学校'] });
  });

  it('when operator words are not in capitals, then they are ordinary terms', () => {
    expect(shape(parseRuleQuery('食品 and 安全'))).toEqual({ and: ['食品', 'and', '安全'] });
    expect(shape(parseRuleQuery('a or b Not c near/3'))).toEqual({ and: ['a', 'or', 'b', 'not', 'c', 'near/3'] });
  });

  it('when a term is full-width or has capitals, then its text is normalised and its raw form kept', () => {
    expect(parseRuleQuery('ＣＯＶＩＤ－１９')).toEqual(term('covid-19', 'ＣＯＶＩＤ－１９'));
  });

  it('when a group repeats its parent operator, then it is merged into the parent', () => {
    expect(shape(parseRuleQuery('(a AND b) AND c d'))).toEqual({ and: ['a', 'b', 'c', 'd'] });
    expect(shape(parseRuleQuery('a OR (b OR c)'))).toEqual({ or: ['a', 'b', 'c'] });
  });

  it('when a group holds a single term, then it may be a NEAR operand', () => {
    expect(shape(parseRuleQuery('(化工厂) NEAR/3 泄漏'))).toEqual({ near: 3, left: '化工厂', right: '泄漏' });
  });

  it('when NOT is doubled, then the term is required again and the query is valid', () => {
    expect(shape(parseRuleQuery('NOT NOT 食品'))).toEqual({ not: { not: '食品' } });
  });

  it(`when parentheses nest ${MAX_NESTING} deep, then the query is still accepted`, () => {
    expect(parseRuleQuery(`${'('.repeat(MAX_NESTING)}a${')'.repeat(MAX_NESTING)}`)).toEqual(term('a'));
  });

  it(`when more than ${MAX_NESTING} groups or NOTs follow one another without nesting, then the query is accepted`, () => {
    const groups = Array.from({ length: MAX_NESTING + 20 }, (_, i) => `(词${i})`).join(' ');
    expect(ruleTerms(parseRuleQuery(groups))).toHaveLength(MAX_NESTING + 20);
    const nots = ['食品', ...Array.from({ length: MAX_NESTING + 20 }, (_, i) => `NOT 词${i}`)].join(' ');
    expect(positiveTerms(parseRuleQuery(nots))).toEqual(['食品']);
  });
});

describe('parseRuleQuery: precedence', () => {
  const cases: [string, string][] = [
    ['a OR b c', 'a OR b AND c'],
    ['a b OR c', 'a AND b OR c'],
    ['(a OR b) c', '(a OR b) AND c'],
    ['a NOT b', 'a AND NOT b'],
    ['NOT a b', 'NOT a AND b'],
    ['a NOT b OR c', 'a AND NOT b OR c'],
    ['a NOT (b OR c)', 'a AND NOT (b OR c)'],
    ['a b NEAR/3 c', 'a AND b NEAR/3 c'],
    ['a OR b NEAR/3 c', 'a OR b NEAR/3 c'],
    ['a NOT (b NEAR/3 c)', 'a AND NOT (b NEAR/3 c)'],
    ['a NOT NOT b', 'a AND NOT NOT b'],
    ['((a OR b) (c OR d)) OR e', '(a OR b) AND (c OR d) OR e'],
  ];
  for (const [query, canonical] of cases) {
    it(`when "${query}" is formatted, then it reads "${canonical}"`, () => {
      expect(formatRuleQuery(parseRuleQuery(query))).toBe(canonical);
    });
  }

  it('when OR and AND are mixed, then AND binds tighter', () => {
    expect(shape(parseRuleQuery('a OR b c'))).toEqual({ or: ['a', { and: ['b', 'c'] }] });
  });

  it('when NEAR and AND are mixed, then NEAR binds tighter', () => {
    expect(shape(parseRuleQuery('a b NEAR/3 c'))).toEqual({ and: ['a', { near: 3, left: 'b', right: 'c' }] });
  });
});

describe('formatRuleQuery', () => {
  it('when a term needs quoting, then it is quoted so that it reads back the same', () => {
    expect(formatRuleQuery(parseRuleQuery('"燃气 爆炸" 通报'))).toBe('"燃气 爆炸" AND 通报');
    expect(formatRuleQuery(parseRuleQuery('“他说"不"”'))).toBe('“他说"不"”');
    expect(formatRuleQuery(parseRuleQuery('"(通报)"'))).toBe('"(通报)"');
  });

  it('when the canonical text is parsed again, then the same tree comes back', () => {
    const queries = [
      '食品安全 AND (学校 OR 幼儿园) NOT 演练',
      '"燃气 AND 爆炸" OR （暴雨 内涝）',
      '化工厂 NEAR/10 "有毒 气体" NOT (演练 OR 演习)',
      'NOT NOT a OR (b NOT (c d)) e',
      '“他说"不"” "(通报)" ＣＯＶＩＤ',
      'a NOT (b NEAR/3 c)',
    ];
    for (const query of queries) {
      const node = parseRuleQuery(query);
      expect(shape(parseRuleQuery(formatRuleQuery(node))), query).toEqual(shape(node));
    }
  });

  it('when a tree is built by hand with a nested group of the same operator, then the group keeps its parentheses', () => {
    expect(formatRuleQuery({ type: 'and', children: [term('a'), { type: 'and', children: [term('b'), term('c')] }] })).toBe('a AND (b AND c)');
  });
});

describe('ruleTerms and positiveTerms', () => {
  it('when terms repeat or are negated, then ruleTerms lists each once in written order', () => {
    expect(ruleTerms(parseRuleQuery('食品 OR (食品 AND NOT 演练) 化工厂 NEAR/3 演练'))).toEqual(['食品', '演练', '化工厂']);
  });

  it('when terms are under NOT, then positiveTerms leaves them out unless negated twice or also written plainly', () => {
    expect(positiveTerms(parseRuleQuery('食品 NOT 演练 NOT (广告 OR NOT 通报)'))).toEqual(['食品', '通报']);
    expect(positiveTerms(parseRuleQuery('演练 OR (食品 NOT 演练)'))).toEqual(['演练', '食品']);
  });
});

describe('parseRuleQuery: invalid queries', () => {
  const cases: [string, string, number, string][] = [
    ['an empty query', '', 0, '规则为空'],
    ['a query of only spaces', ' \u3000 ', 0, '规则为空'],
    ['an unclosed parenthesis', '(食品 OR 安全', 0, '缺少右括号'],
    ['an unclosed outer parenthesis', '食品 AND (安全 OR (学校)', 7, '缺少右括号'],
    ['an unclosed full-width parenthesis', '食品 （安全', 3, '缺少右括号'],
    ['an extra closing parenthesis', '食品)', 2, '多余的右括号'],
    ['an extra closing parenthesis after a group', '(食品) 安全)', 7, '多余的右括号'],
    ['a closing parenthesis first', '）食品', 0, '多余的右括号'],
    ['empty parentheses', '食品 ()', 3, '括号内没有内容'],
    ['a parenthesis opened at the very end', '食品 AND (', 7, '缺少右括号'],
    ['only an opening parenthesis', '（', 0, '缺少右括号'],
    ['AND without a left operand', 'AND 食品', 0, 'AND 前面缺少关键词'],
    ['OR without a left operand inside a group', '食品 (OR 安全)', 4, 'OR 前面缺少关键词'],
    ['OR without a right operand', '食品 OR', 3, 'OR 后面缺少关键词'],
    ['AND followed by OR', '食品 AND OR 安全', 3, 'AND 后面缺少关键词'],
    ['OR before a closing parenthesis', '(食品 OR) 安全', 4, 'OR 后面缺少关键词'],
    ['NOT alone', 'NOT', 0, 'NOT 后面缺少关键词'],
    ['NOT at the end', '食品 NOT', 3, 'NOT 后面缺少关键词'],
    ['NEAR without a right operand', '食品 NEAR/3', 3, 'NEAR/3 后面缺少关键词'],
    ['NEAR without a left operand', 'NEAR/3 食品', 0, 'NEAR/3 前面缺少关键词'],
    ['NEAR without a distance', '食品 NEAR 安全', 3, 'NEAR 需要写明距离'],
    ['NEAR with an empty distance', '食品 NEAR/ 安全', 3, '1 到 1000 之间的整数'],
    ['NEAR/0', '食品 NEAR/0 安全', 3, '1 到 1000 之间的整数'],
    ['a negative NEAR distance', '食品 NEAR/-1 安全', 3, '1 到 1000 之间的整数'],
    ['a fractional NEAR distance', '食品 NEAR/1.5 安全', 3, '1 到 1000 之间的整数'],
    ['a NEAR distance that is not a number', '食品 NEAR/abc 安全', 3, '1 到 1000 之间的整数'],
    ['a NEAR distance over 1000', '食品 NEAR/1001 安全', 3, '1 到 1000 之间的整数'],
    ['a group as the left NEAR operand', '(a OR b) NEAR/3 c', 0, 'NEAR 两边必须是单个关键词'],
    ['a group as the right NEAR operand', 'a NEAR/3 (b OR c)', 9, 'NEAR 两边必须是单个关键词'],
    ['NOT as the left NEAR operand', 'NOT a NEAR/3 b', 0, 'NEAR 两边必须是单个关键词'],
    ['NOT as the right NEAR operand', 'a NEAR/3 NOT b', 9, 'NEAR 两边必须是单个关键词'],
    ['a chain of NEARs', 'a NEAR/3 b NEAR/3 c', 11, 'NEAR 不能连用'],
    ['an unterminated quote', '食品 "燃气 爆炸', 3, '没有闭合'],
    ['an unterminated Chinese quote', '“燃气', 0, '没有闭合'],
    ['a straight quote closed by a Chinese one', '"燃气”', 0, '没有闭合'],
    ['an empty phrase', '食品 ""', 3, '引号内没有内容'],
    ['a phrase of spaces', '"  "', 0, '引号内没有内容'],
    ['an empty Chinese phrase', '“”', 0, '引号内没有内容'],
    ['a closing Chinese quote without an opening one', '食品”', 2, '前面没有对应的左引号'],
    ['a term of invisible characters', '食品 \u200b\u00ad', 3, '只含不可见字符'],
    ['only NOT', 'NOT 广告', 0, '规则不能只由 NOT 组成'],
    ['OR with a NOT alternative', 'a OR NOT b', 0, '规则不能只由 NOT 组成'],
    ['NOT of a group', 'NOT (a b)', 0, '规则不能只由 NOT 组成'],
    ['two negated alternatives', 'NOT a OR NOT b', 0, '规则不能只由 NOT 组成'],
    ['nesting too deep', `${'('.repeat(MAX_NESTING + 1)}a${')'.repeat(MAX_NESTING + 1)}`, MAX_NESTING, '嵌套过深'],
    ['NOTs too deep', `${'NOT '.repeat(MAX_NESTING + 2)}a`, MAX_NESTING * 4, '嵌套过深'],
  ];
  for (const [what, query, position, reason] of cases) {
    it(`when the query has ${what}, then it is rejected at ${position}`, () => {
      const err = parseError(query);
      expect(err.position).toBe(position);
      expect(err.reason).toContain(reason);
    });
  }

  it('when a query is rejected, then the message names the character, counted from 1', () => {
    const err = parseError('(食品 OR 安全');
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('RuleQueryError');
    expect(err.message).toBe('第 1 个字符处：缺少右括号 ")"：这个左括号没有闭合');
    expect(parseError('食品 AND (安全 OR (学校)').message).toBe('第 8 个字符处：缺少右括号 ")"：这个左括号没有闭合');
  });

  it('when a character outside the BMP precedes the error, then the position is a string index and the message counts it once', () => {
    const err = parseError('𠮷 )');
    expect(err.position).toBe(3);
    expect(err.message).toBe('第 3 个字符处：多余的右括号 ")"：前面没有对应的左括号');
  });

  it('when the query needs no term, then the message explains that a required word is missing', () => {
    expect(parseError('NOT 广告').message).toBe('第 1 个字符处：规则不能只由 NOT 组成：至少需要一个必须出现的词（否则不含任何关键词的文本也会命中）');
  });
});
