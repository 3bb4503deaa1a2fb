import { serve, type ServerType } from '@hono/node-server';
import { count, eq } from 'drizzle-orm';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditLog, documents } from '../../src/db/schema.js';
import { seedDepartment, startTestApp, TOKEN, userWithToken, type TestApp } from '../support/app.js';
import { csvBytes, finished, importFile, upload, XLSX } from '../support/imports.js';

// What an import refuses and what it never does twice: every error by row and column with nothing
// written, all-or-nothing, idempotency by 文号, 文号 of another department, drafters' scope, bad
// parameters and files as 4xx, and the 50 MB limit enforced without reading the body.

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
  await seedDepartment(t, 'fgw', '市发展改革委');
  await seedDepartment(t, 'jyj', '市教育局');
});
afterEach(() => t.close());

const HEADER = '文号,标题,起草部门,发布时间,链接,是否需要解读,免于解读理由,重要程度';
const GOOD = '沪发改规〔2026〕5号,关于促进民营经济发展的若干措施,fgw,2026/9/30 10:00,https://fgw.example.gov.cn/zcwj/5.html,是,,重大';

async function documentCount() {
  const [row] = await t.db.orm.select({ n: count() }).from(documents);
  return row!.n;
}

async function auditCount() {
  const [row] = await t.db.orm.select({ n: count() }).from(auditLog).where(eq(auditLog.entity, 'document'));
  return row!.n;
}

