import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { DRAFT_DUE_DATE, DRAFT_PUBLISHED_AT } from '../../src/app/documents.js';
import { INTERPRETATION_STATUSES } from '../../src/domain/deadlines/interpretation.js';
import { documents } from '../../src/db/schema.js';
import { callAs, registerDocument, seedDepartment, startTestApp, tempDir, TOKEN, userWithToken, type TestApp } from '../support/app.js';
import { csvBytes, importFile } from '../support/imports.js';

// A draft keeps placeholder values in documents' NOT NULL columns (published_at far in the future,
// interpretation_due_date '9999-12-31'), so every reader of documents must leave drafts out: a
// draft appears in no list, search, export, board, report, sweep, calendar feed, recomputation,
// import or annual report — until it is published. The draft here is as visible as a draft can
// be: requiring interpretation, major, a 规范性文件, with a plan.

const holidayCn2027 = JSON.parse(readFileSync(new URL('../fixtures/holiday-cn-2027.json', import.meta.url), 'utf8'));
const FAR = '2199-12-31T12:00:00+08:00';
const DRAFT = { docNumber: '沪发改规〔2026〕99号', title: '草稿专用词：关于数据要素的若干措施', departmentCode: 'fgw', importance: 'major', docType: 'normative', plan: { forms: ['text'], channels: ['wechat'], leaderLed: true } };

let t: TestApp;
let cleanup = () => {};
afterEach(() => {
  t.close();
  cleanup();
});

async function start(path = ':memory:', config = {}) {
  t = await startTestApp({ path, config });
}

async function seeded(path = ':memory:') {
  await start(path);
  await seedDepartment(t, 'fgw', '市发展改革委');
  const draft = (await t.call('POST', '/api/documents', DRAFT)).body;
  const published = await registerDocument(t, { docNumber: '沪发改规〔2026〕98号', title: '已发布的文件', publishedAt: '2026-11-19T10:00:00+08:00', docType: 'normative', importance: 'major' });
  return { draft, published };
}

const ids = (items: { id: number }[]) => items.map((d) => d.id);
const list = async (query: string) => ids((await t.call('GET', `/api/documents?${query}&limit=500`)).body.items);
const stored = async (id: number) => (await t.db.orm.select().from(documents).where(eq(documents.id, id)))[0]!;

async function text(path: string): Promise<string> {
  const res = await t.app.request(path, { headers: { Authorization: `Bearer ${TOKEN}` } });
  expect(res.status, path).toBe(200);
  return new TextDecoder().decode(await res.arrayBuffer());
}

