import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { count, eq, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditLog, documents } from '../../src/db/schema.js';
import { FORM_NAMES } from '../../src/app/imports/columns.js';
import { FORM_LABELS } from '../../src/web/labels.js';
import { registerDocument, seedDepartment, startTestApp, TOKEN, type TestApp } from '../support/app.js';
import { csvBytes, finished, importFile, importFixture, upload, XLSX } from '../support/imports.js';

// POST /api/imports and GET /api/imports/:id on the real app over real SQLite: every encoding and
// format a spreadsheet arrives in, Chinese and English headers, the dates Excel writes (read as
// Beijing time, whatever the machine's zone), due dates as registerDocument computes them.

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
  await seedDepartment(t, 'fgw', '市发展改革委');
  await seedDepartment(t, 'jyj', '市教育局');
  await seedDepartment(t, 'wjw', '市卫生健康委');
});
afterEach(() => t.close());

const HEADER = '文号,标题,起草部门,发布时间,链接,是否需要解读,免于解读理由,重要程度';
const ROWS = [
  '沪发改规〔2026〕5号,关于促进民营经济发展的若干措施,市发展改革委,2026/9/30 10:00,https://fgw.example.gov.cn/zcwj/5.html,是,,重大',
  '沪教规〔2026〕4号,关于调整局机关内设机构职责的通知,jyj,2026-10-14 15:30,,否,机关内部管理事项，不涉及公众权利义务,普通',
];

async function stored() {
  return (await t.call('GET', '/api/documents?limit=500')).body.items as any[];
}

/** What the sample rows must become, whatever the file format. */
async function expectSampleRows() {
  const docs = await stored();
  const five = docs.find((d) => d.docNumber === '沪发改规〔2026〕5号');
  expect(five).toMatchObject({
    title: '关于促进民营经济发展的若干措施',
    departmentCode: 'fgw',
    publishedAt: '2026-09-30T02:00:00.000Z', // 10:00 in Beijing
    url: 'https://fgw.example.gov.cn/zcwj/5.html',
    requiresInterpretation: true,
    importance: 'major',
    // As registerDocument: 10-01..10-07 off, 10-08 and 10-09 working days 1–2, make-up Saturday 10-10 is day 3.
    interpretationDueDate: '2026-10-10',
  });
  const four = docs.find((d) => d.docNumber === '沪教规〔2026〕4号');
  expect(four).toMatchObject({
    departmentCode: 'jyj',
    publishedAt: '2026-10-14T07:30:00.000Z',
    url: null,
    requiresInterpretation: false,
    exemptReason: '机关内部管理事项，不涉及公众权利义务',
    status: 'exempt',
    interpretationDueDate: '2026-10-19',
  });
}

