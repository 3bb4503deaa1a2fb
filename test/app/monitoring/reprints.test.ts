import { eq, sql } from 'drizzle-orm';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../../src/app/accounts/actor.js';
import { planIngest } from '../../../src/app/monitoring/ingest.js';
import type { ParsedItem } from '../../../src/app/monitoring/parse-feed.js';
import { parseSignalWords } from '../../../src/domain/monitoring/signals.js';
import { items } from '../../../src/db/schema.js';
import { STORY_GROUPS } from '../../fixtures/reprints.js';
import { seedDepartment, startTestApp, type TestApp } from '../../support/app.js';

// Reprints through the real ingest on real SQLite (SPEC §14): items of several feeds, polled in
// any order, fall into stories exactly as the fixture groups say; a reprint of a story in an
// open incident joins it without matching a rule; rules with minSignal ignore calm items.

const SIGNALS = parseSignalWords(readFileSync(new URL('../../../feeds/signals.txt', import.meta.url), 'utf8'));
const HOUR = 3_600_000;
const START = Date.parse('2026-11-20T00:00:00Z');

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp({ now: '2026-11-20T12:00:00+08:00', config: { signalWords: SIGNALS } });
  await seedDepartment(t, 'yjj', '市应急管理局');
});
afterEach(() => t.close());

const feedIds = new Map<string, number>();
async function feed(name: string): Promise<number> {
  const key = `${name}`;
  const res = await t.call('POST', '/api/feeds', { name, url: `http://127.0.0.1:8/${encodeURIComponent(name)}.xml` });
  expect(res.status).toBe(201);
  feedIds.set(key, res.body.id);
  return res.body.id;
}

let serial = 0;
function item(title: string, publishedAt: number, body = '', link: string | null = null): ParsedItem {
  serial++;
  return { guid: `g-${serial}`, link: link ?? `https://news.example.cn/${serial}.html`, title, summary: body, publishedAt };
}

/** One poll of one feed through the real ingest, committed as pollFeed commits it. */
async function ingest(feedId: number, batch: ParsedItem[], fetchedAt = t.now()) {
  const plan = await planIngest(t.ctx, SYSTEM_ACTOR, feedId, batch, fetchedAt);
  await t.db.batch(plan.statements);
  return plan;
}

async function storyOf(title: string): Promise<number> {
  const [row] = await t.db.orm
    .select({ story: sql<number>`COALESCE(${items.storyId}, ${items.id})` })
    .from(items)
    .where(eq(items.title, title));
  return row!.story;
}

