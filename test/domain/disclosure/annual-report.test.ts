import { describe, expect, it } from 'vitest';
import {
  checkTable3,
  resultRowKey,
  table3,
  table4,
  TABLE3_ROWS,
  type ReportRequest,
  type Table3Row,
} from '../../../src/domain/disclosure/annual-report.js';
import { APPLICANT_TYPES, type ApplicantType } from '../../../src/domain/disclosure/vocabulary.js';

// Table 三 counted from requests; its own check 一 + 二 = （七） + 四 (国办公开办函〔2021〕30号).

const RESULT_KEYS = TABLE3_ROWS.map((r) => r.key).filter((k) => !['received', 'carried_over', 'results_total', 'carried_forward'].includes(k));

/** The closing that lands a request on a result row. */
function closingFor(key: string, date: string): NonNullable<ReportRequest['closing']> {
  if (key === 'other.no_correction') return { type: 'abandoned', date, reason: 'no_correction' };
  if (key === 'other.fee_unpaid') return { type: 'abandoned', date, reason: 'fee_unpaid' };
  if (key === 'other.other') return { type: 'withdrawn', date };
  const [outcome, reason] = key.split('.') as [NonNullable<ReportRequest['closing']>['outcome'], string | undefined];
  return { type: 'answered', date, outcome, reason: reason ?? null };
}

/** Every cell of table 三 non-zero: per applicant type, one request on each result row, one carried over, one carried forward. */
function fullYear(): ReportRequest[] {
  const requests: ReportRequest[] = [];
  for (const applicantType of APPLICANT_TYPES) {
    for (const key of RESULT_KEYS) requests.push({ receivedDate: '2026-03-02', applicantType, closing: closingFor(key, '2026-03-20'), reviews: [] });
    requests.push({ receivedDate: '2025-12-22', applicantType, closing: closingFor('disclosed', '2026-01-06'), reviews: [] });
    requests.push({ receivedDate: '2026-12-28', applicantType, closing: null, reviews: [] });
    // Neither year's business: closed in 2025, and received in 2027.
    requests.push({ receivedDate: '2025-06-02', applicantType, closing: closingFor('disclosed', '2025-06-10'), reviews: [] });
    requests.push({ receivedDate: '2027-01-04', applicantType, closing: null, reviews: [] });
  }
  return requests;
}

const row = (rows: Table3Row[], key: string) => rows.find((r) => r.key === key)!.values;

