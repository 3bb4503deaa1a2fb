import { z } from '@hono/zod-openapi';
import { MAX_EXTENSION_WORKING_DAYS } from '../domain/disclosure/clock.js';
import {
  ABANDON_REASONS,
  APPLICANT_TYPES,
  CHANNELS,
  CONSULTATION_PARTIES,
  DISCLOSURE_STATUSES,
  EVENT_LABELS,
  EVENT_TYPES,
  OUTCOMES,
  outcomeProblem,
  REVIEW_KINDS,
  REVIEW_RESULTS,
  type DisclosureEventType,
} from '../domain/disclosure/vocabulary.js';
import { DepartmentCode, Instant } from './schemas.js';

// SPEC §13 on the wire: requests, their events and clock, the annual report and its hand-entered rows.

const text = (min: number, max: number) => z.string().trim().min(min).max(max);
const optionalText = (max: number) =>
  z.string().trim().max(max).nullish().transform((v) => (v === '' ? null : v));

export const ChannelEnum = z.enum(CHANNELS).openapi({ description: '提交渠道：当面、邮寄（签收）、平常信函、互联网、传真、电子邮件' });
export const ApplicantTypeEnum = z.enum(APPLICANT_TYPES).openapi({ description: '申请人类型（年度报告表三的列）' });
export const DisclosureStatusEnum = z.enum(DISCLOSURE_STATUSES);

const requestFields = {
  receivedAt: Instant.openapi({ description: '收到申请之日（条例第三十一条）：YYYY-MM-DD，或带时区的时间（取北京时间日期）', example: '2026-09-16' }),
  channel: ChannelEnum,
  applicantType: ApplicantTypeEnum,
  applicantName: text(1, 100).openapi({ example: '张三' }),
  contact: optionalText(200).openapi({ description: '联系方式（选填）' }),
  description: text(1, 2000).openapi({ description: '所需信息的名称、文号或特征描述', example: '2025年本区老旧小区改造项目清单' }),
  departmentCode: DepartmentCode.openapi({ description: '承办部门代码' }),
};

export const DisclosureRequestInput = z.object(requestFields).strict().openapi('DisclosureRequestInput');
export const DisclosureRequestPatch = z.object(requestFields).partial().strict().openapi('DisclosureRequestPatch');

/** The fields each type of event takes besides `type`, `date` and `note`: required first, then optional. */
const EVENT_FIELDS: Record<DisclosureEventType, { required: string[]; optional?: string[] }> = {
  correction_requested: { required: [] },
  corrected: { required: [] },
  consultation_started: { required: ['party'] },
  consultation_ended: { required: [] },
  extended: { required: ['approvedBy', 'days'] },
  fee_notice: { required: ['amount'] },
  fee_paid: { required: [] },
  answered: { required: ['outcome'], optional: ['reason'] },
  withdrawn: { required: [] },
  abandoned: { required: ['reason'] },
  review: { required: ['kind', 'result'] },
};

const MISSING: Record<string, string> = {
  party: '请选择征求意见对象：third_party（第三方）或 agency（其他行政机关）',
  approvedBy: '请填写批准延期的政府信息公开工作机构负责人',
  days: `请填写延长的工作日数（1–${MAX_EXTENSION_WORKING_DAYS}）`,
  amount: '请填写收费金额（元）',
  outcome: '请选择处理结果',
  reason: '请选择理由',
  kind: '请选择复议或诉讼类别',
  result: '请选择结果',
};

