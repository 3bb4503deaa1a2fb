// The words of 依申请公开 (SPEC §13): how a request arrives, who asks, what can happen to it, and
// how it ends — each with the wording people read. Outcomes and their reasons are exactly the rows
// of table 三 of the annual-report format (国办公开办函〔2021〕30号).

export const CHANNELS = ['in_person', 'post', 'letter', 'online', 'fax', 'email'] as const;
export type Channel = (typeof CHANNELS)[number];

/** How the date of receipt is fixed for each channel follows 条例 art. 31. */
export const CHANNEL_LABELS: Record<Channel, string> = {
  in_person: '当面提交',
  post: '邮寄（签收）',
  letter: '平常信函',
  online: '互联网',
  fax: '传真',
  email: '电子邮件',
};

/** The applicant columns of table 三, in the order of the official table. */
export const APPLICANT_TYPES = ['natural_person', 'commercial', 'research', 'public_interest', 'legal_service', 'other_org'] as const;
export type ApplicantType = (typeof APPLICANT_TYPES)[number];

export const APPLICANT_TYPE_LABELS: Record<ApplicantType, string> = {
  natural_person: '自然人',
  commercial: '商业企业',
  research: '科研机构',
  public_interest: '社会公益组织',
  legal_service: '法律服务机构',
  other_org: '其他',
};

export const OUTCOME_REASONS = {
  disclosed: [],
  partly_disclosed: [],
  withheld: [
    'state_secret',
    'prohibited_by_law',
    'three_safety_one_stability',
    'third_party_rights',
    'internal_affairs',
    'process_information',
    'enforcement_file',
    'inquiry_matter',
  ],
  unable: ['not_held', 'needs_creation', 'still_unclear'],
  not_processed: ['petition', 'repeated', 'publication', 'excessive', 'confirmation'],
  other: ['no_correction', 'fee_unpaid', 'other'],
} as const satisfies Record<string, readonly string[]>;

export type Outcome = keyof typeof OUTCOME_REASONS;
export const OUTCOMES = Object.keys(OUTCOME_REASONS) as Outcome[];
export const REASONS = [...new Set(Object.values(OUTCOME_REASONS).flat())] as string[];

/** The group rows of table 三, as printed. */
export const OUTCOME_ROW_LABELS: Record<Outcome, string> = {
  disclosed: '（一）予以公开',
  partly_disclosed: '（二）部分公开（区分处理的，只计这一情形，不计其他情形）',
  withheld: '（三）不予公开',
  unable: '（四）无法提供',
  not_processed: '（五）不予处理',
  other: '（六）其他处理',
};

/** Short names for forms and lists. */
export const OUTCOME_LABELS: Record<Outcome, string> = {
  disclosed: '予以公开',
  partly_disclosed: '部分公开',
  withheld: '不予公开',
  unable: '无法提供',
  not_processed: '不予处理',
  other: '其他处理',
};

/** The numbered item rows of table 三, as printed, by outcome and reason. */
export const REASON_ROW_LABELS: Record<string, Record<string, string>> = {
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
  unable: {
    not_held: '1.本机关不掌握相关政府信息',
    needs_creation: '2.没有现成信息需要另行制作',
    still_unclear: '3.补正后申请内容仍不明确',
  },
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
};

/** A reason as a form offers it: the row's words without the number. */
export function reasonLabel(outcome: Outcome, reason: string): string {
  return (REASON_ROW_LABELS[outcome]?.[reason] ?? reason).replace(/^\d+\./, '');
}

/** Why an outcome and reason do not go together, or null when they do. */
export function outcomeProblem(outcome: Outcome, reason: string | null | undefined): string | null {
  const allowed: readonly string[] = OUTCOME_REASONS[outcome];
  if (allowed.length === 0) return reason ? `“${OUTCOME_LABELS[outcome]}”不需要理由，请不要填写 reason` : null;
  if (!reason) return `“${OUTCOME_LABELS[outcome]}”须说明理由，可选：${allowed.join('、')}`;
  if (!allowed.includes(reason)) return `理由 ${reason} 不属于“${OUTCOME_LABELS[outcome]}”，可选：${allowed.join('、')}`;
  return null;
}

export const EVENT_TYPES = [
  'correction_requested',
  'corrected',
  'consultation_started',
  'consultation_ended',
  'extended',
  'fee_notice',
  'fee_paid',
  'answered',
  'withdrawn',
  'abandoned',
  'review',
] as const;
export type DisclosureEventType = (typeof EVENT_TYPES)[number];

export const EVENT_LABELS: Record<DisclosureEventType, string> = {
  correction_requested: '告知补正',
  corrected: '收到补正',
  consultation_started: '开始征求意见',
  consultation_ended: '征求意见结束',
  extended: '延长答复期限',
  fee_notice: '发出收费通知',
  fee_paid: '申请人缴费',
  answered: '作出答复',
  withdrawn: '申请人撤回申请',
  abandoned: '视为放弃申请',
  review: '行政复议、行政诉讼',
};

export const CONSULTATION_PARTIES = ['third_party', 'agency'] as const;
export type ConsultationParty = (typeof CONSULTATION_PARTIES)[number];
export const PARTY_LABELS: Record<ConsultationParty, string> = { third_party: '第三方（条例第三十二条）', agency: '其他行政机关（条例第三十四条）' };

export const ABANDON_REASONS = ['no_correction', 'fee_unpaid'] as const;
export type AbandonReason = (typeof ABANDON_REASONS)[number];
export const ABANDON_LABELS: Record<AbandonReason, string> = { no_correction: '无正当理由逾期不补正', fee_unpaid: '逾期未按收费通知缴费' };

export const REVIEW_KINDS = ['reconsideration', 'litigation_direct', 'litigation_after_reconsideration'] as const;
export type ReviewKind = (typeof REVIEW_KINDS)[number];
export const REVIEW_KIND_LABELS: Record<ReviewKind, string> = {
  reconsideration: '行政复议',
  litigation_direct: '行政诉讼（未经复议直接起诉）',
  litigation_after_reconsideration: '行政诉讼（复议后起诉）',
};

export const REVIEW_RESULTS = ['upheld', 'corrected', 'other', 'pending'] as const;
export type ReviewResult = (typeof REVIEW_RESULTS)[number];
export const REVIEW_RESULT_LABELS: Record<ReviewResult, string> = { upheld: '结果维持', corrected: '结果纠正', other: '其他结果', pending: '尚未审结' };

export const DISCLOSURE_STATUSES = ['open', 'awaiting_correction', 'in_consultation', 'overdue', 'answered', 'closed'] as const;
export type DisclosureStatus = (typeof DISCLOSURE_STATUSES)[number];
export const DISCLOSURE_STATUS_LABELS: Record<DisclosureStatus, string> = {
  open: '办理中',
  awaiting_correction: '待补正',
  in_consultation: '征求意见中',
  overdue: '逾期',
  answered: '已答复',
  closed: '已终止',
};
