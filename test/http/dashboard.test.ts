import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerDocument, seedDepartment, startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;

/** Documents requiring interpretation, none of them signed off with a plan and none major (issue 12's columns). */
const noneSigned = (requiringInterpretation: number) => ({ requiringInterpretation, plannedAndSigned: 0, majorDocuments: 0, leaderLedMajor: 0 });
beforeEach(async () => {
  t = await startTestApp({ now: '2026-11-20T10:00:00+08:00' });
  await seedDepartment(t, 'fgw', '市发展改革委');
  await seedDepartment(t, 'jyj', '市教育局');
  await seedDepartment(t, 'wjw', '市卫生健康委');
});
afterEach(() => t.close());

describe('GET /api/dashboard', () => {
  it('counts statuses, lists timers and overdue documents, and gives each department its on-time record', async () => {
    const overdue = await registerDocument(t, { title: '逾期', publishedAt: '2026-11-02' });
    const onTime = await registerDocument(t, { title: '按时', publishedAt: '2026-11-02' });
    await t.call('POST', '/api/interpretations', { title: '解读', form: 'text', publishedAt: '2026-11-03', documentIds: [onTime.id] });
    const late = await registerDocument(t, { title: '迟发', departmentCode: 'jyj', publishedAt: '2026-11-02' });
    await t.call('POST', '/api/interpretations', { title: '迟到的解读', form: 'qa', publishedAt: '2026-11-16', documentIds: [late.id] });
    await registerDocument(t, { title: '待解读', departmentCode: 'jyj', publishedAt: '2026-11-19' });
    await registerDocument(t, { title: '免于解读', requiresInterpretation: false, exemptReason: '内部事项' });
    await t.call('POST', '/api/incidents', { title: '某区化工厂火灾', severity: 'major', startedAt: '2026-11-20T08:00:00+08:00' });

    const res = await t.call('GET', '/api/dashboard');
    expect(res.status).toBe(200);
    expect(res.body.counts).toEqual({
      documents: { pending: 1, overdue: 1, on_time: 1, late: 1, exempt: 1, drafting: 0 },
      openIncidents: 1,
      runningCommitments: 2,
      missedCommitments: 0,
    });
    expect(res.body.timers.map((x: any) => [x.kind, x.remainingSeconds])).toEqual([
      ['authoritative_release', 3 * 3600],
      ['press_conference', 22 * 3600],
    ]);
    expect(res.body.overdueDocuments.map((d: any) => d.id)).toEqual([overdue.id]);
    expect(res.body.departments).toEqual([
      { code: 'fgw', name: '市发展改革委', pending: 0, overdue: 1, onTime: 1, late: 0, exempt: 1, onTimeRate: 0.5, ...noneSigned(2) },
      { code: 'jyj', name: '市教育局', pending: 1, overdue: 0, onTime: 0, late: 1, exempt: 0, onTimeRate: 0, ...noneSigned(2) },
      { code: 'wjw', name: '市卫生健康委', pending: 0, overdue: 0, onTime: 0, late: 0, exempt: 0, onTimeRate: null, ...noneSigned(0) },
    ]);
    // As of an earlier moment the late one was still overdue, and the pending one not yet published.
    const before = (await t.call('GET', `/api/dashboard?asOf=${encodeURIComponent('2026-11-10T12:00:00+08:00')}`)).body;
    expect(before.departments[1]).toMatchObject({ code: 'jyj', overdue: 1, late: 0, pending: 0 });
    expect(before.counts.documents).toEqual({ pending: 0, overdue: 2, on_time: 1, late: 0, exempt: 1, drafting: 0 });
  });
});
