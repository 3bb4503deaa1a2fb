// Reprint detection (SPEC §9, §14): the cost per new item of finding the story it reprints, with
// 1,000,000 items stored in the reprint index against 10,000 (target ≤ 2×).
//
// Both histories have the same shape: about 500 items a day that joined incidents (those are
// the ones filed in the index), realistic headlines (a place, a subject, an event and a tail;
// about a third are reprints of a story of the last two days, retitled with 【关注】, a site's name
// or numbers written in Chinese), half with a body of ~120 characters. 10,000 items are twenty
// days of that (longer than the two weeks a new item's lookup can reach); 1,000,000 are about 5.5
// years. What must not grow is the cost for the same traffic as history lengthens: the index keys
// name a time bucket, so a new item only meets the items of about its own fortnight, however long
// the history.
//
// Measured: the real code of planIngest's story step — fingerprints and keys (probeFor), one
// lookup of the poll's keys in reprint_keys and one read of the candidates (StoryCandidates.load),
// and the exact comparisons (find) — for 500 new items in polls of 20; then filing them.
//
// npx tsx bench/reprints.ts [--large 1000000]   (or via npm run bench)
import { sql } from 'drizzle-orm';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { SYSTEM_ACTOR } from '../src/app/accounts/actor.js';
import { createAppContext } from '../src/app/create-context.js';
import { createFeed } from '../src/app/monitoring/feeds.js';
import { filingKeys, probeFor, StoryCandidates, type StoryProbe } from '../src/app/monitoring/stories.js';
import { normalizeText } from '../src/domain/monitoring/normalize.js';
import { openSqlite } from '../src/runtime/node/sqlite.js';
import { scryptPasswords } from '../src/runtime/scrypt-passwords.js';

const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 2 });
const PER_DAY = 500;
const DAY = 86_400_000;
const NOW = Date.parse('2026-11-20T02:00:00Z');

function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const PLACES = ['某区', '城东区', '高新区', '经开区', '滨江新区', '某县', '西城区', '南山街道', '北湖镇', '老城区', '临港新区', '东湖街道'];
const SUBJECTS = ['化工厂', '地铁2号线', '第一人民医院', '某小区', '污水处理厂', '农贸市场', '绕城高速', '实验中学', '自来水厂', '物流园', '商业综合体', '公交枢纽', '养老院', '建筑工地'];
const EVENTS = ['发生火灾', '发生爆炸', '临时停运', '开展应急演练', '居民投诉噪音扰民', '召开新闻发布会', '发布整改通报', '出现大面积积水', '突发停水停电', '启动应急响应', '被曝食品安全问题', '发生坍塌事故'];
const TAILS = ['已致{n}人受伤', '相关部门已介入调查', '官方回应来了', '现场视频曝光', '后续进展如何', '市民广泛关注', '{n}名责任人被问责', '涉事企业被约谈'];
const SITES = ['新华网', '人民网', '澎湃新闻', '央视新闻客户端', '中国新闻网', '本地宝'];
const CN = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
// News text's characters, by frequency class (the body's own words), and its stock phrases.
const CHARS = '的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严';
const PHRASES = [
  '记者从有关部门获悉', '目前现场秩序井然', '相关工作正在有序推进', '下一步将加强隐患排查', '将及时发布权威信息', '请广大市民不信谣不传谣',
  '事件原因正在调查中', '伤者已被送往医院救治', '周边道路实行交通管制', '区政府已成立工作专班', '涉事单位负责人已被控制', '应急管理部门连夜赶赴现场',
  '多名居民向记者反映', '此前已有市民多次投诉', '市场监管部门已立案调查', '当地街道已组织人员疏散', '消防救援人员迅速处置', '供水供电已基本恢复',
  '学校已通知家长暂缓接送', '医院表示将全力救治', '企业已停产整顿', '专家提醒注意防范', '网友纷纷留言表示关注', '官方将在明天召开发布会',
];

interface Headline {
  title: string;
  body: string;
  link: string;
  at: number;
}

/** A history of `count` headlines ending at NOW, ~PER_DAY a day, about a third reprinting a recent one. */
function makeHistory(count: number, rand: () => number, linkBase: string): Headline[] {
  const out: Headline[] = [];
  const span = (count / PER_DAY) * DAY;
  for (let i = 0; i < count; i++) {
    const at = NOW - span + Math.floor((i * span) / count);
    out.push(headline(rand, at, out, `${linkBase}/${i}.html`));
  }
  return out;
}

