import { count } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { alerts, commitments, incidentItems, incidents, itemRuleHits, items } from '../../../src/db/schema.js';
import { fixtureBytes, rss2, TITLE_FLOOD } from '../../fixtures/feeds.js';
import { seedDepartment, startTestApp, tempDir, type TestApp } from '../../support/app.js';
import { conditional, hang, huge, newStreamStats, send, startFeedServer, status, type FeedServer, type Handler } from '../../support/feed-server.js';

const XML = { 'Content-Type': 'application/rss+xml; charset=utf-8' };

// Published 2026-11-20 in Shanghai; the app's clock is pinned at 2026-11-20T10:00+08:00.
const fire = {
  title: '某区化工厂发生爆炸 已致2人受伤',
  link: 'https://news.example.cn/2026/11/20/fire.html',
  guid: 'fire-1',
  description: '今晨某区化工厂发生爆炸，消防部门已赶赴现场救援，已致2人受伤。',
  pubDate: 'Fri, 20 Nov 2026 08:00:00 +0800',
};
const fireFollowUp = {
  title: '化工厂爆炸事故续报：受伤人员均已送医',
  link: 'https://news.example.cn/2026/11/20/fire-2.html',
  guid: 'fire-2',
  description: '爆炸事故中受伤人员均已送医救治。',
  pubDate: 'Fri, 20 Nov 2026 09:00:00 +0800',
};
const unrelated = {
  title: '市政府召开常务会议 研究部署营商环境工作',
  link: 'https://news.example.cn/2026/11/20/meeting.html',
  guid: 'meeting-1',
  description: '会议研究部署进一步优化营商环境。',
  pubDate: 'Fri, 20 Nov 2026 07:00:00 +0800',
};

let server: FeedServer;
const routes: Record<string, Handler> = {};
beforeAll(async () => {
  server = await startFeedServer(routes);
});
afterAll(() => server.close());

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp({
    config: { feedFetch: { timeoutMs: 1500, headersTimeoutMs: 500, maxBytes: 10 * 1024 * 1024, maxRedirects: 5 } },
  });
  await seedDepartment(t, 'yjj', '市应急管理局');
  const rule = await t.call('POST', '/api/rules', {
    name: '安全生产事故', query: '(爆炸 OR 火灾) (受伤 OR 死亡)', severity: 'major', departmentCode: 'yjj',
  });
  expect(rule.status).toBe(201);
});
afterEach(() => t.close());

async function addFeed(path: string, handler: Handler, name = path) {
  routes[path] = handler;
  const res = await t.call('POST', '/api/feeds', { name, url: server.url(path) });
  expect(res.status).toBe(201);
  return res.body;
}