describe('a file with errors', () => {
  const lines = [
    HEADER,
    GOOD, // row 2
    ',,fgw,2026-10-12,,是,,', // row 3: no title
    '沪发改规〔2026〕7号,关于某事的通知,市不存在局,2026-02-30,ftp://x.example.cn,也许,,特别', // row 4: department, time, url, yes/no, importance
    '', // row 5: blank, skipped, still counted
    '沪发改规〔2026〕8号,关于免于解读的通知,fgw,2026-10-12,,否,,普通', // row 6: no reason
    '沪发改规〔2026〕5号,重复的文号,fgw,2026-10-13,,是,,', // row 7: 文号 of row 2
  ];

  const expected = [
    { row: 3, field: '标题', message: '标题不能为空' },
    { row: 4, field: '起草部门', message: expect.stringContaining('部门「市不存在局」未登记') },
    { row: 4, field: '发布时间', message: expect.stringContaining('无法识别的时间「2026-02-30」') },
    { row: 4, field: '链接', message: expect.stringContaining('http:// 或 https://') },
    { row: 4, field: '是否需要解读', message: '应填“是”或“否”，本格为「也许」' },
    { row: 4, field: '重要程度', message: '应填“普通”或“重大”，本格为「特别」' },
    { row: 6, field: '免于解读理由', message: expect.stringContaining('必须填写免于解读的理由') },
    { row: 7, field: '文号', message: '文号「沪发改规〔2026〕5号」与第 2 行重复' },
  ];

  it('when dry-run, then every error is listed by row (header = 1, blank rows counted) and column, and nothing is written', async () => {
    const job = await importFile(t, csvBytes(lines), { dryRun: true });
    expect(job).toMatchObject({ status: 'done', dryRun: true, rowsTotal: 5 });
    expect(job.errors).toEqual(expected);
    expect(await documentCount()).toBe(0);
  });

  it('when imported for real, then the job fails with the same errors and nothing is written, not even the good row', async () => {
    const job = await importFile(t, csvBytes(lines));
    expect(job).toMatchObject({ status: 'failed', dryRun: false, created: 0, updated: 0, skipped: 0 });
    expect(job.errors).toEqual(expected);
    expect(await documentCount()).toBe(0);
    expect(await auditCount()).toBe(0);
  });

  it('when a cell holds an Excel error value (a broken formula), then the row is refused naming the cell, in XLSX and in CSV, and nothing is written', async () => {
    const ExcelJS = (await import('exceljs')).default;
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('文件');
    sheet.addRow(HEADER.split(','));
    sheet.addRow(['沪发改规〔2026〕9号', { formula: '1/0', result: { error: '#DIV/0!' } }, 'fgw', '2026-10-12', null, '是', null, '普通']); // row 2
    sheet.addRow(['沪发改规〔2026〕10号', '关于某事的通知', 'fgw', { formula: 'VLOOKUP(A3,B:B,2,0)', result: { error: '#N/A' } }, null, '是', null, '普通']); // row 3
    sheet.addRow(['沪发改规〔2026〕11号', '关于另一事的通知', 'fgw', '2026-10-12', null, true, null, '普通']); // row 4: a boolean cell is fine
    const xlsxJob = await importFile(t, new Uint8Array(await workbook.xlsx.writeBuffer()), { contentType: XLSX });
    expect(xlsxJob).toMatchObject({ status: 'failed', created: 0 });
    expect(xlsxJob.errors).toEqual([
      { row: 2, field: '标题', message: '本格是 Excel 的错误值「#DIV/0!」（公式出错）：请在表格中改正后再导入' },
      { row: 3, field: '发布时间', message: expect.stringContaining('Excel 的错误值「#N/A」') },
    ]);
    // Excel writes the error's text into a CSV it saves.
    const csvJob = await importFile(t, csvBytes([HEADER, '沪发改规〔2026〕9号,#REF!,fgw,2026-10-12,,是,,普通', GOOD]));
    expect(csvJob.errors).toEqual([{ row: 2, field: '标题', message: expect.stringContaining('Excel 的错误值「#REF!」') }]);
    expect(await documentCount()).toBe(0);
    // Text that only resembles one is a title like any other.
    expect(await importFile(t, csvBytes([HEADER, '沪发改规〔2026〕9号,#DIV/0! 错误的处理办法,fgw,2026-10-12,,是,,普通']))).toMatchObject({ status: 'done', created: 1 });
    // Interpretations alike.
    const interpretations = await importFile(t, csvBytes(['标题,解读形式,发布时间,对应文号', '解读,#NAME?,2026-10-13,沪发改规〔2026〕9号']), { kind: 'interpretations' });
    expect(interpretations).toMatchObject({ status: 'failed', errors: [{ row: 2, field: '解读形式', message: expect.stringContaining('Excel 的错误值「#NAME?」') }] });
  });

  it('when two departments share a name, then a row naming it is refused (which is meant is not guessed) and asks for the code; by code it imports', async () => {
    await seedDepartment(t, 'zfb', '办公室');
    await seedDepartment(t, 'wjw', '办公室');
    const job = await importFile(t, csvBytes([HEADER, '沪办〔2026〕1号,关于某事的通知,办公室,2026-10-12,,是,,普通']));
    expect(job).toMatchObject({ status: 'failed', created: 0 });
    expect(job.errors).toEqual([{ row: 2, field: '起草部门', message: '部门名称「办公室」有 2 个部门同名（办公室（zfb）、办公室（wjw））：请改填部门代码' }]);
    const interpretations = await importFile(t, csvBytes(['标题,解读形式,发布时间,对应文号,部门', '解读,问答,2026-10-13,沪发改规〔2026〕5号,办 公 室']), { kind: 'interpretations' });
    expect(interpretations.errors).toContainEqual({ row: 2, field: '部门', message: expect.stringContaining('部门名称「办 公 室」有 2 个部门同名') });
    expect(await documentCount()).toBe(0);
    expect(await importFile(t, csvBytes([HEADER, '沪办〔2026〕1号,关于某事的通知,wjw,2026-10-12,,是,,普通']))).toMatchObject({ status: 'done', created: 1 });
    const [doc] = (await t.call('GET', '/api/documents')).body.items;
    expect(doc.departmentCode).toBe('wjw');
  });

  it('names the columns as the file writes them (English headers)', async () => {
    const job = await importFile(t, csvBytes(['docNumber,title,department,publishedAt', 'x1,,fgw,yesterday']), { dryRun: true });
    expect(job.errors).toEqual([
      { row: 2, field: 'title', message: 'title不能为空' },
      { row: 2, field: 'publishedAt', message: expect.stringContaining('无法识别的时间「yesterday」') },
    ]);
  });
});

