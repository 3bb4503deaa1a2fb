import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workingDaysToInterpretation, median } from '../../src/app/reports/assessment.js';
import { parseInstant } from '../../src/domain/time.js';
import { registerDocument, seedDepartment, startTestApp, TOKEN, type TestApp } from '../support/app.js';

// The 考核 report: per department, the documents published in the period with their statuses as
// of asOf — the very counts the document list gives for the same asOf — the median working days
// to the first interpretation, and the response commitments of the incidents started in it.

let t: TestApp;
const FROM = '2026-09-01';
const TO = '2026-10-31';
const STATUSES = ['on_time', 'late', 'overdue', 'pending', 'exempt'] as const;
const FIELD = { on_time: 'onTime', late: 'late', overdue: 'overdue', pending: 'pending', exempt: 'exempt' } as const;

async function doc(departmentCode: string, publishedAt: string, interpretedAt?: string, more: Record<string, unknown> = {}) {
  const d = await registerDocument(t, { title: `文件 ${publishedAt}`, departmentCode, publishedAt, ...more });
  if (interpretedAt) {
    const res = await t.call('POST', '/api/interpretations', { title: `解读 ${d.id}`, form: 'text', publishedAt: interpretedAt, documentIds: [d.id] });
    expect(res.status).toBe(201);
  }
  return d.id as number;
}

beforeAll(async () => {
  t = await startTestApp({ now: '2026-11-20T10:00:00+08:00' });
  await seedDepartment(t, 'fgw', '市发展改革委');
  await seedDepartment(t, 'jyj', '市教育局');
  await seedDepartment(t, 'wjw', '市卫生健康委');
  // National Day 2026: 10-01…10-07 off, Saturday 10-10 a make-up working day.
  await doc('fgw', '2026-09-28T10:00:00+08:00', '2026-09-29T10:00:00+08:00'); // on time, 1 working day
  await doc('fgw', '2026-09-30T10:00:00+08:00', '2026-10-09T10:00:00+08:00'); // due 10-10; on time, 2 working days across the holiday
  await doc('fgw', '2026-09-30T11:00:00+08:00', '2026-10-12T10:00:00+08:00'); // late, 4 working days (10-08, 10-09, 10-10, 10-12)
  await doc('fgw', '2026-10-20T10:00:00+08:00'); // overdue from 10-24
  await doc('fgw', '2026-10-30T10:00:00+08:00', undefined, { requiresInterpretation: false, exemptReason: '内部管理制度' });
  await doc('jyj', '2026-10-29T10:00:00+08:00'); // due 11-03
  await doc('jyj', '2026-10-10T09:00:00+08:00', '2026-10-09T18:00:00+08:00'); // interpreted before it was published: on time, 0 days
  await doc('jyj', '2026-08-15T10:00:00+08:00'); // before the period
  await doc('jyj', '2026-11-02T10:00:00+08:00'); // after it

  const incident = async (body: Record<string, unknown>) => {
    const res = await t.call('POST', '/api/incidents', body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: number; commitments: { id: number; kind: string }[] };
  };
  const fulfil = async (c: { id: number }, at: string) => expect((await t.call('POST', `/api/commitments/${c.id}/fulfil`, { at })).status).toBe(200);
  const major = await incident({ title: '某区化工厂火灾', severity: 'major', departmentCode: 'fgw', startedAt: '2026-10-10T08:00:00+08:00' });
  await fulfil(major.commitments.find((c) => c.kind === 'authoritative_release')!, '2026-10-10T12:00:00+08:00'); // due 13:00: met
  await fulfil(major.commitments.find((c) => c.kind === 'press_conference')!, '2026-10-11T09:00:00+08:00'); // due 10-11 08:00: late
  await incident({ title: '某校食堂食品安全问题', severity: 'general', departmentCode: 'jyj', startedAt: '2026-10-15T10:00:00+08:00' }); // missed
  const dismissed = await incident({ title: '误报', severity: 'general', departmentCode: 'fgw', startedAt: '2026-10-20T10:00:00+08:00' });
  expect((await t.call('PATCH', `/api/incidents/${dismissed.id}`, { status: 'dismissed' })).status).toBe(200);
  const nobody = await incident({ title: '网传某路段塌陷', severity: 'general', startedAt: '2026-10-25T10:00:00+08:00' });
  await fulfil(nobody.commitments[0]!, '2026-10-25T20:00:00+08:00');
  await incident({ title: '期外事件', severity: 'general', departmentCode: 'fgw', startedAt: '2026-11-05T10:00:00+08:00' });
}, 60_000);
afterAll(() => t.close());