function headline(rand: () => number, at: number, recent: Headline[], link: string): Headline {
  const pick = <T,>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
  // A reprint of one of the last ~2 days' items.
  if (recent.length > 0 && rand() < 0.33) {
    const source = recent[recent.length - 1 - Math.floor(rand() * Math.min(recent.length, 2 * PER_DAY))]!;
    const variant = rand();
    const title =
      variant < 0.3 ? `【关注】${source.title}` : variant < 0.6 ? `${source.title} - ${pick(SITES)}` : source.title.replace(/\d/g, (d) => CN[Number(d)]!);
    return { title, body: source.body, link, at };
  }
  const n = 1 + Math.floor(rand() * 30);
  // A street, village or estate of its own name: two characters and a kind.
  const name = `${CHARS[Math.floor(rand() * 400)]}${CHARS[Math.floor(rand() * 400)]}${pick(['路', '街', '村', '社区', '大道'])}`;
  const title = `${pick(PLACES)}${name}${pick(SUBJECTS)}${pick(EVENTS)} ${pick(TAILS).replace('{n}', String(n))}`;
  let body = '';
  if (rand() < 0.5) {
    // A report of its own: the usual phrases of news text, in a different order each time.
    let text = '';
    for (let k = 0; k < 80; k++) text += CHARS[Math.floor(rand() * CHARS.length)];
    body = `${title}。${pick(PHRASES)}，${text.slice(0, 40)}，${pick(PHRASES)}，${text.slice(40)}。`;
  }
  return { title, body, link, at };
}

/** A database whose reprint index holds `history` (filed as ingest files items that joined incidents). */
async function seeded(dir: string, history: Headline[]) {
  const db = openSqlite(join(dir, `reprints-${history.length}.sqlite`));
  const ctx = createAppContext({ db, now: () => NOW, passwords: scryptPasswords() });
  const feedId = (await createFeed(ctx, SYSTEM_ACTOR, { name: '基准', url: 'https://news.example.cn/rss.xml' })).id;
  const settings = ctx.config.reprints;
  const CHUNK = 5_000;
  for (let offset = 0; offset < history.length; offset += CHUNK) {
    const rows: unknown[] = [];
    const keys: [number, number[]][] = [];
    for (let i = offset; i < Math.min(history.length, offset + CHUNK); i++) {
      const h = history[i]!;
      const normalizedBody = normalizeText(h.body);
      const probe = probeFor(ctx, { title: h.title, normalizedBody, link: h.link }, h.at);
      rows.push([i + 1, `bench-${i}`, h.title, normalizeText(h.title), h.link, h.body, h.at, h.at, probe.fp.simhash]);
      keys.push([i + 1, filingKeys(probe, settings)]);
    }
    await db.orm.run(sql`INSERT INTO items (id, feed_id, identity, title, normalized_title, link, summary, published_at, fetched_at, simhash)
        SELECT json_extract(j.value, '$[0]'), ${feedId}, json_extract(j.value, '$[1]'), json_extract(j.value, '$[2]'), json_extract(j.value, '$[3]'),
          json_extract(j.value, '$[4]'), json_extract(j.value, '$[5]'), json_extract(j.value, '$[6]'), json_extract(j.value, '$[7]'), json_extract(j.value, '$[8]')
        FROM json_each(${JSON.stringify(rows)}) AS j`);
    await db.orm.run(sql`INSERT OR IGNORE INTO reprint_keys (k)
        SELECT k.value * 4294967296 + json_extract(j.value, '$[0]') FROM json_each(${JSON.stringify(keys)}) AS j CROSS JOIN json_each(j.value, '$[1]') AS k`);
  }
  await db.orm.run(sql`ANALYZE`);
  return { db, ctx };
}