describe('importing documents, every encoding and format', () => {
  it('when the CSV is UTF-8 with a BOM, then every row is registered with its due date and search text', async () => {
    const job = await importFile(t, csvBytes([HEADER, ...ROWS]));
    expect(job).toMatchObject({ kind: 'documents', dryRun: false, status: 'done', rowsTotal: 2, rowsDone: 2, created: 2, updated: 0, skipped: 0, errors: [] });
    await expectSampleRows();
    const [row] = await t.db.orm.select({ searchText: documents.searchText }).from(documents).where(eq(documents.docNumber, '沪发改规〔2026〕5号'));
    expect(row!.searchText).toBe('沪发改规〔2026〕5号 关于促进民营经济发展的若干措施');
  });

  it('when the CSV is UTF-8 without a BOM, then it reads the same', async () => {
    expect(await importFile(t, csvBytes([HEADER, ...ROWS], false))).toMatchObject({ status: 'done', created: 2 });
    await expectSampleRows();
  });

  it('when the CSV is GBK as Excel on Chinese Windows saves it, then the encoding is detected and the text is right', async () => {
    const gbk = iconv.encode(`${[HEADER, ...ROWS].join('\r\n')}\r\n`, 'gbk');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(gbk)).toThrow(); // really not UTF-8
    expect(await importFile(t, gbk)).toMatchObject({ status: 'done', created: 2 });
    await expectSampleRows();
  });

  it('when the committed GBK sample is imported, then its rows match the UTF-8 sample', async () => {
    expect(await importFile(t, importFixture('documents-gbk.csv'))).toMatchObject({ status: 'done', created: 5, errors: [] });
    const byGbk = (await stored()).map((d) => [d.docNumber, d.title, d.departmentCode, d.publishedAt, d.exemptReason, d.interpretationDueDate]);
    const again = await importFile(t, importFixture('documents.csv'));
    expect(again).toMatchObject({ created: 0, updated: 0, skipped: 5 });
    expect((await stored()).map((d) => [d.docNumber, d.title, d.departmentCode, d.publishedAt, d.exemptReason, d.interpretationDueDate])).toEqual(byGbk);
  });

  it('when a CSV has a tab between columns (Excel 文本文件) or Windows line ends, then it reads the same', async () => {
    const tabbed = [HEADER, ...ROWS].map((l) => l.replaceAll(',', '\t'));
    expect(await importFile(t, csvBytes(tabbed))).toMatchObject({ status: 'done', created: 2 });
    await expectSampleRows();
  });

  it('when the text is UTF-16 with a BOM and tabs (Excel’s “Unicode 文本”), then it reads the same', async () => {
    const text = `\ufeff${[HEADER, ...ROWS].map((l) => l.replaceAll(',', '\t')).join('\r\n')}\r\n`;
    const utf16 = new Uint8Array(text.length * 2);
    for (let i = 0; i < text.length; i++) {
      utf16[2 * i] = text.charCodeAt(i) & 0xff;
      utf16[2 * i + 1] = text.charCodeAt(i) >> 8;
    }
    expect(await importFile(t, utf16)).toMatchObject({ status: 'done', created: 2 });
    await expectSampleRows();
  });

  it('when the file is an XLSX with English headers, date cells and a serial day number, then it reads as the CSV does', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('文件');
    sheet.addRow(['docNumber', 'title', 'department', 'publishedAt', 'url', 'requiresInterpretation', 'exemptReason', 'importance']);
    // An Excel date cell holds the wall-clock time; exceljs writes a Date's UTC fields as that time.
    sheet.addRow(['沪发改规〔2026〕5号', '关于促进民营经济发展的若干措施', '市发展改革委', new Date(Date.UTC(2026, 8, 30, 10, 0)), { text: 'https://fgw.example.gov.cn/zcwj/5.html', hyperlink: 'https://fgw.example.gov.cn/zcwj/5.html' }, '是', null, '重大']);
    // 46309.6458333 = 2026-10-14 15:30 as a serial day number in a cell without a date format.
    sheet.addRow(['沪教规〔2026〕4号', { richText: [{ text: '关于调整局机关' }, { text: '内设机构职责的通知' }] }, 'jyj', 46309 + 15.5 / 24, null, false, '机关内部管理事项，不涉及公众权利义务', 'normal']);
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    expect(await importFile(t, bytes, { contentType: XLSX })).toMatchObject({ status: 'done', created: 2, errors: [] });
    await expectSampleRows();
    expect((await stored()).find((d) => d.docNumber === '沪教规〔2026〕4号').title).toBe('关于调整局机关内设机构职责的通知');
  });

  it('when the file comes as multipart form data (file field), then it is read like the body, as CSV or XLSX by its name', async () => {
    const form = new FormData();
    form.append('file', new Blob([csvBytes([HEADER, ...ROWS])], { type: 'application/vnd.ms-excel' }), '2026年文件.csv');
    expect(await importFile(t, form)).toMatchObject({ status: 'done', created: 2, fileName: '2026年文件.csv' });
    await expectSampleRows();
  });

  it('when times are written every way Excel and people write them, then each is read as Beijing time, whatever the machine’s zone', async () => {
    const zone = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      const cells = ['2026/9/30', '2026-09-30', '2026-9-30 0:00', '2026年9月30日', '2026.09.30 00:00:00', '2026-09-30T00:00', '2026-09-29T16:00:00Z', '2026-09-30T00:00:00+08:00'];
      const lines = [HEADER, ...cells.map((c, i) => `时间${i}号,时间格式 ${i},fgw,${c},,是,,`)];
      expect(await importFile(t, csvBytes(lines))).toMatchObject({ status: 'done', created: cells.length, errors: [] });
      const docs = (await stored()).filter((d) => d.docNumber.startsWith('时间'));
      expect(new Set(docs.map((d) => d.publishedAt))).toEqual(new Set(['2026-09-29T16:00:00.000Z']));
      expect(new Set(docs.map((d) => d.interpretationDueDate))).toEqual(new Set(['2026-10-10']));
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it('when a row has no 文号, then a department, title and time identify it: imported again, it is skipped', async () => {
    const lines = [HEADER, ',关于开展秋季爱国卫生运动的通知,wjw,2026-10-20,,是,,'];
    expect(await importFile(t, csvBytes(lines))).toMatchObject({ created: 1 });
    expect(await importFile(t, csvBytes(lines))).toMatchObject({ created: 0, skipped: 1 });
    expect((await stored()).filter((d) => d.docNumber === null)).toHaveLength(1);
  });

  it('records one audit entry per created document, with the fields as registration records them', async () => {
    await importFile(t, csvBytes([HEADER, ...ROWS]));
    const docs = await stored();
    const entries = await t.db.orm.select().from(auditLog).where(eq(auditLog.entity, 'document'));
    expect(entries).toHaveLength(2);
    const five = docs.find((d) => d.docNumber === '沪发改规〔2026〕5号');
    const entry = entries.find((e) => e.entityId === String(five.id))!;
    expect(entry).toMatchObject({ actor: 'admin-token', action: 'create', before: null });
    expect(JSON.parse(entry.after!)).toEqual({
      docNumber: '沪发改规〔2026〕5号',
      title: '关于促进民营经济发展的若干措施',
      departmentCode: 'fgw',
      publishedAt: '2026-09-30T02:00:00.000Z',
      url: 'https://fgw.example.gov.cn/zcwj/5.html',
      requiresInterpretation: true,
      exemptReason: null,
      importance: 'major',
      interpretationDueDate: '2026-10-10',
      dueProvisional: false,
      docType: null,
    });
    const four = docs.find((d) => d.docNumber === '沪教规〔2026〕4号');
    expect(JSON.parse(entries.find((e) => e.entityId === String(four.id))!.after!)).toMatchObject({ docNumber: '沪教规〔2026〕4号', requiresInterpretation: false });
  });

  it('when the sheet has a 文件类别 column, then 规章 and 行政规范性文件 are recorded for the annual report, a blank is any other document, and a change is an update', async () => {
    const header = `${HEADER},文件类别`;
    const rows = [
      '沪府令〔2026〕1号,上海市某某管理办法,fgw,2026-03-01,,是,,普通,规章',
      '沪发改规〔2026〕5号,关于促进民营经济发展的若干措施,fgw,2026-09-30,,是,,重大,行政规范性文件',
      '沪发改〔2026〕12号,关于召开工作会议的通知,fgw,2026-10-12,,否,会议通知,普通,',
    ];
    expect(await importFile(t, csvBytes([header, ...rows]))).toMatchObject({ status: 'done', created: 3, errors: [] });
    const typeOf = async (n: string) => (await stored()).find((d) => d.docNumber === n).docType;
    await expect(typeOf('沪府令〔2026〕1号')).resolves.toBe('regulation');
    await expect(typeOf('沪发改规〔2026〕5号')).resolves.toBe('normative');
    await expect(typeOf('沪发改〔2026〕12号')).resolves.toBeNull();
    // The annual report's table 二 counts them.
    const report = (await t.call('GET', '/api/reports/annual/2026')).body;
    expect(report.table2.documents.map((r: { key: string; made: number }) => [r.key, r.made])).toEqual([['regulation', 1], ['normative', 1]]);
    // The same sheet again: nothing to do; the category changed: an update, audited.
    expect(await importFile(t, csvBytes([header, ...rows]))).toMatchObject({ status: 'done', created: 0, updated: 0, skipped: 3 });
    const changed = await importFile(t, csvBytes([header, rows[2]!.replace(/,$/, ',规范性文件')]));
    expect(changed).toMatchObject({ status: 'done', updated: 1 });
    await expect(typeOf('沪发改〔2026〕12号')).resolves.toBe('normative');
    // Without the column, what is stored stays.
    expect(await importFile(t, csvBytes([HEADER, rows[0]!.replace(/,规章$/, '')]))).toMatchObject({ status: 'done', skipped: 1 });
    await expect(typeOf('沪府令〔2026〕1号')).resolves.toBe('regulation');
    const bad = await importFile(t, csvBytes([header, rows[0]!.replace(/规章$/, '通知')]), { dryRun: true });
    expect(bad.errors).toEqual([{ row: 2, field: '文件类别', message: '应填“规章”或“行政规范性文件”，其他文件留空，本格为「通知」' }]);
  });

  it('when a file exported from the list comes back (CSV or XLSX), then nothing changes; edited in between, only the edit does', async () => {
    await registerDocument(t, { docNumber: '沪发改规〔2026〕5号', title: '=SUM(1) 关于促进民营经济发展的若干措施', publishedAt: '2026-09-30T10:00:00+08:00', url: 'https://fgw.example.gov.cn/zcwj/5.html', importance: 'major', docType: 'normative' });
    await registerDocument(t, { title: '-关于调整局机关内设机构职责的通知', departmentCode: 'jyj', publishedAt: '2026-10-14T15:30:00+08:00', requiresInterpretation: false, exemptReason: '机关内部管理事项' });
    await registerDocument(t, { docNumber: '沪府令〔2026〕1号', title: '上海市某某管理办法', publishedAt: '2026-03-01T09:00:00+08:00', docType: 'regulation' });
    const exported = async (format: string) =>
      new Uint8Array(await (await t.app.request(`/api/documents/export?format=${format}`, { headers: { Authorization: `Bearer ${TOKEN}` } })).arrayBuffer());
    const csv = await exported('csv');
    expect(new TextDecoder().decode(csv)).toContain("'=SUM(1)"); // the export's guard is there …
    expect(await importFile(t, csv, { dryRun: true })).toMatchObject({ status: 'done', created: 0, updated: 0, skipped: 3, errors: [] }); // … and read off again
    expect(await importFile(t, await exported('xlsx'), { contentType: XLSX, dryRun: true })).toMatchObject({ status: 'done', created: 0, updated: 0, skipped: 3, errors: [] });
    // An edit in between (重要程度 of the 文号 document): that one row is an update.
    const edited = new TextDecoder().decode(csv).replace('是,,重大,行政规范性文件', '是,,普通,行政规范性文件');
    expect(await importFile(t, new TextEncoder().encode(edited))).toMatchObject({ status: 'done', created: 0, updated: 1, skipped: 2 });
    const five = (await stored()).find((d) => d.docNumber === '沪发改规〔2026〕5号');
    expect(five).toMatchObject({ title: '=SUM(1) 关于促进民营经济发展的若干措施', importance: 'normal', docType: 'normative' });
  });

  it('uses the interpretation forms the pages name', () => {
    expect(FORM_NAMES).toEqual(FORM_LABELS);
  });
});

