import { describe, expect, it } from 'vitest';
import {
  ABANDON_LABELS,
  ABANDON_REASONS,
  APPLICANT_TYPE_LABELS,
  APPLICANT_TYPES,
  CHANNEL_LABELS,
  CHANNELS,
  CONSULTATION_PARTIES,
  DISCLOSURE_STATUS_LABELS,
  DISCLOSURE_STATUSES,
  EVENT_LABELS,
  EVENT_TYPES,
  OUTCOME_LABELS,
  OUTCOME_REASONS,
  OUTCOME_ROW_LABELS,
  OUTCOMES,
  PARTY_LABELS,
  REASON_ROW_LABELS,
  REASONS,
  REVIEW_KIND_LABELS,
  REVIEW_KINDS,
  REVIEW_RESULT_LABELS,
  REVIEW_RESULTS,
  outcomeProblem,
  reasonLabel,
} from '../../../src/domain/disclosure/vocabulary.js';

// SPEC §13: the words people read are those of 条例 and of table 三 of the annual-report format
// (国办公开办函〔2021〕30号), row for row.

describe('table 三: outcomes and reasons', () => {
  it('when the outcome rows are printed, then they are the six groups of the official table, in its order', () => {
    expect(OUTCOMES).toEqual(['disclosed', 'partly_disclosed', 'withheld', 'unable', 'not_processed', 'other']);
    expect(Object.values(OUTCOME_ROW_LABELS)).toEqual([
      '（一）予以公开',
      '（二）部分公开（区分处理的，只计这一情形，不计其他情形）',
      '（三）不予公开',
      '（四）无法提供',
      '（五）不予处理',
      '（六）其他处理',
    ]);
    expect(Object.values(OUTCOME_LABELS)).toEqual(['予以公开', '部分公开', '不予公开', '无法提供', '不予处理', '其他处理']);
  });

  it('when the reason rows are printed, then each group has the numbered rows of the official table', () => {
    expect(REASON_ROW_LABELS).toEqual({
      withheld: {
        state_secret: '1.属于国家秘密',
        prohibited_by_law: '2.其他法律行政法规禁止公开',
        three_safety_one_stability: '3.危及“三安全一稳定”',
        third_party_rights: '4.保护第三方合法权益',
        internal_affairs: '5.属于三类内部事务信息',
        process_information: '6.属于四类过程性信息',
        enforcement_file: '7.属于行政执法案卷',
        inquiry_matter: '8.属于行政查询事项',
      },
      unable: { not_held: '1.本机关不掌握相关政府信息', needs_creation: '2.没有现成信息需要另行制作', still_unclear: '3.补正后申请内容仍不明确' },
      not_processed: {
        petition: '1.信访举报投诉类申请',
        repeated: '2.重复申请',
        publication: '3.要求提供公开出版物',
        excessive: '4.无正当理由大量反复申请',
        confirmation: '5.要求行政机关确认或重新出具已获取信息',
      },
      other: {
        no_correction: '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请',
        fee_unpaid: '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请',
        other: '3.其他',
      },
    });
    // Every reason an outcome allows has its row, and no row is without its reason.
    for (const outcome of OUTCOMES) expect(Object.keys(REASON_ROW_LABELS[outcome] ?? {})).toEqual([...OUTCOME_REASONS[outcome]]);
    expect(REASONS).toHaveLength(19); // 8 + 3 + 5 + 3, `other` of （六） only once
    expect(new Set(REASONS).size).toBe(REASONS.length);
  });

  it('when a form offers a reason, then it shows the row’s words without the number; an unknown reason shows as it is', () => {
    expect(reasonLabel('withheld', 'state_secret')).toBe('属于国家秘密');
    expect(reasonLabel('other', 'other')).toBe('其他');
    expect(reasonLabel('unable', 'state_secret')).toBe('state_secret');
    expect(reasonLabel('disclosed', 'x1.y')).toBe('x1.y');
    expect(reasonLabel('disclosed', '1.2.3')).toBe('2.3'); // only the leading number goes
    expect(reasonLabel('disclosed', '12.其他')).toBe('其他');
  });

  it('when an outcome and a reason are checked, then a reason is required exactly when the outcome has reasons, and must be one of them', () => {
    expect(outcomeProblem('disclosed', null)).toBeNull();
    expect(outcomeProblem('partly_disclosed', undefined)).toBeNull();
    expect(outcomeProblem('disclosed', '')).toBeNull();
    expect(outcomeProblem('disclosed', 'state_secret')).toBe('“予以公开”不需要理由，请不要填写 reason');
    expect(outcomeProblem('withheld', 'state_secret')).toBeNull();
    expect(outcomeProblem('other', 'other')).toBeNull();
    expect(outcomeProblem('unable', null)).toBe('“无法提供”须说明理由，可选：not_held、needs_creation、still_unclear');
    expect(outcomeProblem('unable', '')).toBe('“无法提供”须说明理由，可选：not_held、needs_creation、still_unclear');
    expect(outcomeProblem('not_processed', 'state_secret')).toBe(
      '理由 state_secret 不属于“不予处理”，可选：petition、repeated、publication、excessive、confirmation',
    );
  });
});

