import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rss2 } from '../fixtures/feeds.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { send, startFeedServer, type FeedServer } from '../support/feed-server.js';

// PATCH /api/feeds/:id: rename, change the interval, disable / enable (what the /feeds page's
// 停用 / 启用 buttons call). A disabled feed is skipped by the scheduler's poll.
let server: FeedServer;
beforeAll(async () => {
  server = await startFeedServer({
    '/a.xml': send(rss2({ items: [{ title: '市政府召开常务会议', guid: 'a-1' }] }), { 'Content-Type': 'application/rss+xml; charset=utf-8' }),
  });
});
afterAll(() => server.close());

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
});
afterEach(() => t.close());

describe('PATCH /api/feeds/:id', () => {
  it('when a feed is disabled, then the scheduled poll skips it; when enabled again, it is due at once', async () => {
    const feed = (await t.call('POST', '/api/feeds', { name: '门户网站', url: server.url('/a.xml') })).body;
    const off = await t.call('PATCH', `/api/feeds/${feed.id}`, { enabled: false });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ id: feed.id, enabled: false, name: '门户网站', intervalMinutes: 15 });
    const requestsBefore = server.requests.length;
    expect((await t.call('POST', '/api/jobs/poll')).body).toMatchObject({ feeds: 0 });
    expect(server.requests.length).toBe(requestsBefore); // not fetched at all

    t.setNow('2026-11-20T11:00:00+08:00');
    const on = await t.call('PATCH', `/api/feeds/${feed.id}`, { enabled: true, intervalMinutes: 30, name: '市政府门户网站' });
    expect(on.body).toMatchObject({ enabled: true, intervalMinutes: 30, name: '市政府门户网站', nextPollAt: '2026-11-20T02:00:00.000Z' });
    expect((await t.call('POST', '/api/jobs/poll')).body).toMatchObject({ feeds: 1, new: 1 });

    const audit = (await t.call('GET', `/api/audit?entity=feed&entityId=${feed.id}`)).body.items as { action: string; before: unknown; after: unknown }[];
    const updates = audit.filter((a) => a.action === 'update');
    expect(updates).toHaveLength(2);
    expect(updates.map((a) => a.after)).toContainEqual({ name: '市政府门户网站', intervalMinutes: 30, enabled: true });
    expect(updates.map((a) => a.before)).toContainEqual({ name: '门户网站', intervalMinutes: 15, enabled: true });
  });

  it('when the feed does not exist, the URL is sent or the interval is out of range, then 404 / 400 and nothing changes', async () => {
    const feed = (await t.call('POST', '/api/feeds', { name: '门户网站', url: server.url('/a.xml') })).body;
    expect((await t.call('PATCH', '/api/feeds/999', { enabled: false })).status).toBe(404);
    const url = await t.call('PATCH', `/api/feeds/${feed.id}`, { url: 'https://www.example.gov.cn/rss.xml' });
    expect(url.status).toBe(400);
    expect((await t.call('PATCH', `/api/feeds/${feed.id}`, { intervalMinutes: 0 })).status).toBe(400);
    expect((await t.call('PATCH', `/api/feeds/${feed.id}`, { enabled: 'no' })).status).toBe(400);
    expect((await t.call('GET', `/api/feeds/${feed.id}`)).body).toMatchObject({ url: server.url('/a.xml'), enabled: true, intervalMinutes: 15 });
  });
});