describe('importing the same 文号 again', () => {
  it('when the same file is imported twice, then the second run changes nothing and counts every row as skipped', async () => {
    const file = csvBytes([HEADER, GOOD, '沪教规〔2026〕3号,关于秋季招生的通知,jyj,2026-10-13,,是,,']);
    expect(await importFile(t, file)).toMatchObject({ status: 'done', created: 2 });
    const before = (await t.call('GET', '/api/documents')).body.items;
    const audits = await auditCount();
    t.advance(60_000);
    expect(await importFile(t, file)).toMatchObject({ status: 'done', created: 0, updated: 0, skipped: 2, errors: [] });
    expect((await t.call('GET', '/api/documents')).body.items).toEqual(before);
    expect(await auditCount()).toBe(audits);
  });

  it('when a registered 文号 comes with changed fields, then that document is updated (due date recomputed), not duplicated', async () => {
    const registered = await t.call('POST', '/api/documents', { docNumber: '沪发改规〔2026〕5号', title: '旧标题', departmentCode: 'fgw', publishedAt: '2026-09-01' });
    expect(registered.status).toBe(201);
    const job = await importFile(t, csvBytes([HEADER, GOOD]));
    expect(job).toMatchObject({ created: 0, updated: 1, skipped: 0 });
    const doc = (await t.call('GET', `/api/documents/${registered.body.id}`)).body;
    expect(doc).toMatchObject({ title: '关于促进民营经济发展的若干措施', importance: 'major', interpretationDueDate: '2026-10-10', publishedAt: '2026-09-30T02:00:00.000Z' });
    expect(await documentCount()).toBe(1);
    const [entry] = await t.db.orm.select().from(auditLog).where(eq(auditLog.action, 'update'));
    expect(entry).toMatchObject({ entity: 'document', entityId: String(registered.body.id) });
    expect(JSON.parse(entry!.before!)).toMatchObject({ title: '旧标题', interpretationDueDate: '2026-09-04' });
    expect(JSON.parse(entry!.after!)).toMatchObject({ title: '关于促进民营经济发展的若干措施', interpretationDueDate: '2026-10-10' });
  });

  it('when the file has no column for a field, then an update keeps the stored value', async () => {
    await t.call('POST', '/api/documents', { docNumber: 'A1', title: '旧标题', departmentCode: 'fgw', publishedAt: '2026-09-01', url: 'https://fgw.example.gov.cn/a1.html', importance: 'major' });
    expect(await importFile(t, csvBytes(['文号,标题,起草部门,发布时间', 'A1,新标题,fgw,2026-09-01']))).toMatchObject({ updated: 1 });
    expect((await t.call('GET', '/api/documents')).body.items[0]).toMatchObject({ title: '新标题', url: 'https://fgw.example.gov.cn/a1.html', importance: 'major' });
  });

  it('when the 文号 is registered to another department, then the row is refused, naming it, and nothing is written', async () => {
    await t.call('POST', '/api/documents', { docNumber: '沪发改规〔2026〕5号', title: '发改委的文件', departmentCode: 'fgw', publishedAt: '2026-09-01' });
    const job = await importFile(t, csvBytes([HEADER, '沪教规〔2026〕3号,关于秋季招生的通知,jyj,2026-10-13,,是,,', '沪发改规〔2026〕5号,教育局的同号文件,市教育局,2026-10-13,,是,,']));
    expect(job.status).toBe('failed');
    expect(job.errors).toEqual([
      { row: 3, field: '文号', message: '文号「沪发改规〔2026〕5号」已登记为 市发展改革委（fgw） 的文件，不能作为 市教育局（jyj） 的文件导入' },
    ]);
    expect(await documentCount()).toBe(1);
  });
});

describe('two imports at once', () => {
  it('when both would create the same 文号, then one creates them and the other, planned again once the first has committed, skips them', async () => {
    const file = csvBytes([HEADER, GOOD, '沪教规〔2026〕3号,关于秋季招生的通知,jyj,2026-10-13,,是,,']);
    const [a, b] = await Promise.all([upload(t, file), upload(t, file)]);
    const jobs = [await finished(t, a.body.id), await finished(t, b.body.id)].sort((x, y) => y.created - x.created);
    expect(jobs[0]).toMatchObject({ status: 'done', created: 2, skipped: 0 });
    expect(jobs[1]).toMatchObject({ status: 'done', created: 0, skipped: 2, errors: [] });
    expect(await documentCount()).toBe(2);
    expect(await auditCount()).toBe(2);
  });

  it('when a 文号 is registered by hand after the import read it as free, then the import is planned again and updates it instead', async () => {
    const started = await upload(t, csvBytes([HEADER, '沪教规〔2026〕3号,关于秋季招生的通知（导入）,jyj,2026-10-13,,是,,']));
    expect((await t.call('POST', '/api/documents', { docNumber: '沪教规〔2026〕3号', title: '关于秋季招生的通知', departmentCode: 'jyj', publishedAt: '2026-10-13' })).status).toBe(201);
    expect(await finished(t, started.body.id)).toMatchObject({ status: 'done', created: 0, updated: 1 });
    expect(await documentCount()).toBe(1);
  });
});

