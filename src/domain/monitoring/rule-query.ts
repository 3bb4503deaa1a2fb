import { normalizeText } from './normalize.js';

/**
 * The query language of a monitoring rule (监测规则):
 *
 *   食品安全 AND (学校 OR 幼儿园) NOT 演练
 *   "燃气 爆炸"          化工厂 NEAR/10 泄漏          （暴雨 OR 内涝） 预警
 *
 * - a term is any run of characters other than whitespace, parentheses and quotes; it matches as a
 *   substring of the normalised text (see normalize.ts), so it needs no word boundaries;
 * - a phrase in "…" or “…” may contain spaces and the operator words, which are then literal;
 * - AND, OR, NOT and NEAR/n are operators only when written in capitals (half- or full-width):
 *   `and` is an ordinary term;
 * - two operands side by side are joined by AND;
 * - `a NEAR/n b`: a and b, each a term or phrase, occur at most n characters apart (1 ≤ n ≤ 1000);
 * - precedence, tightest first: NOT, NEAR, AND, OR. So `a NOT b` is `a AND (NOT b)` and
 *   `a OR b c` is `a OR (b AND c)`;
 * - parentheses may be ASCII or full-width.
 *
 * Every query must require at least one term to be present: `NOT 广告` alone, or `a OR NOT b`,
 * would match text that contains none of its terms, i.e. almost every item of every feed.
 */

export interface TermNode {
  type: 'term';
  /** Normalised with normalizeText: what is looked for in the normalised text. */
  text: string;
  /** As written in the query, quotes included. */
  raw: string;
}
export type RuleNode =
  | TermNode
  | { type: 'and'; children: RuleNode[] }
  | { type: 'or'; children: RuleNode[] }
  | { type: 'not'; child: RuleNode }
  | { type: 'near'; left: TermNode; right: TermNode; distance: number };

export const MAX_NEAR_DISTANCE = 1000;
/** Nested parentheses and NOTs: far beyond any real rule, low enough to never exhaust the stack. */
export const MAX_NESTING = 100;

/**
 * An invalid query. `position` is the index in the query string (UTF-16, as for `slice` or a text
 * field's selection); the message counts characters as a reader does, from 1.
 */
export class RuleQueryError extends Error {
  override name = 'RuleQueryError';

  constructor(
    /** What is wrong, without the position. */
    readonly reason: string,
    readonly position: number,
    query: string,
  ) {
    super(`第 ${[...query.slice(0, position)].length + 1} 个字符处：${reason}`);
  }
}

export function parseRuleQuery(query: string): RuleNode {
  const tokens = tokenize(query);
  if (tokens.length === 1) throw new RuleQueryError('规则为空：请至少写一个关键词', 0, query);
  const node = new Parser(tokens, query).parseQuery();
  if (matchesWithoutTerms(node)) {
    throw new RuleQueryError('规则不能只由 NOT 组成：至少需要一个必须出现的词（否则不含任何关键词的文本也会命中）', 0, query);
  }
  return node;
}

/** The distinct term texts of the query, negated ones included, in the order they are written. */
export function ruleTerms(node: RuleNode): string[] {
  const terms = new Set<string>();
  visitTerms(node, false, (term) => terms.add(term.text));
  return [...terms];
}

/**
 * The distinct term texts under an even number of NOTs: the terms whose presence can make the
 * rule match. A valid rule matches only text that contains at least one of them.
 */
export function positiveTerms(node: RuleNode): string[] {
  const terms = new Set<string>();
  visitTerms(node, false, (term, negated) => {
    if (!negated) terms.add(term.text);
  });
  return [...terms];
}

/** Whether the rule matches text in which none of its terms occurs. */
export function matchesWithoutTerms(node: RuleNode): boolean {
  switch (node.type) {
    case 'term':
    case 'near':
      return false;
    case 'and':
      return node.children.every(matchesWithoutTerms);
    case 'or':
      return node.children.some(matchesWithoutTerms);
    case 'not':
      return !matchesWithoutTerms(node.child);
  }
}

function visitTerms(node: RuleNode, negated: boolean, visit: (term: TermNode, negated: boolean) => void): void {
  switch (node.type) {
    case 'term':
      return visit(node, negated);
    case 'near':
      visit(node.left, negated);
      return visit(node.right, negated);
    case 'and':
    case 'or':
      for (const child of node.children) visitTerms(child, negated, visit);
      return;
    case 'not':
      return visitTerms(node.child, !negated, visit);
  }
}

// Binding strength, for deciding where formatRuleQuery needs parentheses.
const PRECEDENCE: Record<RuleNode['type'], number> = { or: 1, and: 2, near: 3, not: 4, term: 5 };

/**
 * The query in one canonical spelling: explicit AND, ASCII parentheses only where precedence
 * needs them, normalised terms, quotes only where a term could not be read bare. Parsing the
 * result gives back the same tree (up to `raw`).
 */