describe('reprints grouped into stories', () => {
  it('when the fixture headlines arrive from several feeds in shuffled polls, then known pairs share a story and known non-pairs never do', async () => {
    await t.call('POST', '/api/rules', {
      name: '全部话题',
      query: '化工厂 OR 地铁 OR 暴雨 OR 降雨 OR 营商环境 OR 中考 OR 高考 OR 自来水 OR 电商',
      severity: 'general',
    });
    const feeds = [await feed('新华网'), await feed('人民网'), await feed('澎湃新闻'), await feed('市政府网站')];
    // Group g's k-th headline comes from feed k, an hour after the one before; polls go feed by
    // feed, so a story's reprint is often stored before its original.
    const byFeed = new Map<number, ParsedItem[]>();
    STORY_GROUPS.forEach((group, g) =>
      group.forEach((member, k) => {
        const list = byFeed.get(feeds[k]!) ?? [];
        list.push(item(member.title, START + g * 600_000 + k * HOUR, member.body ?? ''));
        byFeed.set(feeds[k]!, list);
      }),
    );
    for (const id of [...feeds].reverse()) await ingest(id, byFeed.get(id) ?? []);

    const stories = await Promise.all(STORY_GROUPS.map((group) => Promise.all(group.map((m) => storyOf(m.title)))));
    for (const [g, ids] of stories.entries()) expect(new Set(ids).size, `group ${g}: ${STORY_GROUPS[g]!.map((m) => m.title).join(' / ')}`).toBe(1);
    const distinct = new Set(stories.map((ids) => ids[0]));
    expect(distinct.size).toBe(STORY_GROUPS.length);

    // The incident shows each story once, with its reprint count and sources.
    const [incident] = (await t.call('GET', '/api/incidents')).body.items;
    const detail = (await t.call('GET', `/api/incidents/${incident.id}`)).body;
    expect(detail.stories).toHaveLength(STORY_GROUPS.length);
    const blast = detail.stories.find((s: any) => s.sources.some((src: any) => src.title === STORY_GROUPS[0]![0]!.title));
    expect(blast).toMatchObject({ reprints: 4, items: 4, title: STORY_GROUPS[0]![0]!.title });
    expect(blast.sources.map((s: any) => s.feedName)).toEqual(['新华网', '人民网', '澎湃新闻', '市政府网站']);
    expect(detail.stories[0].reprints).toBe(4);
    expect(detail.stories.at(-1).reprints).toBe(1);
  });

  it('when an item reprints a story of an open incident but matches no rule, then it joins that incident; an unrelated item does not', async () => {
    await t.call('POST', '/api/rules', { name: '暴雨', query: '暴雨', severity: 'major', departmentCode: 'yjj' });
    const [first, second] = STORY_GROUPS.find((g) => g.some((m) => m.title.startsWith('强降雨')))!;
    const a = await feed('市融媒体中心');
    const b = await feed('某客户端');
    const opened = await ingest(a, [item(first!.title, START, first!.body)]);
    expect(opened.matched).toBe(1);
    // Its title matches no rule (降雨, not 暴雨) and differs entirely; its body is the same report.
    const reprint = await ingest(b, [item(second!.title, START + HOUR, second!.body), item('市图书馆延长周末开放时间', START + HOUR, '市图书馆自本周起延长周末开放时间至晚上九点，方便市民阅读。')]);
    expect(reprint.matched).toBe(0);

    const [incident] = (await t.call('GET', '/api/incidents')).body.items;
    const detail = (await t.call('GET', `/api/incidents/${incident.id}`)).body;
    expect(detail.items.map((i: any) => i.title)).toEqual([first!.title, second!.title]);
    expect(detail.stories).toHaveLength(1);
    expect(detail.stories[0]).toMatchObject({ reprints: 2, items: 2 });
  });

  it('when the same story comes back within the window it is the same story; after the window, a new one', async () => {
    await t.call('POST', '/api/rules', { name: '化工', query: '化工厂', severity: 'general' });
    const a = await feed('甲');
    const title = STORY_GROUPS[0]![0]!.title;
    const window = t.ctx.config.reprints.windowHours * HOUR;
    await ingest(a, [item(title, START)]);
    await ingest(a, [item(`【关注】${title}`, START + window - HOUR)], START + window);
    const later = START + 2 * window + 2 * HOUR;
    await ingest(a, [item(`【转载】${title}`, later)], later);
    expect(await storyOf(`【关注】${title}`)).toBe(await storyOf(title));
    expect(await storyOf(`【转载】${title}`)).not.toBe(await storyOf(title));
  });

  it('when identical reprints go on past the window, then each item gets the same story whether they arrive in one poll or in separate polls', async () => {
    await t.call('POST', '/api/rules', { name: '化工', query: '化工厂', severity: 'general' });
    // B repeats A word for word in A's time bucket (so B is not filed again under A's title keys);
    // C repeats it again, within the window of B but not of A.
    const window = t.ctx.config.reprints.windowHours * HOUR;
    const bucketStart = Math.ceil(START / window) * window;
    const times = [bucketStart, bucketStart + 100 * HOUR, bucketStart + 200 * HOUR];
    const storiesOf = async (title: string, split: boolean) => {
      const id = await feed(split ? '分次' : '一次');
      const batch = times.map((at) => item(title, at));
      if (split) for (const one of batch) await ingest(id, [one], one.publishedAt! + HOUR);
      else await ingest(id, batch, times[2]! + HOUR);
      const rows = await t.db.orm
        .select({ id: items.id, story: sql<number>`COALESCE(${items.storyId}, ${items.id})` })
        .from(items)
        .where(eq(items.feedId, id))
        .orderBy(items.publishedAt);
      // As positions: 0 for A's own story, 1 for B's, …
      return rows.map((r) => rows.findIndex((x) => x.id === r.story));
    };
    // (Two stories that share no reprint key, so that the two runs cannot meet.)
    const split = await storiesOf('某区化工厂发生爆炸 已致3人死亡', true);
    const whole = await storiesOf('某区化工厂开展安全生产应急演练', false);
    expect(split).toEqual([0, 0, 2]);
    expect(whole).toEqual(split);
  });
});

