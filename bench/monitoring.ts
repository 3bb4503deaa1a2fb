// Monitoring benchmarks (SPEC §9): rule matching with 1 vs 1,000 rules and vs an includes loop;
// ingest (parse + normalise + match + signal words + reprint index + store + join incidents + heat)
// vs rss-parser's parseString alone.
import Parser from 'rss-parser';
import { performance } from 'node:perf_hooks';
import { SYSTEM_ACTOR } from '../src/app/accounts/actor.js';
import { createAppContext } from '../src/app/create-context.js';
import { createFeed } from '../src/app/monitoring/feeds.js';
import { planIngest } from '../src/app/monitoring/ingest.js';
import { parseFeed } from '../src/app/monitoring/parse-feed.js';
import { activeRules, createRule } from '../src/app/monitoring/rules.js';
import { compileRules, matchByIncludes } from '../src/domain/monitoring/matcher.js';
import { parseRuleQuery } from '../src/domain/monitoring/rule-query.js';
import { scryptPasswords } from '../src/runtime/scrypt-passwords.js';
import { openSqlite } from '../src/runtime/node/sqlite.js';
import { parseSignalWords } from '../src/domain/monitoring/signals.js';
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';

const SIGNAL_WORDS = parseSignalWords(readFileSync(new URL('../feeds/signals.txt', import.meta.url), 'utf8'));

const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 1 });

// A deterministic generator, so every run measures the same rules and texts.
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const CHARS = '的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严';
function word(rand: () => number, length: number): string {
  let w = '';
  for (let i = 0; i < length; i++) w += CHARS[Math.floor(rand() * CHARS.length)];
  return w;
}

function makeRules(count: number, rand: () => number) {
  return Array.from({ length: count }, (_, i) => ({
    id: i + 1,
    query: parseRuleQuery(`${word(rand, 3)} (${word(rand, 2)}${word(rand, 2)} OR ${word(rand, 4)}) NOT ${word(rand, 3)}`),
  }));
}

/** News-like texts of ~300 characters; every fifth also contains the terms of the first rule. */
function makeTexts(count: number, rand: () => number, firstRule: string[]) {
  return Array.from({ length: count }, (_, i) => {
    const body = word(rand, 300);
    return i % 5 === 0 ? `${firstRule[0]}${body.slice(0, 150)}${firstRule[1]}${body.slice(150)}` : body;
  });
}

function throughput(fn: (text: string) => unknown, texts: string[], minMs = 400): number {
  let done = 0;
  const start = performance.now();
  while (performance.now() - start < minMs) {
    for (const t of texts) fn(t);
    done += texts.length;
  }
  return (done / (performance.now() - start)) * 1000;
}

export function benchMatching() {
  const rand = random(42);
  const many = makeRules(1000, rand);
  const first = many[0]!;
  const firstTerms = [...JSON.stringify(first.query).matchAll(/"text":"([^"]+)"/g)].map((m) => m[1]!);
  const texts = makeTexts(200, rand, [firstTerms[0]!, firstTerms[1]!]);
  const one = compileRules([first]);
  const thousand = compileRules(many);
  // The same answers for the first rule, or the comparison would be meaningless.
  const hits = texts.filter((t) => thousand.match(t).some((m) => m.ruleId === 1)).length;
  if (hits !== texts.filter((t) => one.match(t).length > 0).length) throw new Error('matchers disagree');

  const rateOne = throughput((t) => one.match(t), texts);
  const rateThousand = throughput((t) => thousand.match(t), texts);
  const rateIncludes = throughput((t) => matchByIncludes(many, t), texts, 400);
  console.log(`Rule matching (texts of ~300 characters; ${hits} of ${texts.length} match rule 1)`);
  console.log(`  1 rule                      : ${fmt(rateOne)} texts per second`);
  console.log(`  1,000 rules (one automaton) : ${fmt(rateThousand)} texts per second`);
  console.log(`  1,000 rules, includes loop  : ${fmt(rateIncludes)} texts per second`);
  console.log(`  1,000 rules ÷ 1 rule        : ${fmt(rateThousand / rateOne)}× (target ≥ 0.5×)`);
  console.log(`  automaton ÷ includes loop   : ${fmt(rateThousand / rateIncludes)}× (target ≥ 10×)`);
}

