import { count, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditLog, interpretations } from '../../src/db/schema.js';
import { seedDepartment, startTestApp, userWithToken, type TestApp } from '../support/app.js';
import { csvBytes, importFile, importFixture } from '../support/imports.js';

// Importing interpretations: each row names its documents by 文号; one interpretation may cover
// several documents; the documents' status follows (on time / late) as registration makes it.

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
  await seedDepartment(t, 'fgw', '市发展改革委');
  await seedDepartment(t, 'jyj', '市教育局');
  await seedDepartment(t, 'wjw', '市卫生健康委');
  expect(await importFile(t, importFixture('documents.csv'))).toMatchObject({ status: 'done', created: 5 });
});
afterEach(() => t.close());

const docByNumber = async (n: string) =>
  ((await t.call('GET', '/api/documents?limit=500&asOf=2026-10-31')).body.items as any[]).find((d) => d.docNumber === n);

async function interpretationCount() {
  const [row] = await t.db.orm.select({ n: count() }).from(interpretations);
  return row!.n;
}

describe('importing interpretations', () => {
  it('when the sample is imported, then each interpretation is linked to its documents and their status follows', async () => {
    const job = await importFile(t, importFixture('interpretations.csv'), { kind: 'interpretations' });
    expect(job).toMatchObject({ kind: 'interpretations', status: 'done', rowsTotal: 4, created: 4, updated: 0, skipped: 0, errors: [] });
    const five = await docByNumber('沪发改规〔2026〕5号');
    // 一图读懂 on 10-09 before the due date 10-10; the Q&A (10-14) covers 5号 and 6号.
    expect(five.status).toBe('on_time');
    expect(five.interpretations.map((i: any) => [i.title, i.form])).toEqual([
      ['一图读懂民营经济若干措施', 'graphic'],
      ['《关于促进民营经济发展的若干措施》政策问答', 'qa'],
    ]);
    const six = await docByNumber('沪发改规〔2026〕6号');
    expect(six.interpretations.map((i: any) => i.form)).toEqual(['qa']);
    expect(six.status).toBe('on_time'); // due 10-15
    expect((await docByNumber('沪卫规〔2026〕2号')).interpretations[0]).toMatchObject({ form: 'press_conference', publishedAt: '2026-10-16T02:00:00.000Z' });
    const qa = (await t.call('GET', `/api/interpretations/${six.interpretations[0].id}`)).body;
    expect(qa).toMatchObject({ departmentCode: 'fgw', url: 'https://fgw.example.gov.cn/jd/6.html' });
    expect(qa.documents.map((d: any) => d.docNumber).sort()).toEqual(['沪发改规〔2026〕5号', '沪发改规〔2026〕6号']);
    // Without a department, the first document's; one audit entry each.
    expect((await t.call('GET', `/api/interpretations/${five.interpretations[0].id}`)).body.departmentCode).toBe('fgw');
    const [audits] = await t.db.orm.select({ n: count() }).from(auditLog).where(eq(auditLog.entity, 'interpretation'));
    expect(audits!.n).toBe(4);
  });

  it('when the same file is imported again, then nothing changes; a new document in a row is linked, not duplicated', async () => {
    await importFile(t, importFixture('interpretations.csv'), { kind: 'interpretations' });
    expect(await importFile(t, importFixture('interpretations.csv'), { kind: 'interpretations' })).toMatchObject({ created: 0, updated: 0, skipped: 4 });
    expect(await interpretationCount()).toBe(4);
    const job = await importFile(
      t,
      csvBytes(['标题,解读形式,发布时间,对应文号', '一图读懂民营经济若干措施,图解,2026/10/9 16:00,沪发改规〔2026〕5号；沪发改规〔2026〕6号']),
      { kind: 'interpretations' },
    );
    expect(job).toMatchObject({ created: 0, updated: 1, skipped: 0 });
    expect(await interpretationCount()).toBe(4);
    expect((await docByNumber('沪发改规〔2026〕6号')).interpretations.map((i: any) => i.title)).toContain('一图读懂民营经济若干措施');
    const [entry] = await t.db.orm.select().from(auditLog).where(eq(auditLog.action, 'update'));
    expect(JSON.parse(entry!.after!).documentIds).toHaveLength(2);
  });

  it('when rows name unknown 文号, unknown forms or other departments, then each is an error by row and column and nothing is written', async () => {
    const drafter = await userWithToken(t, 'fgw01', 'drafter', ['fgw']);
    const job = await importFile(
      t,
      csvBytes([
        'title,form,publishedAt,docNumbers,department',
        '发改委解读,文字解读,2026-10-13,沪发改规〔2026〕6号,', // fine
        '未登记的文件的解读,问答,2026-10-13,沪发改规〔2099〕1号,', // unknown 文号
        '教育局文件的解读,图解,2026-10-14,沪教规〔2026〕3号,', // another department's document
        '形式不对的解读,海报,2026-10-14,沪发改规〔2026〕6号,', // unknown form
        '没有文号的解读,视频,2026-10-14,,', // no document
        '发改委解读,问答,2026-10-15,沪发改规〔2026〕6号,', // same title and document as row 2
      ]),
      { kind: 'interpretations', token: drafter.token },
    );
    expect(job.status).toBe('failed');
    expect(job.errors).toEqual([
      { row: 3, field: 'docNumbers', message: '文号「沪发改规〔2099〕1号」未登记：请先登记或导入该文件' },
      { row: 4, field: 'docNumbers', message: '文号「沪教规〔2026〕3号」是 市教育局（jyj） 的文件，不在您负责的部门之内' },
      { row: 5, field: 'form', message: expect.stringContaining('无法识别的解读形式「海报」') },
      { row: 6, field: 'docNumbers', message: expect.stringContaining('docNumbers不能为空') },
      { row: 7, field: 'title', message: '与第 2 行是同一份解读材料（标题相同，且对应同一文件）' },
    ]);
    expect(await interpretationCount()).toBe(0);
  });
});