describe('a draft appears nowhere a published document does', () => {
  it('lists, every status at any moment, search and the publication-date range: only status=drafting finds it', async () => {
    const { draft, published } = await seeded();
    expect(draft.status).toBe('drafting');
    expect(await list('')).toEqual([published.id]);
    for (const asOf of ['2026-11-20T10:00:00+08:00', FAR]) {
      for (const status of INTERPRETATION_STATUSES) expect(await list(`status=${status}&asOf=${encodeURIComponent(asOf)}`), `${status} as of ${asOf}`).not.toContain(draft.id);
    }
    expect(await list(`q=${encodeURIComponent('草稿专用词')}`)).toEqual([]);
    expect(await list('departmentCode=fgw&publishedFrom=2026-01-01&publishedTo=2199-12-31')).toEqual([published.id]);
    expect(await list('status=drafting')).toEqual([draft.id]);
    expect(await list(`status=drafting&q=${encodeURIComponent('草稿专用词')}`)).toEqual([draft.id]);
    expect(await list('status=drafting&departmentCode=jyj')).toEqual([]);
  });

  it('exports: not in any export but status=drafting, which shows it without publication time or due date', async () => {
    const { draft } = await seeded();
    for (const query of ['', 'status=pending', `status=pending&asOf=${encodeURIComponent(FAR)}`, 'status=overdue']) {
      expect(await text(`/api/documents/export?format=csv&${query}`), query).not.toContain('草稿专用词');
    }
    const drafts = (await text('/api/documents/export?format=csv&status=drafting')).split('\r\n');
    expect(drafts[1]).toBe(`${draft.id},沪发改规〔2026〕99号,草稿专用词：关于数据要素的若干措施,市发展改革委,fgw,,是,,重大,行政规范性文件,,,起草中,,,`);
  });

  it('the board and the 考核 report count it nowhere but as a draft', async () => {
    await seeded();
    const board = (await t.call('GET', `/api/dashboard?asOf=${encodeURIComponent(FAR)}`)).body;
    expect(board.counts.documents).toEqual({ pending: 0, overdue: 1, on_time: 0, late: 0, exempt: 0, drafting: 1 });
    expect(board.departments[0]).toMatchObject({ code: 'fgw', requiringInterpretation: 1, majorDocuments: 1, plannedAndSigned: 0 });
    const report = (await t.call('GET', `/api/reports/assessment?from=2026-01-01&to=2199-12-31&asOf=${encodeURIComponent(FAR)}`)).body;
    expect(report.total).toMatchObject({ published: 1, requiringInterpretation: 1, overdue: 1, pending: 0, majorDocuments: 1, plannedAndSigned: 0 });
  });

  it('sweeps record no alert for it, whatever the moment', async () => {
    const { draft } = await seeded();
    for (const asOf of ['2026-11-20T10:00:00+08:00', '2026-11-25T10:00:00+08:00', FAR]) await t.call('POST', '/api/jobs/sweep', { asOf });
    const alerts = (await t.call('GET', '/api/alerts?limit=500')).body.items;
    expect(alerts.length).toBeGreaterThan(0); // the published one's
    expect(alerts.filter((a: { documentId?: number }) => a.documentId === draft.id)).toEqual([]);
  });

  it('calendar feeds leave it out', async () => {
    const { draft, published } = await seeded();
    const { token } = await userWithToken(t, 'leader1', 'leader');
    const url = (await callAs(t, { token }, 'POST', '/api/me/calendar-feed')).body.url as string;
    const ics = await (await t.app.request(new URL(url, 'http://localhost').pathname)).text();
    expect(ics).toContain(`/documents/${published.id}`);
    expect(ics).not.toContain(`/documents/${draft.id}`);
    expect(ics).not.toContain('9999');
  });

  it('calendar changes and a new interpretation rule at start recompute published due dates only', async () => {
    const { dir, cleanup: remove } = tempDir();
    cleanup = remove;
    const path = `${dir}/service.sqlite`;
    const { draft, published } = await seeded(path);
    expect((await t.call('POST', '/api/calendar/import', holidayCn2027)).status).toBe(200);
    expect((await t.call('PUT', '/api/calendar/days/2026-11-23', { kind: 'holiday', name: '临时调整' })).status).toBe(200);
    expect(await stored(draft.id)).toMatchObject({ publishedAt: DRAFT_PUBLISHED_AT, interpretationDueDate: DRAFT_DUE_DATE, dueRevision: 0 });
    expect((await stored(published.id)).dueRevision).toBe(1);
    t.close();
    // The service starts with N = 5: every published due date is recomputed, the draft's is not touched.
    await start(path, { interpretationWorkingDays: 5 });
    expect(await stored(draft.id)).toMatchObject({ publishedAt: DRAFT_PUBLISHED_AT, interpretationDueDate: DRAFT_DUE_DATE, dueRevision: 0 });
    expect((await t.call('GET', `/api/documents/${published.id}`)).body.interpretationDueDate).toBe('2026-11-27');
  });

  it('imports refuse rows that name it: a draft is published on its page, and nothing interprets it before', async () => {
    await seeded();
    const docs = await importFile(t, csvBytes(['文号,标题,起草部门,发布时间', '沪发改规〔2026〕99号,草稿专用词：关于数据要素的若干措施,fgw,2026-11-19']));
    expect(docs).toMatchObject({ status: 'failed', created: 0, updated: 0 });
    expect(docs.errors[0]).toMatchObject({ row: 2, field: '文号' });
    expect(docs.errors[0].message).toContain('起草中');
    const interpretations = await importFile(t, csvBytes(['标题,解读形式,发布时间,对应文号', '一图读懂,图解,2026-11-19,沪发改规〔2026〕99号']), { kind: 'interpretations' });
    expect(interpretations).toMatchObject({ status: 'failed', created: 0 });
    expect(interpretations.errors[0].message).toContain('起草中');
  });

  it('table 二 of the annual report does not count it as made', async () => {
    await seeded();
    const report = (await t.call('GET', '/api/reports/annual/2026')).body;
    expect(report.table2.documents.find((d: { key: string }) => d.key === 'normative')).toMatchObject({ made: 1, inForce: 1 });
  });

  it('once published, it appears where the others do', async () => {
    const { draft } = await seeded();
    await t.call('PATCH', `/api/documents/${draft.id}`, { publishedAt: '2026-11-19T15:00:00+08:00' });
    expect(await list('status=pending')).toContain(draft.id);
    expect(await list('status=drafting')).toEqual([]);
    expect((await t.call('GET', '/api/dashboard')).body.counts.documents).toMatchObject({ pending: 2, drafting: 0 });
    expect((await t.call('GET', '/api/reports/annual/2026')).body.table2.documents.find((d: { key: string }) => d.key === 'normative').made).toBe(2);
  });
});
