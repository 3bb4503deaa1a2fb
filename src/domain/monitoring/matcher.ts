import { normalizeText } from './normalize.js';
import { RuleQueryError, formatRuleQuery, matchesWithoutTerms, parseRuleQuery, positiveTerms, ruleTerms, type RuleNode } from './rule-query.js';

/**
 * Matching feed text against every enabled rule at once.
 *
 * All the distinct terms of all rules go into one Aho–Corasick automaton, which finds every
 * occurrence of every term in a single pass over the normalised text, however many terms there
 * are. Only the rules that contain one of the found terms outside a NOT are then evaluated: a
 * valid rule cannot match text that contains none of them (parseRuleQuery rejects the ones that
 * could), so the others are skipped without being looked at. The cost of `match` therefore grows
 * with the length of the text, the occurrences found and the rules they concern, not with the
 * number of rules.
 *
 * Positions and NEAR distances count characters (code points) of the normalised text.
 */

export interface RuleSource {
  id: number;
  query: string | RuleNode;
}

export interface RuleMatch {
  ruleId: number;
  /** The distinct terms of the rule present in the text, by first occurrence, negated ones included. */
  terms: string[];
}

/** What one `match` call did; filled in when passed, for tests and benchmarks. */
export interface MatchStats {
  /** Distinct terms of any rule found in the text. */
  termsFound: number;
  /** Rules whose query was evaluated: those with a non-negated term among the found ones. */
  rulesEvaluated: number;
}

export interface RuleMatcher {
  readonly ruleCount: number;
  readonly termCount: number;
  /** The rules matching the text, ordered by id. */
  match(text: string, stats?: MatchStats): RuleMatch[];
  /** The same for text already normalised (normalizeText): ingest normalises each item once. */
  matchNormalized(text: string, stats?: MatchStats): RuleMatch[];
}

/**
 * Occurrences kept per term and text. Only NEAR looks at more than the first one, and a feed item
 * is far shorter, so the cap only bounds memory for pathological input.
 */
export const MAX_POSITIONS_PER_TERM = 1000;

/** Throws RuleQueryError for an invalid query string, or a tree that needs no term to match. */
export function compileRules(rules: readonly RuleSource[]): RuleMatcher {
  return new CompiledRules(rules);
}

/**
 * Which of `terms` (normalised) occur in already normalised text, each once, in the order of
 * `terms`: one pass of the same automaton the rules use, whatever the number of terms.
 */
export function compileTermFinder(terms: readonly string[]): (normalizedText: string) => string[] {
  const automaton = new TermAutomaton(terms);
  return (text) => {
    const found = automaton.scan(text);
    const out = noTerms();
    for (const i of [...found.keys()].sort((a, b) => a - b)) out.push(terms[i]!);
    return out;
  };
}

/**
 * An empty list of terms with the array map a list of strings has (packed elements, not small
 * integers): every list of found words starts as this one, so that code looping over them sees
 * one kind of array. (`[]` and `map`'s results are of other kinds: V8 threw away ingest's
 * optimised code when a loop over found words met a second kind.)
 */
export const noTerms = (): string[] => [''].slice(0, 0);

/** One query against one text, for trying a rule out before saving it (POST /api/rules/test). */
export function testRuleQuery(query: string, text: string): { matched: boolean; terms: string[] } {
  const compiled = new CompiledRules([{ id: 0, query: parseRuleQuery(query) }]);
  const rule = compiled.rules[0]!;
  const found = compiled.scan(text);
  // The terms are reported even when the rule does not match, so that one can see which NOT
  // term excluded the text or which NEAR pair was too far apart.
  return { matched: evaluateRule(rule.node, compiled.byText(found)), terms: compiled.termsFound(rule, found) };
}

/**
 * Whether the rule matches, given where each term occurs: `found` maps a normalised term to the
 * ascending start positions of its occurrences; a term that is absent, or has no positions, does
 * not occur.
 */
export function evaluateRule(node: RuleNode, found: ReadonlyMap<string, readonly number[]>): boolean {
  switch (node.type) {
    case 'term':
      return (found.get(node.text)?.length ?? 0) > 0;
    case 'and':
      return node.children.every((child) => evaluateRule(child, found));
    case 'or':
      return node.children.some((child) => evaluateRule(child, found));
    case 'not':
      return !evaluateRule(node.child, found);
    case 'near': {
      const left = found.get(node.left.text);
      const right = found.get(node.right.text);
      if (!left?.length || !right?.length) return false;
      if (node.left.text === node.right.text) return repeatsWithin(left, codePointLength(node.left.text), node.distance);
      return occurWithin(left, codePointLength(node.left.text), right, codePointLength(node.right.text), node.distance);
    }
  }
}

