import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { interpretationDeadline } from '../../src/domain/deadlines/interpretation.js';
import { parseInstant } from '../../src/domain/time.js';
import { documents } from '../../src/db/schema.js';
import { callAs, registerDocument, seedDepartment, startTestApp, TOKEN, userWithToken, type TestApp } from '../support/app.js';

// Exports of the document list, incidents with their commitments and the audit log, as CSV and
// XLSX, streamed: every filter of the list, Chinese headings, department names, no formulas.

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
  await seedDepartment(t, 'fgw', '市发展改革委');
  await seedDepartment(t, 'jyj', '市教育局');
});
afterEach(() => t.close());

const get = (path: string, token = TOKEN) => t.app.request(path, { headers: { Authorization: `Bearer ${token}` } });

/** The CSV's rows as cells (a small parser for what the export writes: quoted cells may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(cell), (cell = '');
    else if (ch === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += ch;
  }
  return rows;
}

async function csv(path: string) {
  const res = await get(path);
  expect(res.status, await res.clone().text()).toBe(200);
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { res, bytes, rows: parseCsv(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).replace(/^\uFEFF/, '')) };
}

async function xlsx(path: string) {
  const res = await get(path);
  expect(res.status).toBe(200);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
  return { res, sheet: workbook.worksheets[0]! };
}

const column = (rows: string[][], header: string) => {
  const i = rows[0]!.indexOf(header);
  expect(i, `column ${header}`).toBeGreaterThanOrEqual(0);
  return rows.slice(1).map((r) => r[i]!);
};

describe('exporting documents', () => {
  it('when exported as CSV, then it is UTF-8 with a BOM, Chinese headings, department names, and formulas come out as text', async () => {
    await registerDocument(t, { docNumber: '沪发改规〔2026〕5号', title: '=SUM(1)' });
    await registerDocument(t, { title: '+86 热线, "12345" 的\n运行情况', departmentCode: 'jyj' });
    await registerDocument(t, { title: '@所有人 -请注意' });
    const { res, bytes, rows } = await csv('/api/documents/export?format=csv');
    expect(res.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('Content-Disposition')).toBe(`attachment; filename="documents-20261120.csv"; filename*=UTF-8''${encodeURIComponent('政策文件-截至20261120.csv')}`);
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(rows[0]).toEqual([
      '编号', '文号', '标题', '起草部门', '部门代码', '发布时间（北京时间）', '是否需要解读', '免于解读理由', '重要程度', '文件类别',
      '解读截止日期', '截止日期为暂定', '解读状态', '剩余工作日', '首份解读发布时间（北京时间）', '链接',
    ]);
    expect(column(rows, '标题')).toEqual(["'=SUM(1)", "'+86 热线, \"12345\" 的\n运行情况", "'@所有人 -请注意"]);
    expect(column(rows, '起草部门')).toEqual(['市发展改革委', '市教育局', '市发展改革委']);
    expect(rows[1]).toEqual(['1', '沪发改规〔2026〕5号', "'=SUM(1)", '市发展改革委', 'fgw', '2025-09-30 10:00', '是', '', '普通', '', '2025-10-11', '否', '逾期', '', '', '']);
  });

  it('when exported as XLSX, then Excel reads the same rows, and a title starting with = is a text cell, not a formula', async () => {
    const doc = await registerDocument(t, { docNumber: '001234567890123456789', title: '=SUM(1)' });
    await t.call('POST', '/api/interpretations', { title: '解读', form: 'text', publishedAt: '2025-10-09T10:00:00+08:00', documentIds: [doc.id] });
    const { res, sheet } = await xlsx('/api/documents/export?format=xlsx');
    expect(res.headers.get('Content-Type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers.get('Content-Disposition')).toContain(encodeURIComponent('政策文件-截至20261120.xlsx'));
    expect(res.headers.get('Content-Disposition')).toContain('filename="documents-20261120.xlsx"');
    expect(sheet.name).toBe('政策文件');
    expect(sheet.getRow(1).getCell(3).value).toBe('标题');
    const row = sheet.getRow(2);
    expect(row.getCell(1).value).toBe(doc.id);
    expect(row.getCell(2).value).toBe('001234567890123456789'); // text: no digits lost
    expect(row.getCell(3).value).toBe('=SUM(1)');
    expect(row.getCell(3).type).toBe(ExcelJS.ValueType.String);
    expect(row.getCell(3).formula).toBeUndefined();
    expect(row.getCell(4).value).toBe('市发展改革委');
    expect(row.getCell(13).value).toBe('按时');
    expect(row.getCell(15).value).toBe('2025-10-09 10:00');
    expect(sheet.actualRowCount).toBe(2);
  });

  it('honours every filter of the list: status as of asOf, department, publication dates and q', async () => {
    const d = async (title: string, departmentCode: string, publishedAt: string, more: Record<string, unknown> = {}) =>
      (await registerDocument(t, { title, departmentCode, publishedAt, ...more })).id as number;
    const overdue = await d('逾期的通知', 'fgw', '2026-11-02T10:00:00+08:00');
    const pending = await d('待解读的通知', 'fgw', '2026-11-19T10:00:00+08:00');
    const onTime = await d('按时的方案', 'jyj', '2026-11-16T10:00:00+08:00');
    const late = await d('迟发的方案', 'jyj', '2026-11-02T10:00:00+08:00');
    await d('免于解读的办法', 'fgw', '2026-10-15T10:00:00+08:00', { requiresInterpretation: false, exemptReason: '内部管理' });
    await t.call('POST', '/api/interpretations', { title: 'a', form: 'text', publishedAt: '2026-11-17T10:00:00+08:00', documentIds: [onTime] });
    await t.call('POST', '/api/interpretations', { title: 'b', form: 'text', publishedAt: '2026-11-18T10:00:00+08:00', documentIds: [late] });
    for (const filter of [
      'status=overdue', 'status=pending', 'status=on_time', 'status=late', 'status=exempt',
      'status=pending&asOf=2026-11-03', 'status=overdue&asOf=2026-11-17T12:00:00%2B08:00',
      'departmentCode=jyj', 'publishedFrom=2026-11-02&publishedTo=2026-11-16', 'publishedTo=2026-11-01',
      `q=${encodeURIComponent('方案')}`, `q=${encodeURIComponent('通知')}&departmentCode=fgw&status=pending`, '',
    ]) {
      const listed = (await t.call('GET', `/api/documents?limit=500&${filter}`)).body.items.map((i: { id: number }) => String(i.id)).sort();
      const { rows } = await csv(`/api/documents/export?format=csv&${filter}`);
      expect(column(rows, '编号').sort(), filter).toEqual(listed);
      expect(listed.length, filter).toBeGreaterThan(0);
    }
    // Each row's status is the document's own, as GET /api/documents/:id gives it for the same asOf.
    const LABEL: Record<string, string> = { pending: '待解读', overdue: '逾期', on_time: '按时', late: '迟发', exempt: '免于解读' };
    for (const at of ['2026-11-03', '2026-11-17T12:00:00%2B08:00', '2026-11-20']) {
      const { rows: all } = await csv(`/api/documents/export?asOf=${at}`);
      for (const [i, id] of column(all, '编号').entries()) {
        const one = (await t.call('GET', `/api/documents/${id}?asOf=${at}`)).body;
        expect([column(all, '解读状态')[i], column(all, '剩余工作日')[i]], `${id} ${at}`).toEqual([LABEL[one.status], one.workingDaysLeft === null ? '' : String(one.workingDaysLeft)]);
      }
    }
    // Statuses are those of the asOf asked for.
    const { rows } = await csv('/api/documents/export?asOf=2026-11-03');
    const statusOf = (id: number) => column(rows, '解读状态')[column(rows, '编号').indexOf(String(id))];
    expect([statusOf(overdue), statusOf(pending), statusOf(onTime), statusOf(late)]).toEqual(['待解读', '待解读', '待解读', '待解读']);
    expect(column(rows, '剩余工作日')[column(rows, '编号').indexOf(String(overdue))]).toBe('2');
  });

  it('streams: a few thousand rows arrive in several chunks, read from the database as the download goes', async () => {
    const calendar = await t.ctx.calendars.current();
    const rows = Array.from({ length: 3000 }, (_, i) => {
      const publishedAt = parseInstant('2026-01-05T10:00:00+08:00')! + i * 60_000;
      const due = interpretationDeadline(calendar, publishedAt, 3);
      return {
        docNumber: `测〔2026〕${i}号`, title: `批量文件 ${i}`, departmentCode: i % 2 ? 'fgw' : 'jyj', publishedAt,
        requiresInterpretation: true, importance: 'normal' as const, interpretationDueDate: due.dueDate, dueProvisional: due.provisional,
        searchText: `测〔2026〕${i}号 批量文件 ${i}`, createdAt: publishedAt, updatedAt: publishedAt,
      };
    });
    for (let i = 0; i < rows.length; i += 500) await t.db.batch([t.db.orm.insert(documents).values(rows.slice(i, i + 500))]);
    const res = await get('/api/documents/export?format=csv');
    const reader = res.body!.getReader();
    const chunks: Uint8Array[] = [(await reader.read()).value!];
    // Registered after the download began, before its last chunk was read: it is in the file.
    await registerDocument(t, { title: '下载开始后登记的文件' });
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
    }
    expect(chunks.length).toBeGreaterThanOrEqual(4);
    const text = new TextDecoder().decode(Buffer.concat(chunks));
    expect(parseCsv(text.replace(/^\uFEFF/, ''))).toHaveLength(1 + 3001);
    expect(text).toContain('下载开始后登记的文件');

    const x = await xlsx('/api/documents/export?format=xlsx');
    expect(x.sheet.actualRowCount).toBe(1 + 3001);
  });

  it('when a parameter is bad, then 400 names it and nothing is streamed', async () => {
    for (const [query, field] of [
      ['format=pdf', 'format'], ['status=late-ish', 'status'], ['asOf=yesterday', 'asOf'], ['departmentCode=no%20spaces', 'departmentCode'],
      ['publishedFrom=2026-02-30', 'publishedFrom'], ['publishedTo=20261101', 'publishedTo'], ['publishedFrom=2026-11-02&publishedTo=2026-11-01', 'publishedTo'],
      [`q=${'长'.repeat(101)}`, 'q'],
    ]) {
      const res = await t.call('GET', `/api/documents/export?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.message, query).toMatch(new RegExp(`^${field}: `));
    }
  });

  it('when XLSX cannot be written where the service runs (Workers), then 422 says so and CSV still works', async () => {
    await registerDocument(t);
    const xlsxWriter = t.ctx.xlsx;
    delete t.ctx.xlsx;
    try {
      const res = await t.call('GET', '/api/documents/export?format=xlsx');
      expect(res.status).toBe(422);
      expect(res.body.error.message).toContain('CSV');
      expect((await get('/api/documents/export?format=csv')).status).toBe(200);
    } finally {
      t.ctx.xlsx = xlsxWriter;
    }
  });
});

describe('exporting incidents and the audit log', () => {
  it('exports each incident with its commitments, one row per commitment, statuses as of asOf', async () => {
    t.setNow('2026-11-20T10:00:00+08:00');
    const major = await t.call('POST', '/api/incidents', { title: '=某区化工厂火灾', severity: 'major', departmentCode: 'fgw', startedAt: '2026-11-20T08:00:00+08:00' });
    const release = major.body.commitments.find((c: { kind: string }) => c.kind === 'authoritative_release');
    expect((await t.call('POST', `/api/commitments/${release.id}/fulfil`, { url: 'https://www.example.gov.cn/1.html', note: '官方微博通报' })).status).toBe(200);
    await t.call('POST', '/api/incidents', { title: '某小区燃气泄漏', severity: 'general' });
    const { res, rows } = await csv('/api/incidents/export?format=csv&asOf=2026-11-21T12:00:00%2B08:00');
    // curl -OJ and other clients that read only the plain filename get a name of their own per export.
    expect(res.headers.get('Content-Disposition')).toBe(`attachment; filename="incidents-20261121.csv"; filename*=UTF-8''${encodeURIComponent('舆情事件-截至20261121.csv')}`);
    expect(rows[0]).toEqual(['事件编号', '事件标题', '严重程度', '责任部门', '部门代码', '事件状态', '开始时间（北京时间）', '并入事件', '摘要', '回应事项', '回应时限（北京时间）', '完成时间（北京时间）', '回应状态', '回应链接', '备注']);
    expect(rows.slice(1).map((r) => [r[1], r[3], r[9], r[10], r[11], r[12], r[14]])).toEqual([
      ["'=某区化工厂火灾", '市发展改革委', '发布权威信息', '2026-11-20 13:00', '2026-11-20 10:00', '已按时完成', '官方微博通报'],
      ["'=某区化工厂火灾", '市发展改革委', '召开新闻发布会', '2026-11-21 08:00', '', '已超时', ''],
      ['某小区燃气泄漏', '', '回应关切', '2026-11-22 10:00', '', '进行中', ''],
    ]);
    // The list's filters apply.
    expect((await csv(`/api/incidents/export?q=${encodeURIComponent('燃气')}`)).rows).toHaveLength(2);
    expect((await csv('/api/incidents/export?status=closed')).rows).toHaveLength(1);
    const x = await xlsx('/api/incidents/export?format=xlsx');
    expect(x.sheet.getRow(2).getCell(2).value).toBe('=某区化工厂火灾');
    expect(x.sheet.actualRowCount).toBe(4);
    for (const query of ['format=doc', 'status=gone', 'asOf=2026-13-01', `q=${'长'.repeat(101)}`]) expect((await t.call('GET', `/api/incidents/export?${query}`)).status, query).toBe(400);
  });

  it('exports the audit log with its filters, newest first, for admins and leaders only', async () => {
    await registerDocument(t, { title: '审计导出测试文件' });
    const leader = await userWithToken(t, 'leader1', 'leader');
    const drafter = await userWithToken(t, 'fgw01', 'drafter', ['fgw']);
    const press = await userWithToken(t, 'xwb01', 'press');
    const res = await get('/api/audit/export?format=csv&entity=document', leader.token);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Disposition')).toContain('filename="audit-log-20261120.csv"');
    const rows = parseCsv((await res.text()).replace(/^\uFEFF/, ''));
    expect(rows[0]).toEqual(['编号', '时间（北京时间）', '操作人', '操作', '对象类型', '对象编号', '修改前', '修改后']);
    expect(rows.slice(1).map((r) => [r[2], r[3], r[4]])).toEqual([['admin-token', '新建', '文件']]);
    expect(JSON.parse(rows[1]![7]!)).toMatchObject({ title: '审计导出测试文件' });
    const all = parseCsv((await (await get('/api/audit/export')).text()).replace(/^\uFEFF/, ''));
    const ids = all.slice(1).map((r) => Number(r[0]));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(all.length).toBeGreaterThan(4);
    expect((await csv('/api/audit/export?actor=nobody')).rows).toHaveLength(1);
    expect((await csv('/api/audit/export?from=2026-11-21')).rows).toHaveLength(1);
    for (const token of [drafter.token, press.token]) expect((await callAs(t, { token }, 'GET', '/api/audit/export')).status).toBe(403);
    expect((await get('/api/documents/export', drafter.token)).status).toBe(200);
    for (const query of ['entity=planet', 'from=2026-11-31', 'from=2026-11-20&to=2026-11-19', 'format=json']) expect((await t.call('GET', `/api/audit/export?${query}`)).status, query).toBe(400);
  });
});