describe('negative signals', () => {
  it('when a rule has minSignal, then only items with that many distinct signal words open or join its incident; the incident counts its words', async () => {
    const rule = await t.call('POST', '/api/rules', { name: '化工安全', query: '化工厂', severity: 'major', minSignal: 2 });
    expect(rule.body.minSignal).toBe(2);
    const a = await feed('甲');
    // One signal word (爆炸): not enough.
    expect((await ingest(a, [item('某区化工厂发生爆炸', START)])).matched).toBe(0);
    expect((await t.call('GET', '/api/incidents')).body.items).toEqual([]);
    // Two (爆炸, 伤亡) in title and body: opens; 伤亡 again and 停运 (a third word) in the next.
    expect((await ingest(a, [item('某区化工厂爆炸事故', START + HOUR, '事故造成人员伤亡。')])).matched).toBe(1);
    expect((await ingest(a, [item('化工厂事故致周边公交停运', START + 2 * HOUR, '化工厂事故伤亡情况仍在统计，周边爆炸危险已排除。')])).matched).toBe(1);
    const [incident] = (await t.call('GET', '/api/incidents')).body.items;
    expect(incident).toMatchObject({ signal: 3, signalWords: ['伤亡', '爆炸', '停运'] });
    // Lowered to 0 by PATCH: the calm item now counts.
    expect((await t.call('PATCH', `/api/rules/${rule.body.id}`, { minSignal: 0 })).body.minSignal).toBe(0);
    expect((await ingest(a, [item('化工厂开放日活动举行', START + 3 * HOUR)])).matched).toBe(1);
    expect((await t.call('PATCH', `/api/rules/${rule.body.id}`, { minSignal: -1 })).status).toBe(400);
  });
});

describe('minSignal on rules: bad input', () => {
  it('when minSignal is not an integer from 0 to 20, then POST and PATCH answer 400 with a message that names it, and nothing changes', async () => {
    for (const minSignal of [-1, 1.5, 21, '2', null]) {
      const res = await t.call('POST', '/api/rules', { name: `门槛 ${String(minSignal)}`, query: '化工厂', severity: 'general', minSignal });
      expect(res.status, String(minSignal)).toBe(400);
      expect(JSON.stringify(res.body.error), String(minSignal)).toMatch(/minSignal/);
    }
    expect((await t.call('GET', '/api/rules')).body.items).toEqual([]);
    const rule = await t.call('POST', '/api/rules', { name: '化工安全', query: '化工厂', severity: 'major' });
    expect(rule.body.minSignal).toBe(0);
    for (const minSignal of [21, 'x', 0.5]) expect((await t.call('PATCH', `/api/rules/${rule.body.id}`, { minSignal })).status, String(minSignal)).toBe(400);
    expect((await t.call('PATCH', `/api/rules/${rule.body.id}`, { minSignal: 20 })).body.minSignal).toBe(20);
    expect((await t.call('GET', '/api/rules')).body.items[0].minSignal).toBe(20);
  });
});
