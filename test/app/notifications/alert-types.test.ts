import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rss2 } from '../../fixtures/feeds.js';
import { seedDepartment, startTestApp, type TestApp } from '../../support/app.js';
import { send, startFeedServer, status, type FeedServer, type Handler } from '../../support/feed-server.js';

// The alert types of SPEC §10 beyond the original three, each recorded once.

let server: FeedServer;
const routes: Record<string, Handler> = {};
beforeAll(async () => {
  server = await startFeedServer(routes);
});
afterAll(() => server.close());

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp({ now: '2026-11-20T10:00:00+08:00' });
  await seedDepartment(t, 'fgw', '市发展改革委');
  await seedDepartment(t, 'yjj', '市应急管理局');
});
afterEach(() => t.close());

const alertsOf = async (type: string) => (await t.call('GET', `/api/alerts?type=${type}&limit=500`)).body.items as any[];

describe('interpretation_due_soon', () => {
  it('when the due date comes, then once from 09:00 Shanghai on that date, and never on other days', async () => {
    // Published Monday 2026-11-16 → due Thursday 11-19.
    const doc = (await t.call('POST', '/api/documents', { title: '某文件', departmentCode: 'fgw', publishedAt: '2026-11-16T10:00:00+08:00' })).body;
    const sweep = async (asOf: string) => (await t.call('POST', '/api/jobs/sweep', { asOf })).body.alertsCreated;
    expect(await sweep('2026-11-18T23:59:59+08:00')).toBe(0);
    expect(await sweep('2026-11-19T08:59:59+08:00')).toBe(0);
    expect(await sweep('2026-11-19T09:00:00+08:00')).toBe(1);
    expect(await sweep('2026-11-19T17:00:00+08:00')).toBe(0);
    const [alert] = await alertsOf('interpretation_due_soon');
    expect(alert).toMatchObject({
      documentId: doc.id,
      departmentCode: 'fgw',
      subject: '某文件',
      deadline: '2026-11-19T16:00:00.000Z',
      message: '《某文件》的政策解读今日（2026-11-19）到期，尚未发布',
    });
    // The next day it is overdue, not "due today" again.
    expect(await sweep('2026-11-20T10:00:00+08:00')).toBe(1);
    expect(await alertsOf('interpretation_due_soon')).toHaveLength(1);
    expect(await alertsOf('interpretation_overdue')).toHaveLength(1);
  });

  it('when a document is registered on its due date after 09:00, then at registration; interpreted or exempt documents never', async () => {
    // The app's clock is Friday 2026-11-20 10:00; published Tuesday 11-17 → due Friday 11-20.
    const doc = (await t.call('POST', '/api/documents', { title: '当日到期', departmentCode: 'fgw', publishedAt: '2026-11-17T10:00:00+08:00' })).body;
    expect((await alertsOf('interpretation_due_soon')).map((a) => a.documentId)).toEqual([doc.id]);
    await t.call('POST', '/api/documents', {
      title: '免于解读', departmentCode: 'fgw', publishedAt: '2026-11-17T10:00:00+08:00', requiresInterpretation: false, exemptReason: '内部事项',
    });
    const done = (await t.call('POST', '/api/documents', { title: '已解读', departmentCode: 'fgw', publishedAt: '2026-11-17' })).body;
    expect(await alertsOf('interpretation_due_soon')).toHaveLength(2); // 已解读 alerted at registration, before its interpretation …
    await t.call('POST', '/api/interpretations', { title: '解读', form: 'text', publishedAt: '2026-11-18', documentIds: [done.id] });
    expect((await t.call('POST', '/api/jobs/sweep')).body.alertsCreated).toBe(0); // … and nothing more after it
  });
});

describe('incident_opened', () => {
  it('when an incident is registered by hand, then one alert with its first deadline', async () => {
    const incident = (await t.call('POST', '/api/incidents', { title: '某区化工厂火灾', severity: 'major', departmentCode: 'yjj' })).body;
    const [alert] = await alertsOf('incident_opened');
    expect(alert).toMatchObject({
      incidentId: incident.id,
      departmentCode: 'yjj',
      severity: 'major',
      subject: '某区化工厂火灾',
      deadline: '2026-11-20T07:00:00.000Z',
      message: '登记新舆情事件「某区化工厂火灾」（重大），回应时限已开始计时，须于 2026-11-20 15:00 前发布权威信息',
    });
    // Changing it (severity up, then a sweep) adds no second "opened".
    await t.call('PATCH', `/api/incidents/${incident.id}`, { severity: 'especially_major' });
    await t.call('POST', '/api/jobs/sweep');
    expect(await alertsOf('incident_opened')).toHaveLength(1);
  });

  it('when a rule hit opens an incident, then one alert; polling again adds none', async () => {
    await t.call('POST', '/api/rules', { name: '安全生产', query: '爆炸 受伤', severity: 'large', departmentCode: 'yjj' });
    routes['/opened.xml'] = send(
      rss2({ items: [{ title: '化工厂爆炸 2人受伤', link: 'https://n.example.cn/1', guid: 'g1', description: '爆炸', pubDate: 'Fri, 20 Nov 2026 08:00:00 +0800' }] }),
      { 'Content-Type': 'application/rss+xml; charset=utf-8' },
    );
    const feed = (await t.call('POST', '/api/feeds', { name: '新闻', url: server.url('/opened.xml') })).body;
    await t.call('POST', `/api/feeds/${feed.id}/poll`);
    await t.call('POST', `/api/feeds/${feed.id}/poll`);
    const list = await alertsOf('incident_opened');
    expect(list).toHaveLength(1);
    expect(list[0].message).toBe('监测规则命中新舆情事件「化工厂爆炸 2人受伤」（较大），回应时限已开始计时，须于 2026-11-22 08:00 前回应关切');
  });
});

describe('feed_failing', () => {
  it('when a feed fails 5 times in a row, then once; again only after it has recovered in between', async () => {
    routes['/flaky.xml'] = status(503);
    const feed = (await t.call('POST', '/api/feeds', { name: '某政务网', url: server.url('/flaky.xml') })).body;
    const poll = () => t.call('POST', `/api/feeds/${feed.id}/poll`);
    for (let i = 0; i < 4; i++) await poll();
    expect(await alertsOf('feed_failing')).toHaveLength(0);
    await poll();
    const [alert] = await alertsOf('feed_failing');
    expect(alert).toMatchObject({ feedId: feed.id, subject: '某政务网', message: '订阅源「某政务网」已连续 5 次抓取失败：服务器返回 HTTP 503' });
    for (let i = 0; i < 3; i++) await poll();
    expect(await alertsOf('feed_failing')).toHaveLength(1);

    routes['/flaky.xml'] = send(rss2({ items: [] }), { 'Content-Type': 'application/rss+xml' });
    t.advance(60_000);
    await poll();
    routes['/flaky.xml'] = status(500);
    for (let i = 0; i < 4; i++) await poll();
    expect(await alertsOf('feed_failing')).toHaveLength(1);
    await poll();
    expect(await alertsOf('feed_failing')).toHaveLength(2);
  });
});