describe('who may import', () => {
  it('when a drafter imports rows of another department, then those rows are errors naming the row, and nothing is written', async () => {
    const drafter = await userWithToken(t, 'fgw01', 'drafter', ['fgw']);
    const job = await importFile(t, csvBytes([HEADER, GOOD, '沪教规〔2026〕3号,关于秋季招生的通知,jyj,2026-10-13,,是,,']), { token: drafter.token });
    expect(job.status).toBe('failed');
    expect(job.errors).toEqual([{ row: 3, field: '起草部门', message: expect.stringContaining('市教育局（jyj） 不在您负责的部门（市发展改革委（fgw））之内') }]);
    expect(await documentCount()).toBe(0);
    // Its own department's rows alone go in, recorded under its name.
    expect(await importFile(t, csvBytes([HEADER, GOOD]), { token: drafter.token })).toMatchObject({ status: 'done', created: 1, createdBy: 'fgw01' });
  });

  it('when a drafter updates another department’s 文号, then it is refused', async () => {
    await t.call('POST', '/api/documents', { docNumber: 'J1', title: '教育局的文件', departmentCode: 'jyj', publishedAt: '2026-09-01' });
    const drafter = await userWithToken(t, 'fgw01', 'drafter', ['fgw']);
    const job = await importFile(t, csvBytes(['文号,标题,起草部门,发布时间', 'J1,改成发改委的,fgw,2026-09-01']), { token: drafter.token });
    expect(job.errors).toEqual([{ row: 2, field: '文号', message: expect.stringContaining('已登记为 市教育局（jyj） 的文件') }]);
  });

  it('when another drafter or the press office asks, then the job is not theirs (404) or the route is not theirs (403)', async () => {
    const fgw = await userWithToken(t, 'fgw01', 'drafter', ['fgw']);
    const jyj = await userWithToken(t, 'jyj01', 'drafter', ['jyj']);
    const press = await userWithToken(t, 'xwb01', 'press');
    const started = await upload(t, csvBytes([HEADER, GOOD]), { token: fgw.token });
    await finished(t, started.body.id, fgw.token);
    const asJyj = await t.app.request(`/api/imports/${started.body.id}`, { headers: { Authorization: `Bearer ${jyj.token}` } });
    expect(asJyj.status).toBe(404);
    expect((await t.call('GET', `/api/imports/${started.body.id}`)).status).toBe(200); // an admin sees every job
    expect((await upload(t, csvBytes([HEADER, GOOD]), { token: press.token })).status).toBe(403);
    const noToken = await t.app.request('/api/imports?kind=documents', { method: 'POST', headers: { 'Content-Type': 'text/csv' }, body: csvBytes([HEADER, GOOD]) });
    expect(noToken.status).toBe(401);
  });
});

describe('bad parameters and unreadable files', () => {
  const file = csvBytes([HEADER, GOOD]);
  const cases: [string, () => Promise<{ status: number; body: any }>, number, string, RegExp][] = [
    ['no kind', () => upload(t, file, { query: 'dryRun=1' }), 400, 'invalid_input', /kind/],
    ['an unknown kind', () => upload(t, file, { kind: 'incidents' }), 400, 'invalid_input', /kind 应为 documents/],
    ['dryRun=maybe', () => upload(t, file, { dryRun: 'maybe' }), 400, 'invalid_input', /dryRun 应为 1 或 0/],
    ['no body', () => upload(t, null), 400, 'empty_file', /文件是空的/],
    ['an empty body', () => upload(t, new Uint8Array()), 400, 'empty_file', /文件是空的/],
    ['JSON', () => upload(t, '{"rows":[]}', { contentType: 'application/json' }), 415, 'unsupported_media_type', /不支持的内容类型 application\/json/],
    ['a header and no rows', () => upload(t, csvBytes([HEADER])), 400, 'no_rows', /没有数据行/],
    ['missing columns', () => upload(t, csvBytes(['文号,标题', 'A,B'])), 400, 'invalid_header', /缺少必需的列：起草部门（department）、发布时间（publishedAt）/],
    ['the other kind’s file', () => upload(t, csvBytes(['标题,解读形式,发布时间,对应文号', 'a,图解,2026-10-01,X'])), 400, 'invalid_header', /这似乎是解读材料表/],
    ['a column twice', () => upload(t, csvBytes(['文号,docNumber,标题,起草部门,发布时间', 'a,b,c,fgw,2026-10-01'])), 400, 'invalid_header', /「文号」和「docNumber」是同一列/],
    ['an unclosed quote', () => upload(t, csvBytes([HEADER, GOOD, 'x,"未闭合,fgw,2026-10-01'])), 400, 'invalid_csv', /CSV 格式错误（第 \d+ 行附近）：引号没有闭合/],
    ['a broken XLSX', () => upload(t, new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5, 6, 7, 8]), { contentType: XLSX }), 400, 'invalid_xlsx', /XLSX 文件已损坏/],
    ['text sent as XLSX', () => upload(t, file, { contentType: XLSX }), 400, 'invalid_xlsx', /XLSX 文件已损坏或不是 XLSX 格式/],
    ['an old .xls', () => upload(t, new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), { contentType: 'application/vnd.ms-excel' }), 415, 'unsupported_format', /旧版 Excel（\.xls）/],
    ['a multipart form without a file', () => {
      const form = new FormData();
      form.append('kind', 'documents');
      return upload(t, form);
    }, 400, 'missing_file', /表单中没有文件/],
    ['a .xls in a form', () => {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array([1, 2, 3])]), '文件.xls');
      return upload(t, form);
    }, 415, 'unsupported_format', /不支持 \.xls 文件/],
  ];
  for (const [what, send, status, code, message] of cases) {
    it(`when the request has ${what}, then ${status} says so and no job is created`, async () => {
      const res = await send();
      expect(res.status).toBe(status);
      expect(res.body.error.code).toBe(code);
      expect(res.body.error.message).toMatch(message);
      expect((await t.call('GET', '/api/imports/1')).status).toBe(404);
    });
  }
});