describe('a dry run', () => {
  it('when run, then it writes nothing and says what a real run would do', async () => {
    await importFile(t, csvBytes([HEADER, ROWS[0]!]));
    const changed = ROWS[0]!.replace('重大', '普通');
    const job = await importFile(t, csvBytes([HEADER, changed, ROWS[1]!]), { dryRun: true });
    expect(job).toMatchObject({ dryRun: true, status: 'done', created: 1, updated: 1, skipped: 0, errors: [] });
    const docs = await stored();
    expect(docs).toHaveLength(1);
    expect(docs[0].importance).toBe('major');
    const [audits] = await t.db.orm.select({ n: count() }).from(auditLog).where(eq(auditLog.entity, 'document'));
    expect(audits!.n).toBe(1);
  });
});

describe('progress', () => {
  it('when a large file is checked, then rowsDone grows while the job runs and reaches rowsTotal', async () => {
    const lines = [HEADER];
    for (let i = 1; i <= 12_000; i++) lines.push(`沪发改〔2025〕${i}号,关于第${i}项工作的通知,fgw,2025-0${1 + (i % 9)}-1${i % 10} 09:30,,是,,`);
    const started = await upload(t, csvBytes(lines));
    expect(started.status).toBe(202);
    const seen: number[] = [];
    let job: any;
    for (;;) {
      job = (await t.call('GET', `/api/imports/${started.body.id}`)).body;
      if (job.status !== 'running') break;
      seen.push(job.rowsDone);
      await new Promise((r) => setTimeout(r, 0));
    }
    expect(job).toMatchObject({ status: 'done', rowsTotal: 12_000, rowsDone: 12_000, created: 12_000 });
    expect(seen.some((n) => n > 0 && n < 12_000)).toBe(true);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    const [row] = await t.db.orm.select({ n: count() }).from(documents);
    expect(row!.n).toBe(12_000);
  }, 60_000);
});

