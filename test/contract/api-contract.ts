import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureBytes, rss2, TITLE_FLOOD, utf8 } from '../fixtures/feeds.js';
import { send, startFeedServer, status, type FeedServer } from '../support/feed-server.js';
import { startPlatforms, type Platforms } from '../support/platforms.js';

// One API contract, run against both runtimes over real HTTP on 127.0.0.1: the Node service
// (test/contract/node.test.ts) and the Workers build under `npm run worker:dev`
// (test/contract/workers.test.ts). Both run on the real clock, so everything here is pinned with
// asOf or set relative to now. Each runtime starts on an empty database.

export interface ContractTarget {
  /** http://127.0.0.1:port */
  base: string;
  adminToken: string;
  /**
   * Fires the runtime's scheduled jobs the way its scheduler would: 'sweep' = the deadline sweep,
   * 'monitor' = polling + commitment sweep, 'deliver' = sending due notifications (on Workers the
   * every-minute Cron Trigger does both of the last two).
   */
  scheduled(job: 'sweep' | 'monitor' | 'deliver'): Promise<void>;
  /** Queue consumer invocations seen so far, where the runtime fans work out through a queue (Workers). */
  queueBatches?(): number;
  close(): Promise<void>;
}

interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

const HOUR = 3_600_000;