describe('the 50 MB limit', () => {
  const MB = 1024 * 1024;

  /** A body of `total` bytes (a valid CSV start, then filler) that counts what was read of it. */
  function countedBody(total: number) {
    const read = { bytes: 0 };
    const head = csvBytes([HEADER, GOOD]);
    const chunk = new TextEncoder().encode(`${'x'.repeat(1022)}\r\n`.repeat(64)); // 64 KB of one-cell rows
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= total) return controller.close();
        const next = sent === 0 ? head : chunk.subarray(0, Math.min(chunk.length, total - sent));
        sent += next.length;
        read.bytes = sent;
        controller.enqueue(next);
      },
    });
    return { stream, read };
  }

  it('when a 51 MB upload declares its length, then 413 comes before the body is read', async () => {
    const app = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }) as ServerType;
    await new Promise<void>((resolve) => app.once('listening', () => resolve()));
    try {
      const port = (app.address() as AddressInfo).port;
      const answer = await new Promise<{ status: number; body: string; sentBytes: number }>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/api/imports?kind=documents', headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'text/csv', 'Content-Length': String(51 * MB) } }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (d) => (body += d));
          res.on('end', () => resolve({ status: res.statusCode!, body, sentBytes: req.socket?.bytesWritten ?? 0 }));
        });
        req.on('error', reject);
        // Only the first 64 KB are ever sent: the answer must not wait for the other 51 MB.
        req.write(csvBytes([HEADER, GOOD]));
        req.write(new Uint8Array(64 * 1024).fill(0x78));
      });
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body).error).toEqual({ code: 'payload_too_large', message: expect.stringContaining('超过 50 MB 上限') });
      expect(answer.sentBytes).toBeLessThan(MB);
    } finally {
      app.close();
    }
  });

  it('when a 51 MB upload comes without a length, then it is stopped with 413 once past 50 MB, and not kept', async () => {
    const { stream, read } = countedBody(51 * MB);
    const rssBefore = process.memoryUsage().rss;
    const res = await upload(t, stream);
    expect(res.body).toMatchObject({ error: { code: 'payload_too_large' } });
    expect(res.status).toBe(413);
    expect(res.body.error.message).toContain('超过 50 MB 上限');
    expect(read.bytes).toBeLessThanOrEqual(50 * MB + 128 * 1024);
    expect(read.bytes).toBeGreaterThan(50 * MB);
    // The rows were parsed as they came (a few hundred thousand short lines), never the body kept whole.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(400 * MB);
  }, 60_000);

  it('when an XLSX is over 10 MB, then 413 says to save it as CSV', async () => {
    const big = new Uint8Array(10 * MB + 1);
    big.set([0x50, 0x4b, 0x03, 0x04]);
    const res = await upload(t, big, { contentType: XLSX });
    expect(res.status).toBe(413);
    expect(res.body.error.message).toMatch(/XLSX 文件超过 10 MB 上限.*另存为 CSV UTF-8/);
  });

  it('when another API route gets more than 1 MB, then its own limit still applies', async () => {
    const res = await t.app.request('/api/documents', {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', 'Content-Length': String(2 * MB) },
      body: 'x'.repeat(2 * MB),
    });
    expect(res.status).toBe(413);
  });
});