describe('polling a feed', () => {
  it('when an item matches a rule, then an incident opens with the commitments of its severity', async () => {
    const feed = await addFeed('/news.xml', send(rss2({ items: [unrelated, fire, fireFollowUp] }), XML));
    const poll = await t.call('POST', `/api/feeds/${feed.id}/poll`);
    expect(poll.status).toBe(200);
    expect(poll.body).toEqual({ feedId: feed.id, fetched: 3, new: 3, matched: 2, notModified: false });

    const list = (await t.call('GET', '/api/incidents')).body.items;
    expect(list).toHaveLength(1);
    const incident = (await t.call('GET', `/api/incidents/${list[0].id}`)).body;
    expect(incident).toMatchObject({
      title: fire.title,
      severity: 'major',
      departmentCode: 'yjj',
      status: 'open',
      startedAt: '2026-11-20T00:00:00.000Z', // the item's publication time
    });
    expect(incident.commitments.map((c: any) => [c.kind, c.dueAt])).toEqual([
      ['authoritative_release', '2026-11-20T05:00:00.000Z'],
      ['press_conference', '2026-11-21T00:00:00.000Z'],
    ]);
    expect(incident.items.map((i: any) => i.title)).toEqual([fire.title, fireFollowUp.title]);
    expect(incident.items[0].matchedRuleIds).toHaveLength(1);
    expect(incident.hotwords.map((h: any) => h.word)).toContain('化工厂');

    const feeds = (await t.call('GET', '/api/feeds')).body.items;
    expect(feeds[0]).toMatchObject({ itemCount: 3, consecutiveErrors: 0, lastError: null, lastPolledAt: '2026-11-20T02:00:00.000Z' });
    expect((await t.call('GET', '/api/items?matched=true')).body.items).toHaveLength(2);
    expect((await t.call('GET', '/api/items?matched=false')).body.items.map((i: any) => i.title)).toEqual([unrelated.title]);
    const hot = (await t.call('GET', '/api/hotwords')).body;
    expect(hot.itemCount).toBe(3);
    expect(hot.items.length).toBeGreaterThan(0);
  });

  it('when the same feed is polled again, or after a restart, then nothing is duplicated', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const path = `${dir}/db.sqlite`;
      routes['/same.xml'] = send(rss2({ items: [fire, fireFollowUp, unrelated] }), XML);
      let app = await startTestApp({ path });
      await seedDepartment(app, 'yjj');
      await app.call('POST', '/api/rules', { name: '安全生产事故', query: '爆炸 受伤', severity: 'major' });
      const feed = (await app.call('POST', '/api/feeds', { name: '新闻', url: server.url('/same.xml') })).body;
      expect((await app.call('POST', `/api/feeds/${feed.id}/poll`)).body.new).toBe(3);
      expect((await app.call('POST', `/api/feeds/${feed.id}/poll`)).body).toMatchObject({ fetched: 3, new: 0, matched: 0 });
      await app.call('POST', '/api/jobs/sweep', { asOf: '2026-11-21T12:00:00+08:00' });
      app.close();

      app = await startTestApp({ path, now: '2026-11-20T11:00:00+08:00' });
      expect((await app.call('POST', `/api/feeds/${feed.id}/poll`)).body).toMatchObject({ fetched: 3, new: 0 });
      await app.call('POST', '/api/jobs/sweep', { asOf: '2026-11-21T12:00:00+08:00' });
      const n = async (table: any) => (await app.db.orm.select({ n: count() }).from(table))[0]!.n;
      expect([await n(items), await n(itemRuleHits), await n(incidents), await n(incidentItems), await n(commitments)]).toEqual([3, 2, 1, 2, 2]);
      expect(await n(alerts)).toBe(3); // the incident opened, both commitments missed: once each
      app.close();
    } finally {
      cleanup();
    }
  });

  it('when the feed answers 304 to its validators, then the poll is not-modified and reads nothing', async () => {
    const feed = await addFeed('/etag.xml', conditional({ body: rss2({ items: [fire] }), headers: XML, etag: '"v1"' }));
    expect((await t.call('POST', `/api/feeds/${feed.id}/poll`)).body).toMatchObject({ new: 1, notModified: false });
    expect((await t.call('POST', `/api/feeds/${feed.id}/poll`)).body).toEqual({ feedId: feed.id, fetched: 0, new: 0, matched: 0, notModified: true });
    const last = server.requests.filter((r) => r.path === '/etag.xml').at(-1)!;
    expect(last.headers['if-none-match']).toBe('"v1"');
  });

  it('when the same story reaches another feed, then it joins the same incident', async () => {
    const a = await addFeed('/a.xml', send(rss2({ items: [fire] }), XML));
    const b = await addFeed('/b.xml', send(rss2({ items: [{ ...fire, guid: 'other-site-1', link: 'https://other.example.cn/1.html' }] }), XML));
    const c = await addFeed('/c.xml', send(rss2({ items: [{ ...fireFollowUp, guid: 'x', link: fire.link, title: '转载：化工厂爆炸' }] }), XML));
    for (const f of [a, b, c]) await t.call('POST', `/api/feeds/${f.id}/poll`);
    const list = (await t.call('GET', '/api/incidents')).body.items;
    expect(list).toHaveLength(1);
    expect((await t.call('GET', `/api/incidents/${list[0].id}`)).body.items).toHaveLength(3);
  });

  it('when a story already in an incident comes back matching only another rule, then it joins by link or title, not a new incident', async () => {
    await t.call('POST', '/api/rules', { name: '消防救援', query: '消防 救援', severity: 'general' });
    const a = await addFeed('/story-a.xml', send(rss2({ items: [fire] }), XML));
    await t.call('POST', `/api/feeds/${a.id}/poll`);
    const [first] = (await t.call('GET', '/api/incidents')).body.items;
    // The same link, and elsewhere the same title, now matching only 消防救援; plus an unrelated story of that rule.
    const sameLink = { title: '现场：消防部门赶赴救援', link: fire.link, guid: 'b-1', description: '消防部门赶赴现场救援。', pubDate: fire.pubDate };
    const sameTitle = { title: fire.title, link: 'https://elsewhere.example.cn/9.html', guid: 'b-2', description: '消防 救援', pubDate: fire.pubDate };
    const other = { title: '某小区火警 消防救援及时', link: 'https://news.example.cn/other.html', guid: 'b-3', description: '消防救援人员及时到场。', pubDate: fire.pubDate };
    const b = await addFeed('/story-b.xml', send(rss2({ items: [sameLink, sameTitle, other] }), XML));
    await t.call('POST', `/api/feeds/${b.id}/poll`);
    const list = (await t.call('GET', '/api/incidents')).body.items;
    expect(list).toHaveLength(2);
    const joined = (await t.call('GET', `/api/incidents/${first.id}`)).body.items.map((i: { title: string }) => i.title);
    expect(joined.sort()).toEqual([fire.title, fire.title, sameLink.title].sort());
    const opened = list.find((i: { id: number }) => i.id !== first.id);
    expect((await t.call('GET', `/api/incidents/${opened.id}`)).body.items.map((i: { title: string }) => i.title)).toEqual([other.title]);
  });

  describe('the 72-hour window of a rule’s open incident', () => {
    // Two different stories of the same rule, 90 hours apart; a third 50 hours after the first.
    const early = { ...fire, guid: 'w-1', link: 'https://news.example.cn/w1.html', title: '甲地仓库爆炸 1人受伤', pubDate: 'Mon, 16 Nov 2026 08:00:00 +0800' };
    const late = { ...fire, guid: 'w-2', link: 'https://news.example.cn/w2.html', title: '乙地工厂爆炸 3人受伤', pubDate: 'Fri, 20 Nov 2026 02:00:00 +0800' };
    const between = { ...fire, guid: 'w-3', link: 'https://news.example.cn/w3.html', title: '丙地爆炸事故 2人受伤', pubDate: 'Wed, 18 Nov 2026 10:00:00 +0800' };
    const incidentTitles = async () =>
      ((await t.call('GET', '/api/incidents?status=open')).body.items as { title: string }[]).map((i) => i.title).sort();

    it('when items 90 hours apart arrive in one poll, then they open two incidents', async () => {
      const feed = await addFeed('/window-one.xml', send(rss2({ items: [late, early] }), XML));
      await t.call('POST', `/api/feeds/${feed.id}/poll`);
      expect(await incidentTitles()).toEqual([early.title, late.title].sort());
    });

    it('when they arrive in separate polls, in either order, then the answer is the same two incidents', async () => {
      for (const [i, order] of [[early, late], [late, early]].entries()) {
        const a = await addFeed(`/window-${i}-a.xml`, send(rss2({ items: [{ ...order[0]!, guid: `${order[0]!.guid}-${i}`, link: `${order[0]!.link}?${i}` }] }), XML));
        const b = await addFeed(`/window-${i}-b.xml`, send(rss2({ items: [{ ...order[1]!, guid: `${order[1]!.guid}-${i}`, link: `${order[1]!.link}?${i}` }] }), XML));
        await t.call('POST', `/api/feeds/${a.id}/poll`);
        await t.call('POST', `/api/feeds/${b.id}/poll`);
        expect(await incidentTitles()).toEqual([early.title, late.title].sort());
        for (const incident of (await t.call('GET', '/api/incidents')).body.items) {
          await t.call('PATCH', `/api/incidents/${incident.id}`, { status: 'dismissed' });
        }
      }
    });

    it('when an item falls within 72 hours of the rule’s incident, then it joins it, in one poll as in two', async () => {
      const feed = await addFeed('/window-join.xml', send(rss2({ items: [between, early] }), XML));
      await t.call('POST', `/api/feeds/${feed.id}/poll`);
      const list = (await t.call('GET', '/api/incidents')).body.items;
      expect(list.map((i: { title: string }) => i.title)).toEqual([early.title]);
      expect((await t.call('GET', `/api/incidents/${list[0].id}`)).body.items).toHaveLength(2);
    });
  });

  it('when an item has no date or a future one, then the incident starts at the fetch time', async () => {
    const feed = await addFeed('/undated.xml', send(rss2({ items: [{ ...fire, pubDate: 'Sat, 20 Nov 2027 08:00:00 +0800' }] }), XML));
    await t.call('POST', `/api/feeds/${feed.id}/poll`);
    const [incident] = (await t.call('GET', '/api/incidents')).body.items;
    expect(incident.startedAt).toBe('2026-11-20T02:00:00.000Z');
  });

  it('when a GBK feed is polled, then Chinese rules match its decoded titles', async () => {
    await t.call('POST', '/api/rules', { name: '防汛', query: '防汛', severity: 'general' });
    const feed = await addFeed('/gbk.xml', send(fixtureBytes('gbk-header.xml'), { 'Content-Type': 'application/rss+xml; charset=GBK' }));
    const poll = (await t.call('POST', `/api/feeds/${feed.id}/poll`)).body;
    expect(poll.error).toBeUndefined();
    expect(poll.matched).toBeGreaterThanOrEqual(1);
    const titles = (await t.call('GET', `/api/items?feedId=${feed.id}`)).body.items.map((i: any) => i.title);
    expect(titles).toContain(TITLE_FLOOD);
  });

  const stats = newStreamStats();
  it.each<[string, Handler, string]>([
    ['500', status(500), 'http_status'],
    ['404', status(404), 'http_status'],
    ['a hanging server', hang(), 'timeout'],
    ['a 60 MB body', huge({ totalBytes: 60 * 1024 * 1024, stats }), 'too_large'],
    ['malformed XML', send(fixtureBytes('malformed.xml'), XML), 'malformed'],
    ['an HTML page', send(fixtureBytes('page.html'), { 'Content-Type': 'text/html; charset=utf-8' }), 'not_a_feed'],
  ])('when the feed fails with %s, then the poll answers in bounded time and the feed records it', async (label, handler, code) => {
    const path = `/fault-${label.replace(/\W+/g, '-')}.xml`;
    const feed = await addFeed(path, handler);
    const healthy = await addFeed(`/healthy-${code}.xml`, send(rss2({ items: [unrelated] }), XML));
    const started = Date.now();
    const res = await t.call('POST', `/api/feeds/${feed.id}/poll`);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(res.status).toBe(200);
    expect(res.body.error.code).toBe(code);
    const after = (await t.call('GET', `/api/feeds/${feed.id}`)).body;
    expect(after.lastError).toBe(res.body.error.message);
    expect(after.consecutiveErrors).toBe(1);
    // Backoff: the next poll waits twice the 15-minute interval.
    expect(Date.parse(after.nextPollAt) - Date.parse('2026-11-20T02:00:00Z')).toBe(30 * 60_000);
    // The failing feed does not stop the others.
    const job = (await t.call('POST', '/api/jobs/poll')).body;
    expect(job).toMatchObject({ new: 1 });
    expect((await t.call('GET', `/api/feeds/${healthy.id}`)).body.itemCount).toBe(1);
  });
});