function rssDocument(feedIndex: number, items: number, rand: () => number): string {
  const entries = Array.from({ length: items }, (_, i) => {
    const title = i % 10 === 0 ? `某区化工厂发生爆炸 已致${i}人受伤` : `${word(rand, 20)}`;
    return `<item><title>${title}</title><link>https://news.example.cn/${feedIndex}/${i}.html</link>
<guid>${feedIndex}-${i}</guid><description>${word(rand, 200)}</description>
<pubDate>Fri, 20 Nov 2026 0${i % 10}:00:00 +0800</pubDate></item>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>基准</title>${entries.join('')}</channel></rss>`;
}

/** Untimed ingest runs of DOCS polls each before the timed rounds (see benchIngest). */
const INGEST_WARMUP_RUNS = 3;
/** Timed rounds of each side, alternating; the median counts. */
const INGEST_ROUNDS = 5;

export async function benchIngest() {
  const ITEMS = 100;
  const DOCS = Number(process.env.BENCH_DOCS ?? 100);
  const docs = Array.from({ length: DOCS }, (_, i) => rssDocument(i, ITEMS, random(7 + i)));
  const parser = new Parser();

  // Wall time per document, and CPU time (process.cpuUsage: steadier on a loaded machine).
  const cpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const parseAll = async () => {
    const start = performance.now();
    const cpu = cpuMs();
    for (const xml of docs) await parser.parseString(xml);
    return { wall: (performance.now() - start) / DOCS, cpu: (cpuMs() - cpu) / DOCS };
  };

  /** A fresh database with 1,000 rules and one feed per document; the time to ingest them all. */
  const ingestAll = async () => {
    const rand = random(11);
    const db = openSqlite(':memory:');
    let now = Date.parse('2026-11-20T02:00:00Z');
    // The shipped negative-signal words (SPEC §14), as the service loads them: every item is searched for them.
    const ctx = createAppContext({ db, now: () => now, passwords: scryptPasswords(), config: { signalWords: SIGNAL_WORDS } });
    await createRule(ctx, SYSTEM_ACTOR, { name: '安全生产事故', query: '(爆炸 OR 火灾) (受伤 OR 死亡)', severity: 'major' });
    for (let i = 1; i < 1000; i++) await createRule(ctx, SYSTEM_ACTOR, { name: `规则${i}`, query: randomQuery(i, rand), severity: 'general' });
    const feedIds: number[] = [];
    for (let i = 0; i < DOCS; i++) feedIds.push((await createFeed(ctx, SYSTEM_ACTOR, { name: `feed ${i}`, url: `https://news.example.cn/${i}.xml` })).id);
    // Steady state: the rules are compiled into one automaton once per rule change, not per poll.
    await activeRules(ctx);
    let newItems = 0;
    // Where the time goes (wall): parsing, planning (normalise, match, fingerprint, the reads),
    // and the writes of the batch.
    const phases = { parse: 0, plan: 0, store: 0 };
    const start = performance.now();
    const cpu = cpuMs();
    for (let i = 0; i < DOCS; i++) {
      const t0 = performance.now();
      const parsed = await parseFeed(docs[i]!);
      const t1 = performance.now();
      const plan = await planIngest(ctx, SYSTEM_ACTOR, feedIds[i]!, parsed.items, now);
      const t2 = performance.now();
      await db.batch(plan.statements);
      phases.store += performance.now() - t2;
      phases.plan += t2 - t1;
      phases.parse += t1 - t0;
      newItems += plan.newItems;
      now += 60_000;
    }
    const ms = {
      wall: (performance.now() - start) / DOCS,
      cpu: (cpuMs() - cpu) / DOCS,
      parse: phases.parse / DOCS,
      plan: phases.plan / DOCS,
      store: phases.store / DOCS,
    };
    db.close();
    if (newItems !== DOCS * ITEMS) throw new Error(`ingested ${newItems} of ${DOCS * ITEMS}`);
    return ms;
  };

  // Each side warmed up until it is steady, then five timed rounds, alternating, and the median
  // of each side (one round on a machine shared with other work varies by ±10 %). rss-parser's
  // parse is steady after one pass over the documents. Ingest's code that runs once per poll
  // (planning, the reads, building the batch) is optimised by V8 only after a few hundred polls:
  // the rounds after a single warm-up run still fell by ~10 % each (4.9 / 4.5 / 4.1 ms), so it
  // gets three runs (300 polls), the first of which is printed as the cost right after a start.
  // (Every ingest run starts on a fresh database and context; the code stays optimised.)
  await parseAll();
  const cold = await ingestAll();
  for (let warm = 1; warm < INGEST_WARMUP_RUNS; warm++) await ingestAll();
  const parses: { wall: number; cpu: number }[] = [];
  const ingests: Awaited<ReturnType<typeof ingestAll>>[] = [];
  for (let round = 0; round < INGEST_ROUNDS; round++) {
    parses.push(await parseAll());
    ingests.push(await ingestAll());
  }
  const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const parseMs = { wall: median(parses.map((m) => m.wall)), cpu: median(parses.map((m) => m.cpu)) };
  // The round of median wall time, whole, so that its phases add up to it.
  const ingestMs = ingests.slice().sort((a, b) => a.wall - b.wall)[Math.floor(ingests.length / 2)]!;
  const ingestCpu = median(ingests.map((m) => m.cpu));
  const rounds = (xs: { wall: number }[]) => xs.map((m) => fmt(m.wall)).join(' / ');
  console.log(`Ingest (${DOCS} RSS documents of ${ITEMS} items, 1,000 rules, into SQLite; fetch excluded; each side warmed up until steady, then the median of ${INGEST_ROUNDS} rounds)`);
  console.log(`  rss-parser parseString alone : ${fmt(parseMs.wall)} ms per document (${fmt((ITEMS / parseMs.wall) * 1000)} items/s; CPU ${fmt(parseMs.cpu)} ms; rounds ${rounds(parses)} ms)`);
  console.log(
    `  parse + normalise + match + signal words + reprint index + store + join incidents + heat : ${fmt(ingestMs.wall)} ms per document (${fmt((ITEMS / ingestMs.wall) * 1000)} items/s; CPU ${fmt(ingestCpu)} ms; rounds ${rounds(ingests)} ms)`,
  );
  console.log(`    of which parseFeed ${fmt(ingestMs.parse)} ms, planIngest ${fmt(ingestMs.plan)} ms (normalise, match, fingerprint, reads), the batch's writes ${fmt(ingestMs.store)} ms`);
  console.log(`    right after a start (the first ${DOCS} polls of the process, not counted): ${fmt(cold.wall)} ms per document`);
  const ratio = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 2 });
  console.log(`  ingest ÷ parse alone (throughput) : ${ratio(parseMs.wall / ingestMs.wall)}× wall, ${ratio(parseMs.cpu / ingestCpu)}× CPU time (target ≥ 0.5×)`);
}

