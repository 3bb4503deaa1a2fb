import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerDocument, seedDepartment, startTestApp, type TestApp } from '../support/app.js';

const holidayCn2027 = JSON.parse(readFileSync(new URL('../fixtures/holiday-cn-2027.json', import.meta.url), 'utf8'));

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
  await seedDepartment(t);
});
afterEach(() => t.close());

describe('calendar API', () => {
  it.each([
    ['2025-10-11', { workingDay: true, kind: 'makeup_workday', name: '国庆节、中秋节调休上班', provisional: false }],
    ['2025-10-08', { workingDay: false, kind: 'holiday', name: '国庆节、中秋节', provisional: false }],
    ['2026-11-21', { workingDay: false, kind: 'weekend', provisional: false }],
    ['2026-11-23', { workingDay: true, kind: 'workday', provisional: false }],
    ['2027-01-01', { workingDay: true, kind: 'workday', provisional: true }],
  ])('GET /api/calendar/days/%s', async (date, expected) => {
    const res = await t.call('GET', `/api/calendar/days/${date}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ date, ...expected });
  });

  it('adds working days, saying when the answer is provisional', async () => {
    expect((await t.call('GET', '/api/calendar/add-working-days?date=2025-09-30&days=3')).body).toEqual({
      date: '2025-09-30', days: 3, result: '2025-10-11', provisional: false,
    });
    expect((await t.call('GET', '/api/calendar/add-working-days?date=2026-12-30&days=3')).body).toEqual({
      date: '2026-12-30', days: 3, result: '2027-01-04', provisional: true,
    });
    for (const q of ['date=2025-02-30&days=1', 'date=2025-09-30&days=1.5', 'date=2025-09-30', 'days=3']) {
      const res = await t.call('GET', `/api/calendar/add-working-days?${q}`);
      expect(res.status, q).toBe(400);
    }
    // A result past the end of the supported calendar is bad input too, and says which field.
    const past = await t.call('GET', '/api/calendar/add-working-days?date=2199-12-30&days=5');
    expect(past.status).toBe(400);
    expect(past.body.error.message).toMatch(/^days: .*2199/);
  });

  it('lists a year with its notice, holidays and make-up days', async () => {
    const res = await t.call('GET', '/api/calendar/years/2024');
    expect(res.status).toBe(200);
    expect(res.body.published).toBe(true);
    expect(res.body.notice).toContain('国办发明电〔2023〕7号');
    const kinds = Object.fromEntries(res.body.days.map((d: { date: string; kind: string }) => [d.date, d.kind]));
    expect(kinds['2024-02-04']).toBe('makeup_workday');
    expect(kinds['2024-02-10']).toBe('holiday');
    expect(kinds['2024-02-09']).toBeUndefined(); // 除夕 2024 was a working day
    expect(res.body.days.filter((d: { kind: string }) => d.kind === 'makeup_workday')).toHaveLength(8);
    const unknown = await t.call('GET', '/api/calendar/years/2031');
    expect(unknown.body).toMatchObject({ year: 2031, published: false, notice: null, days: [] });
    expect((await t.call('GET', '/api/calendar/years/1900')).status).toBe(400);
  });

  it('when a year is imported, then it is published and open deadlines touching it are recomputed', async () => {
    // Published Thursday 2027-02-04; provisional (weekends only) due date is Tuesday 02-09.
    const doc = await registerDocument(t, { publishedAt: '2027-02-04T09:00:00+08:00' });
    expect(doc).toMatchObject({ interpretationDueDate: '2027-02-09', provisional: true });
    const late = await registerDocument(t, { title: '十一月的文件', publishedAt: '2027-11-01' });
    expect(late.provisional).toBe(true);
    const old = await registerDocument(t, { title: '往年文件', publishedAt: '2025-09-30' });

    const res = await t.call('POST', '/api/calendar/import', holidayCn2027);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ year: 2027, days: 13 });

    // 02-05 Fri is day 1; 02-06..02-14 off; 02-15 Mon day 2; 02-16 Tue day 3.
    expect((await t.call('GET', `/api/documents/${doc.id}`)).body).toMatchObject({ interpretationDueDate: '2027-02-16', provisional: false });
    // Unchanged date, but no longer provisional.
    expect((await t.call('GET', `/api/documents/${late.id}`)).body).toMatchObject({ interpretationDueDate: '2027-11-04', provisional: false });
    expect((await t.call('GET', `/api/documents/${old.id}`)).body.interpretationDueDate).toBe('2025-10-11');
    expect((await t.call('GET', '/api/calendar/days/2027-02-20')).body).toMatchObject({ kind: 'makeup_workday', workingDay: true, name: '春节调休上班' });
    expect((await t.call('GET', '/api/calendar/years/2027')).body).toMatchObject({ published: true, notice: holidayCn2027.papers[0] });

    // Importing the year again replaces it rather than adding to it.
    const smaller = { ...holidayCn2027, days: holidayCn2027.days.slice(0, 3) };
    expect((await t.call('POST', '/api/calendar/import', smaller)).status).toBe(200);
    expect((await t.call('GET', '/api/calendar/days/2027-02-08')).body.kind).toBe('workday');
    expect((await t.call('GET', `/api/documents/${doc.id}`)).body.interpretationDueDate).toBe('2027-02-09');
  });

  it('when an import is invalid, then 400 says where and the calendar is unchanged', async () => {
    const bad = { ...holidayCn2027, days: [...holidayCn2027.days, { name: '春节', date: '2027-02-17', isOffDay: false }] };
    const res = await t.call('POST', '/api/calendar/import', bad);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('days[13].date');
    expect((await t.call('POST', '/api/calendar/import', { year: 2027, days: [] })).status).toBe(400);
    expect((await t.call('POST', '/api/calendar/import', { year: 2027, days: [{ name: '元旦', date: '2027-01-01' }] })).body.error.message).toMatch(/^days\[0\]\.isOffDay: /);
    expect((await t.call('POST', '/api/calendar/import', { year: 'next', days: [] })).body.error.message).toMatch(/^year: /);
    expect((await t.call('GET', '/api/calendar/years/2027')).body.published).toBe(false);
  });

  it('when a single day is overridden, then deadlines across it move, and "default" moves them back', async () => {
    const doc = await registerDocument(t, { publishedAt: '2026-11-19T09:00:00+08:00' }); // Thu → due Tue 11-24
    expect(doc.interpretationDueDate).toBe('2026-11-24');
    const unaffected = await registerDocument(t, { title: '之后的文件', publishedAt: '2026-11-24' });

    const set = await t.call('PUT', '/api/calendar/days/2026-11-23', { kind: 'holiday', name: '临时调整' });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ date: '2026-11-23', workingDay: false, kind: 'holiday', name: '临时调整', provisional: false });
    expect((await t.call('GET', `/api/documents/${doc.id}`)).body.interpretationDueDate).toBe('2026-11-25');
    expect((await t.call('GET', `/api/documents/${unaffected.id}`)).body.interpretationDueDate).toBe('2026-11-27');

    const year = (await t.call('GET', '/api/calendar/years/2026')).body;
    expect(year.days.find((d: { date: string }) => d.date === '2026-11-23')).toMatchObject({ overridden: true });

    const makeup = await t.call('PUT', '/api/calendar/days/2026-11-21', { kind: 'makeup_workday' });
    expect(makeup.body).toMatchObject({ workingDay: true, kind: 'makeup_workday' });
    expect((await t.call('GET', `/api/documents/${doc.id}`)).body.interpretationDueDate).toBe('2026-11-24');

    await t.call('PUT', '/api/calendar/days/2026-11-21', { kind: 'default' });
    await t.call('PUT', '/api/calendar/days/2026-11-23', { kind: 'default' });
    expect((await t.call('GET', '/api/calendar/days/2026-11-23')).body.kind).toBe('workday');
    expect((await t.call('GET', `/api/documents/${doc.id}`)).body.interpretationDueDate).toBe('2026-11-24');
  });

  it('when an override is impossible or malformed, then 4xx and nothing changes', async () => {
    expect((await t.call('PUT', '/api/calendar/days/2026-11-23', { kind: 'makeup_workday' })).status).toBe(422);
    expect((await t.call('PUT', '/api/calendar/days/2026-11-23', { kind: 'festival' })).status).toBe(400);
    expect((await t.call('PUT', '/api/calendar/days/2026-13-01', { kind: 'holiday' })).status).toBe(400);
    expect((await t.call('GET', '/api/calendar/days/2026-11-23')).body.kind).toBe('workday');
  });

  it('when the calendar changes, then other app instances on the same database see it', async () => {
    const { startTestApp: start, tempDir } = await import('../support/app.js');
    const { dir, cleanup } = tempDir();
    try {
      const a = await start({ path: `${dir}/db.sqlite` });
      const b = await start({ path: `${dir}/db.sqlite` });
      expect((await b.call('GET', '/api/calendar/days/2026-11-23')).body.kind).toBe('workday');
      await a.call('PUT', '/api/calendar/days/2026-11-23', { kind: 'holiday' });
      expect((await b.call('GET', '/api/calendar/days/2026-11-23')).body.kind).toBe('holiday');
      a.close();
      b.close();
    } finally {
      cleanup();
    }
  });
});
