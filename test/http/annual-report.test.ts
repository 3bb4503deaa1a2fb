import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLE3_ROWS } from '../../src/domain/disclosure/annual-report.js';
import { APPLICANT_TYPES } from '../../src/domain/disclosure/vocabulary.js';
import { seedDepartment, startTestApp, TOKEN, type TestApp } from '../support/app.js';

// The 2026 annual report computed from a register where every cell of table 三 is non-zero, built
// through the API on real SQLite, read back as JSON and as the XLSX workbook (SPEC §13).

let t: TestApp;
const RESULT_KEYS = TABLE3_ROWS.map((r) => r.key).filter((k) => !['received', 'carried_over', 'results_total', 'carried_forward'].includes(k));

async function ok(method: string, path: string, body: unknown) {
  const res = await t.call(method, path, body);
  if (res.status >= 300) throw new Error(`${method} ${path} ${JSON.stringify(body)}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function request(applicantType: string, receivedAt: string) {
  return ok('POST', '/api/disclosure-requests', {
    receivedAt, channel: 'in_person', applicantType, applicantName: '申请人', description: '某项政府信息', departmentCode: 'fgw',
  });
}

const event = (id: number, body: Record<string, unknown>) => ok('POST', `/api/disclosure-requests/${id}/events`, body);

/** Events that land a request received on 2026-03-02 on a result row. */
async function closeAs(id: number, key: string) {
  if (key === 'other.no_correction') {
    await event(id, { type: 'correction_requested', date: '2026-03-04' });
    return event(id, { type: 'abandoned', date: '2026-04-20', reason: 'no_correction' });
  }
  if (key === 'other.fee_unpaid') {
    await event(id, { type: 'fee_notice', date: '2026-03-05', amount: 300 });
    return event(id, { type: 'abandoned', date: '2026-04-20', reason: 'fee_unpaid' });
  }
  if (key === 'other.other') return event(id, { type: 'withdrawn', date: '2026-03-10' });
  const [outcome, reason] = key.split('.');
  return event(id, { type: 'answered', date: '2026-03-20', outcome, ...(reason ? { reason } : {}) });
}

beforeAll(async () => {
  t = await startTestApp({ now: '2027-01-20T10:00:00+08:00' });
  await seedDepartment(t, 'fgw', '市发展改革委');
  const reviewed: number[] = [];
  for (const type of APPLICANT_TYPES) {
    for (const key of RESULT_KEYS) {
      const req = await request(type, '2026-03-02');
      await closeAs(req.id, key);
      if (key.startsWith('withheld.') && reviewed.length < 12) reviewed.push(req.id);
    }
    const carried = await request(type, '2025-12-22');
    await event(carried.id, { type: 'answered', date: '2026-01-06', outcome: 'disclosed' });
    await request(type, '2026-12-28'); // still open at the end of 2026
    const old = await request(type, '2025-06-02');
    await event(old.id, { type: 'answered', date: '2025-06-10', outcome: 'disclosed' });
    await request(type, '2027-01-04');
  }
  // Table 四: each kind of review with each result, brought in 2026.
  const kinds = ['reconsideration', 'litigation_direct', 'litigation_after_reconsideration'];
  const results = ['upheld', 'corrected', 'other', 'pending'];
  let i = 0;
  for (const kind of kinds) for (const result of results) await event(reviewed[i++]!, { type: 'review', date: '2026-06-01', kind, result });
  // Decided in 2027: still 尚未审结 in the 2026 report.
  await event(reviewed[3]!, { type: 'review', date: '2027-01-10', kind: 'reconsideration', result: 'upheld' });
  // A fee paid in 2026 (信息处理费).
  const paying = await request('commercial', '2026-12-21');
  await event(paying.id, { type: 'fee_notice', date: '2026-12-22', amount: 150.5 });
  await event(paying.id, { type: 'fee_paid', date: '2026-12-29' });

  for (const [title, publishedAt, docType] of [
    ['某某市政府规章（2025）', '2025-05-06', 'regulation'],
    ['某某市政府规章（2026）', '2026-05-06', 'regulation'],
    ['行政规范性文件一', '2026-02-03', 'normative'],
    ['行政规范性文件二', '2026-08-03', 'normative'],
    ['行政规范性文件三（2027）', '2027-01-05', 'normative'],
    ['一般性通知', '2026-08-03', undefined],
  ] as const) {
    await ok('POST', '/api/documents', { title, departmentCode: 'fgw', publishedAt, requiresInterpretation: false, exemptReason: '测试', ...(docType ? { docType } : {}) });
  }
  await ok('PUT', '/api/reports/annual/2026/inputs', {
    agencyName: '某某市发展和改革委员会',
    regulationRepealed: 1,
    normativeRepealed: 2,
    normativeInForce: 35,
    licensingDecisions: 120,
    punishmentDecisions: 30,
    enforcementDecisions: 5,
    feesAmount: 1.25,
    overview: '本年度，我委认真贯彻《中华人民共和国政府信息公开条例》。',
  });
}, 120_000);
afterAll(() => t?.close());

describe('the 2026 annual report', () => {
  it('when every kind of request is in the register, then every cell of table 三 is counted and the check passes', async () => {
    const report = await ok('GET', '/api/reports/annual/2026', undefined);
    expect(report.title).toBe('某某市发展和改革委员会2026年政府信息公开工作年度报告');
    const rows = report.table3.rows as { key: string; values: Record<string, number> }[];
    expect(rows).toHaveLength(25);
    for (const r of rows) for (const [column, value] of Object.entries(r.values)) expect(value, `${r.key} ${column}`).toBeGreaterThan(0);
    const values = (key: string) => rows.find((r) => r.key === key)!.values;
    expect(values('received')).toEqual({ natural_person: 22, commercial: 23, research: 22, public_interest: 22, legal_service: 22, other_org: 22, total: 133 });
    expect(values('carried_over').total).toBe(6);
    expect(values('disclosed').natural_person).toBe(2);
    expect(values('other.fee_unpaid').total).toBe(6);
    expect(values('results_total').total).toBe(6 * 22);
    expect(values('carried_forward')).toMatchObject({ commercial: 2, natural_person: 1, total: 7 });
    expect(report.table3.check.passed).toBe(true);
    expect(report.table3.check.columns.find((c: { column: string }) => c.column === 'total')).toMatchObject({ left: 139, right: 139 });
  });

  it('when reviews were brought, then table 四 counts each kind and result, pending at the year end as 尚未审结', async () => {
    const report = await ok('GET', '/api/reports/annual/2026', undefined);
    for (const kind of ['reconsideration', 'litigation_direct', 'litigation_after_reconsideration']) {
      expect(report.table4[kind]).toEqual({ upheld: 1, corrected: 1, other: 1, pending: 1, total: 4 });
    }
  });

  it('when documents carry a docType and rows were entered by hand, then table 二 joins them', async () => {
    const report = await ok('GET', '/api/reports/annual/2026', undefined);
    expect(report.table2).toEqual({
      documents: [
        { key: 'regulation', label: '规章', made: 1, repealed: 1, inForce: 2, inForceEnteredByHand: false },
        { key: 'normative', label: '行政规范性文件', made: 2, repealed: 2, inForce: 35, inForceEnteredByHand: true },
      ],
      licensing: 120,
      punishment: 30,
      enforcement: 5,
      fees: 1.25,
    });
    expect(report.processingFeesCollected).toBe(150.5);
    expect(report.sections.overview).toMatch(/^本年度/);
    expect((await ok('GET', '/api/reports/annual/2026/inputs', undefined)).licensingDecisions).toBe(120);
  });

  it('when asked for XLSX, then the workbook has the three tables in the official layout', async () => {
    const res = await t.app.request('/api/reports/annual/2026?format=xlsx', { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers.get('Content-Disposition')).toContain(encodeURIComponent('2026年政府信息公开工作年度报告.xlsx'));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await res.arrayBuffer());
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['表二 主动公开', '表三 依申请公开', '表四 复议诉讼']);
    const t3 = workbook.getWorksheet('表三 依申请公开')!;
    expect(t3.getCell('A2').value).toBe('（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）');
    expect(t3.getCell('A5').value).toBe('一、本年新收政府信息公开申请数量');
    expect(t3.getCell('D5').value).toBe(22);
    expect(t3.getCell('J5').value).toBe(133);
    expect(t3.getCell('A7').value).toBe('三、本年度办理结果');
    expect(t3.getCell('B9').value).toBe('（三）不予公开');
    expect(t3.getCell('C9').value).toBe('1.属于国家秘密');
    expect(t3.getCell('B28').value).toBe('（七）总计');
    expect(t3.getCell('A29').value).toBe('四、结转下年度继续办理');
    expect(t3.getCell('J29').value).toBe(7);
    expect(String(t3.getCell('A31').value)).toContain('通过');
    const merges = (t3 as unknown as { _merges: Record<string, { range: string }> })._merges;
    expect(Object.values(merges).map((m) => m.range)).toEqual(expect.arrayContaining(['A2:C4', 'D2:J2', 'E3:I3', 'A7:A28', 'B9:B16']));
    const t4 = workbook.getWorksheet('表四 复议诉讼')!;
    expect([t4.getCell('A5').value, t4.getCell('E5').value, t4.getCell('O5').value]).toEqual([1, 4, 4]);
    const t2 = workbook.getWorksheet('表二 主动公开')!;
    expect([t2.getCell('A4').value, t2.getCell('B4').value, t2.getCell('D5').value]).toEqual(['规章', 1, 35]);
  });

  it('when the year has no requests, then every cell is zero and the check passes', async () => {
    const report = await ok('GET', '/api/reports/annual/2019', undefined);
    expect(report.table3.rows.every((r: { values: Record<string, number> }) => Object.values(r.values).every((v) => v === 0))).toBe(true);
    expect(report.table3.check.passed).toBe(true);
    expect((await t.call('GET', '/api/reports/annual/20x6')).status).toBe(400);
  });
});

describe('the hand-entered rows, with their version', () => {
  it('when they are saved with an If-Match of a version since replaced, then 412 and nothing is written; with the current one, saved', async () => {
    const app = await startTestApp();
    try {
      const read = await app.call('GET', '/api/reports/annual/2025/inputs');
      expect([read.status, read.body, read.headers!.get('etag')]).toEqual([200, {}, '"0"']);
      const saved = await app.call('PUT', '/api/reports/annual/2025/inputs', { licensingDecisions: 3 }, { 'If-Match': '"0"' });
      expect(saved.status, JSON.stringify(saved.body)).toBe(200);
      const version = saved.headers!.get('etag')!;
      expect(version).not.toBe('"0"');
      expect((await app.call('GET', '/api/reports/annual/2025/inputs')).headers!.get('etag')).toBe(version);
      // Someone who read before that save.
      const stale = await app.call('PUT', '/api/reports/annual/2025/inputs', { punishmentDecisions: 4 }, { 'If-Match': '"0"' });
      expect([stale.status, stale.body.error.code]).toEqual([412, 'modified_since_read']);
      expect((await app.call('GET', '/api/reports/annual/2025/inputs')).body).toEqual({ licensingDecisions: 3 });
      // With the current version, or without If-Match (the last save replaces what is there).
      const current = await app.call('PUT', '/api/reports/annual/2025/inputs', { licensingDecisions: 3, punishmentDecisions: 4 }, { 'If-Match': version });
      expect(current.status).toBe(200);
      expect(current.headers!.get('etag')).not.toBe(version);
      expect((await app.call('PUT', '/api/reports/annual/2025/inputs', { feesAmount: 1 })).status).toBe(200);
      expect((await app.call('GET', '/api/reports/annual/2025/inputs')).body).toEqual({ feesAmount: 1 });
    } finally {
      app.close();
    }
  });

  it('when two saves run at once without If-Match, then both go through, one after the other', async () => {
    const app = await startTestApp();
    try {
      const answers = await Promise.all([
        app.call('PUT', '/api/reports/annual/2025/inputs', { licensingDecisions: 1 }),
        app.call('PUT', '/api/reports/annual/2025/inputs', { licensingDecisions: 2 }),
      ]);
      expect(answers.map((a) => a.status)).toEqual([200, 200]);
      const tags = answers.map((a) => a.headers!.get('etag'));
      expect(new Set(tags).size).toBe(2);
      expect((await app.call('GET', '/api/reports/annual/2025/inputs')).headers!.get('etag')).toBe(tags.sort().at(-1));
    } finally {
      app.close();
    }
  });
});
