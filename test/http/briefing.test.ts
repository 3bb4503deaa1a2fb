import JSZip from 'jszip';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BRIEFING_LIMITS } from '../../src/app/monitoring/briefing.js';
import { briefingText } from '../../src/app/monitoring/briefing-text.js';
import { registerDocument, seedDepartment, startTestApp, userWithToken, type TestApp } from '../support/app.js';

// The daily briefing (舆情日报, SPEC §14) over real HTTP and SQLite: exactly the incidents opened on
// the Shanghai date or open at its end (the UTC date would differ for the ones near midnight),
// the commitments due or fulfilled on it, the documents overdue at its end; bad dates are 400s;
// the DOCX file is a real Word document with the same content.

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp({ now: '2026-11-21T09:00:00+08:00' });
  await seedDepartment(t, 'yjj', '市应急管理局');
  await seedDepartment(t, 'fgw', '市发展改革委');
});
afterEach(() => t.close());

async function incident(title: string, startedAt: string): Promise<number> {
  const res = await t.call('POST', '/api/incidents', { title, severity: 'general', startedAt, departmentCode: 'yjj' });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

async function setStatus(id: number, status: string, at: string) {
  const saved = t.now();
  t.setNow(at);
  const res = await t.call('PATCH', `/api/incidents/${id}`, { status });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  t.advance(saved - t.now());
}

const shanghaiDate = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);

