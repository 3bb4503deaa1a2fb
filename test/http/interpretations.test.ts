import { count } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { interpretationDocuments, interpretations } from '../../src/db/schema.js';
import { registerDocument, seedDepartment, startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
  await seedDepartment(t);
});
afterEach(() => t.close());

const asOf = (iso: string) => `?asOf=${encodeURIComponent(iso)}`;

describe('interpretations', () => {
  it('when one interpretation covers a package of documents, then each of them is interpreted', async () => {
    const a = await registerDocument(t, { docNumber: '甲〔2025〕1号', publishedAt: '2025-09-30' });
    const b = await registerDocument(t, { docNumber: '甲〔2025〕2号', publishedAt: '2025-10-09' });
    const res = await t.call('POST', '/api/interpretations', {
      title: '一图读懂系列政策',
      form: 'graphic',
      url: 'https://www.example.gov.cn/jd/1.html',
      publishedAt: '2025-10-10T18:00:00+08:00',
      documentIds: [a.id, b.id],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ form: 'graphic', departmentCode: 'fgw', publishedAt: '2025-10-10T10:00:00.000Z' });
    expect(res.body.documents.map((d: { id: number }) => d.id)).toEqual([a.id, b.id]);
    for (const doc of [a, b]) {
      const got = (await t.call('GET', `/api/documents/${doc.id}`)).body;
      expect(got.status).toBe('on_time');
      expect(got.interpretations).toEqual([expect.objectContaining({ id: res.body.id, title: '一图读懂系列政策' })]);
    }
  });

  it('when a document has several interpretations, then the earliest decides', async () => {
    const doc = await registerDocument(t); // due 2025-10-11
    await t.call('POST', '/api/interpretations', { title: '新闻发布会', form: 'press_conference', publishedAt: '2025-10-20', documentIds: [doc.id] });
    expect((await t.call('GET', `/api/documents/${doc.id}`)).body.status).toBe('late');
    await t.call('POST', '/api/interpretations', { title: '文字解读', form: 'text', publishedAt: '2025-10-11T20:00:00+08:00', documentIds: [doc.id] });
    const got = (await t.call('GET', `/api/documents/${doc.id}`)).body;
    expect(got.status).toBe('on_time');
    expect(got.interpretations.map((i: { form: string }) => i.form)).toEqual(['text', 'press_conference']);
  });

  it('when published before the document, then the interpretation counts as on time', async () => {
    const doc = await registerDocument(t);
    await t.call('POST', '/api/interpretations', { title: '提前解读', form: 'expert', publishedAt: '2025-09-29', documentIds: [doc.id] });
    expect((await t.call('GET', `/api/documents/${doc.id}${asOf('2025-09-29T12:00:00+08:00')}`)).body.status).toBe('on_time');
  });

  it('when a link is added and removed, then the document status follows', async () => {
    const a = await registerDocument(t, { title: '甲' });
    const b = await registerDocument(t, { title: '乙' });
    const created = await t.call('POST', '/api/interpretations', { title: '问答', form: 'qa', publishedAt: '2025-10-09', documentIds: [a.id] });
    const id = created.body.id;

    const linked = await t.call('POST', `/api/interpretations/${id}/documents`, { documentId: b.id });
    expect(linked.status).toBe(200);
    expect(linked.body.documents.map((d: { id: number }) => d.id)).toEqual([a.id, b.id]);
    expect((await t.call('GET', `/api/documents/${b.id}`)).body.status).toBe('on_time');
    expect((await t.call('GET', `/api/documents/${b.id}?status=on_time`)).status).toBe(200);
    expect((await t.call('GET', '/api/documents?status=on_time')).body.items).toHaveLength(2);

    const again = await t.call('POST', `/api/interpretations/${id}/documents`, { documentId: b.id });
    expect(again.status).toBe(409);

    const unlinked = await t.call('DELETE', `/api/interpretations/${id}/documents/${a.id}`);
    expect(unlinked.status).toBe(200);
    expect(unlinked.body.documents.map((d: { id: number }) => d.id)).toEqual([b.id]);
    const after = (await t.call('GET', `/api/documents/${a.id}`)).body;
    expect(after.status).toBe('overdue');
    expect(after.interpretations).toEqual([]);
    expect((await t.call('GET', '/api/documents?status=overdue')).body.items.map((d: { id: number }) => d.id)).toEqual([a.id]);
  });

  it('when the last link would be removed, then 422 and the link stays', async () => {
    const doc = await registerDocument(t);
    const { body } = await t.call('POST', '/api/interpretations', { title: '解读', form: 'text', publishedAt: '2025-10-09', documentIds: [doc.id] });
    const res = await t.call('DELETE', `/api/interpretations/${body.id}/documents/${doc.id}`);
    expect(res.status).toBe(422);
    expect((await t.call('GET', `/api/interpretations/${body.id}`)).body.documents).toHaveLength(1);
    expect((await t.call('DELETE', `/api/interpretations/${body.id}/documents/9999`)).status).toBe(404);
    expect((await t.call('DELETE', `/api/interpretations/9999/documents/${doc.id}`)).status).toBe(404);
  });

  it('when its last two documents are unlinked at the same moment, then one unlink goes through and the other is refused (422): one link stays', async () => {
    const a = await registerDocument(t, { docNumber: 'A〔2025〕1号' });
    const b = await registerDocument(t, { docNumber: 'A〔2025〕2号' });
    const { body } = await t.call('POST', '/api/interpretations', { title: '解读', form: 'text', publishedAt: '2025-10-09', documentIds: [a.id, b.id] });
    const answers = await Promise.all([a, b].map((d) => t.call('DELETE', `/api/interpretations/${body.id}/documents/${d.id}`)));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 422]);
    expect((await t.call('GET', `/api/interpretations/${body.id}`)).body.documents).toHaveLength(1);
  });

  it('when a linked document does not exist, then 422 and nothing is written', async () => {
    const doc = await registerDocument(t);
    const res = await t.call('POST', '/api/interpretations', { title: '解读', form: 'text', publishedAt: '2025-10-09', documentIds: [doc.id, 404, 405] });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toContain('404、405');
    const [n] = await t.db.orm.select({ n: count() }).from(interpretations);
    const [links] = await t.db.orm.select({ n: count() }).from(interpretationDocuments);
    expect([n!.n, links!.n]).toEqual([0, 0]);
    expect((await t.call('POST', '/api/interpretations/1/documents', { documentId: doc.id })).status).toBe(404);
  });

  const base = { title: '解读', form: 'text', publishedAt: '2025-10-09', documentIds: [1] };
  it.each([
    ['no documents', { ...base, documentIds: [] }, 'documentIds'],
    ['documentIds missing', { ...base, documentIds: undefined }, 'documentIds'],
    ['a document id not a number', { ...base, documentIds: ['1'] }, 'documentIds[0]'],
    ['unknown form', { ...base, form: 'poster' }, 'form'],
    ['title empty', { ...base, title: '' }, 'title'],
    ['publishedAt malformed', { ...base, publishedAt: '2025/10/09' }, 'publishedAt'],
    ['url malformed', { ...base, url: 'javascript:alert(1)' }, 'url'],
    ['departmentCode malformed', { ...base, departmentCode: '!' }, 'departmentCode'],
  ])('when %s, then 400 names %s and nothing is written', async (_case, body, field) => {
    await registerDocument(t);
    const res = await t.call('POST', '/api/interpretations', body);
    expect(res.status).toBe(400);
    expect(res.body.error.message.split('；').some((m: string) => m.startsWith(`${field}: `))).toBe(true);
    const [n] = await t.db.orm.select({ n: count() }).from(interpretations);
    expect(n!.n).toBe(0);
  });

  it('when the department is unknown, then 422', async () => {
    const doc = await registerDocument(t);
    const res = await t.call('POST', '/api/interpretations', { ...base, documentIds: [doc.id], departmentCode: 'nobody' });
    expect(res.status).toBe(422);
  });
});
