import { count } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { documents } from '../../src/db/schema.js';
import { registerDocument, seedDepartment, startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
  await seedDepartment(t);
});
afterEach(() => t.close());

async function documentCount() {
  const [row] = await t.db.orm.select({ n: count() }).from(documents);
  return row!.n;
}

describe('POST /api/documents', () => {
  it('when a document is registered, then its due date is 3 working days on the official calendar', async () => {
    const res = await t.call('POST', '/api/documents', {
      docNumber: '沪府办发〔2025〕12号',
      title: '关于进一步优化营商环境的若干措施',
      departmentCode: 'fgw',
      publishedAt: '2025-09-30T10:00:00+08:00',
      url: 'https://www.example.gov.cn/zwgk/12.html',
      importance: 'major',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      docNumber: '沪府办发〔2025〕12号',
      departmentCode: 'fgw',
      publishedAt: '2025-09-30T02:00:00.000Z',
      publishedDate: '2025-09-30',
      // 10-01..10-08 off; 10-09, 10-10 and make-up Saturday 10-11 are working days 1–3.
      interpretationDueDate: '2025-10-11',
      provisional: false,
      requiresInterpretation: true,
      importance: 'major',
      interpretations: [],
    });
    // The clock is pinned at 2026-11-20, long after the due date.
    expect(res.body.status).toBe('overdue');
  });

  it('when published late in the evening in New York, then the Shanghai date decides the deadline', async () => {
    // 2025-09-30 23:30 in New York (UTC-4) is 2025-10-01 11:30 in Shanghai, inside the National Day holiday.
    const doc = await registerDocument(t, { publishedAt: '2025-09-30T23:30:00-04:00' });
    expect(doc.publishedDate).toBe('2025-10-01');
    expect(doc.interpretationDueDate).toBe('2025-10-11');
    // 15:59:59Z is still Monday 2025-09-29 in Shanghai: working days 09-30, 10-09, 10-10.
    const earlier = await registerDocument(t, { publishedAt: '2025-09-29T15:59:59Z' });
    expect(earlier.publishedDate).toBe('2025-09-29');
    expect(earlier.interpretationDueDate).toBe('2025-10-10');
    // One second later it is Tuesday 09-30 in Shanghai: 10-09, 10-10 and make-up Saturday 10-11.
    const later = await registerDocument(t, { publishedAt: '2025-09-29T16:00:00Z' });
    expect(later.publishedDate).toBe('2025-09-30');
    expect(later.interpretationDueDate).toBe('2025-10-11');
  });

  it('when published in a year without an official schedule, then the due date is provisional', async () => {
    const doc = await registerDocument(t, { publishedAt: '2026-12-30' });
    expect(doc.interpretationDueDate).toBe('2027-01-04');
    expect(doc.provisional).toBe(true);
  });

  it('when the document needs no interpretation, then it is exempt and must give a reason', async () => {
    const missing = await t.call('POST', '/api/documents', {
      title: '关于调整内设机构的通知',
      departmentCode: 'fgw',
      publishedAt: '2025-09-30',
      requiresInterpretation: false,
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/^exemptReason: /);
    expect(await documentCount()).toBe(0);

    const doc = await registerDocument(t, { requiresInterpretation: false, exemptReason: '内部管理事项，不涉及公众' });
    expect(doc.status).toBe('exempt');
    expect(doc.exemptReason).toBe('内部管理事项，不涉及公众');
  });

  it('when the 文号 is already registered, then 409 and nothing is written', async () => {
    await registerDocument(t, { docNumber: '沪府办发〔2025〕12号' });
    const res = await t.call('POST', '/api/documents', {
      docNumber: '沪府办发〔2025〕12号',
      title: '另一份文件',
      departmentCode: 'fgw',
      publishedAt: '2025-10-09',
    });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'duplicate_doc_number' });
    expect(res.body.error.message).toContain('沪府办发〔2025〕12号');
    expect(await documentCount()).toBe(1);
  });

  it('when two documents have no 文号, then both are accepted', async () => {
    await registerDocument(t);
    await registerDocument(t, { docNumber: null });
    expect(await documentCount()).toBe(2);
  });

  const base = { title: '关于进一步优化营商环境的若干措施', departmentCode: 'fgw', publishedAt: '2025-09-30T10:00:00+08:00' };
  it.each([
    ['title missing', { ...base, title: undefined }, 'title'],
    ['title empty', { ...base, title: '   ' }, 'title'],
    ['title not a string', { ...base, title: 42 }, 'title'],
    ['departmentCode missing', { ...base, departmentCode: undefined }, 'departmentCode'],
    ['departmentCode malformed', { ...base, departmentCode: '发改 委' }, 'departmentCode'],
    // (publishedAt missing registers a draft: test/http/drafting.test.ts)
    ['publishedAt without offset', { ...base, publishedAt: '2025-09-30T10:00:00' }, 'publishedAt'],
    ['publishedAt impossible date', { ...base, publishedAt: '2025-02-30' }, 'publishedAt'],
    ['publishedAt free text', { ...base, publishedAt: '昨天' }, 'publishedAt'],
    ['publishedAt out of range', { ...base, publishedAt: '2300-01-01' }, 'publishedAt'],
    ['docNumber not a string', { ...base, docNumber: 12 }, 'docNumber'],
    ['docNumber too long', { ...base, docNumber: 'x'.repeat(101) }, 'docNumber'],
    ['url not http', { ...base, url: 'ftp://example.gov.cn/a' }, 'url'],
    ['requiresInterpretation not boolean', { ...base, requiresInterpretation: 'no' }, 'requiresInterpretation'],
    ['exemptReason not a string', { ...base, requiresInterpretation: false, exemptReason: 1 }, 'exemptReason'],
    ['importance unknown', { ...base, importance: 'urgent' }, 'importance'],
    ['unknown field', { ...base, color: 'red' }, ''],
  ])('when %s, then 400 names the field and nothing is written', async (_case, body, field) => {
    const res = await t.call('POST', '/api/documents', body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_input');
    if (field) expect(res.body.error.message).toMatch(new RegExp(`(^|；)${field}: `));
    expect(await documentCount()).toBe(0);
  });

  it('when the department does not exist, then 422 names it and nothing is written', async () => {
    const res = await t.call('POST', '/api/documents', { ...base, departmentCode: 'nobody' });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toContain('nobody');
    expect(await documentCount()).toBe(0);
  });

  it('when the body is not JSON, then 400 or 415, never 500, and nothing is written', async () => {
    const broken = await t.call('POST', '/api/documents', '{"title": ', {});
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe('invalid_json');
    const form = await t.call('POST', '/api/documents', 'title=x', { 'Content-Type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    const array = await t.call('POST', '/api/documents', [1, 2]);
    expect(array.status).toBe(400);
    expect(await documentCount()).toBe(0);
  });
});

describe('GET /api/documents', () => {
  it('when filtered by status as of a moment, then each document is listed under its status then', async () => {
    const overdue = await registerDocument(t, { title: '逾期的文件', publishedAt: '2025-09-01' });
    const pending = await registerDocument(t, { title: '待解读的文件', publishedAt: '2025-09-29T09:00:00+08:00' });
    const exempt = await registerDocument(t, { title: '免于解读', requiresInterpretation: false, exemptReason: '内部事项' });
    await seedDepartment(t, 'jyj', '市教育局');
    const other = await registerDocument(t, { title: '另一部门的逾期文件', departmentCode: 'jyj', publishedAt: '2025-08-01' });
    const onTime = await registerDocument(t, { title: '按时解读', publishedAt: '2025-09-01' });
    await t.call('POST', '/api/interpretations', { title: '解读', form: 'text', publishedAt: '2025-09-02', documentIds: [onTime.id] });

    const list = async (query: string) => {
      const res = await t.call('GET', `/api/documents?${query}`);
      expect(res.status).toBe(200);
      return res.body.items.map((d: { id: number; status: string }) => [d.id, d.status]);
    };
    const asOf = 'asOf=2025-10-01T12:00:00%2B08:00';
    expect(await list(`status=overdue&${asOf}`)).toEqual([[other.id, 'overdue'], [overdue.id, 'overdue']]);
    expect(await list(`status=overdue&departmentCode=fgw&${asOf}`)).toEqual([[overdue.id, 'overdue']]);
    expect(await list(`status=pending&${asOf}`)).toEqual([[pending.id, 'pending']]);
    expect(await list(`status=exempt&${asOf}`)).toEqual([[exempt.id, 'exempt']]);
    expect(await list(`status=on_time&${asOf}`)).toEqual([[onTime.id, 'on_time']]);
    // Before the interpretation was published, the same document was still pending.
    expect(await list(`status=pending&asOf=2025-09-01T20:00:00%2B08:00`)).toContainEqual([onTime.id, 'pending']);
    expect(await list(`status=late&${asOf}`)).toEqual([]);
  });

  it('when asOf has an unencoded + in the query string, then it is still read as the offset', async () => {
    const doc = await registerDocument(t); // due 2025-10-11
    const res = await t.call('GET', `/api/documents/${doc.id}?asOf=2025-10-11T23:00:00+08:00`);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('pending');
    const overdue = await t.call('GET', `/api/documents/${doc.id}?asOf=2025-10-11T23:00:00-08:00`);
    expect(overdue.body.status).toBe('overdue');
  });

  it('when a body is larger than 1 MB, then 413 and nothing is written', async () => {
    const res = await t.call('POST', '/api/documents', { title: 'x'.repeat(1_100_000), departmentCode: 'fgw', publishedAt: '2025-09-30' });
    expect(res.status).toBe(413);
    expect(await documentCount()).toBe(0);
  });

  it('when limit and offset are given, then pages do not overlap', async () => {
    for (let i = 0; i < 5; i++) await registerDocument(t, { title: `文件${i}`, publishedAt: `2025-09-0${i + 1}` });
    const first = await t.call('GET', '/api/documents?limit=2&offset=0');
    const second = await t.call('GET', '/api/documents?limit=2&offset=2');
    expect(first.body.items).toHaveLength(2);
    expect(second.body.items).toHaveLength(2);
    const ids = [...first.body.items, ...second.body.items].map((d: { id: number }) => d.id);
    expect(new Set(ids).size).toBe(4);
  });

  it.each([
    ['status=unknown', 'status'],
    ['asOf=yesterday', 'asOf'],
    ['limit=0', 'limit'],
    ['limit=abc', 'limit'],
    ['offset=-1', 'offset'],
  ])('when the query has %s, then 400 names %s', async (query, field) => {
    const res = await t.call('GET', `/api/documents?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(new RegExp(`^${field}: `));
  });
});

describe('GET and PATCH /api/documents/:id', () => {
  it('when the document does not exist, then 404', async () => {
    expect((await t.call('GET', '/api/documents/999')).status).toBe(404);
    expect((await t.call('PATCH', '/api/documents/999', { title: 'x' })).status).toBe(404);
    expect((await t.call('GET', '/api/documents/abc')).status).toBe(400);
  });

  it('when publishedAt changes, then the due date is recomputed', async () => {
    const doc = await registerDocument(t);
    const res = await t.call('PATCH', `/api/documents/${doc.id}`, { publishedAt: '2025-10-09T09:00:00+08:00' });
    expect(res.status).toBe(200);
    // Thursday 10-09: Friday 10-10, make-up Saturday 10-11, Monday 10-13.
    expect(res.body.interpretationDueDate).toBe('2025-10-13');
    expect((await t.call('GET', `/api/documents/${doc.id}`)).body.interpretationDueDate).toBe('2025-10-13');
  });

  it('when the document becomes exempt without a reason, then 400 and it is unchanged', async () => {
    const doc = await registerDocument(t);
    const res = await t.call('PATCH', `/api/documents/${doc.id}`, { requiresInterpretation: false });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^exemptReason: /);
    expect((await t.call('GET', `/api/documents/${doc.id}`)).body.requiresInterpretation).toBe(true);
  });

  it('when a 文号 is changed to one already registered, then 409 and it is unchanged', async () => {
    await registerDocument(t, { docNumber: 'A〔2025〕1号' });
    const doc = await registerDocument(t, { docNumber: 'A〔2025〕2号' });
    const res = await t.call('PATCH', `/api/documents/${doc.id}`, { docNumber: 'A〔2025〕1号' });
    expect(res.status).toBe(409);
    expect((await t.call('GET', `/api/documents/${doc.id}`)).body.docNumber).toBe('A〔2025〕2号');
  });

  it('when the status is asked as of successive moments, then it moves pending → overdue → late', async () => {
    const doc = await registerDocument(t); // due 2025-10-11
    const at = async (asOf: string) => (await t.call('GET', `/api/documents/${doc.id}?asOf=${encodeURIComponent(asOf)}`)).body;
    expect(await at('2025-09-30T12:00:00+08:00')).toMatchObject({ status: 'pending', workingDaysLeft: 3 });
    expect(await at('2025-10-05T12:00:00+08:00')).toMatchObject({ status: 'pending', workingDaysLeft: 3 });
    expect(await at('2025-10-11T23:59:59+08:00')).toMatchObject({ status: 'pending', workingDaysLeft: 0 });
    expect(await at('2025-10-12T00:00:00+08:00')).toMatchObject({ status: 'overdue', workingDaysLeft: null });
    await t.call('POST', '/api/interpretations', { title: '答记者问', form: 'qa', publishedAt: '2025-10-13T09:00:00+08:00', documentIds: [doc.id] });
    expect(await at('2025-10-12T12:00:00+08:00')).toMatchObject({ status: 'overdue' });
    expect(await at('2025-10-13T12:00:00+08:00')).toMatchObject({ status: 'late' });
  });
});

describe('edits based on an old read (ETag, If-Match)', () => {
  it('when a PATCH names the version it read and someone has changed the document since, then 412 and nothing is written; with the current version, or without If-Match, it goes through', async () => {
    const doc = await registerDocument(t);
    const read = await t.call('GET', `/api/documents/${doc.id}`);
    const etag = read.headers!.get('etag')!;
    expect(etag).toMatch(/^"\d+"$/);
    // Someone else changes the title (the test clock stands still: the version still moves on).
    const other = await t.call('PATCH', `/api/documents/${doc.id}`, { title: '他人改过的标题' }, { 'If-Match': etag });
    expect(other.status).toBe(200);
    const current = other.headers!.get('etag')!;
    expect(current).not.toBe(etag);
    // An edit made on the first read is refused, and says so.
    const stale = await t.call('PATCH', `/api/documents/${doc.id}`, { url: 'https://fgw.example.gov.cn/x.html' }, { 'If-Match': etag });
    expect(stale.status).toBe(412);
    expect(stale.body.error).toMatchObject({ code: 'modified_since_read' });
    expect(stale.body.error.message).toContain('在您读取之后已被修改');
    const after = await t.call('GET', `/api/documents/${doc.id}`);
    expect(after.body).toMatchObject({ title: '他人改过的标题', url: doc.url });
    expect(after.headers!.get('etag')).toBe(current);
    // Any of several versions, the current among them; `*`; no If-Match at all.
    expect((await t.call('PATCH', `/api/documents/${doc.id}`, { importance: 'major' }, { 'If-Match': `${etag}, ${current}` })).status).toBe(200);
    expect((await t.call('PATCH', `/api/documents/${doc.id}`, { importance: 'normal' }, { 'If-Match': '*' })).status).toBe(200);
    expect((await t.call('PATCH', `/api/documents/${doc.id}`, { importance: 'major' })).status).toBe(200);
    // A weak or foreign tag never matches (If-Match compares strongly).
    const now = (await t.call('GET', `/api/documents/${doc.id}`)).headers!.get('etag')!;
    expect((await t.call('PATCH', `/api/documents/${doc.id}`, { importance: 'normal' }, { 'If-Match': `W/${now}` })).status).toBe(412);
    expect((await t.call('PATCH', `/api/documents/${doc.id}`, { importance: 'normal' }, { 'If-Match': '"abc"' })).status).toBe(412);
  });

  it('when two PATCHes of different fields run at once, then both changes are kept', async () => {
    const doc = await registerDocument(t);
    const [a, b] = await Promise.all([
      t.call('PATCH', `/api/documents/${doc.id}`, { title: '甲改的标题' }),
      t.call('PATCH', `/api/documents/${doc.id}`, { url: 'https://fgw.example.gov.cn/yi.html' }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect((await t.call('GET', `/api/documents/${doc.id}`)).body).toMatchObject({ title: '甲改的标题', url: 'https://fgw.example.gov.cn/yi.html' });
  });

  it('when two PATCHes of an incident run at once, then both changes are kept; one based on an old read is refused (412)', async () => {
    const incident = (await t.call('POST', '/api/incidents', { title: '某小区燃气泄漏', severity: 'general' })).body;
    const etag = (await t.call('GET', `/api/incidents/${incident.id}`)).headers!.get('etag')!;
    const [a, b] = await Promise.all([
      t.call('PATCH', `/api/incidents/${incident.id}`, { title: '某小区燃气泄漏致3人受伤' }),
      t.call('PATCH', `/api/incidents/${incident.id}`, { severity: 'major' }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect((await t.call('GET', `/api/incidents/${incident.id}`)).body).toMatchObject({ title: '某小区燃气泄漏致3人受伤', severity: 'major' });
    const stale = await t.call('PATCH', `/api/incidents/${incident.id}`, { status: 'closed' }, { 'If-Match': etag });
    expect(stale.status).toBe(412);
    expect((await t.call('GET', `/api/incidents/${incident.id}`)).body.status).toBe('open');
  });
});