describe('GET /api/briefings/daily', () => {
  it('lists exactly the incidents opened on the Shanghai date or open at its end, and the day’s commitments and overdue documents', async () => {
    const closedBefore = await incident('前一日发生、当日之前已关闭', '2026-11-19T10:00:00+08:00');
    await setStatus(closedBefore, 'closed', '2026-11-19T20:00:00+08:00');
    const openFromBefore = await incident('前一日深夜发生、仍在处置', '2026-11-19T23:30:00+08:00');
    // 00:10 in Shanghai is 16:10 UTC the day before: a UTC date would leave it out.
    const justAfterMidnight = await incident('当日零点十分发生', '2026-11-20T00:10:00+08:00');
    const lateEvening = await incident('当日深夜发生、次日关闭', '2026-11-20T23:50:00+08:00');
    await setStatus(lateEvening, 'closed', '2026-11-21T08:00:00+08:00');
    // 00:05 the next day in Shanghai is 16:05 UTC on the date asked for: not of that day.
    await incident('次日零点五分发生', '2026-11-21T00:05:00+08:00');
    const dismissed = await incident('当日误报已排除', '2026-11-20T09:00:00+08:00');
    await setStatus(dismissed, 'dismissed', '2026-11-20T10:00:00+08:00');
    const closedDuring = await incident('此前发生、当日关闭', '2026-11-18T09:00:00+08:00');
    await setStatus(closedDuring, 'closed', '2026-11-20T12:00:00+08:00');

    // A commitment of the open incident fulfilled during the day.
    const detail = (await t.call('GET', `/api/incidents/${openFromBefore}`)).body;
    const first = detail.commitments[0];
    const saved = t.now();
    t.setNow('2026-11-20T01:00:00+08:00');
    expect((await t.call('POST', `/api/commitments/${first.id}/fulfil`, {})).status).toBe(200);
    t.advance(saved - t.now());

    const overdue = await registerDocument(t, { title: '逾期未解读的文件', departmentCode: 'fgw', publishedAt: '2026-11-02T10:00:00+08:00' });
    await registerDocument(t, { title: '当日发布、未到期的文件', departmentCode: 'fgw', publishedAt: '2026-11-20T10:00:00+08:00' });

    const res = await t.call('GET', '/api/briefings/daily?date=2026-11-20');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const b = res.body;
    expect(b.date).toBe('2026-11-20');
    expect(b.asOf).toBe('2026-11-20T16:00:00.000Z');
    expect(b.incidents.map((i: any) => i.id).sort((x: number, y: number) => x - y)).toEqual([openFromBefore, justAfterMidnight, lateEvening]);
    const byId = new Map(b.incidents.map((i: any) => [i.id, i]));
    expect(byId.get(openFromBefore)).toMatchObject({ openedOnDate: false, openAtEnd: true, heat: 0, signal: 0 });
    expect(byId.get(justAfterMidnight)).toMatchObject({ openedOnDate: true, openAtEnd: true });
    expect(byId.get(lateEvening)).toMatchObject({ openedOnDate: true, openAtEnd: true, status: 'closed' });
    expect((byId.get(openFromBefore) as any).timers.length).toBeGreaterThan(0);

    // Every commitment listed is due or fulfilled on the date, of a listed incident or one closed on it.
    expect(b.commitments.length).toBeGreaterThan(0);
    for (const c of b.commitments) {
      expect([shanghaiDate(c.dueAt), c.fulfilledAt && shanghaiDate(c.fulfilledAt)]).toContain('2026-11-20');
      expect(c.incidentId).not.toBe(dismissed);
    }
    expect(b.commitments.find((c: any) => c.id === first.id)).toMatchObject({ incidentTitle: '前一日深夜发生、仍在处置', fulfilledAt: '2026-11-19T17:00:00.000Z' });

    expect(b.overdueDocuments.map((d: any) => d.id)).toEqual([overdue.id]);
    expect(b.stories).toEqual([]);
    expect(Array.isArray(b.hotWords)).toBe(true);

    // The next day: the incident closed on the 21st is no longer open at its end (it was opened on
    // the 20th), the one of 00:05 is.
    const next = (await t.call('GET', '/api/briefings/daily?date=2026-11-21')).body;
    expect(next.incidents.map((i: any) => i.title).sort()).toEqual(['前一日深夜发生、仍在处置', '当日零点十分发生', '次日零点五分发生'].sort());
  });

  it('when more documents are overdue or more incidents open than it lists, then it gives the whole counts and says the lists are cut short', async () => {
    // The limits are 500 each; here 2, so that three of each exceed them.
    const saved = { ...BRIEFING_LIMITS };
    Object.assign(BRIEFING_LIMITS, { overdueDocuments: 2, incidents: 2 });
    try {
      for (const day of ['02', '03', '04']) await registerDocument(t, { title: `11月${day}日发布的文件`, departmentCode: 'fgw', publishedAt: `2026-11-${day}T10:00:00+08:00` });
      for (const hour of ['08', '09', '10']) await incident(`当日${hour}时发生`, `2026-11-20T${hour}:00:00+08:00`);
      const b = (await t.call('GET', '/api/briefings/daily?date=2026-11-20')).body;
      expect(b.totals).toEqual({ incidents: 3, openedOnDate: 3, openAtEnd: 3, overdueDocuments: 3 });
      expect(b.overdueDocuments.map((d: { title: string }) => d.title)).toEqual(['11月02日发布的文件', '11月03日发布的文件']);
      expect(b.incidents).toHaveLength(2);
      // What the page, the printout and the Word file say.
      const text = briefingText(b, new Map());
      expect(text.summary).toContain('当日新发舆情事件 3 起，日终仍在处置 3 起');
      expect(text.summary).toContain('日终逾期未解读的文件 3 份');
      expect(text.sections.map((x) => x.title)).toEqual([
        '一、舆情事件（共 3 起，列出最近开始的 2 起）', '二、当日主要报道', '三、当日热词', '四、回应承诺', '五、逾期未解读的文件（共 3 份，列出最早到期的 2 份）',
      ]);
      // Under the limits, the titles are plain.
      Object.assign(BRIEFING_LIMITS, saved);
      const whole = briefingText((await t.call('GET', '/api/briefings/daily?date=2026-11-20')).body, new Map());
      expect([whole.sections[0]!.title, whole.sections[4]!.title]).toEqual(['一、舆情事件', '五、逾期未解读的文件']);
    } finally {
      Object.assign(BRIEFING_LIMITS, saved);
    }
  });

  it('answers a bad, impossible or future date, or an unknown format, with a 400 that says why', async () => {
    for (const date of ['2026-02-30', '20261120', 'yesterday', '2026-11-22', '1999-12-31']) {
      const res = await t.call('GET', `/api/briefings/daily?date=${encodeURIComponent(date)}`);
      expect(res.status, date).toBe(400);
      expect(res.body.error.message, date).toMatch(/date/);
    }
    const pdf = await t.call('GET', '/api/briefings/daily?date=2026-11-20&format=pdf');
    expect(pdf.status).toBe(400);
    // No date: today in Shanghai.
    const today = await t.call('GET', '/api/briefings/daily');
    expect(today.status).toBe(200);
    expect(today.body.date).toBe('2026-11-21');
  });

  it('is read by every role, and sends the same briefing as a Word file', async () => {
    await incident('当日零点十分发生', '2026-11-20T00:10:00+08:00');
    const leader = await userWithToken(t, 'leader1', 'leader');
    const res = await t.app.request('/api/briefings/daily?date=2026-11-20&format=docx', { headers: { Authorization: `Bearer ${leader.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(res.headers.get('Content-Disposition')).toContain(encodeURIComponent('舆情日报-2026-11-20.docx'));
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(String.fromCharCode(bytes[0]!, bytes[1]!)).toBe('PK');
    const xml = await (await JSZip.loadAsync(bytes)).file('word/document.xml')!.async('string');
    expect(xml).toContain('舆情日报（2026-11-20）');
    expect(xml).toContain('当日零点十分发生');
    expect(xml).toContain('市应急管理局');

    // The page, through the leader's session.
    const page = await t.app.request('/briefings/daily?date=2026-11-20', { headers: { Cookie: leader.cookie } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('舆情日报（2026-11-20）');
    expect(html).toContain('当日零点十分发生');
    expect(html).toContain('href="/briefings/daily"');
    const bad = await t.app.request('/briefings/daily?date=2026-13-01', { headers: { Cookie: leader.cookie } });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('日期无效');
  });
});