describe('table 三', () => {
  const rows = table3(fullYear(), 2026);

  it('has every row of the official table, in order, every cell non-zero', () => {
    expect(rows.map((r) => r.label)).toEqual([
      '一、本年新收政府信息公开申请数量',
      '二、上年结转政府信息公开申请数量',
      '（一）予以公开',
      '（二）部分公开（区分处理的，只计这一情形，不计其他情形）',
      '1.属于国家秘密', '2.其他法律行政法规禁止公开', '3.危及“三安全一稳定”', '4.保护第三方合法权益',
      '5.属于三类内部事务信息', '6.属于四类过程性信息', '7.属于行政执法案卷', '8.属于行政查询事项',
      '1.本机关不掌握相关政府信息', '2.没有现成信息需要另行制作', '3.补正后申请内容仍不明确',
      '1.信访举报投诉类申请', '2.重复申请', '3.要求提供公开出版物', '4.无正当理由大量反复申请', '5.要求行政机关确认或重新出具已获取信息',
      '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请',
      '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请',
      '3.其他',
      '（七）总计',
      '四、结转下年度继续办理',
    ]);
    for (const r of rows) for (const [column, value] of Object.entries(r.values)) expect(value, `${r.key} / ${column}`).toBeGreaterThan(0);
  });

  it('counts by the dates of receipt and closing', () => {
    for (const type of APPLICANT_TYPES) {
      expect(row(rows, 'received')[type]).toBe(RESULT_KEYS.length + 1);
      expect(row(rows, 'carried_over')[type]).toBe(1);
      expect(row(rows, 'disclosed')[type]).toBe(2);
      expect(row(rows, 'withheld.state_secret')[type]).toBe(1);
      expect(row(rows, 'results_total')[type]).toBe(RESULT_KEYS.length + 1);
      expect(row(rows, 'carried_forward')[type]).toBe(1);
    }
    expect(row(rows, 'received').total).toBe(6 * (RESULT_KEYS.length + 1));
  });

  it('passes its check: 一 + 二 = （七） + 四 in every column', () => {
    const check = checkTable3(rows);
    expect(check.passed).toBe(true);
    expect(check.columns.find((c) => c.column === 'total')).toMatchObject({ left: 6 * 23, right: 6 * 23, passed: true });
  });

  it('fails its check when one request is counted twice, naming the columns', () => {
    // A commercial request answered as 予以公开 counted a second time as 部分公开.
    const doubled = table3(fullYear(), 2026);
    for (const key of ['partly_disclosed', 'results_total']) {
      row(doubled, key).commercial++;
      row(doubled, key).total++;
    }
    const check = checkTable3(doubled);
    expect(check.passed).toBe(false);
    expect(check.columns.filter((c) => !c.passed).map((c) => [c.label, c.left, c.right])).toEqual([
      ['商业企业', 23, 24],
      ['总计', 138, 139],
    ]);
  });

  it('fails its check when （七） is not the sum of the results above it', () => {
    const wrong = table3(fullYear(), 2026);
    row(wrong, 'unable.not_held').research++;
    const check = checkTable3(wrong);
    expect(check.passed).toBe(false);
    expect(check.totalMismatches).toEqual(['research']);
    expect(check.columns.every((c) => c.passed)).toBe(true);
  });

  it('counts at the year boundaries: closed on 1 January is carried over and counted; closed on 31 December is not carried forward', () => {
    const rows = table3(
      [
        { receivedDate: '2025-12-30', applicantType: 'research', closing: closingFor('disclosed', '2026-01-01'), reviews: [] },
        { receivedDate: '2025-12-30', applicantType: 'research', closing: closingFor('disclosed', '2025-12-31'), reviews: [] },
        { receivedDate: '2026-12-31', applicantType: 'research', closing: closingFor('other.other', '2026-12-31'), reviews: [] },
        { receivedDate: '2026-12-31', applicantType: 'research', closing: closingFor('disclosed', '2027-01-01'), reviews: [] },
      ],
      2026,
    );
    expect([row(rows, 'received').research, row(rows, 'carried_over').research]).toEqual([2, 1]);
    expect([row(rows, 'disclosed').research, row(rows, 'other.other').research, row(rows, 'results_total').research]).toEqual([1, 1, 2]);
    expect(row(rows, 'carried_forward').research).toBe(1);
    expect(checkTable3(rows).passed).toBe(true);
  });

  it('puts withdrawals in （六）3 and abandonment in （六）1 or 2 by its reason', () => {
    expect(resultRowKey({ type: 'withdrawn', date: '2026-01-01' })).toBe('other.other');
    expect(resultRowKey({ type: 'abandoned', date: '2026-01-01', reason: 'fee_unpaid' })).toBe('other.fee_unpaid');
    expect(resultRowKey({ type: 'abandoned', date: '2026-01-01', reason: 'no_correction' })).toBe('other.no_correction');
    expect(resultRowKey({ type: 'answered', date: '2026-01-01', outcome: 'partly_disclosed' })).toBe('partly_disclosed');
  });
});

describe('table 四', () => {
  const review = (applicantType: ApplicantType, reviews: ReportRequest['reviews']): ReportRequest => ({
    receivedDate: '2026-01-05',
    applicantType,
    closing: { type: 'answered', date: '2026-01-20', outcome: 'withheld', reason: 'internal_affairs' },
    reviews,
  });

  it('counts each case in the year it was brought, with its result at the year end', () => {
    const requests = [
      review('natural_person', [{ kind: 'reconsideration', result: 'upheld', date: '2026-03-01' }]),
      // Pending at the end of 2026, decided in 2027: 尚未审结 in the 2026 report.
      review('natural_person', [
        { kind: 'reconsideration', result: 'pending', date: '2026-11-01' },
        { kind: 'reconsideration', result: 'corrected', date: '2027-02-01' },
      ]),
      // A result recorded later in the same year replaces the pending one.
      review('commercial', [
        { kind: 'litigation_direct', result: 'pending', date: '2026-04-01' },
        { kind: 'litigation_direct', result: 'other', date: '2026-09-01' },
      ]),
      review('commercial', [
        { kind: 'reconsideration', result: 'upheld', date: '2026-04-01' },
        { kind: 'litigation_after_reconsideration', result: 'corrected', date: '2026-07-01' },
      ]),
      // Brought in 2025: not in 2026.
      review('research', [{ kind: 'reconsideration', result: 'upheld', date: '2025-12-01' }]),
    ];
    expect(table4(requests, 2026)).toEqual({
      reconsideration: { upheld: 2, corrected: 0, other: 0, pending: 1, total: 3 },
      litigation_direct: { upheld: 0, corrected: 0, other: 1, pending: 0, total: 1 },
      litigation_after_reconsideration: { upheld: 0, corrected: 1, other: 0, pending: 0, total: 1 },
    });
  });
});
