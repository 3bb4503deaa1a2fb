import ICAL from 'ical.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callAs, seedDepartment, startTestApp, userWithToken, type TestApp } from '../../support/app.js';

// The per-user calendar feed (SPEC §10), read back with a real iCalendar parser (ical.js).

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp({ now: '2026-11-20T10:00:00+08:00', config: { publicUrl: 'https://zwgk.example.gov.cn' } });
  await seedDepartment(t, 'fgw', '市发展改革委');
  await seedDepartment(t, 'yjj', '市应急管理局');
});
afterEach(() => t.close());

async function feedUrl(token: string): Promise<string> {
  const res = await callAs(t, { token }, 'POST', '/api/me/calendar-feed');
  expect(res.status).toBe(200);
  return res.body.url;
}

async function fetchIcs(url: string) {
  const res = await t.app.request(new URL(url).pathname);
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

function parse(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const events = calendar.getAllSubcomponents('vevent').map((v) => {
    const e = new ICAL.Event(v);
    return { uid: e.uid, summary: e.summary, start: e.startDate, end: e.endDate, sequence: e.sequence, description: e.description };
  });
  return { calendar, events };
}

describe('calendar feed', () => {
  it('when a leader subscribes, then pending and overdue due dates (all-day) and open commitments (timed, UTC) of every department', async () => {
    const { token } = await userWithToken(t, 'leader1', 'leader');
    const pending = (await t.call('POST', '/api/documents', { title: '待解读文件', docNumber: '发改〔2026〕1号', departmentCode: 'fgw', publishedAt: '2026-11-18T10:00:00+08:00' })).body;
    const overdue = (await t.call('POST', '/api/documents', { title: '逾期文件', departmentCode: 'yjj', publishedAt: '2026-11-10T10:00:00+08:00' })).body;
    const done = (await t.call('POST', '/api/documents', { title: '已解读文件', departmentCode: 'fgw', publishedAt: '2026-11-18' })).body;
    await t.call('POST', '/api/interpretations', { title: '解读', form: 'text', publishedAt: '2026-11-19', documentIds: [done.id] });
    const incident = (await t.call('POST', '/api/incidents', { title: '某区化工厂火灾', severity: 'major', departmentCode: 'yjj' })).body;

    const url = await feedUrl(token);
    expect(url).toMatch(/^https:\/\/zwgk\.example\.gov\.cn\/calendar\/[A-Za-z0-9_-]{40,}\.ics$/);
    const ics = await fetchIcs(url);
    expect(ics.status).toBe(200);
    expect(ics.type).toBe('text/calendar; charset=utf-8');
    expect(ics.text).toContain('X-WR-TIMEZONE:Asia/Shanghai');
    expect(ics.text).toContain('REFRESH-INTERVAL;VALUE=DURATION:PT15M');
    const { calendar, events } = parse(ics.text);
    expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe('政策解读与回应时限 · leader1');

    const byTitle = (s: string) => events.find((e) => e.summary.includes(s))!;
    const p = byTitle('待解读文件');
    expect(p.summary).toBe('解读截止：《待解读文件》');
    expect(p.start.isDate).toBe(true);
    expect(p.start.toString()).toBe('2026-11-23'); // Wed 18th + 3 working days
    expect(p.end.toString()).toBe('2026-11-24');
    expect(p.description).toContain('发改〔2026〕1号');
    expect(p.description).toContain(`https://zwgk.example.gov.cn/documents/${pending.id}`);
    expect(byTitle('逾期文件').summary).toBe('【已逾期】解读截止：《逾期文件》');
    expect(events.some((e) => e.summary.includes('已解读文件'))).toBe(false);

    const clocks = events.filter((e) => e.summary.includes('回应时限'));
    expect(clocks.map((e) => [e.summary, e.start.toString()])).toEqual([
      ['回应时限：发布权威信息 · 某区化工厂火灾', '2026-11-20T07:00:00Z'],
      ['回应时限：召开新闻发布会 · 某区化工厂火灾', '2026-11-21T02:00:00Z'],
    ]);
    expect(clocks[0]!.description).toContain(`/incidents/${incident.id}`);
    expect(new Set(events.map((e) => e.uid)).size).toBe(events.length);
    expect(overdue.id).toBeGreaterThan(0);
  });

  it('when a deadline moves, then its UID stays and SEQUENCE goes up; other events keep theirs', async () => {
    const { token } = await userWithToken(t, 'press1', 'press');
    const doc = (await t.call('POST', '/api/documents', { title: '某文件', departmentCode: 'fgw', publishedAt: '2026-11-18T10:00:00+08:00' })).body;
    const incident = (await t.call('POST', '/api/incidents', { title: '某事件', severity: 'general', departmentCode: 'yjj' })).body;
    const url = await feedUrl(token);
    const before = parse((await fetchIcs(url)).text).events;
    expect(before.map((e) => e.sequence)).toEqual([0, 0]);

    // A holiday on Friday 11-20 moves the due date to Tuesday 11-24; an earlier start moves the clock.
    await t.call('PUT', '/api/calendar/days/2026-11-20', { kind: 'holiday', name: '临时调整' });
    expect((await t.call('PATCH', `/api/incidents/${incident.id}`, { startedAt: '2026-11-20T08:00:00+08:00' })).status).toBe(200);
    await t.call('PATCH', `/api/documents/${doc.id}`, { title: '某文件（修订）' }); // same due date: no new sequence
    const after = parse((await fetchIcs(url)).text).events;
    const docBefore = before.find((e) => e.summary.includes('某文件'))!;
    const docAfter = after.find((e) => e.summary.includes('某文件'))!;
    expect(docAfter.uid).toBe(docBefore.uid);
    expect(docAfter.start.toString()).toBe('2026-11-24');
    expect(docAfter.sequence).toBe(1);
    const clockAfter = after.find((e) => e.summary.includes('回应时限'))!;
    expect(clockAfter.uid).toBe(before.find((e) => e.summary.includes('回应时限'))!.uid);
    expect(clockAfter.sequence).toBe(1);
    expect(clockAfter.start.toString()).toBe('2026-11-22T00:00:00Z'); // 48 h from the new start, 08:00 Beijing
  });

  it('when a drafter subscribes, then only the deadlines of its own departments', async () => {
    const { token } = await userWithToken(t, 'fgw01', 'drafter', ['fgw']);
    await t.call('POST', '/api/documents', { title: '发改委文件', departmentCode: 'fgw', publishedAt: '2026-11-18' });
    await t.call('POST', '/api/documents', { title: '应急局文件', departmentCode: 'yjj', publishedAt: '2026-11-18' });
    await t.call('POST', '/api/incidents', { title: '应急局事件', severity: 'general', departmentCode: 'yjj' });
    await t.call('POST', '/api/incidents', { title: '发改委事件', severity: 'general', departmentCode: 'fgw' });
    const summaries = parse((await fetchIcs(await feedUrl(token))).text).events.map((e) => e.summary).sort();
    expect(summaries).toEqual(['回应时限：回应关切 · 发改委事件', '解读截止：《发改委文件》']);
  });

  it('when the address is rotated, the user disabled, or the secret unknown, then 404; the admin token has no calendar', async () => {
    const { token, user } = await userWithToken(t, 'press2', 'press');
    const first = await feedUrl(token);
    const second = await feedUrl(token);
    expect(second).not.toBe(first);
    expect((await fetchIcs(first)).status).toBe(404);
    expect((await fetchIcs(second)).status).toBe(200);
    expect((await t.app.request('/calendar/not-a-secret-at-all-0000000000.ics')).status).toBe(404);
    expect((await t.app.request('/calendar/whatever')).status).toBe(404);
    await t.call('PATCH', `/api/users/${user.id}`, { disabled: true });
    expect((await fetchIcs(second)).status).toBe(404);
    const admin = await t.call('POST', '/api/me/calendar-feed');
    expect(admin.status).toBe(422);
    expect(admin.body.error.message).toContain('个人账户');
  });

  it('without PUBLIC_URL, the address is on the origin the request came to', async () => {
    const plain = await startTestApp();
    try {
      const { token } = await userWithToken(plain, 'press3', 'press');
      const res = await plain.app.request('http://intranet.example:3000/api/me/calendar-feed', { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
      expect(((await res.json()) as { url: string }).url).toMatch(/^http:\/\/intranet\.example:3000\/calendar\/.+\.ics$/);
    } finally {
      plain.close();
    }
  });
});