const report = async (query: string) => {
  const res = await t.call('GET', `/api/reports/assessment?${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};
const row = (r: any, code: string | null) => r.departments.find((d: { departmentCode: string | null }) => d.departmentCode === code);

describe('the 考核 report', () => {
  it.each([
    ['2026-10-09T12:00:00+08:00', '2026-10-09'],
    ['2026-11-01T00:00:00+08:00', '2026-10-31'],
    ['2026-11-20T10:00:00+08:00', '2026-10-31'],
  ])('as of %s, each department’s counts are exactly what the document list gives for the same asOf', async (asOf, listTo) => {
    const r = await report(`from=${FROM}&to=${TO}&asOf=${encodeURIComponent(asOf)}`);
    expect(r.asOf).toBe(new Date(parseInstant(asOf)!).toISOString());
    for (const code of ['fgw', 'jyj', 'wjw']) {
      const mine = row(r, code);
      for (const status of STATUSES) {
        const listed = await t.call('GET', `/api/documents?status=${status}&departmentCode=${code}&asOf=${encodeURIComponent(asOf)}&publishedFrom=${FROM}&publishedTo=${listTo}&limit=500`);
        expect(mine[FIELD[status]], `${code} ${status}`).toBe(listed.body.items.length);
      }
      const all = await t.call('GET', `/api/documents?departmentCode=${code}&publishedFrom=${FROM}&publishedTo=${listTo}&limit=500`);
      expect(mine.published, `${code} published`).toBe(all.body.items.length);
    }
  });

  it.each(['2026-10-09T12:00:00+08:00', '2026-10-20T09:00:00+08:00', '2026-10-29T09:59:59+08:00'])(
    'as of %s, inside the period, the status lists of the whole period leave out what was published after it, as the report does',
    async (asOf) => {
      const r = await report(`from=${FROM}&to=${TO}&asOf=${encodeURIComponent(asOf)}`);
      for (const code of ['fgw', 'jyj']) {
        const mine = row(r, code);
        let listed = 0;
        for (const status of STATUSES) {
          const query = `status=${status}&departmentCode=${code}&asOf=${encodeURIComponent(asOf)}&publishedFrom=${FROM}&publishedTo=${TO}`;
          const items = (await t.call('GET', `/api/documents?${query}&limit=500`)).body.items as { publishedAt: string }[];
          expect(mine[FIELD[status]], `${code} ${status}`).toBe(items.length);
          expect(items.filter((d) => Date.parse(d.publishedAt) > parseInstant(asOf)!), `${code} ${status}`).toEqual([]);
          // The export selects what the list does.
          const csv = await t.app.request(`/api/documents/export?format=csv&${query}`, { headers: { Authorization: `Bearer ${TOKEN}` } });
          expect(new TextDecoder().decode(await csv.arrayBuffer()).split('\r\n').filter(Boolean).length - 1, `${code} ${status} export`).toBe(items.length);
          listed += items.length;
        }
        expect(mine.published, `${code} published`).toBe(listed);
      }
      // Without any other filter (the lists screens poll, prepared once): the same rule.
      for (const status of ['pending', 'overdue'] as const) {
        const items = (await t.call('GET', `/api/documents?status=${status}&asOf=${encodeURIComponent(asOf)}&limit=500`)).body.items as { publishedAt: string }[];
        expect(items.filter((d) => Date.parse(d.publishedAt) > parseInstant(asOf)!), status).toEqual([]);
      }
      // The list without a status still shows every document, each with its status as of asOf.
      const all = (await t.call('GET', `/api/documents?departmentCode=fgw&asOf=${encodeURIComponent(asOf)}&publishedFrom=${FROM}&publishedTo=${TO}&limit=500`)).body.items;
      expect(all).toHaveLength(5);
    },
  );

  it('counts, rates and medians per department as of now, working days counted across the National Day holiday', async () => {
    const r = await report(`from=${FROM}&to=${TO}`);
    expect(r).toMatchObject({ from: FROM, to: TO, asOf: '2026-11-20T02:00:00.000Z' });
    expect(row(r, 'fgw')).toEqual({
      departmentCode: 'fgw', departmentName: '市发展改革委', published: 5, requiringInterpretation: 4, onTime: 2, late: 1, overdue: 1, pending: 0, exempt: 1,
      onTimeRate: 0.5, medianWorkingDays: 2, plannedAndSigned: 0, plannedAndSignedRate: 0, majorDocuments: 0, leaderLedMajor: 0, leaderLedMajorRate: null,
      incidents: 1, commitmentsMet: 1, commitmentsLate: 1, commitmentsMissed: 0,
    });
    expect(row(r, 'jyj')).toMatchObject({ published: 2, onTime: 1, overdue: 1, onTimeRate: 0.5, medianWorkingDays: 0, incidents: 1, commitmentsMissed: 1 });
    expect(row(r, 'wjw')).toMatchObject({ departmentName: '市卫生健康委', published: 0, onTimeRate: null, medianWorkingDays: null, incidents: 0 });
    expect(row(r, null)).toMatchObject({ departmentName: '未指定部门', published: 0, incidents: 1, commitmentsMet: 1 });
    expect(r.total).toMatchObject({ departmentName: '合计', published: 7, onTime: 3, late: 1, overdue: 2, exempt: 1, onTimeRate: 0.5, medianWorkingDays: 1.5, incidents: 3, commitmentsMet: 2, commitmentsLate: 1, commitmentsMissed: 1 });
    // Names, in department-code order; the department-less row only because it has incidents.
    expect(r.departments.map((d: { departmentName: string }) => d.departmentName)).toEqual(['市发展改革委', '市教育局', '市卫生健康委', '未指定部门']);
  });

  it('as of a moment inside the period, only what had happened by then counts', async () => {
    const r = await report(`from=${FROM}&to=${TO}&asOf=${encodeURIComponent('2026-10-10T12:30:00+08:00')}`);
    // Published by then: the three of 09-28/09-30 (fgw) and the jyj one of 10-10 09:00.
    expect(row(r, 'fgw')).toMatchObject({ published: 3, onTime: 2, pending: 1, late: 0, onTimeRate: 1, medianWorkingDays: 1.5 });
    expect(row(r, 'jyj')).toMatchObject({ published: 1, onTime: 1 });
    // The release was made at 12:00; the press conference (due 10-11 08:00) is still running.
    expect(row(r, 'fgw')).toMatchObject({ incidents: 1, commitmentsMet: 1, commitmentsLate: 0, commitmentsMissed: 0 });
    expect(row(r, null)).toBeUndefined();
  });

  it('working days to the first interpretation follow the official calendar', async () => {
    const calendar = await t.ctx.calendars.current();
    const days = (a: string, b: string) => workingDaysToInterpretation(calendar, parseInstant(a)!, parseInstant(b)!);
    expect(days('2026-09-30T10:00:00+08:00', '2026-10-09T10:00:00+08:00')).toBe(2);
    expect(days('2026-09-30T10:00:00+08:00', '2026-10-10T10:00:00+08:00')).toBe(3); // make-up Saturday
    expect(days('2026-09-30T10:00:00+08:00', '2026-10-11T10:00:00+08:00')).toBe(3); // Sunday
    expect(days('2026-09-30T10:00:00+08:00', '2026-09-30T23:00:00+08:00')).toBe(0);
    expect(days('2026-09-30T10:00:00+08:00', '2026-09-29T23:00:00+08:00')).toBe(0);
    expect([median([]), median([3]), median([4, 1]), median([5, 1, 3])]).toEqual([null, 3, 2.5, 3]);
  });

  it('exports the report as CSV and XLSX, department names and a total row', async () => {
    const res = await t.app.request(`/api/reports/assessment/export?format=csv&from=${FROM}&to=${TO}`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Disposition')).toBe(`attachment; filename="assessment-20260901-20261031.csv"; filename*=UTF-8''${encodeURIComponent('考核报表-20260901至20261031.csv')}`);
    const text = new TextDecoder().decode(await res.arrayBuffer());
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('部门,发布文件数,需解读,按时解读,迟发,逾期未解读,待解读,免于解读,按时率（%）,解读用时中位数（工作日）,同步审签数,同步审签率（%）,重大文件数,主要负责人解读数,主要负责人解读率（%）,舆情事件数,按时回应,超时回应,超时未回应');
    expect(lines[1]).toBe('市发展改革委,5,4,2,1,1,0,1,50,2,0,0,0,0,,1,1,1,0');
    expect(lines[5]).toBe('合计,7,6,3,1,2,0,1,50,1.5,0,0,0,0,,3,2,1,1');
    const x = await t.app.request(`/api/reports/assessment/export?format=xlsx&from=${FROM}&to=${TO}`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await x.arrayBuffer()) as never);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(2).values).toEqual([undefined, '市发展改革委', 5, 4, 2, 1, 1, 0, 1, 50, 2, 0, 0, 0, 0, undefined, 1, 1, 1, 0]);
    expect(sheet.getRow(6).getCell(1).value).toBe('合计');
  });

  it('when a parameter is bad or missing, then 400 names it', async () => {
    for (const [query, field] of [
      [`to=${TO}`, 'from'], [`from=${FROM}`, 'to'], [`from=2026-02-30&to=${TO}`, 'from'], [`from=${FROM}&to=31/10/2026`, 'to'],
      [`from=${TO}&to=${FROM}`, 'to'], [`from=${FROM}&to=${TO}&asOf=now`, 'asOf'], [`from=1969-12-31&to=${TO}`, 'from'],
    ]) {
      const res = await t.call('GET', `/api/reports/assessment?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.message, query).toMatch(new RegExp(`^${field}: `));
      expect((await t.call('GET', `/api/reports/assessment/export?${query}`)).status, `export ${query}`).toBe(400);
    }
    expect((await t.call('GET', `/api/reports/assessment/export?from=${FROM}&to=${TO}&format=ods`)).status).toBe(400);
  });
});