/**
 * Whether some occurrence of a (starts `as`, `aLength` long) and some occurrence of b lie at most
 * `distance` characters apart: the gap from the end of the first to the start of the second, in
 * either order, overlapping occurrences having a gap of 0. For an occurrence of a at x, that is
 * any b starting in [x - bLength - distance, x + aLength + distance]; both lists are ascending, so
 * one forward walk over b serves every x.
 */
function occurWithin(as: readonly number[], aLength: number, bs: readonly number[], bLength: number, distance: number): boolean {
  let j = 0;
  for (const x of as) {
    while (j < bs.length && bs[j]! < x - bLength - distance) j++;
    if (j === bs.length) return false;
    if (bs[j]! <= x + aLength + distance) return true;
  }
  return false;
}

/** `a NEAR/n a` asks for two different occurrences; the closest pair is always adjacent in the list. */
function repeatsWithin(starts: readonly number[], length: number, distance: number): boolean {
  for (let i = 1; i < starts.length; i++) if (Math.max(0, starts[i]! - starts[i - 1]! - length) <= distance) return true;
  return false;
}

/** Counted as TermAutomaton.scan walks the text, so lengths and positions agree. */
function codePointLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; n++) i += text.codePointAt(i)! > 0xffff ? 2 : 1;
  return n;
}

/**
 * The baseline most feed readers use: every rule in turn, every term by `includes` on the
 * normalised text. Kept for benchmarks and as a cross-check in tests. It treats `a NEAR/n b` as
 * `a AND b` (no distance), and a string query is parsed on every call, so pass parsed trees to time
 * the matching alone.
 */
export function matchByIncludes(rules: readonly RuleSource[], text: string): RuleMatch[] {
  const normalised = normalizeText(text);
  const matches: RuleMatch[] = [];
  for (const rule of rules) {
    const node = typeof rule.query === 'string' ? parseRuleQuery(rule.query) : rule.query;
    const present = new Set<string>();
    for (const term of ruleTerms(node)) if (normalised.includes(term)) present.add(term);
    if (!holdsByPresence(node, present)) continue;
    const terms = [...present].sort((a, b) => normalised.indexOf(a) - normalised.indexOf(b));
    matches.push({ ruleId: rule.id, terms });
  }
  return matches.sort((a, b) => a.ruleId - b.ruleId);
}

function holdsByPresence(node: RuleNode, present: ReadonlySet<string>): boolean {
  switch (node.type) {
    case 'term':
      return present.has(node.text);
    case 'near':
      return present.has(node.left.text) && present.has(node.right.text);
    case 'and':
      return node.children.every((child) => holdsByPresence(child, present));
    case 'or':
      return node.children.some((child) => holdsByPresence(child, present));
    case 'not':
      return !holdsByPresence(node.child, present);
  }
}

interface CompiledRule {
  id: number;
  node: RuleNode;
  /** Indexes into the automaton's terms, in the order ruleTerms gives. */
  terms: number[];
}

/** Term index → ascending start positions (code points) in the normalised text. */
type Occurrences = Map<number, number[]>;

class CompiledRules implements RuleMatcher {
  readonly rules: CompiledRule[];
  private readonly automaton: TermAutomaton;
  /** Term index → indexes of the rules that hold the term outside a NOT, ascending. */
  private readonly rulesByPositiveTerm: number[][];

  constructor(sources: readonly RuleSource[]) {
    const termIndex = new Map<string, number>();
    const indexOf = (term: string): number => {
      let index = termIndex.get(term);
      if (index === undefined) termIndex.set(term, (index = termIndex.size));
      return index;
    };
    // Sorted once here, so that candidates visited in index order come out ordered by id.
    const ordered = [...sources].sort((a, b) => a.id - b.id);
    this.rules = ordered.map((source) => {
      const node = typeof source.query === 'string' ? parseRuleQuery(source.query) : source.query;
      // A tree built by hand skips parseRuleQuery's check, and skipping rules by their positive
      // terms is only correct for rules that pass it.
      if (matchesWithoutTerms(node)) {
        throw new RuleQueryError(`规则 ${source.id} 不能只由 NOT 组成：至少需要一个必须出现的词`, 0, formatRuleQuery(node));
      }
      return { id: source.id, node, terms: ruleTerms(node).map(indexOf) };
    });
    this.rulesByPositiveTerm = Array.from({ length: termIndex.size }, () => []);
    this.rules.forEach((rule, r) => {
      for (const term of positiveTerms(rule.node)) this.rulesByPositiveTerm[termIndex.get(term)!]!.push(r);
    });
    this.automaton = new TermAutomaton([...termIndex.keys()]);
  }