describe('a feed changed while it is polled', () => {
  it.each([
    ['succeeds', () => send(rss2({ items: [unrelated] }), XML), 60, 60],
    ['succeeds', () => send(rss2({ items: [unrelated] }), XML), 1440, 1440],
    ['fails', () => status(500), 60, 120],
    ['fails', () => status(500), 1440, 360],
  ] as const)('when its interval is changed during a poll that %s (to %i minutes), then the next poll follows the new interval (in %i minutes)', async (_, answer, interval, minutes) => {
    let id = 0;
    const reply = answer();
    const feed = await addFeed(`/changed-${interval}-${minutes}.xml`, (req, res) => {
      void t.call('PATCH', `/api/feeds/${id}`, { intervalMinutes: interval }).then((patched) => {
        expect(patched.status).toBe(200);
        reply(req, res);
      });
    });
    id = feed.id;
    expect(feed.intervalMinutes).toBe(15);
    await t.call('POST', `/api/feeds/${id}/poll`);
    const after = (await t.call('GET', `/api/feeds/${id}`)).body;
    expect(after.intervalMinutes).toBe(interval);
    // The interval after the poll; after a failure, twice that (backoff), at most 6 hours.
    expect(Date.parse(after.nextPollAt) - t.now()).toBe(minutes * 60_000);
  });
});

