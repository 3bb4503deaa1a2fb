import { count } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alerts } from '../../src/db/schema.js';
import { registerDocument, seedDepartment, startTestApp, tempDir, type TestApp } from '../support/app.js';

async function alertCount(t: TestApp) {
  const [row] = await t.db.orm.select({ n: count() }).from(alerts);
  return row!.n;
}

describe('deadline sweep', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
    await seedDepartment(t);
  });
  afterEach(() => t.close());

  it('when documents become overdue, then one alert each, and sweeping again adds none', async () => {
    const overdue = await registerDocument(t, { docNumber: '甲〔2025〕1号', publishedAt: '2025-09-30' }); // due 10-11
    await registerDocument(t, { title: '尚未到期', publishedAt: '2025-10-10' }); // due 10-15
    await registerDocument(t, { title: '免于解读', publishedAt: '2025-09-01', requiresInterpretation: false, exemptReason: '内部事项' });
    const interpreted = await registerDocument(t, { title: '已解读', publishedAt: '2025-09-01' });
    await t.call('POST', '/api/interpretations', { title: '解读', form: 'text', publishedAt: '2025-09-02', documentIds: [interpreted.id] });

    // On the due date itself the document is not overdue yet: only "due today" (from 09:00).
    const before = await t.call('POST', '/api/jobs/sweep', { asOf: '2025-10-11T23:59:59+08:00' });
    expect(before.body).toEqual({ alertsCreated: 1 });
    expect((await t.call('GET', '/api/alerts?type=interpretation_due_soon')).body.items.map((a: any) => a.documentId)).toEqual([overdue.id]);
    expect((await t.call('GET', '/api/alerts?type=interpretation_overdue')).body.items).toEqual([]);
    const first = await t.call('POST', '/api/jobs/sweep', { asOf: '2025-10-12T00:00:00+08:00' });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ alertsCreated: 1 });
    const second = await t.call('POST', '/api/jobs/sweep', { asOf: '2025-10-13T09:00:00+08:00' });
    expect(second.body).toEqual({ alertsCreated: 0 });

    const list = await t.call('GET', '/api/alerts?type=interpretation_overdue');
    expect(list.body.items).toEqual([
      {
        id: expect.any(Number),
        type: 'interpretation_overdue',
        documentId: overdue.id,
        departmentCode: 'fgw',
        subject: '关于进一步优化营商环境的若干措施',
        deadline: '2025-10-11T16:00:00.000Z', // the end of 2025-10-11 in Shanghai
        createdAt: '2026-11-20T02:00:00.000Z',
        message: '《关于进一步优化营商环境的若干措施》（甲〔2025〕1号）的政策解读应于 2025-10-11（含）前发布，现已逾期',
      },
    ]);
    expect((await t.call('GET', '/api/alerts?type=commitment_missed')).body.items).toEqual([]);
  });

  it('when no asOf is given, then the sweep runs as of now', async () => {
    await registerDocument(t, { publishedAt: '2025-09-30' });
    const res = await t.call('POST', '/api/jobs/sweep');
    expect(res.body).toEqual({ alertsCreated: 1 });
    expect((await t.call('POST', '/api/jobs/sweep', { asOf: 'later' })).status).toBe(400);
  });

  it('when two sweeps overlap, then each deadline still has exactly one alert', async () => {
    for (let i = 0; i < 20; i++) await registerDocument(t, { title: `文件${i}`, publishedAt: '2025-09-30' });
    const results = await Promise.all([1, 2, 3].map(() => t.call('POST', '/api/jobs/sweep')));
    expect(results.reduce((sum, r) => sum + r.body.alertsCreated, 0)).toBe(20);
    expect(await alertCount(t)).toBe(20);
  });

  it('when a document was interpreted late, then a sweep as of a moment before that still records it once', async () => {
    const doc = await registerDocument(t, { publishedAt: '2025-09-30' });
    await t.call('POST', '/api/interpretations', { title: '迟到的解读', form: 'text', publishedAt: '2025-10-20', documentIds: [doc.id] });
    expect((await t.call('POST', '/api/jobs/sweep')).body).toEqual({ alertsCreated: 0 });
    expect((await t.call('POST', '/api/jobs/sweep', { asOf: '2025-10-15' })).body).toEqual({ alertsCreated: 1 });
    expect((await t.call('POST', '/api/jobs/sweep', { asOf: '2025-10-16' })).body).toEqual({ alertsCreated: 0 });
  });

  it('when a calendar change moves a due date, then the new deadline can alert once more, the old one never again', async () => {
    const doc = await registerDocument(t, { publishedAt: '2026-11-16T09:00:00+08:00' }); // Mon → due Thu 11-19
    expect((await t.call('POST', '/api/jobs/sweep', { asOf: '2026-11-20' })).body.alertsCreated).toBe(1);
    await t.call('PUT', '/api/calendar/days/2026-11-18', { kind: 'holiday' }); // due moves to Fri 11-20
    expect((await t.call('GET', `/api/documents/${doc.id}`)).body.interpretationDueDate).toBe('2026-11-20');
    // On the new due date, after 09:00, the document is due today (not overdue): only due_soon.
    expect((await t.call('POST', '/api/jobs/sweep', { asOf: '2026-11-20T12:00:00+08:00' })).body.alertsCreated).toBe(1);
    expect((await t.call('GET', '/api/alerts?type=interpretation_overdue')).body.items).toHaveLength(1);
    expect((await t.call('GET', '/api/alerts?type=interpretation_due_soon')).body.items).toHaveLength(1);
    expect((await t.call('POST', '/api/jobs/sweep', { asOf: '2026-11-21' })).body.alertsCreated).toBe(1);
    expect((await t.call('POST', '/api/jobs/sweep', { asOf: '2026-11-22' })).body.alertsCreated).toBe(0);
  });
});

describe('deadline sweep across a restart', () => {
  it('when the process restarts on the same database, then no alert is recorded twice', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const path = `${dir}/service.sqlite`;
      const first = await startTestApp({ path });
      await seedDepartment(first);
      for (let i = 0; i < 3; i++) await registerDocument(first, { title: `文件${i}`, publishedAt: '2025-09-30' });
      expect((await first.call('POST', '/api/jobs/sweep')).body).toEqual({ alertsCreated: 3 });
      first.close();

      const second = await startTestApp({ path, now: '2026-11-21T10:00:00+08:00' });
      expect((await second.call('GET', '/api/documents?status=overdue')).body.items).toHaveLength(3);
      expect((await second.call('POST', '/api/jobs/sweep')).body).toEqual({ alertsCreated: 0 });
      expect(await alertCount(second)).toBe(3);
      second.close();
    } finally {
      cleanup();
    }
  });

  it('when the interpretation rule changes between starts, then stored due dates follow it', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const path = `${dir}/service.sqlite`;
      const first = await startTestApp({ path });
      await seedDepartment(first);
      const doc = await registerDocument(first, { publishedAt: '2025-09-30' });
      expect(doc.interpretationDueDate).toBe('2025-10-11');
      first.close();
      const second = await startTestApp({ path, config: { interpretationWorkingDays: 5 } });
      expect((await second.call('GET', `/api/documents/${doc.id}`)).body.interpretationDueDate).toBe('2025-10-14');
      second.close();
    } finally {
      cleanup();
    }
  });
});