export function formatRuleQuery(node: RuleNode): string {
  switch (node.type) {
    case 'term':
      return formatTerm(node.text);
    case 'near':
      return `${formatTerm(node.left.text)} NEAR/${node.distance} ${formatTerm(node.right.text)}`;
    case 'and':
    case 'or': {
      const operator = node.type === 'and' ? ' AND ' : ' OR ';
      return node.children.map((child) => formatOperand(child, PRECEDENCE[node.type])).join(operator);
    }
    case 'not':
      return `NOT ${formatOperand(node.child, PRECEDENCE.not - 1)}`;
  }
}

function formatOperand(child: RuleNode, parentPrecedence: number): string {
  const text = formatRuleQuery(child);
  return PRECEDENCE[child.type] > parentPrecedence ? text : `(${text})`;
}

// A normalised term is lower-case, so it can never be read back as an operator; it needs quotes
// only for the characters that would end a bare term. A `"…"` phrase cannot contain `"` and a
// `“…”` phrase cannot contain `”`, so one of the two spellings always fits.
function formatTerm(text: string): string {
  if (!/[\s()（）"＂“”]/.test(text)) return text;
  return text.includes('"') ? `“${text}”` : `"${text}"`;
}

type Token =
  | { kind: 'term'; pos: number; node: TermNode }
  | { kind: 'near'; pos: number; distance: number }
  | { kind: 'and' | 'or' | 'not' | 'lparen' | 'rparen' | 'end'; pos: number };

const SPACE = /\s/;
const OPEN_PARENS = '(（';
const CLOSE_PARENS = ')）';
/** Opening quote → the characters that close it. */
const QUOTES: Readonly<Record<string, string>> = { '"': '"＂', '＂': '"＂', '“': '”' };
const ENDS_BARE_TERM = /[\s()（）"＂“”]/;

// The query is read as written, not normalised first: normalising would lower-case the operators
// and could change the length of the text before an error, so positions would no longer point into
// what the user typed. Full-width parentheses and quotes are recognised directly; operators after
// NFKC only (so ＡＮＤ counts), and each term's text is normalised on its own.
function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const ch = query[i]!;
    if (SPACE.test(ch)) {
      i++;
    } else if (OPEN_PARENS.includes(ch)) {
      tokens.push({ kind: 'lparen', pos: i++ });
    } else if (CLOSE_PARENS.includes(ch)) {
      tokens.push({ kind: 'rparen', pos: i++ });
    } else if (QUOTES[ch] !== undefined) {
      const closers = QUOTES[ch];
      let end = i + 1;
      while (end < query.length && !closers.includes(query[end]!)) end++;
      if (end === query.length) throw new RuleQueryError(`引号 ${ch} 没有闭合：缺少与之配对的右引号`, i, query);
      const text = normalizeText(query.slice(i + 1, end));
      if (text === '') throw new RuleQueryError('引号内没有内容', i, query);
      tokens.push({ kind: 'term', pos: i, node: { type: 'term', text, raw: query.slice(i, end + 1) } });
      i = end + 1;
    } else if (ch === '”') {
      throw new RuleQueryError('右引号 ” 前面没有对应的左引号', i, query);
    } else {
      let end = i + 1;
      while (end < query.length && !ENDS_BARE_TERM.test(query[end]!)) end++;
      tokens.push(bareWord(query.slice(i, end), i, query));
      i = end;
    }
  }
  tokens.push({ kind: 'end', pos: query.length });
  return tokens;
}

function bareWord(raw: string, pos: number, query: string): Token {
  const word = raw.normalize('NFKC');
  if (word === 'AND') return { kind: 'and', pos };
  if (word === 'OR') return { kind: 'or', pos };
  if (word === 'NOT') return { kind: 'not', pos };
  if (word === 'NEAR') throw new RuleQueryError('NEAR 需要写明距离，例如 NEAR/10', pos, query);
  if (word.startsWith('NEAR/')) {
    const digits = word.slice('NEAR/'.length);
    const distance = /^\d{1,4}$/.test(digits) ? Number(digits) : NaN;
    if (!(distance >= 1 && distance <= MAX_NEAR_DISTANCE)) {
      throw new RuleQueryError(`NEAR 的距离必须是 1 到 ${MAX_NEAR_DISTANCE} 之间的整数，例如 NEAR/10`, pos, query);
    }
    return { kind: 'near', pos, distance };
  }
  const text = normalizeText(raw);
  if (text === '') throw new RuleQueryError('这个词只含不可见字符，不能作为关键词', pos, query);
  return { kind: 'term', pos, node: { type: 'term', text, raw } };
}

const OPERATOR_NAMES: Partial<Record<Token['kind'], string>> = { and: 'AND', or: 'OR', not: 'NOT' };
function operatorName(token: Token): string {
  return token.kind === 'near' ? `NEAR/${token.distance}` : (OPERATOR_NAMES[token.kind] ?? '');
}

/**
 * Why an operand is being read, which decides what to say when there is none: after an operator
 * the operator lacks its right side; right after "(" the group is empty or unclosed; at the start
 * of the query a binary operator lacks its left side.
 */
type OperandContext = { after: 'operator'; operator: Token } | { after: 'lparen'; lparen: Token } | { after: 'start' };

/**
 * Recursive descent, one function per precedence level:
 *
 *   query   = or END
 *   or      = and { "OR" and }
 *   and     = near { ["AND"] near }          -- no AND: the next token starts an operand
 *   near    = unary { "NEAR/n" unary }       -- both sides must be terms
 *   unary   = "NOT" unary | primary
 *   primary = TERM | "(" or ")"
 */
class Parser {
  private next = 0;
  private depth = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly query: string,
  ) {}

  parseQuery(): RuleNode {
    const node = this.parseOr({ after: 'start' });
    const token = this.peek();
    // parseOr stops only at the end or at a ")" it did not open.
    if (token.kind !== 'end') this.fail('多余的右括号 ")"：前面没有对应的左括号', token);
    return node;
  }

  private parseOr(context: OperandContext): RuleNode {
    const children = [this.parseAnd(context)];
    while (this.peek().kind === 'or') {
      const operator = this.take();
      children.push(this.parseAnd({ after: 'operator', operator }));
    }
    return combine('or', children);
  }

  private parseAnd(context: OperandContext): RuleNode {
    const children = [this.parseNear(context)];
    for (;;) {
      const token = this.peek();
      if (token.kind === 'and') {
        this.take();
        children.push(this.parseNear({ after: 'operator', operator: token }));
      } else if (token.kind === 'term' || token.kind === 'lparen' || token.kind === 'not') {
        children.push(this.parseNear({ after: 'operator', operator: token }));
      } else {
        return combine('and', children);
      }
    }
  }

  private parseNear(context: OperandContext): RuleNode {
    const leftToken = this.peek();
    let left = this.parseUnary(context);
    while (this.peek().kind === 'near') {
      const operator = this.take() as Extract<Token, { kind: 'near' }>;
      if (left.type === 'near') this.fail('NEAR 不能连用：请用括号和 AND 组合多个 NEAR', operator);
      if (left.type !== 'term') this.failNearOperand(leftToken);
      const rightToken = this.peek();
      const right = this.parseUnary({ after: 'operator', operator });
      if (right.type !== 'term') this.failNearOperand(rightToken);
      left = { type: 'near', left, right, distance: operator.distance };
    }
    return left;
  }

  private parseUnary(context: OperandContext): RuleNode {
    const token = this.peek();
    if (token.kind !== 'not') return this.parsePrimary(context);
    this.take();
    this.enter(token);
    const child = this.parseUnary({ after: 'operator', operator: token });
    this.depth--;
    return { type: 'not', child };
  }

  private parsePrimary(context: OperandContext): RuleNode {
    const token = this.peek();
    if (token.kind === 'term') {
      this.take();
      return token.node;
    }
    if (token.kind === 'lparen') {
      this.take();
      this.enter(token);
      const inner = this.parseOr({ after: 'lparen', lparen: token });
      // parseOr stops only at ")" or at the end.
      if (this.peek().kind !== 'rparen') this.fail('缺少右括号 ")"：这个左括号没有闭合', token);
      this.take();
      this.depth--;
      return inner;
    }
    return this.failMissingOperand(context, token);
  }

  private failMissingOperand(context: OperandContext, found: Token): never {
    if (context.after === 'operator') this.fail(`${operatorName(context.operator)} 后面缺少关键词`, context.operator);
    if (context.after === 'lparen' && found.kind === 'rparen') this.fail('括号内没有内容', context.lparen);
    if (context.after === 'lparen' && found.kind === 'end') this.fail('缺少右括号 ")"：这个左括号没有闭合', context.lparen);
    if (found.kind === 'rparen') this.fail('多余的右括号 ")"：前面没有对应的左括号', found);
    return this.fail(`${operatorName(found)} 前面缺少关键词`, found);
  }

  private failNearOperand(operandStart: Token): never {
    return this.fail('NEAR 两边必须是单个关键词或带引号的短语，不能是括号组合或 NOT', operandStart);
  }

  private enter(token: Token): void {
    if (++this.depth > MAX_NESTING) this.fail(`括号或 NOT 嵌套过深（最多 ${MAX_NESTING} 层）`, token);
  }

  private peek(): Token {
    return this.tokens[this.next]!;
  }

  private take(): Token {
    return this.tokens[this.next++]!;
  }

  private fail(reason: string, at: Token): never {
    throw new RuleQueryError(reason, at.pos, this.query);
  }
}

/** One operand stays itself; a parenthesised group of the same operator is merged into its parent. */
function combine(type: 'and' | 'or', operands: RuleNode[]): RuleNode {
  if (operands.length === 1) return operands[0]!;
  return { type, children: operands.flatMap((child) => (child.type === type ? child.children : [child])) };
}