  get ruleCount(): number {
    return this.rules.length;
  }

  get termCount(): number {
    return this.automaton.terms.length;
  }

  match(text: string, stats?: MatchStats): RuleMatch[] {
    return this.matchFound(this.scan(text), stats);
  }

  matchNormalized(text: string, stats?: MatchStats): RuleMatch[] {
    return this.matchFound(this.automaton.scan(text), stats);
  }

  private matchFound(found: Occurrences, stats?: MatchStats): RuleMatch[] {
    const candidates = new Set<number>();
    for (const term of found.keys()) for (const r of this.rulesByPositiveTerm[term]!) candidates.add(r);
    if (stats) {
      stats.termsFound = found.size;
      stats.rulesEvaluated = 0;
    }
    if (candidates.size === 0) return [];
    const byText = this.byText(found);
    const matches: RuleMatch[] = [];
    for (const r of [...candidates].sort((a, b) => a - b)) {
      const rule = this.rules[r]!;
      if (stats) stats.rulesEvaluated++;
      if (evaluateRule(rule.node, byText)) matches.push({ ruleId: rule.id, terms: this.termsFound(rule, found) });
    }
    return matches;
  }

  scan(text: string): Occurrences {
    return this.automaton.scan(normalizeText(text));
  }

  byText(found: Occurrences): Map<string, number[]> {
    const byText = new Map<string, number[]>();
    for (const [term, starts] of found) byText.set(this.automaton.terms[term]!, starts);
    return byText;
  }

  /** The rule's terms present in the text, by first occurrence; ties keep the query's order. */
  termsFound(rule: CompiledRule, found: Occurrences): string[] {
    return rule.terms
      .filter((term) => found.has(term))
      .sort((a, b) => found.get(a)![0]! - found.get(b)![0]!)
      .map((term) => this.automaton.terms[term]!);
  }
}

/**
 * Aho–Corasick over code points: a trie of the terms (goto), for each state the longest proper
 * suffix that is also a trie path (fail), and the nearest state along the fail chain where a term
 * ends (output link), so that reporting every term ending at a position costs one step per term.
 *
 * The trie is built with a Map per state, then frozen for scanning: the root, where most
 * characters of a text are read or fall back to, gets a dense table over the BMP; every other
 * state a 32-bit mask of its children's codes, which rejects most misses in one test, then a short
 * linear list (or a Map for wide states). With a thousand rules nearly every Chinese character
 * starts some term, so the step out of a first-level state is the hot path: this keeps a scan
 * close to the cost of a scan with one rule. What a step reads of a state (mask, children, fail
 * link, where its terms are reported) sits together in one record of `states`, and a child's code
 * next to its target in `edges`: a scan over a large automaton touches one cache line per state
 * rather than one per array.
 */
/** Up to this many children a state's transitions are scanned linearly; past it, a Map. */
const SMALL_FANOUT = 16;

/** A state's record in `states`: STATE_FIELDS integers at state × STATE_FIELDS. */
const STATE_FIELDS = 4;
/** Bit (code & 31) set for each child's code. */
const MASK = 0;
/** Children: (first index in `edges`) × 32 + count, for at most SMALL_FANOUT of them; -1: in `many`. */
const CHILDREN = 1;
const FAIL = 2;
/** The state itself if a term ends there, else the nearest state on its fail chain where one does (0: none). */
const REPORT = 3;

class TermAutomaton {
  /** The term ending exactly at the state, or -1. Terms are distinct, so there is at most one. */
  private readonly ends: Int32Array;
  /** The nearest state on the fail chain where a term ends; 0 (the root, where none ends) if none. */
  private readonly output: Int32Array;
  private readonly lengths: Int32Array;
  /** Root transitions for BMP code points (0 = stay at the root), and the rest in a Map. */
  private readonly rootBmp = new Int32Array(0x10000);
  private readonly rootAstral = new Map<number, number>();
  /** Per state: mask, children, fail, report (see STATE_FIELDS). */
  private readonly states: Int32Array;
  /** Children of states with at most SMALL_FANOUT of them: code, target, code, target… */
  private readonly edges: Int32Array;
  /** Children of a state with more. */
  private readonly many: (Map<number, number> | undefined)[];

