import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { documentListQuery } from '../../src/app/documents.js';
import { registerDocument, seedDepartment, startTestApp, type TestApp } from '../support/app.js';

// Search (q) on documents, incidents and interpretations: a substring of 文号 or title after the
// rules' normalisation, never a pattern.

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
  await seedDepartment(t, 'fgw', '市发展改革委');
  await seedDepartment(t, 'jyj', '市教育局');
});
afterEach(() => t.close());

const titles = async (path: string) => {
  const res = await t.call('GET', path);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return (res.body.items as { title: string }[]).map((i) => i.title).sort();
};
const q = (text: string) => encodeURIComponent(text);

describe('searching documents', () => {
  beforeEach(async () => {
    await registerDocument(t, { docNumber: '沪发改规〔2026〕5号', title: '关于促进民营经济发展的若干措施' });
    await registerDocument(t, { docNumber: '沪教委〔2026〕12号', title: 'ＡＢＣ 人工智能教育试点方案', departmentCode: 'jyj' });
    await registerDocument(t, { docNumber: null, title: '关于完成率达到100%的通报' });
    await registerDocument(t, { docNumber: null, title: '关于1000户家庭的补贴_办法' });
  });

  it('when q is typed in full-width or another case, then the same documents are found (full-width ＡＢＣ finds abc and ABC)', async () => {
    expect(await titles(`/api/documents?q=abc`)).toEqual(['ＡＢＣ 人工智能教育试点方案']);
    expect(await titles(`/api/documents?q=${q('ＡＢＣ')}`)).toEqual(['ＡＢＣ 人工智能教育试点方案']);
    expect(await titles(`/api/documents?q=${q('aBc  人工')}`)).toEqual(['ＡＢＣ 人工智能教育试点方案']);
  });

  it('when q is part of a 文号, then that document is found, full-width digits too', async () => {
    expect(await titles(`/api/documents?q=${q('〔2026〕5号')}`)).toEqual(['关于促进民营经济发展的若干措施']);
    expect(await titles(`/api/documents?q=${q('〔２０２６〕５号')}`)).toEqual(['关于促进民营经济发展的若干措施']);
    expect(await titles(`/api/documents?q=${q('沪教委')}`)).toEqual(['ＡＢＣ 人工智能教育试点方案']);
  });

  it('when q holds % or _ (LIKE wildcards), then they are characters to find, not patterns', async () => {
    expect(await titles(`/api/documents?q=${q('100%')}`)).toEqual(['关于完成率达到100%的通报']);
    expect(await titles(`/api/documents?q=${q('%')}`)).toEqual(['关于完成率达到100%的通报']);
    expect(await titles(`/api/documents?q=_`)).toEqual(['关于1000户家庭的补贴_办法']);
    expect(await titles(`/api/documents?q=${q('关于%通报')}`)).toEqual([]);
    expect(await titles(`/api/documents?q=${q("' OR 1=1 --")}`)).toEqual([]);
  });

  it('when q is combined with the other filters, then all of them apply; a blank q filters nothing', async () => {
    expect(await titles(`/api/documents?q=${q('关于')}&departmentCode=fgw`)).toHaveLength(3);
    expect(await titles(`/api/documents?q=${q('关于')}&departmentCode=jyj`)).toEqual([]);
    expect(await titles(`/api/documents?q=${q('关于')}&status=overdue&asOf=2025-10-20`)).toHaveLength(3);
    expect(await titles(`/api/documents?q=${q('关于')}&status=pending&asOf=2025-10-01`)).toHaveLength(3);
    expect(await titles(`/api/documents?q=${q('关于')}&publishedFrom=2025-10-01`)).toEqual([]);
    expect(await titles(`/api/documents?q=${q('   ')}`)).toHaveLength(4);
  });

  it('when a document is renamed, then search finds it by its new title only', async () => {
    const doc = await registerDocument(t, { title: '旧标题文件' });
    expect((await t.call('PATCH', `/api/documents/${doc.id}`, { title: '新标题文件' })).status).toBe(200);
    expect(await titles(`/api/documents?q=${q('旧标题')}`)).toEqual([]);
    expect(await titles(`/api/documents?q=${q('新标题')}`)).toEqual(['新标题文件']);
  });

  it('when q is too long, then 400 naming q', async () => {
    const res = await t.call('GET', `/api/documents?q=${'长'.repeat(101)}`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^q: /);
  });

  it('the overdue listing stays an index search with and without q (no scan of every document)', () => {
    for (const filter of [{ status: 'overdue' as const }, { status: 'overdue' as const, q: 'abc' }]) {
      const query = documentListQuery(t.ctx, { ...filter, asOf: t.now(), limit: 50, offset: 0 }).toSQL();
      let i = 0;
      const literal = query.sql.replace(/\?/g, () => {
        const v = query.params[i++];
        return typeof v === 'string' ? `'${v}'` : String(v);
      });
      const plan = (t.db.orm.all(sql.raw(`EXPLAIN QUERY PLAN ${literal}`)) as unknown as { detail: string }[]).map((r) => r.detail);
      expect(plan).toContain('SEARCH documents USING INDEX documents_waiting_due_idx (interpretation_due_date<?)');
      expect(plan.filter((d) => d.startsWith('SCAN documents'))).toEqual([]);
    }
  });
});