describe('polling many feeds', () => {
  it('when several due feeds share a host, then they are polled one at a time; other hosts run alongside', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const slow: Handler = (req, res) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      setTimeout(() => {
        inFlight--;
        send(rss2({ items: [{ ...unrelated, guid: `${req.url}-1` }] }), XML)(req, res);
      }, 80);
    };
    for (const i of [1, 2, 3]) await addFeed(`/same-host-${i}.xml`, slow);
    // The same server reached as "localhost" is another host as far as the poller is concerned.
    routes['/other-host.xml'] = slow;
    await t.call('POST', '/api/feeds', { name: 'other', url: server.url('/other-host.xml').replace('127.0.0.1', 'localhost') });
    const started = Date.now();
    const job = (await t.call('POST', '/api/jobs/poll')).body;
    expect(job).toMatchObject({ feeds: 4, new: 4, errors: 0 });
    expect(maxInFlight).toBe(2); // one 127.0.0.1 feed and the localhost feed at once, never two of one host
    expect(Date.now() - started).toBeGreaterThanOrEqual(3 * 80);
    // Nothing is due again before its interval has passed.
    expect((await t.call('POST', '/api/jobs/poll')).body).toMatchObject({ feeds: 0 });
  });

  it('when the service begins to shut down during a poll job, then the feed being polled finishes and no further one starts; the rest stay due', async () => {
    for (const i of [1, 2, 3]) await addFeed(`/stopping-${i}.xml`, send(rss2({ items: [{ ...unrelated, guid: `stopping-${i}` }] }), XML));
    // (All on one host: polled one after another.) Shutting down begins with the first request.
    const before = server.requests.length;
    t.ctx.stopping = () => server.requests.length > before;
    expect((await t.call('POST', '/api/jobs/poll')).body).toMatchObject({ feeds: 1, new: 1, errors: 0 });
    t.ctx.stopping = undefined;
    expect((await t.call('POST', '/api/jobs/poll')).body).toMatchObject({ feeds: 2, new: 2, errors: 0 });
  });
});