describe('the other words of a request', () => {
  it('when a value is offered or accepted, then each list has exactly the keys of its labels, in order', () => {
    const pairs: [readonly string[], Record<string, string>][] = [
      [CHANNELS, CHANNEL_LABELS],
      [APPLICANT_TYPES, APPLICANT_TYPE_LABELS],
      [EVENT_TYPES, EVENT_LABELS],
      [CONSULTATION_PARTIES, PARTY_LABELS],
      [ABANDON_REASONS, ABANDON_LABELS],
      [REVIEW_KINDS, REVIEW_KIND_LABELS],
      [REVIEW_RESULTS, REVIEW_RESULT_LABELS],
      [DISCLOSURE_STATUSES, DISCLOSURE_STATUS_LABELS],
    ];
    for (const [list, labels] of pairs) expect([...list]).toEqual(Object.keys(labels));
  });

  it('when channels, applicants and statuses are shown, then they read as the forms and lists say', () => {
    expect(CHANNEL_LABELS).toEqual({ in_person: '当面提交', post: '邮寄（签收）', letter: '平常信函', online: '互联网', fax: '传真', email: '电子邮件' });
    expect(APPLICANT_TYPE_LABELS).toEqual({
      natural_person: '自然人',
      commercial: '商业企业',
      research: '科研机构',
      public_interest: '社会公益组织',
      legal_service: '法律服务机构',
      other_org: '其他',
    });
    expect(DISCLOSURE_STATUS_LABELS).toEqual({
      open: '办理中',
      awaiting_correction: '待补正',
      in_consultation: '征求意见中',
      overdue: '逾期',
      answered: '已答复',
      closed: '已终止',
    });
  });

  it('when events, consultations, abandonment and reviews are shown, then each has its words', () => {
    expect(EVENT_TYPES.map((t) => EVENT_LABELS[t])).toEqual([
      '告知补正',
      '收到补正',
      '开始征求意见',
      '征求意见结束',
      '延长答复期限',
      '发出收费通知',
      '申请人缴费',
      '作出答复',
      '申请人撤回申请',
      '视为放弃申请',
      '行政复议、行政诉讼',
    ]);
    expect(PARTY_LABELS).toEqual({ third_party: '第三方（条例第三十二条）', agency: '其他行政机关（条例第三十四条）' });
    expect(ABANDON_LABELS).toEqual({ no_correction: '无正当理由逾期不补正', fee_unpaid: '逾期未按收费通知缴费' });
    expect(REVIEW_KIND_LABELS).toEqual({
      reconsideration: '行政复议',
      litigation_direct: '行政诉讼（未经复议直接起诉）',
      litigation_after_reconsideration: '行政诉讼（复议后起诉）',
    });
    expect(REVIEW_RESULT_LABELS).toEqual({ upheld: '结果维持', corrected: '结果纠正', other: '其他结果', pending: '尚未审结' });
  });
});