export function describeApiContract(runtime: string, start: () => Promise<ContractTarget>) {
  describe(`API contract on ${runtime}`, () => {
    let target: ContractTarget;
    let feeds: FeedServer;
    let platforms: Platforms;

    async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
      const res = await fetch(`${target.base}${path}`, {
        method,
        headers: {
          ...(headers.Authorization === undefined && headers.Cookie === undefined ? { Authorization: `Bearer ${target.adminToken}` } : {}),
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        redirect: 'manual',
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        // not JSON: keep the text
      }
      return { status: res.status, headers: res.headers, body: parsed };
    }

    const at = (iso: string) => `asOf=${encodeURIComponent(iso)}`;

    beforeAll(async () => {
      const story = rss2({
        title: '某区融媒体中心',
        items: [
          { guid: 'c-1', title: '某小区化粪池溢出 居民反映污水横流', link: 'http://news.example.cn/1', description: '化粪池溢出已持续两天，污水进入地下车库' },
          { guid: 'c-2', title: '区政府召开常务会议', link: 'http://news.example.cn/2', description: '会议研究了多项民生工作' },
        ],
      });
      // One story carried by three sites (retitled, tagged, with the site's name), with signal
      // words; another story of the same place; a calm item (no signal word).
      const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toUTCString();
      const depth = (items: Parameters<typeof rss2>[0]['items']) => send(utf8(rss2({ items })), { 'Content-Type': 'application/rss+xml; charset=utf-8' });
      const blast = { description: '污水处理厂爆炸事故造成人员伤亡，周边道路临时封闭。' };
      feeds = await startFeedServer({
        '/depth-a.xml': depth([
          { guid: 'd-a1', title: '某区污水处理厂发生爆炸 已致3人受伤', link: 'http://depth.example.cn/a/1', pubDate: minutesAgo(40), ...blast },
          { guid: 'd-a2', title: '某区污水处理厂开放日活动举行', link: 'http://depth.example.cn/a/2', pubDate: minutesAgo(35), description: '市民参观了污水处理工艺。' },
        ]),
        '/depth-b.xml': depth([{ guid: 'd-b1', title: '【关注】某区污水处理厂发生爆炸，已致三人受伤', link: 'http://depth.example.cn/b/1', pubDate: minutesAgo(30), ...blast }]),
        '/depth-c.xml': depth([
          { guid: 'd-c1', title: '某区污水处理厂发生爆炸 已致3人受伤 - 澎湃新闻', link: 'http://depth.example.cn/c/1', pubDate: minutesAgo(20), ...blast },
          { guid: 'd-c2', title: '应急管理局通报污水处理厂事故救援进展', link: 'http://depth.example.cn/c/2', pubDate: minutesAgo(10), description: '爆炸未造成死亡，伤亡人员已送医。' },
        ]),
        '/story.xml': send(utf8(story), { 'Content-Type': 'application/rss+xml; charset=utf-8' }),
        '/gbk.xml': send(fixtureBytes('gbk-header.xml'), { 'Content-Type': 'application/rss+xml; charset=GBK' }),
        '/broken.xml': status(500),
      });
      platforms = await startPlatforms(() => Date.now());
      target = await start();
      for (const [code, name] of [['fgw', '市发展改革委'], ['jyj', '市教育局']]) {
        expect((await call('POST', '/api/departments', { code, name })).status).toBe(201);
      }
    }, 180_000);

    afterAll(async () => {
      await target?.close();
      await feeds?.close();
      await platforms?.close();
    });

    it('answers /health and serves the OpenAPI document', async () => {
      expect(await call('GET', '/health', undefined, { Authorization: '' })).toMatchObject({ status: 200, body: { ok: true } });
      const doc = await call('GET', '/openapi.json');
      expect(doc.status).toBe(200);
      expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/documents', '/api/incidents/{id}', '/api/timers']));
    });

    it('refuses a request without credentials (401) or with a wrong token (401)', async () => {
      expect((await call('GET', '/api/documents', undefined, { Authorization: '' })).status).toBe(401);
      expect((await call('GET', '/api/documents', undefined, { Authorization: 'Bearer not-the-token-0123456789' })).status).toBe(401);
    });

    it('registers a document, computes its due date on the official calendar, and gives its status as of any moment', async () => {
      // Published on the last working day before the 2026 National Day holiday (10-01…10-07 off):
      // the 3 working days are 10-08, 10-09 and the make-up Saturday 10-10.
      const doc = await call('POST', '/api/documents', { docNumber: '契约〔2026〕1号', title: '关于契约测试的通知', departmentCode: 'fgw', publishedAt: '2026-09-30T23:30:00+08:00' });
      expect(doc.status).toBe(201);
      expect(doc.body).toMatchObject({ publishedDate: '2026-09-30', interpretationDueDate: '2026-10-10' });
      const pending = await call('GET', `/api/documents/${doc.body.id}?${at('2026-10-08T12:00:00+08:00')}`);
      expect(pending.body).toMatchObject({ status: 'pending', workingDaysLeft: 2 });
      const overdue = await call('GET', `/api/documents/${doc.body.id}?${at('2026-10-11T00:00:00+08:00')}`);
      expect(overdue.body.status).toBe('overdue');

      const late = await call('POST', '/api/interpretations', { title: '《关于契约测试的通知》解读', form: 'qa', publishedAt: '2026-10-14T09:00:00+08:00', documentIds: [doc.body.id] });
      expect(late.status).toBe(201);
      expect((await call('GET', `/api/documents/${doc.body.id}?${at('2026-10-15T00:00:00+08:00')}`)).body.status).toBe('late');
      // An interpretation keeps at least one document: link it to a second one, then unlink the first.
      const other = await call('POST', '/api/documents', { title: '关于契约测试的补充通知', departmentCode: 'fgw', publishedAt: '2026-10-13T09:00:00+08:00' });
      expect((await call('POST', `/api/interpretations/${late.body.id}/documents`, { documentId: other.body.id })).status).toBeLessThan(300);
      expect((await call('GET', `/api/documents/${other.body.id}?${at('2026-10-15T00:00:00+08:00')}`)).body.status).toBe('on_time');
      expect((await call('DELETE', `/api/interpretations/${late.body.id}/documents/${doc.body.id}`)).status).toBeLessThan(300);
      expect((await call('GET', `/api/documents/${doc.body.id}?${at('2026-10-15T00:00:00+08:00')}`)).body.status).toBe('overdue');
    });

    it('refuses bad input with 400 naming the field and a duplicate 文号 with 409, writing nothing', async () => {
      const before = (await call('GET', '/api/documents?limit=200')).body.items.length;
      const bad = await call('POST', '/api/documents', { title: '', departmentCode: 'fgw', publishedAt: '2026-11-02T10:00:00+08:00' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/title/);
      const badDate = await call('POST', '/api/documents', { title: '日期错误', departmentCode: 'fgw', publishedAt: '2026-02-30' });
      expect(badDate.status).toBe(400);
      expect(badDate.body.error.message).toMatch(/publishedAt/);
      const dup = await call('POST', '/api/documents', { docNumber: '契约〔2026〕1号', title: '重复文号', departmentCode: 'fgw', publishedAt: '2026-11-02T10:00:00+08:00' });
      expect(dup.status).toBe(409);
      expect((await call('GET', '/api/documents?limit=200')).body.items.length).toBe(before);
    });

    it('overrides a calendar day and recomputes the deadlines across it', async () => {
      const doc = await call('POST', '/api/documents', { title: '关于日历调整的通知', departmentCode: 'jyj', publishedAt: '2026-11-19T09:00:00+08:00' });
      expect(doc.body.interpretationDueDate).toBe('2026-11-24');
      expect((await call('PUT', '/api/calendar/days/2026-11-23', { kind: 'holiday', name: '契约调整' })).status).toBe(200);
      expect((await call('GET', `/api/documents/${doc.body.id}`)).body.interpretationDueDate).toBe('2026-11-25');
      const year = await call('GET', '/api/calendar/years/2026');
      expect(year.body.days.find((d: { date: string }) => d.date === '2026-10-10')).toMatchObject({ kind: 'makeup_workday', workingDay: true });
      await call('PUT', '/api/calendar/days/2026-11-23', { kind: 'default' });
      expect((await call('GET', `/api/documents/${doc.body.id}`)).body.interpretationDueDate).toBe('2026-11-24');
    });

    it('records one overdue alert per document and due date from the sweep, however often it runs', async () => {
      const doc = await call('POST', '/api/documents', { title: '关于巡检的通知', departmentCode: 'fgw', publishedAt: '2026-11-02T10:00:00+08:00' });
      const asOf = { asOf: '2026-11-10T10:00:00+08:00' };
      expect((await call('POST', '/api/jobs/sweep', asOf)).body.alertsCreated).toBeGreaterThanOrEqual(1);
      expect((await call('POST', '/api/jobs/sweep', asOf)).body.alertsCreated).toBe(0);
      const alerts = (await call('GET', '/api/alerts?type=interpretation_overdue&limit=200')).body.items;
      expect(alerts.filter((a: { documentId: number }) => a.documentId === doc.body.id)).toHaveLength(1);
    });

    it("keeps the leaders' board's counts in the same write (migration 0009's triggers), answers it as of any moment, and lists overdue and pending documents by due date", async () => {
      expect((await call('POST', '/api/departments', { code: 'kbt', name: '看板契约部门' })).status).toBe(201);
      const a = await call('POST', '/api/documents', { title: '看板契约文件甲', departmentCode: 'kbt', importance: 'major', publishedAt: '2026-11-02T10:00:00+08:00' });
      const b = await call('POST', '/api/documents', { title: '看板契约文件乙', departmentCode: 'kbt', importance: 'major', publishedAt: '2026-11-02T11:00:00+08:00' });
      await call('POST', '/api/documents', { title: '看板契约文件丙', departmentCode: 'kbt', requiresInterpretation: false, exemptReason: '内部事项', publishedAt: '2026-11-02T12:00:00+08:00' });
      expect([a.body.interpretationDueDate, b.body.interpretationDueDate]).toEqual(['2026-11-05', '2026-11-05']);
      const conference = await call('POST', '/api/interpretations', { title: '看板契约新闻发布会', form: 'press_conference', publishedAt: '2026-11-04T09:00:00+08:00', documentIds: [b.body.id] });
      expect(conference.status).toBe(201);
      const row = async (asOf: string) => (await call('GET', `/api/dashboard?${at(asOf)}`)).body.departments.find((d: { code: string }) => d.code === 'kbt');
      const common = { exempt: 1, requiringInterpretation: 2, majorDocuments: 2, plannedAndSigned: 0 };
      expect(await row('2026-11-02T10:30:00+08:00')).toMatchObject({ pending: 1, overdue: 0, onTime: 0, exempt: 0, requiringInterpretation: 1, leaderLedMajor: 0 });
      expect(await row('2026-11-03T12:00:00+08:00')).toMatchObject({ ...common, pending: 2, overdue: 0, onTime: 0, late: 0, leaderLedMajor: 0 });
      expect(await row('2026-11-04T12:00:00+08:00')).toMatchObject({ ...common, pending: 1, overdue: 0, onTime: 1, late: 0, leaderLedMajor: 1 });
      expect(await row('2026-11-10T12:00:00+08:00')).toMatchObject({ ...common, pending: 0, overdue: 1, onTime: 1, late: 0, leaderLedMajor: 1, onTimeRate: 0.5 });
      const ids = async (query: string) => (await call('GET', `/api/documents?${query}&limit=500`)).body.items.map((d: { id: number }) => d.id);
      expect(await ids(`status=overdue&departmentCode=kbt&${at('2026-11-10T12:00:00+08:00')}`)).toEqual([a.body.id]);
      expect(await ids(`status=pending&departmentCode=kbt&${at('2026-11-03T12:00:00+08:00')}`)).toEqual([a.body.id, b.body.id]);
      expect(await ids(`status=overdue&${at('2026-11-10T12:00:00+08:00')}`)).toContain(a.body.id);
      expect(await ids(`status=overdue&${at('2026-11-10T12:00:00+08:00')}`)).not.toContain(b.body.id);
      expect(await ids(`status=pending&${at('2026-11-03T12:00:00+08:00')}`)).toEqual(expect.arrayContaining([a.body.id, b.body.id]));
      // Unlinking the interpretation moves the document back, in the same write.
      expect((await call('POST', `/api/interpretations/${conference.body.id}/documents`, { documentId: a.body.id })).status).toBeLessThan(300);
      expect((await call('DELETE', `/api/interpretations/${conference.body.id}/documents/${b.body.id}`)).status).toBeLessThan(300);
      expect(await row('2026-11-10T12:00:00+08:00')).toMatchObject({ ...common, pending: 0, overdue: 1, onTime: 1, late: 0, leaderLedMajor: 1 });
      expect(await ids(`status=overdue&departmentCode=kbt&${at('2026-11-10T12:00:00+08:00')}`)).toEqual([b.body.id]);
    });

    it('signs a user in with a session cookie, refuses a cross-site write, and ends access when disabled', async () => {
      const user = await call('POST', '/api/users', { username: 'press01', role: 'press', displayName: '新闻办', password: 'press01-secret-pass' });
      expect(user.status).toBe(201);
      expect((await call('POST', '/api/session', { username: 'press01', password: 'wrong-password!!' }, { Authorization: '' })).status).toBe(401);
      const login = await call('POST', '/api/session', { username: 'press01', password: 'press01-secret-pass' }, { Authorization: '' });
      expect(login.status).toBe(200);
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
      expect(login.headers.get('set-cookie')).toMatch(/HttpOnly/i);
      expect((await call('GET', '/api/me', undefined, { Cookie: cookie })).body).toMatchObject({ username: 'press01', role: 'press' });
      // press may not register documents (403); a cross-site cookie write is refused too.
      expect((await call('POST', '/api/documents', { title: 'x', departmentCode: 'fgw', publishedAt: '2026-11-02' }, { Cookie: cookie, Origin: target.base })).status).toBe(403);
      expect((await call('POST', '/api/incidents', { title: '跨站', severity: 'general' }, { Cookie: cookie, Origin: 'https://evil.example' })).status).toBe(403);
      expect((await call('PATCH', `/api/users/${user.body.id}`, { disabled: true })).status).toBe(200);
      expect((await call('GET', '/api/me', undefined, { Cookie: cookie })).status).toBe(401);
      const audit = await call('GET', '/api/audit?entity=user&limit=50');
      expect(audit.status).toBe(200);
      expect(audit.body.items.length).toBeGreaterThanOrEqual(2);
    });

    it('parses rules with positions in errors, and tests a query against a text', async () => {
      const bad = await call('POST', '/api/rules', { name: '坏规则', query: '化粪池 AND (溢出', severity: 'general' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/query/);
      const yes = await call('POST', '/api/rules/test', { query: '化粪池 NEAR/6 溢出 NOT 演练', text: '某小区化粪池发生溢出' });
      expect(yes.body.matched).toBe(true);
      const no = await call('POST', '/api/rules/test', { query: '化粪池 NEAR/6 溢出 NOT 演练', text: '化粪池溢出应急演练' });
      expect(no.body.matched).toBe(false);
    });

    it('polls feeds on 127.0.0.1 (UTF-8 and GBK), opens an incident from a rule hit with hot words and clocks, and records a failing feed', async () => {
      expect((await call('POST', '/api/rules', { name: '化粪池溢出', query: '化粪池 NEAR/6 溢出', severity: 'major' })).status).toBe(201);
      const story = await call('POST', '/api/feeds', { name: '区融媒体', url: feeds.url('/story.xml'), intervalMinutes: 5 });
      expect(story.status).toBe(201);
      const gbk = await call('POST', '/api/feeds', { name: '市政府公告', url: feeds.url('/gbk.xml'), intervalMinutes: 5 });
      const broken = await call('POST', '/api/feeds', { name: '坏源', url: feeds.url('/broken.xml'), intervalMinutes: 5 });
      expect(broken.status).toBe(201);

      const poll = await call('POST', '/api/jobs/poll', {});
      expect(poll.status).toBe(200);
      const items = (await call('GET', '/api/items?limit=100')).body.items;
      expect(items.map((i: { title: string }) => i.title)).toEqual(expect.arrayContaining(['某小区化粪池溢出 居民反映污水横流', TITLE_FLOOD]));
      expect((await call('GET', `/api/feeds/${gbk.body.id}`)).body.lastError).toBeNull();
      const failed = (await call('GET', `/api/feeds/${broken.body.id}`)).body;
      expect(failed.lastError).toMatch(/500/);
      expect(failed.consecutiveErrors).toBe(1);

      const incidents = (await call('GET', '/api/incidents')).body.items;
      const incident = incidents.find((i: { title: string }) => i.title.includes('化粪池'));
      expect(incident).toBeDefined();
      const detail = (await call('GET', `/api/incidents/${incident.id}`)).body;
      expect(detail.items.map((i: { link: string }) => i.link)).toContain('http://news.example.cn/1');
      expect(detail.hotwords.map((h: { word: string }) => h.word)).toContain('化粪池');
      expect(detail.commitments.map((c: { kind: string }) => c.kind).sort()).toEqual(['authoritative_release', 'press_conference']);

      // Polling again (the scheduled way, after the feeds are due) adds no item and no incident.
      const countItems = items.length;
      await call('POST', `/api/feeds/${story.body.id}/poll`, {});
      expect((await call('GET', '/api/items?limit=100')).body.items.length).toBe(countItems);
      expect((await call('GET', '/api/incidents')).body.items.filter((i: { title: string }) => i.title.includes('化粪池'))).toHaveLength(1);
    });

    it('groups reprints into stories with heat and signal on the incident, honours minSignal, and answers the daily briefing', async () => {
      const rule = await call('POST', '/api/rules', { name: '污水处理厂事故', query: '污水处理厂', severity: 'large', minSignal: 2 });
      expect(rule.status).toBe(201);
      expect(rule.body.minSignal).toBe(2);
      expect((await call('PATCH', `/api/rules/${rule.body.id}`, { minSignal: -1 })).status).toBe(400);
      expect((await call('POST', '/api/rules', { name: '坏门槛', query: '污水', severity: 'general', minSignal: 'x' })).status).toBe(400);
      for (const [name, path] of [['新华网', '/depth-a.xml'], ['人民网', '/depth-b.xml'], ['澎湃新闻', '/depth-c.xml']] as const) {
        const feed = await call('POST', '/api/feeds', { name, url: feeds.url(path), intervalMinutes: 60 });
        expect(feed.status).toBe(201);
        expect((await call('POST', `/api/feeds/${feed.body.id}/poll`, {})).status).toBe(200);
      }
      const incident = (await call('GET', '/api/incidents?q=' + encodeURIComponent('污水处理厂'))).body.items;
      expect(incident).toHaveLength(1);
      const detail = (await call('GET', `/api/incidents/${incident[0].id}`)).body;
      // The calm item (no signal word) did not join; the three reprints are one story.
      expect(detail.items.map((i: { title: string }) => i.title)).not.toContain('某区污水处理厂开放日活动举行');
      expect(detail.items).toHaveLength(4);
      expect(detail.stories.map((s: { reprints: number }) => s.reprints)).toEqual([3, 1]);
      expect(detail.stories[0].sources.map((s: { feedName: string }) => s.feedName)).toEqual(['新华网', '人民网', '澎湃新闻']);
      expect(detail.heat).toBe(2);
      expect(detail.storiesPerHour).toHaveLength(24);
      expect(detail.signal).toBe(detail.signalWords.length);
      expect(detail.signalWords).toEqual(expect.arrayContaining(['爆炸', '伤亡']));
      const listed = (await call('GET', '/api/incidents')).body.items.find((i: { id: number }) => i.id === detail.id);
      expect(listed).toMatchObject({ heat: 2, signal: detail.signal });

      // The Shanghai day the incident opened on: the fixture items are 10–40 minutes old, so shortly
      // after midnight in Shanghai they straddle two days. What the briefing of that day must say
      // follows from the items' own times, whenever the suite runs.
      const shanghaiDate = (iso: string) => new Date(Date.parse(iso) + 8 * HOUR).toISOString().slice(0, 10);
      const today = shanghaiDate(detail.startedAt);
      const briefing = await call('GET', `/api/briefings/daily?date=${today}`);
      expect(briefing.status).toBe(200);
      expect(briefing.body.date).toBe(today);
      const heatThen = (await call('GET', `/api/incidents/${detail.id}?asOf=${encodeURIComponent(briefing.body.asOf)}`)).body.heat;
      expect(heatThen).toBeGreaterThanOrEqual(1);
      expect(briefing.body.incidents.find((i: { id: number }) => i.id === detail.id)).toMatchObject({ heat: heatThen, signal: detail.signal, openedOnDate: true });
      const feedsThatDay = new Set(
        detail.stories[0].sources.filter((s: { publishedAt: string }) => shanghaiDate(s.publishedAt) === today).map((s: { feedName: string }) => s.feedName),
      ).size;
      expect(briefing.body.stories.find((s: { storyId: number }) => s.storyId === detail.stories[0].storyId)).toMatchObject({ reprints: feedsThatDay, incidentIds: [detail.id] });
      expect(Object.keys(briefing.body).sort()).toEqual(['asOf', 'commitments', 'date', 'hotWords', 'incidents', 'overdueDocuments', 'stories', 'totals']);
      expect((await call('GET', '/api/briefings/daily?date=2026-02-30')).status).toBe(400);
      // DOCX: written on Node; on Workers a clear 422 (no DOCX writer there; the page prints to PDF).
      const docx = await fetch(`${target.base}/api/briefings/daily?date=${today}&format=docx`, { headers: { Authorization: `Bearer ${target.adminToken}` } });
      if (runtime.startsWith('Node')) {
        expect(docx.status).toBe(200);
        expect(new Uint8Array(await docx.arrayBuffer()).slice(0, 2)).toEqual(new Uint8Array([0x50, 0x4b]));
      } else {
        expect(docx.status).toBe(422);
        expect(((await docx.json()) as { error: { code: string } }).error.code).toBe('docx_unavailable');
      }
    });

    it('runs response clocks: a fulfilled commitment leaves the timers; a missed one alerts once from the scheduled job', async () => {
      const startedAt = new Date(Date.now() - 6 * HOUR).toISOString();
      const opened = await call('POST', '/api/incidents', { title: '契约测试：重大突发事件', severity: 'major', startedAt });
      expect(opened.status).toBe(201);
      const byKind = Object.fromEntries(opened.body.commitments.map((c: { kind: string }) => [c.kind, c]));
      expect(byKind.authoritative_release.dueAt).toBe(new Date(Date.parse(startedAt) + 5 * HOUR).toISOString());

      const timers = (await call('GET', '/api/timers')).body.items;
      expect(timers.some((t: { id: number }) => t.id === byKind.press_conference.id)).toBe(true);
      const fulfilled = await call('POST', `/api/commitments/${byKind.press_conference.id}/fulfil`, { url: 'https://www.example.gov.cn/fbh/1.html' });
      expect(fulfilled.body.status).toBe('met');
      expect((await call('GET', '/api/timers')).body.items.some((t: { id: number }) => t.id === byKind.press_conference.id)).toBe(false);

      // The 5-hour release is past due: the scheduled job records commitment_missed once.
      await target.scheduled('monitor');
      await target.scheduled('monitor');
      const missed = (await call('GET', '/api/alerts?type=commitment_missed&limit=200')).body.items;
      expect(missed.filter((a: { commitmentId: number }) => a.commitmentId === byKind.authoritative_release.id)).toHaveLength(1);
    });

    it('runs the deadline sweep as a scheduled job', async () => {
      const doc = await call('POST', '/api/documents', { title: '关于定时巡检的通知', departmentCode: 'jyj', publishedAt: '2026-01-05T10:00:00+08:00' });
      await target.scheduled('sweep');
      const alerts = (await call('GET', '/api/alerts?type=interpretation_overdue&limit=200')).body.items;
      expect(alerts.filter((a: { documentId: number }) => a.documentId === doc.body.id)).toHaveLength(1);
    });

    it('delivers alerts to signed DingTalk and webhook channels once each, answers a test message, and refuses email without SMTP', async () => {
      const secret = 'SECcontract0123456789abcdef0123456789abcdef0123456789abcdef012345';
      const dingtalk = platforms.robot('dingtalk', `contract-dd-${runtime.length}-0123456789abcdef`, { secret, keyword: '契约' });
      const dd = await call('POST', '/api/channels', { name: '契约钉钉群', kind: 'dingtalk', url: dingtalk.url, secret, keyword: '契约', departmentCodes: ['fgw'] });
      expect(dd.status).toBe(201);
      expect(JSON.stringify(dd.body)).not.toContain(secret);
      const hook = await call('POST', '/api/channels', { name: '契约 Webhook', kind: 'webhook', url: platforms.unknownUrl('webhook') });
      expect(hook.body.secret).toMatch(/^whsec_/);
      const receiver = platforms.robot('webhook', `contract-wh-${runtime.length}`, { secret: hook.body.secret });
      expect((await call('PATCH', `/api/channels/${hook.body.id}`, { url: receiver.url })).status).toBe(200);
      const email = await call('POST', '/api/channels', { name: '契约邮箱', kind: 'email', url: 'mailto:duty@example.gov.cn' });
      expect(email.status).toBe(422);

      const test = await call('POST', `/api/channels/${dd.body.id}/test`);
      expect(test.body).toMatchObject({ ok: true, status: 200 });
      const broken = await call('POST', '/api/channels', { name: '契约企业微信', kind: 'wecom', url: platforms.unknownUrl('wecom') });
      expect((await call('POST', `/api/channels/${broken.body.id}/test`)).body).toMatchObject({ ok: false, error: expect.stringContaining('93000') });
      expect((await call('PATCH', `/api/channels/${broken.body.id}`, { enabled: false })).status).toBe(200);

      const incident = await call('POST', '/api/incidents', { title: '契约测试：通知送达', severity: 'large', departmentCode: 'fgw' });
      expect(incident.status).toBe(201);
      // Sent by the scheduled job (and, on Workers, right after the request that recorded the alert).
      await target.scheduled('deliver');
      const mine = async () =>
        ((await call('GET', '/api/deliveries?limit=200')).body.items as { alertMessage: string; status: string; channelName: string }[]).filter((d) =>
          d.alertMessage.includes('契约测试：通知送达'),
        );
      for (let i = 0; i < 50 && (await mine()).some((d) => d.status !== 'sent'); i++) await new Promise((r) => setTimeout(r, 200));
      expect((await mine()).map((d) => [d.channelName, d.status]).sort()).toEqual([['契约 Webhook', 'sent'], ['契约钉钉群', 'sent']]);
      await call('POST', '/api/jobs/deliver');
      expect(dingtalk.accepted.filter((r) => r.body.msgtype === 'markdown' && r.body.markdown.title.includes('契约测试：通知送达'))).toHaveLength(1);
      const hooks = receiver.accepted.filter((r) => r.body.alert?.subject === '契约测试：通知送达');
      expect(hooks).toHaveLength(1);
      expect(hooks[0]!.body).toMatchObject({ type: 'incident_opened', alert: { departmentName: '市发展改革委', severity: 'large' } });
    });

    it('polls 200 due feeds from one scheduled run (on Workers through the queue, many consumer invocations), each exactly once', async () => {
      const many = await startFeedServer(
        Object.fromEntries(
          Array.from({ length: 200 }, (_, i) => [`/many/${i}.xml`, send(utf8(rss2({ items: [{ guid: `m-${i}`, title: `第 ${i} 号政务动态`, link: `http://many.example.cn/${i}` }] })), { 'Content-Type': 'application/rss+xml; charset=utf-8' })]),
        ),
      );
      try {
        const ids: number[] = [];
        for (let i = 0; i < 200; i++) {
          const res = await call('POST', '/api/feeds', { name: `批量订阅源 ${i}`, url: many.url(`/many/${i}.xml`), intervalMinutes: 60 });
          expect(res.status).toBe(201);
          ids.push(res.body.id);
        }
        const batchesBefore = target.queueBatches?.() ?? 0;
        await target.scheduled('monitor');
        const polled = async () => {
          const feedsNow = (await call('GET', '/api/feeds?limit=500')).body.items as { id: number; itemCount: number }[];
          return feedsNow.filter((f) => ids.includes(f.id) && f.itemCount === 1).length;
        };
        for (let i = 0; i < 150 && (await polled()) < 200; i++) await new Promise((r) => setTimeout(r, 200));
        expect(await polled()).toBe(200);
        // Each feed's server saw exactly one request: nothing polled twice.
        const paths = many.requests.map((r) => r.path);
        expect(new Set(paths).size).toBe(200);
        expect(paths).toHaveLength(200);
        if (target.queueBatches) expect(target.queueBatches() - batchesBefore).toBeGreaterThan(1);
      } finally {
        await many.close();
      }
    }, 120_000);

    it('registers a request for disclosure, records its events, reads its working-day clock as of any moment, and counts it in the annual report', async () => {
      // Received 2026-09-16: 20 working days across 中秋 and National Day (make-up 09-20 and 10-10) end on 10-20.
      const req = await call('POST', '/api/disclosure-requests', {
        receivedAt: '2026-09-16', channel: 'letter', applicantType: 'research', applicantName: '契约研究院', description: '契约测试：某规划的专家论证意见', departmentCode: 'jyj',
      });
      expect(req.status).toBe(201);
      expect(req.body).toMatchObject({ number: expect.stringMatching(/^2026-\d{4}$/), receivedAt: '2026-09-16' });
      const id = req.body.id;
      const event = (body: Record<string, unknown>) => call('POST', `/api/disclosure-requests/${id}/events`, body);
      expect((await event({ type: 'correction_requested', date: '2026-09-24' })).status).toBe(201);
      expect((await event({ type: 'corrected', date: '2026-09-29' })).status).toBe(201);
      expect((await event({ type: 'consultation_started', date: '2026-10-13', party: 'agency' })).status).toBe(201);
      expect((await event({ type: 'consultation_ended', date: '2026-10-20' })).status).toBe(201);
      expect((await event({ type: 'extended', date: '2026-11-04', days: 20, approvedBy: '契约主任' })).status).toBe(201);
      expect((await event({ type: 'extended', date: '2026-11-05', days: 5, approvedBy: '契约主任' })).status).toBe(409);
      expect((await event({ type: 'answered', date: '2026-11-20', outcome: 'unable', reason: 'not_held' })).status).toBe(201);

      const asOf = async (iso: string) => (await call('GET', `/api/disclosure-requests/${id}?${at(iso)}`)).body;
      expect(await asOf('2026-09-20T12:00:00+08:00')).toMatchObject({ status: 'open', dueDate: '2026-10-20', workingDaysLeft: 17 });
      expect(await asOf('2026-09-25T12:00:00+08:00')).toMatchObject({ status: 'awaiting_correction', dueDate: null });
      expect(await asOf('2026-10-15T12:00:00+08:00')).toMatchObject({ status: 'in_consultation', dueDate: '2026-11-04', workingDaysLeft: 14 });
      expect(await asOf('2026-10-21T09:00:00+08:00')).toMatchObject({ status: 'open', dueDate: '2026-11-09' });
      expect(await asOf('2026-11-05T09:00:00+08:00')).toMatchObject({ status: 'open', dueDate: '2026-12-07' });
      const done = await asOf('2026-11-21T09:00:00+08:00');
      expect(done).toMatchObject({ status: 'answered', outcome: 'unable', reason: 'not_held', answeredLate: false });
      expect((await call('GET', `/api/disclosure-requests/${id}`)).body.events).toHaveLength(6);

      const report = await call('GET', '/api/reports/annual/2026');
      expect(report.status).toBe(200);
      const row = (key: string) => report.body.table3.rows.find((r: { key: string }) => r.key === key).values;
      expect(row('received').research).toBeGreaterThanOrEqual(1);
      expect(row('unable.not_held').research).toBeGreaterThanOrEqual(1);
      expect(report.body.table3.check.passed).toBe(true);
    });

    it('exports documents as CSV with every filter (BOM, Chinese headings, formulas as text), XLSX or a 422 that says so, and a 考核 report that agrees with the list', async () => {
      expect((await call('POST', '/api/departments', { code: 'khb', name: '契约考核局' })).status).toBe(201);
      const made: number[] = [];
      for (const [title, publishedAt] of [['=SUM(1) 契约导出', '2025-03-03T10:00:00+08:00'], ['契约导出：按时', '2025-03-04T10:00:00+08:00'], ['契约导出：待解读', '2025-03-27T10:00:00+08:00']]) {
        const res = await call('POST', '/api/documents', { title, departmentCode: 'khb', publishedAt });
        expect(res.status).toBe(201);
        made.push(res.body.id);
      }
      expect((await call('POST', '/api/interpretations', { title: '契约解读', form: 'text', publishedAt: '2025-03-05T10:00:00+08:00', documentIds: [made[1]] })).status).toBe(201);
      const asOf = encodeURIComponent('2025-03-28T12:00:00+08:00');
      const res = await fetch(`${target.base}/api/documents/export?format=csv&departmentCode=khb&asOf=${asOf}`, { headers: { Authorization: `Bearer ${target.adminToken}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = new TextDecoder().decode(bytes).trim().split('\r\n');
      expect(lines[0]!.startsWith('编号,文号,标题,起草部门,部门代码,发布时间（北京时间）')).toBe(true);
      expect(lines.slice(1).map((l) => l.split(',').slice(2, 4).concat(l.split(',')[12]!))).toEqual([
        ["'=SUM(1) 契约导出", '契约考核局', '逾期'],
        ['契约导出：按时', '契约考核局', '按时'],
        ['契约导出：待解读', '契约考核局', '待解读'],
      ]);
      const filtered = await fetch(`${target.base}/api/documents/export?departmentCode=khb&status=pending&q=${encodeURIComponent('待解读')}&asOf=${asOf}`, { headers: { Authorization: `Bearer ${target.adminToken}` } });
      expect((await filtered.text()).trim().split('\r\n')).toHaveLength(2);

      const xlsx = await fetch(`${target.base}/api/documents/export?format=xlsx&departmentCode=khb`, { headers: { Authorization: `Bearer ${target.adminToken}` } });
      if (runtime.startsWith('Cloudflare')) {
        expect(xlsx.status).toBe(422);
        expect(((await xlsx.json()) as { error: { message: string } }).error.message).toContain('CSV');
      } else {
        expect(xlsx.status).toBe(200);
        expect(new TextDecoder().decode(new Uint8Array(await xlsx.arrayBuffer()).slice(0, 2))).toBe('PK');
      }

      const report = await call('GET', `/api/reports/assessment?from=2025-03-01&to=2025-03-31&asOf=${asOf}`);
      expect(report.status).toBe(200);
      const mine = report.body.departments.find((d: { departmentCode: string }) => d.departmentCode === 'khb');
      expect(mine).toMatchObject({ departmentName: '契约考核局', published: 3, onTime: 1, overdue: 1, pending: 1, onTimeRate: 0.5, medianWorkingDays: 1 });
      for (const [status, field] of [['on_time', 'onTime'], ['overdue', 'overdue'], ['pending', 'pending'], ['late', 'late']] as const) {
        const listed = await call('GET', `/api/documents?status=${status}&departmentCode=khb&asOf=${asOf}&limit=500`);
        expect(mine[field], status).toBe(listed.body.items.length);
      }
      expect((await call('GET', '/api/reports/assessment?from=2025-03-31&to=2025-03-01')).status).toBe(400);
    });

    it('imports documents from CSV and XLSX as a job: a dry run writes nothing, the real run all rows, a second run skips them', async () => {
      const lines = ['文号,标题,起草部门,发布时间,是否需要解读,免于解读理由', '契约导入〔2026〕1号,关于契约导入测试的通知,市发展改革委,2026/9/30 10:00,是,', '契约导入〔2026〕2号,关于契约导入的补充通知,jyj,2026-10-12,否,内部管理事项'];
      const utf8Csv = new TextEncoder().encode(`\ufeff${lines.join('\r\n')}\r\n`);
      const upload = async (query: string, body: Uint8Array, type = 'text/csv') => {
        const res = await fetch(`${target.base}/api/imports?${query}`, { method: 'POST', headers: { Authorization: `Bearer ${target.adminToken}`, 'Content-Type': type }, body });
        const answer = { status: res.status, body: (await res.json()) as any };
        expect(answer.status, JSON.stringify(answer.body)).toBe(202);
        for (let i = 0; i < 300; i++) {
          const job = (await call('GET', `/api/imports/${answer.body.id}`)).body;
          if (job.status !== 'running') return job;
          await new Promise((r) => setTimeout(r, 100));
        }
        throw new Error(`import ${answer.body.id} did not finish`);
      };
      const mine = async () => ((await call('GET', '/api/documents?limit=500')).body.items as any[]).filter((d) => d.docNumber?.startsWith('契约导入'));

      expect(await upload('kind=documents&dryRun=1', utf8Csv)).toMatchObject({ dryRun: true, status: 'done', rowsTotal: 2, rowsDone: 2, created: 2, errors: [] });
      expect(await mine()).toEqual([]);
      expect(await upload('kind=documents', utf8Csv)).toMatchObject({ status: 'done', created: 2, updated: 0, skipped: 0, errors: [] });
      const docs = await mine();
      expect(docs.find((d) => d.docNumber === '契约导入〔2026〕1号')).toMatchObject({ departmentCode: 'fgw', publishedAt: '2026-09-30T02:00:00.000Z', interpretationDueDate: '2026-10-10' });
      expect(docs.find((d) => d.docNumber === '契约导入〔2026〕2号')).toMatchObject({ departmentCode: 'jyj', status: 'exempt', exemptReason: '内部管理事项' });

      // The same rows as Excel on Chinese Windows saves them (GBK), and as an XLSX: nothing new.
      const gbk = iconv.encode(`${lines.join('\r\n')}\r\n`, 'gbk');
      expect(await upload('kind=documents', new Uint8Array(gbk))).toMatchObject({ status: 'done', created: 0, updated: 0, skipped: 2 });
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('文件');
      for (const line of lines) sheet.addRow(line.split(','));
      sheet.getCell('D2').value = new Date(Date.UTC(2026, 8, 30, 10, 0));
      const xlsx = new Uint8Array(await workbook.xlsx.writeBuffer());
      expect(await upload('kind=documents', xlsx, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')).toMatchObject({ status: 'done', skipped: 2 });
      expect(await mine()).toHaveLength(2);

      // A bad row: nothing written, the row and column named.
      const bad = new TextEncoder().encode(`${lines[0]}\r\n契约导入〔2026〕3号,关于契约导入的第三份通知,fgw,2026-02-30,是,\r\n`);
      const failed = await upload('kind=documents', bad);
      expect(failed).toMatchObject({ status: 'failed', errors: [{ row: 2, field: '发布时间' }] });
      expect(await mine()).toHaveLength(2);
      expect((await call('POST', '/api/imports?kind=documents', { rows: [] })).status).toBe(415);
    }, 120_000);

    it('drafts a document with its interpretation plan, signs them off together, publishes it, and then runs its clock, gaps and leader alert', async () => {
      const draft = await call('POST', '/api/documents', {
        docNumber: '契约起草〔2026〕1号', title: '关于契约起草的若干措施', departmentCode: 'fgw', importance: 'major',
        plan: { forms: ['text', 'press_conference'], channels: ['gov_website', 'wechat'], leaderLed: true },
      });
      expect(draft.status).toBe(201);
      expect(draft.body).toMatchObject({ status: 'drafting', publishedAt: null, interpretationDueDate: null, plan: { forms: ['text', 'press_conference'] } });
      const id = draft.body.id;
      expect(((await call('GET', '/api/documents?status=drafting&limit=200')).body.items as { id: number }[]).map((d) => d.id)).toContain(id);
      expect(((await call('GET', '/api/documents?limit=200')).body.items as { id: number }[]).map((d) => d.id)).not.toContain(id);
      expect((await call('PATCH', `/api/documents/${id}`, { plan: { forms: ['text', 'press_conference'], channels: ['gov_website', 'wechat'], leaderLed: true, note: '随文发布' } })).status).toBe(200);

      const signed = await call('POST', `/api/documents/${id}/sign-off`, { at: '2026-11-01T09:00:00+08:00' });
      expect(signed.status).toBe(200);
      expect(signed.body).toMatchObject({ signedOffAt: '2026-11-01T01:00:00.000Z', planAtSignOff: true });
      expect((await call('PATCH', `/api/documents/${id}`, { plan: { forms: ['video'] } })).status).toBe(409);

      const published = await call('PATCH', `/api/documents/${id}`, { publishedAt: '2026-11-02T10:00:00+08:00' });
      expect(published.body).toMatchObject({ publishedDate: '2026-11-02', interpretationDueDate: '2026-11-05' });
      expect((await call('GET', `/api/documents/${id}?${at('2026-11-04T12:00:00+08:00')}`)).body).toMatchObject({ status: 'pending', workingDaysLeft: 1, planGaps: null, leaderLedMissing: true });
      await call('POST', '/api/interpretations', { title: '契约起草政策问答', form: 'text', publishedAt: '2026-11-04T16:00:00+08:00', documentIds: [id], channels: ['gov_website'] });
      expect((await call('GET', `/api/documents/${id}?${at('2026-11-10T10:00:00+08:00')}`)).body).toMatchObject({
        status: 'on_time', planGaps: { forms: ['press_conference'], channels: ['wechat'], leaderLed: true }, leaderLedMissing: true,
      });
      const asOf = { asOf: '2026-11-10T10:00:00+08:00' };
      await call('POST', '/api/jobs/sweep', asOf);
      expect((await call('POST', '/api/jobs/sweep', asOf)).body.alertsCreated).toBe(0);
      const alerts = (await call('GET', '/api/alerts?type=interpretation_leader_missing&limit=200')).body.items;
      expect(alerts.filter((a: { documentId: number }) => a.documentId === id)).toMatchObject([{ departmentCode: 'fgw', deadline: '2026-11-05T16:00:00.000Z' }]);
    });

    // D1 binds at most 100 values per statement: every list must answer pages of up to 500, and a
    // package interpretation may name up to 200 documents. And a sweep counts the alerts it
    // recorded, not the delivery rows their trigger adds for the channels made above.
    it('keeps every one of four edits made at once, answers an ETag, and refuses an edit based on an old read (412)', async () => {
      expect((await call('POST', '/api/departments', { code: 'cc', name: '契约并发局' })).status).toBe(201);
      const doc = (await call('POST', '/api/documents', { docNumber: '契约并发〔2026〕1号', title: '关于契约并发测试的通知', departmentCode: 'cc', publishedAt: '2026-11-02T09:00:00+08:00' })).body;
      const read = await call('GET', `/api/documents/${doc.id}`);
      const etag = read.headers.get('etag')!;
      expect(etag).toMatch(/^"\d+"$/);
      // Four at once, each a different field (on Workers each D1 statement is a round trip: they interleave).
      const edits = [{ title: '关于契约并发测试的通知（修订）' }, { url: 'https://cc.example.gov.cn/1.html' }, { importance: 'major' }, { docType: 'normative' }];
      const answers = await Promise.all(edits.map((edit) => call('PATCH', `/api/documents/${doc.id}`, edit)));
      expect(answers.map((a) => a.status), JSON.stringify(answers.map((a) => a.body))).toEqual([200, 200, 200, 200]);
      const after = await call('GET', `/api/documents/${doc.id}`);
      expect(after.body).toMatchObject(Object.assign({}, ...edits));
      expect(after.headers.get('etag')).not.toBe(etag);
      const stale = await call('PATCH', `/api/documents/${doc.id}`, { title: '基于旧版本的修改' }, { 'If-Match': etag });
      expect(stale.status).toBe(412);
      expect(stale.body.error.code).toBe('modified_since_read');
      const fresh = await call('PATCH', `/api/documents/${doc.id}`, { title: '基于新版本的修改' }, { 'If-Match': after.headers.get('etag')! });
      expect(fresh.status).toBe(200);
    });

    it('answers pages of 500 and a package interpretation of 150 documents, and counts the alerts a sweep records', async () => {
      expect((await call('POST', '/api/departments', { code: 'pl', name: '契约批量局' })).status).toBe(201);
      const inBatches = async <T>(count: number, make: (i: number) => Promise<T>) => {
        const out: T[] = [];
        for (let i = 0; i < count; i += 10) out.push(...(await Promise.all(Array.from({ length: Math.min(10, count - i) }, (_, k) => make(i + k)))));
        return out;
      };
      const docs = await inBatches(150, async (i) => {
        const res = await call('POST', '/api/documents', { docNumber: `契约批量〔2026〕${i + 1}号`, title: `关于契约批量测试的第${i + 1}份通知`, departmentCode: 'pl', publishedAt: '2026-01-05T09:00:00+08:00' });
        expect(res.status).toBe(201);
        return res.body.id as number;
      });
      const pack = await call('POST', '/api/interpretations', { title: '契约批量测试一揽子解读', form: 'text', publishedAt: '2026-01-06T09:00:00+08:00', documentIds: docs.slice(0, 120) });
      expect(pack.status, JSON.stringify(pack.body)).toBe(201);
      const listed = await call('GET', `/api/documents?departmentCode=pl&limit=500&${at('2026-11-10T10:00:00+08:00')}`);
      expect(listed.status, JSON.stringify(listed.body)).toBe(200);
      const statuses = (listed.body.items as { status: string }[]).map((d) => d.status);
      expect([statuses.length, statuses.filter((x) => x === 'on_time').length, statuses.filter((x) => x === 'overdue').length]).toEqual([150, 120, 30]);

      await inBatches(105, async (i) => expect((await call('POST', '/api/incidents', { title: `契约批量事件${i + 1}`, severity: 'general', departmentCode: 'pl' })).status).toBe(201));
      const incidents = await call('GET', '/api/incidents?limit=500');
      expect(incidents.status, JSON.stringify(incidents.body)).toBe(200);
      expect(incidents.body.items.length).toBeGreaterThanOrEqual(105);
      await inBatches(101, async (i) => expect((await call('POST', '/api/users', { username: `pl${i}`, displayName: `批量${i}`, role: 'drafter', departmentCodes: ['pl'], password: `pl${i}-contract-secret` })).status).toBe(201));
      const users = await call('GET', '/api/users?limit=500');
      expect(users.status, JSON.stringify(users.body)).toBe(200);
      expect(users.body.items.length).toBeGreaterThanOrEqual(101);

      // The same asOf as the sweep before: what is new is the 30 overdue documents of 'pl'.
      const total = async () => {
        let n = 0;
        for (let offset = 0; ; offset += 500) {
          const page = (await call('GET', `/api/alerts?limit=500&offset=${offset}`)).body.items.length;
          n += page;
          if (page < 500) return n;
        }
      };
      const before = await total();
      const swept = await call('POST', '/api/jobs/sweep', { asOf: '2026-11-10T10:00:00+08:00' });
      expect(swept.body.alertsCreated).toBe((await total()) - before);
      expect(swept.body.alertsCreated).toBeGreaterThanOrEqual(30);
    }, 120_000);
  });
}