export async function benchReprints(large = 1_000_000, small = 10_000) {
  const dir = mkdtempSync(join(tmpdir(), 'reprints-bench-'));
  try {
    // The same 500 new items (made after the small history's shape) meet both histories.
    const rand = random(2026);
    const seedRecent = makeHistory(2 * PER_DAY, random(99), 'https://recent.example.cn');
    const fresh: Headline[] = [];
    for (let i = 0; i < 500; i++) fresh.push(headline(rand, NOW + i * 1_000, seedRecent, `https://new.example.cn/${i}.html`));
    const results: { n: number; detectUs: number; fileUs: number; found: number; seedS: number; entries: number }[] = [];
    for (const n of [small, large]) {
      const t0 = performance.now();
      // The last two days of each history are the same items (seedRecent), so the new items find the same stories.
      const history = [...makeHistory(n - seedRecent.length, random(7), 'https://old.example.cn').map((h) => ({ ...h, at: h.at - 2 * DAY })), ...seedRecent];
      const { db, ctx } = await seeded(dir, history);
      const seedS = (performance.now() - t0) / 1000;
      const [{ entries }] = (await db.orm.all<{ entries: number }>(sql`SELECT COUNT(*) AS entries FROM reprint_keys`)) as [{ entries: number }];
      const detect = async () => {
        let found = 0;
        const start = performance.now();
        for (let p = 0; p < fresh.length; p += 20) {
          const probes: StoryProbe[] = fresh.slice(p, p + 20).map((h) => probeFor(ctx, { title: h.title, normalizedBody: normalizeText(h.body), link: h.link }, h.at));
          const candidates = await StoryCandidates.load(ctx, probes);
          for (const [k, probe] of probes.entries()) {
            const hit = candidates.find(probe);
            if (!hit) continue;
            found++;
            if (process.env.DEBUG_REPRINTS && found < 15) {
              const [row] = await db.orm.all<{ title: string }>(sql`SELECT title FROM items WHERE id = ${hit.story}`);
              console.log(`    ${fresh[p + k]!.title}  →  ${row?.title}`);
            }
          }
        }
        return { us: ((performance.now() - start) * 1000) / fresh.length, found };
      };
      await detect(); // warm the page cache and the JIT
      const runs = [await detect(), await detect(), await detect()].sort((a, b) => a.us - b.us);
      const median = runs[1]!;
      // Filing the new items: their keys into the index (one statement per poll of 20).
      const fileStart = performance.now();
      for (let p = 0; p < fresh.length; p += 20) {
        const keys = fresh.slice(p, p + 20).map((h, k): [number, number[]] => [
          n + p + k + 1,
          filingKeys(probeFor(ctx, { title: h.title, normalizedBody: normalizeText(h.body), link: h.link }, h.at), ctx.config.reprints),
        ]);
        await db.orm.run(sql`INSERT OR IGNORE INTO reprint_keys (k)
          SELECT k.value * 4294967296 + json_extract(j.value, '$[0]') FROM json_each(${JSON.stringify(keys)}) AS j CROSS JOIN json_each(j.value, '$[1]') AS k`);
      }
      const fileUs = ((performance.now() - fileStart) * 1000) / fresh.length;
      results.push({ n, detectUs: median.us, fileUs, found: median.found, seedS, entries });
      db.close();
      rmSync(join(dir, `reprints-${n}.sqlite`), { force: true });
    }
    const [s, l] = results as [(typeof results)[0], (typeof results)[0]];
    console.log(`Reprint detection (500 new items in polls of 20; histories of ~${fmt(PER_DAY)} filed items a day, a third of them reprints)`);
    for (const r of results) {
      console.log(
        `  ${fmt(r.n).padStart(9)} stored items (${fmt(r.entries)} index entries, seeded in ${fmt(r.seedS)} s): ` +
          `${fmt(r.detectUs)} µs per new item to find its story (${r.found} of 500 found one), ${fmt(r.fileUs)} µs to file it`,
      );
    }
    console.log(`  ${fmt(l.n)} ÷ ${fmt(s.n)} (detection)  : ${fmt(l.detectUs / s.detectUs)}× (target ≤ 2×)`);
    console.log(`  ${fmt(l.n)} ÷ ${fmt(s.n)} (detection + filing) : ${fmt((l.detectUs + l.fileUs) / (s.detectUs + s.fileUs))}×`);
    if (s.found !== l.found) console.log(`  note: the histories gave different answers (${s.found} vs ${l.found} found a story)`);
    return { ratio: l.detectUs / s.detectUs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Run alone: npx tsx bench/reprints.ts [--large N]
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const i = args.indexOf('--large');
  await benchReprints(i >= 0 ? Number(args[i + 1]) : 1_000_000);
}