export const DisclosureEventInput = z
  .object({
    type: z.enum(EVENT_TYPES),
    date: Instant.openapi({ description: '发生日期：YYYY-MM-DD 或带时区的时间，不晚于当前时间', example: '2026-09-24' }),
    party: z.enum(CONSULTATION_PARTIES).optional().openapi({ description: 'consultation_started：third_party 第三方（第三十二条）、agency 其他机关（第三十四条）' }),
    approvedBy: text(1, 50).optional().openapi({ description: 'extended：批准延期的负责人' }),
    days: z.number().int().min(1).max(MAX_EXTENSION_WORKING_DAYS).optional().openapi({ description: `extended：延长的工作日数，最多 ${MAX_EXTENSION_WORKING_DAYS}` }),
    amount: z.number().min(0).max(10_000_000).multipleOf(0.01).optional().openapi({ description: 'fee_notice：信息处理费金额（元）' }),
    outcome: z.enum(OUTCOMES).optional().openapi({ description: 'answered：处理结果（年度报告表三的行）' }),
    reason: z.string().trim().min(1).max(40).optional().openapi({ description: 'answered 的理由（不予公开、无法提供、不予处理、其他处理时必填），或 abandoned 的原因：no_correction、fee_unpaid' }),
    kind: z.enum(REVIEW_KINDS).optional().openapi({ description: 'review：reconsideration 行政复议、litigation_direct 未经复议直接起诉、litigation_after_reconsideration 复议后起诉' }),
    result: z.enum(REVIEW_RESULTS).optional().openapi({ description: 'review：upheld 结果维持、corrected 结果纠正、other 其他结果、pending 尚未审结' }),
    note: optionalText(1000).openapi({ description: '备注（选填）' }),
  })
  .strict()
  .superRefine((e, issue) => {
    const spec = EVENT_FIELDS[e.type];
    const allowed = new Set([...spec.required, ...(spec.optional ?? [])]);
    for (const field of ['party', 'approvedBy', 'days', 'amount', 'outcome', 'reason', 'kind', 'result'] as const) {
      const present = e[field] !== undefined;
      if (present && !allowed.has(field)) issue.addIssue({ code: 'custom', path: [field], message: `“${EVENT_LABELS[e.type]}”不使用此字段` });
      if (!present && spec.required.includes(field)) issue.addIssue({ code: 'custom', path: [field], message: MISSING[field]! });
    }
    if (e.type === 'answered' && e.outcome) {
      const problem = outcomeProblem(e.outcome, e.reason);
      if (problem) issue.addIssue({ code: 'custom', path: ['reason'], message: problem });
    }
    if (e.type === 'abandoned' && e.reason && !(ABANDON_REASONS as readonly string[]).includes(e.reason)) {
      issue.addIssue({ code: 'custom', path: ['reason'], message: '视为放弃的原因应为 no_correction（逾期不补正）或 fee_unpaid（逾期未缴费）' });
    }
  })
  .openapi('DisclosureEventInput');

export const DisclosureEventSchema = z
  .object({
    id: z.number(),
    type: z.enum(EVENT_TYPES),
    date: z.string(),
    at: z.string(),
    party: z.string().optional(),
    days: z.number().optional(),
    approvedBy: z.string().optional(),
    amount: z.number().optional(),
    outcome: z.string().optional(),
    reason: z.string().optional(),
    kind: z.string().optional(),
    result: z.string().optional(),
    note: z.string().nullable(),
    recordedBy: z.string().openapi({ description: '登记人（用户名）' }),
    recordedAt: z.string(),
  })
  .openapi('DisclosureEvent');