describe('rules API', () => {
  it('when a query is invalid, then 400 says where', async () => {
    const res = await t.call('POST', '/api/rules', { name: '坏规则', query: '(爆炸 OR 火灾', severity: 'major' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^query: 第 \d+ 个字符处/);
    expect((await t.call('POST', '/api/rules/test', { query: '爆炸 AND', text: 'x' })).status).toBe(400);
  });

  it('tests a query against a text', async () => {
    const res = await t.call('POST', '/api/rules/test', { query: '食品安全 (学校 OR 幼儿园) NOT 演练', text: '某小学食堂发生食品安全事件，学校已停课' });
    expect(res.body).toEqual({ matched: true, terms: ['食品安全', '学校'] });
    expect((await t.call('POST', '/api/rules/test', { query: '食品安全 NOT 演练', text: '食品安全应急演练' })).body.matched).toBe(false);
  });

  it('when a rule name is taken or its department unknown, then 409 or 422', async () => {
    expect((await t.call('POST', '/api/rules', { name: '安全生产事故', query: 'x', severity: 'major' })).status).toBe(409);
    expect((await t.call('POST', '/api/rules', { name: '新规则', query: 'x', severity: 'major', departmentCode: 'nobody' })).status).toBe(422);
  });

  it('when a rule is disabled, then polling no longer matches it', async () => {
    const [rule] = (await t.call('GET', '/api/rules')).body.items;
    expect((await t.call('PATCH', `/api/rules/${rule.id}`, { enabled: false })).body.enabled).toBe(false);
    const feed = await addFeed('/disabled.xml', send(rss2({ items: [fire] }), XML));
    expect((await t.call('POST', `/api/feeds/${feed.id}/poll`)).body).toMatchObject({ new: 1, matched: 0 });
  });
});

describe('feeds API', () => {
  it.each([
    ['not a URL', { name: 'x', url: 'feed' }, 'url'],
    ['not http', { name: 'x', url: 'file:///etc/passwd' }, 'url'],
    ['no name', { url: 'https://example.gov.cn/rss' }, 'name'],
    ['interval 0', { name: 'x', url: 'https://example.gov.cn/rss', intervalMinutes: 0 }, 'intervalMinutes'],
  ])('when %s, then 400 names the field', async (_c, body, field) => {
    const res = await t.call('POST', '/api/feeds', body);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(new RegExp(`^${field}: `));
  });

  it('when a URL is already watched, then 409', async () => {
    await t.call('POST', '/api/feeds', { name: 'a', url: 'https://example.gov.cn/rss' });
    expect((await t.call('POST', '/api/feeds', { name: 'b', url: 'https://example.gov.cn/rss' })).status).toBe(409);
    expect((await t.call('POST', '/api/feeds/999/poll')).status).toBe(404);
  });
});