describe('searching incidents', () => {
  it('when q is given, then incidents are found by their title after normalisation, also after a rename', async () => {
    const a = await t.call('POST', '/api/incidents', { title: 'ＸＸ区化工厂火灾', severity: 'large' });
    await t.call('POST', '/api/incidents', { title: '某小区燃气爆炸', severity: 'general' });
    expect(await titles(`/api/incidents?q=${q('xx区')}`)).toEqual(['ＸＸ区化工厂火灾']);
    expect(await titles(`/api/incidents?q=${q('化工厂')}&status=open`)).toEqual(['ＸＸ区化工厂火灾']);
    expect(await titles(`/api/incidents?q=${q('化工厂')}&status=closed`)).toEqual([]);
    expect(await titles(`/api/incidents?q=${q('%')}`)).toEqual([]);
    expect((await t.call('PATCH', `/api/incidents/${a.body.id}`, { title: '某区危化品仓库火灾' })).status).toBe(200);
    expect(await titles(`/api/incidents?q=${q('化工厂')}`)).toEqual([]);
    expect(await titles(`/api/incidents?q=${q('危化品')}`)).toEqual(['某区危化品仓库火灾']);
    expect((await t.call('GET', `/api/incidents?q=${'长'.repeat(101)}`)).status).toBe(400);
  });
});

describe('searching interpretations (to link one to another document)', () => {
  it('when q is given, then interpretations are found by title, newest first, with how many documents each covers', async () => {
    const doc = await registerDocument(t);
    const other = await registerDocument(t, { title: '第二份文件' });
    const make = async (title: string, documentIds: number[]) =>
      (await t.call('POST', '/api/interpretations', { title, form: 'graphic', publishedAt: '2025-10-09', documentIds })).body.id as number;
    const first = await make('一图读懂ＡＩ教育试点', [doc.id, other.id]);
    const second = await make('一图读懂营商环境措施', [doc.id]);
    await make('专家解读：民营经济', [doc.id]);

    const found = await t.call('GET', `/api/interpretations?q=${q('一图读懂')}`);
    expect(found.body.items.map((i: { id: number }) => i.id)).toEqual([second, first]);
    expect(found.body.items[1]).toMatchObject({ title: '一图读懂ＡＩ教育试点', form: 'graphic', documentCount: 2, departmentCode: 'fgw' });
    expect(await titles(`/api/interpretations?q=ai`)).toEqual(['一图读懂ＡＩ教育试点']);
    expect(await titles(`/api/interpretations?q=${q('%')}`)).toEqual([]);
    // A number finds the interpretation with that number as well.
    expect((await t.call('GET', `/api/interpretations?q=${first}`)).body.items.map((i: { id: number }) => i.id)).toContain(first);
    // Paging, and no q: every interpretation, newest first.
    expect((await t.call('GET', `/api/interpretations?q=${q('一图读懂')}&limit=1&offset=1`)).body.items.map((i: { id: number }) => i.id)).toEqual([first]);
    expect((await t.call('GET', '/api/interpretations')).body.items).toHaveLength(3);
    expect((await t.call('GET', `/api/interpretations?q=${'长'.repeat(101)}`)).status).toBe(400);
    expect((await t.call('GET', '/api/interpretations?limit=0')).status).toBe(400);
  });
});