export const DisclosureRequestSchema = z
  .object({
    id: z.number(),
    number: z.string().openapi({ example: '2026-0001' }),
    year: z.number(),
    receivedAt: z.string().openapi({ description: '收到申请之日 YYYY-MM-DD' }),
    channel: ChannelEnum,
    applicantType: ApplicantTypeEnum,
    applicantName: z.string(),
    contact: z.string().nullable(),
    description: z.string(),
    departmentCode: z.string(),
    status: DisclosureStatusEnum,
    dueDate: z.string().nullable().openapi({ description: '答复期限（含当日）；征求意见中为“若今日结束”的日期；待补正时为 null' }),
    workingDaysLeft: z.number().nullable().openapi({ description: '今日之后到期限（含）的工作日数，0 表示今日到期；征求意见期间冻结' }),
    workingDaysOverdue: z.number().nullable(),
    provisional: z.boolean(),
    clockStart: z.string().openapi({ description: '计算 20 个工作日的起点：收到申请或收到补正之日' }),
    pausedWorkingDays: z.number().openapi({ description: '征求意见不计入的工作日数' }),
    correctionDueBy: z.string().openapi({ description: '告知补正的最后一日（收到申请后第 7 个工作日）' }),
    correctionRequestedOn: z.string().nullable(),
    correctionLate: z.boolean(),
    correctedOn: z.string().nullable(),
    consultation: z.object({ startedOn: z.string(), party: z.string().nullable() }).nullable(),
    extension: z.object({ date: z.string(), days: z.number(), approvedBy: z.string() }).nullable(),
    feeOutstanding: z.boolean(),
    closedBy: z.enum(['answered', 'withdrawn', 'abandoned']).nullable(),
    closedOn: z.string().nullable(),
    outcome: z.string().nullable(),
    reason: z.string().nullable(),
    answeredLate: z.boolean().nullable(),
    events: z.array(DisclosureEventSchema).optional().openapi({ description: '单件申请：按登记顺序的办理事件' }),
    createdBy: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('DisclosureRequest');

export const DisclosureSettings = z
  .object({
    numberPrefix: z
      .string()
      .max(20)
      .regex(/^[^\s\p{Cc}]*$/u, { message: '编号前缀不能包含空白或控制字符' })
      .openapi({ description: '编号前缀（年份之前的文字），如 "FGW-" 得 "FGW-2026-0001"；空为 "2026-0001"' }),
  })
  .strict()
  .openapi('DisclosureSettings');

const count = z.number().int().min(0).max(100_000_000).nullish();

export const AnnualReportInputsSchema = z
  .object({
    agencyName: optionalText(100).openapi({ description: '机关名称（报告标题）' }),
    regulationRepealed: count.openapi({ description: '规章：本年废止件数' }),
    regulationInForce: count.openapi({ description: '规章：现行有效件数（不填则按已登记的规章计算）' }),
    normativeRepealed: count.openapi({ description: '行政规范性文件：本年废止件数' }),
    normativeInForce: count.openapi({ description: '行政规范性文件：现行有效件数（不填则按已登记的文件计算）' }),
    licensingDecisions: count.openapi({ description: '行政许可：本年处理决定数量' }),
    punishmentDecisions: count.openapi({ description: '行政处罚：本年处理决定数量' }),
    enforcementDecisions: count.openapi({ description: '行政强制：本年处理决定数量' }),
    feesAmount: z.number().min(0).max(100_000_000).multipleOf(0.0001).nullish().openapi({ description: '行政事业性收费：本年收费金额（万元）' }),
    overview: optionalText(20_000).openapi({ description: '一、总体情况' }),
    problems: optionalText(20_000).openapi({ description: '五、存在的主要问题及改进情况' }),
    otherMatters: optionalText(20_000).openapi({ description: '六、其他需要报告的事项' }),
  })
  .strict()
  .openapi('AnnualReportInputs');

/** The same fields as stored and answered (every one optional). */
export const AnnualReportInputsView = z
  .object({
    agencyName: z.string().nullish(),
    regulationRepealed: z.number().nullish(),
    regulationInForce: z.number().nullish(),
    normativeRepealed: z.number().nullish(),
    normativeInForce: z.number().nullish(),
    licensingDecisions: z.number().nullish(),
    punishmentDecisions: z.number().nullish(),
    enforcementDecisions: z.number().nullish(),
    feesAmount: z.number().nullish(),
    overview: z.string().nullish(),
    problems: z.string().nullish(),
    otherMatters: z.string().nullish(),
  })
  .openapi('AnnualReportInputsView');

const ApplicantValues = z.object(Object.fromEntries([...APPLICANT_TYPES, 'total'].map((k) => [k, z.number()])) as Record<string, z.ZodNumber>);
const ReviewGroup = z.object(Object.fromEntries([...REVIEW_RESULTS, 'total'].map((k) => [k, z.number()])) as Record<string, z.ZodNumber>);

export const AnnualReportSchema = z
  .object({
    year: z.number(),
    title: z.string(),
    agencyName: z.string().nullable(),
    table2: z.object({
      documents: z.array(
        z.object({
          key: z.enum(['regulation', 'normative']),
          label: z.string(),
          made: z.number(),
          repealed: z.number().nullable(),
          inForce: z.number(),
          inForceEnteredByHand: z.boolean(),
        }),
      ),
      licensing: z.number().nullable(),
      punishment: z.number().nullable(),
      enforcement: z.number().nullable(),
      fees: z.number().nullable().openapi({ description: '万元' }),
    }),
    table3: z.object({
      columns: z.array(z.object({ key: z.string(), label: z.string() })),
      rows: z.array(z.object({ key: z.string(), label: z.string(), group: z.string().optional(), values: ApplicantValues })),
      check: z.object({
        passed: z.boolean().openapi({ description: '一 + 二 = （七） + 四（每一列），且（七）为各项之和' }),
        columns: z.array(z.object({ column: z.string(), label: z.string(), left: z.number(), right: z.number(), passed: z.boolean() })),
        totalMismatches: z.array(z.string()),
      }),
    }),
    table4: z.object({ reconsideration: ReviewGroup, litigation_direct: ReviewGroup, litigation_after_reconsideration: ReviewGroup }),
    processingFeesCollected: z.number().openapi({ description: '本年收取的信息处理费（元）' }),
    sections: z.object({ overview: z.string().nullable(), problems: z.string().nullable(), otherMatters: z.string().nullable() }),
    inputs: AnnualReportInputsView,
    generatedAt: z.string(),
  })
  .openapi('AnnualReport');