function randomQuery(id: number, rand: () => number): string {
  return `${word(rand, 3)}${id} (${word(rand, 2)} OR ${word(rand, 4)}) NOT ${word(rand, 3)}`;
}

/**
 * A story that many sites reprint, each with small changes of its own (a prefix, a tail, a
 * different count): every reprint is filed in the reprint index under keys the others share. The
 * cost of a poll of 100 such reprints once thousands are stored, against the first polls: the
 * comparisons per item are bounded (CANDIDATES_PER_KEY), so it must not grow with the story.
 */
export async function benchBusyStory() {
  const FEEDS = Number(process.env.BENCH_BUSY_FEEDS ?? 60);
  const ITEMS = 100;
  const rand = random(5);
  const PREFIXES = ['', '突发！', '最新：', '快讯｜', '关注：', '刚刚，', '权威发布：', '现场直击：'];
  const TAILS = ['', ' 现场视频曝光', ' 官方通报来了', ' 相关部门已介入', ' 市民广泛关注', ' 后续进展如何', ' 救援仍在进行'];
  const db = openSqlite(':memory:');
  let now = Date.parse('2026-11-20T02:00:00Z');
  const ctx = createAppContext({ db, now: () => now, passwords: scryptPasswords(), config: { signalWords: SIGNAL_WORDS } });
  await createRule(ctx, SYSTEM_ACTOR, { name: '安全生产事故', query: '(爆炸 OR 火灾) (受伤 OR 死亡)', severity: 'major' });
  const polls: number[] = [];
  for (let f = 0; f < FEEDS; f++) {
    const feedId = (await createFeed(ctx, SYSTEM_ACTOR, { name: `feed ${f}`, url: `https://news.example.cn/busy/${f}.xml` })).id;
    const entries = Array.from({ length: ITEMS }, (_, i) => {
      const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
      const title = `${pick(PREFIXES)}某区化工厂发生爆炸 已致${1 + Math.floor(rand() * 30)}人受伤${pick(TAILS)}`;
      const body = `记者从有关部门获悉，某区化工厂今日发生爆炸，${word(rand, 40)}，伤者已被送往医院救治，${word(rand, 60)}`;
      return `<item><title>${title}</title><link>https://news.example.cn/busy/${f}/${i}.html</link><guid>busy-${f}-${i}</guid><description>${body}</description><pubDate>Fri, 20 Nov 2026 0${i % 10}:00:00 +0800</pubDate></item>`;
    });
    const xml = `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>转载</title>${entries.join('')}</channel></rss>`;
    const start = performance.now();
    const plan = await planIngest(ctx, SYSTEM_ACTOR, feedId, (await parseFeed(xml)).items, now);
    await db.batch(plan.statements);
    polls.push(performance.now() - start);
    now += 60_000;
  }
  const stored = Number((db.orm as unknown as { all(q: unknown): { n: number }[] }).all(sql`SELECT COUNT(DISTINCT k & 4294967295) AS n FROM reprint_keys`)[0]!.n);
  db.close();
  const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  // The first poll pays for compiling; polls 2–6 against the last five.
  const early = median(polls.slice(1, 6));
  const late = median(polls.slice(-5));
  console.log(`A busy story (${FEEDS} feeds × ${ITEMS} reprints of one story with small changes of their own, one poll each; ${fmt(stored)} items filed in the reprint index at the end)`);
  console.log(`  polls 2–6 : ${fmt(early)} ms per poll of ${ITEMS} (median)`);
  console.log(`  last 5    : ${fmt(late)} ms per poll of ${ITEMS} (median)`);
  console.log(`  last ÷ first : ${fmt(late / early)}× (target ≤ 2×: the comparisons per item do not grow with the story)`);
}