  constructor(readonly terms: readonly string[]) {
    const goto: Map<number, number>[] = [new Map()];
    const ends: number[] = [-1];
    terms.forEach((term, index) => {
      let state = 0;
      for (const char of term) {
        const code = char.codePointAt(0)!;
        let next = goto[state]!.get(code);
        if (next === undefined) {
          next = goto.length;
          goto.push(new Map());
          ends.push(-1);
          goto[state]!.set(code, next);
        }
        state = next;
      }
      ends[state] = index;
    });
    const size = goto.length;
    this.ends = Int32Array.from(ends);
    this.lengths = Int32Array.from(terms, codePointLength);
    const fail = new Int32Array(size);
    this.output = new Int32Array(size);
    // Breadth first, so every state's fail target, being shallower, is linked before it. The
    // root's children keep fail = 0.
    const queue = [...goto[0]!.values()];
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head]!;
      for (const [code, child] of goto[state]!) {
        let suffix = fail[state]!;
        while (suffix !== 0 && !goto[suffix]!.has(code)) suffix = fail[suffix]!;
        const target = goto[suffix]!.get(code) ?? 0;
        fail[child] = target;
        this.output[child] = this.ends[target]! >= 0 ? target : this.output[target]!;
        queue.push(child);
      }
    }
    for (const [code, next] of goto[0]!) {
      if (code < 0x10000) this.rootBmp[code] = next;
      else this.rootAstral.set(code, next);
    }
    this.states = new Int32Array(size * STATE_FIELDS);
    this.many = new Array(size);
    const edges: number[] = [];
    // The root's record stays all zeros (its transitions are rootBmp and rootAstral; its fail
    // link is itself and no term ends there).
    for (let state = 1; state < size; state++) {
      const at = state * STATE_FIELDS;
      this.states[at + FAIL] = fail[state]!;
      this.states[at + REPORT] = this.ends[state]! >= 0 ? state : this.output[state]!;
      const children = goto[state]!;
      for (const code of children.keys()) this.states[at + MASK]! |= 1 << (code & 31);
      if (children.size > SMALL_FANOUT) {
        this.many[state] = children;
        this.states[at + CHILDREN] = -1;
        continue;
      }
      this.states[at + CHILDREN] = edges.length * 32 + children.size;
      for (const [code, next] of children) edges.push(code, next);
    }
    this.edges = Int32Array.from(edges);
  }

  /** The transition from a non-root state whose mask admits the code, or 0 when there is none. */
  private step(state: number, code: number): number {
    const children = this.states[state * STATE_FIELDS + CHILDREN]!;
    if (children < 0) return this.many[state]!.get(code) ?? 0;
    const { edges } = this;
    // (first index in edges) × 32 + count, the index counting codes and targets both.
    for (let e = children >>> 5, end = e + 2 * (children & 31); e < end; e += 2) {
      if (edges[e] === code) return edges[e + 1]!;
    }
    return 0;
  }

  scan(text: string): Occurrences {
    const found: Occurrences = new Map();
    const { ends, output, lengths, rootBmp, rootAstral, states } = this;
    let state = 0;
    for (let i = 0, position = 0; i < text.length; position++) {
      const code = text.codePointAt(i)!;
      i += code > 0xffff ? 2 : 1;
      for (;;) {
        if (state === 0) {
          state = code < 0x10000 ? rootBmp[code]! : (rootAstral.get(code) ?? 0);
          break;
        }
        // The mask test, inlined: most characters leave a state without a transition.
        const next = ((states[state * STATE_FIELDS + MASK]! >>> (code & 31)) & 1) === 0 ? 0 : this.step(state, code);
        if (next !== 0) {
          state = next;
          break;
        }
        state = states[state * STATE_FIELDS + FAIL]!;
      }
      for (let s = states[state * STATE_FIELDS + REPORT]!; s !== 0; s = output[s]!) {
        const term = ends[s]!;
        const starts = found.get(term);
        const start = position - lengths[term]! + 1;
        if (starts === undefined) found.set(term, [start]);
        else if (starts.length < MAX_POSITIONS_PER_TERM) starts.push(start);
      }
    }
    return found;
  }
}