describe('GET /api/imports/:id', () => {
  it('when the job does not exist, then 404; a job still running long after it started was cut off, and says so', async () => {
    expect((await t.call('GET', '/api/imports/999')).status).toBe(404);
    const job = await importFile(t, csvBytes([HEADER, ...ROWS]));
    expect(job.status).toBe('done');
    // A job left "running" by a crash: the service restarted 20 minutes later.
    await t.db.orm.run(sql`UPDATE import_jobs SET status = 'running' WHERE id = ${job.id}`);
    t.advance(20 * 60_000);
    const cut = (await t.call('GET', `/api/imports/${job.id}`)).body;
    expect(cut).toMatchObject({ status: 'failed', errors: [{ row: null, field: null, message: expect.stringContaining('导入任务已中断') }] });
  });
});

// An import is planned from the data as it is read, over many event-loop turns; what others change
// meanwhile must not be undone or doubled by its commit: it is planned again.
describe('changes made while an import is planned', () => {
  const rows = (n: number, title: (i: number) => string, numbered: boolean) =>
    csvBytes(['文号,标题,起草部门,发布时间', ...Array.from({ length: n }, (_, i) => `${numbered ? `并发〔2026〕${i + 1}号` : ''},${title(i)},fgw,2026-11-02 10:00`)]);
  const total = async () => (await t.db.orm.select({ n: count() }).from(documents))[0]!.n;

  it('when the same file of rows without 文号 is imported twice at once, then each document is registered once', async () => {
    const file = rows(12_000, (i) => `无文号并发测试通知（第${i + 1}份）`, false);
    const [a, b] = await Promise.all([upload(t, file), upload(t, file)]);
    const [ja, jb] = await Promise.all([finished(t, a.body.id), finished(t, b.body.id)]);
    expect(ja.status).toBe('done');
    expect(jb.status).toBe('done');
    expect(ja.created + jb.created).toBe(12_000);
    expect(ja.skipped + jb.skipped).toBe(12_000);
    expect(await total()).toBe(12_000);
  }, 60_000);

  it('when a document is changed by hand while an import that updates it is planned, then the change is kept', async () => {
    expect((await importFile(t, rows(12_000, (i) => `并发测试通知（第${i + 1}份）`, true))).created).toBe(12_000);
    const [doc] = await t.db.orm.select({ id: documents.id }).from(documents).where(eq(documents.docNumber, '并发〔2026〕1号'));
    // The same documents, renamed; the file has no 链接 column, so links are kept as stored.
    const started = await upload(t, rows(12_000, (i) => `并发测试通知（第${i + 1}份，修订）`, true));
    expect(started.status).toBe(202);
    const patched = await t.call('PATCH', `/api/documents/${doc!.id}`, { url: 'https://fgw.example.gov.cn/patched.html' });
    expect(patched.status).toBe(200);
    const job = await finished(t, started.body.id);
    expect(job).toMatchObject({ status: 'done', updated: 12_000 });
    const after = (await t.call('GET', `/api/documents/${doc!.id}`)).body;
    expect(after).toMatchObject({ title: '并发测试通知（第1份，修订）', url: 'https://fgw.example.gov.cn/patched.html' });
  }, 60_000);

  it('when a calendar day changes while an import is planned, then its documents get the due dates of the changed calendar', async () => {
    const started = await upload(t, rows(12_000, (i) => `日历并发测试通知（第${i + 1}份）`, false));
    // Published Monday 11-02: due Thursday 11-05; with Wednesday 11-04 a holiday, Friday 11-06.
    expect((await t.call('PUT', '/api/calendar/days/2026-11-04', { kind: 'holiday', name: '临时调整' })).status).toBe(200);
    expect((await finished(t, started.body.id)).status).toBe('done');
    const due = await t.db.orm.select({ due: documents.interpretationDueDate, n: count() }).from(documents).groupBy(documents.interpretationDueDate);
    expect(due).toEqual([{ due: '2026-11-06', n: 12_000 }]);
  }, 60_000);
});
