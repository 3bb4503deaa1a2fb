import { z } from '@hono/zod-openapi';
import { INTERPRETATION_STATUSES } from '../domain/deadlines/interpretation.js';
import { CHANNEL_LABELS, PLAN_CHANNELS } from '../domain/deadlines/interpretation-plan.js';
import { isSupportedDate, MAX_YEAR, MIN_YEAR } from '../domain/calendar/calendar.js';
import { parseInstant, shanghaiDate } from '../domain/time.js';
import { INTERPRETATION_FORMS } from '../app/interpretations.js';
import { EXPORT_FORMATS } from '../app/exports/table.js';
import { MAX_QUERY_LENGTH } from '../app/search.js';

// Validation messages are read by users, so zod speaks Simplified Chinese.
z.config(z.locales.zhCN());

export const ErrorSchema = z
  .object({ error: z.object({ code: z.string(), message: z.string() }) })
  .openapi('Error');

const INSTANT_HELP = '应为带时区的 ISO 8601 时间（如 2025-09-30T10:00:00+08:00 或 …Z）或 YYYY-MM-DD（按北京时间当日 0 点）';

/** An instant as the API takes it (SPEC §2); handlers turn it into epoch ms with `parseInstant`. */
export const Instant = z
  .string()
  .refine((s) => {
    const ms = parseInstant(s);
    return ms !== null && isSupportedDate(shanghaiDate(ms));
  }, { message: `时间格式无效，${INSTANT_HELP}，年份 ${MIN_YEAR}–${MAX_YEAR}` })
  .openapi({ example: '2025-09-30T10:00:00+08:00', description: INSTANT_HELP });

export const DateString = z
  .string()
  .refine(isSupportedDate, { message: `日期无效，应为 YYYY-MM-DD，年份 ${MIN_YEAR}–${MAX_YEAR}` })
  .openapi({ example: '2025-10-09' });

export const Year = z.coerce
  .number()
  .int()
  .min(MIN_YEAR)
  .max(MAX_YEAR)
  .openapi({ example: 2026 });

const optionalText = (max: number) =>
  z.string().trim().max(max).nullish().transform((v) => (v === '' ? null : v));

export const UrlField = z
  .string()
  .trim()
  .max(2000)
  .refine((s) => s === '' || /^https?:\/\/[^\s]+$/i.test(s), { message: '链接应以 http:// 或 https:// 开头' })
  .nullish()
  .transform((v) => (v === '' ? null : v));

export const Pagination = {
  limit: z.coerce.number().int().min(1).max(500).default(50).openapi({ description: '每页条数（1–500）' }),
  offset: z.coerce.number().int().min(0).default(0),
};

// In a query string an unencoded '+' arrives as a space ('…T10:00:00 08:00'): read it back as
// '+', since nothing else could be meant.
const restorePlus = (s: string) => s.replace(/ (\d{2}:\d{2})$/, '+$1');
export const AsOfQuery = z
  .string()
  .transform(restorePlus)
  .pipe(Instant)
  .optional()
  .openapi({ description: `计算状态的时刻，默认为当前时刻；${INSTANT_HELP}`, example: '2025-10-12T09:00:00+08:00' });

/** `q` of the lists: a substring of 文号 or title, compared after the rules' normalisation. */
export const SearchQuery = z
  .string()
  .max(MAX_QUERY_LENGTH, { message: `检索词不能超过 ${MAX_QUERY_LENGTH} 个字` })
  .optional()
  .openapi({ description: '检索词：文号或标题中包含的文字（全角、半角、大小写视为相同）', example: '营商环境' });

/** Publication dates of the document list and its export (Beijing dates, both included). */
export const PublishedRange = {
  publishedFrom: DateString.optional().openapi({ description: '发布日期起（北京时间，含当日）', example: '2026-01-01' }),
  publishedTo: DateString.optional().openapi({ description: '发布日期止（北京时间，含当日）', example: '2026-12-31' }),
};

export const ExportFormatQuery = z
  .enum(EXPORT_FORMATS)
  .default('csv')
  .openapi({ description: '文件格式：csv（UTF-8 带 BOM，Excel 可直接打开）或 xlsx', example: 'csv' });

export const IdParam = z.object({
  id: z.coerce.number().int().positive().openapi({ param: { name: 'id', in: 'path' }, example: 1 }),
});

export const DepartmentCode = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,32}$/, { message: '部门代码只能包含字母、数字、下划线和连字符，最长 32 位' });

export const DepartmentSchema = z
  .object({ id: z.number(), code: z.string(), name: z.string(), createdAt: z.string() })
  .openapi('Department');

export const DepartmentInput = z.object({
  code: DepartmentCode.openapi({ example: 'fgw' }),
  name: z.string().trim().min(1).max(100).openapi({ example: '市发展改革委' }),
});

export const FormEnum = z.enum(INTERPRETATION_FORMS);

export const ChannelEnum = z
  .enum(PLAN_CHANNELS)
  .openapi({ description: `发布渠道：${Object.entries(CHANNEL_LABELS).map(([k, v]) => `${k} ${v}`).join('，')}` });

/** The interpretation plan (解读方案, SPEC §12) as clients write it. */
export const PlanInput = z
  .object({
    forms: z.array(FormEnum).min(1, { message: '解读方案至少要列出一种解读形式' }).max(20),
    responsibleUserId: z.number().int().positive().nullish().openapi({ description: '解读责任人的用户编号' }),
    responsibleName: optionalText(50).openapi({ description: '解读责任人（姓名、职务）' }),
    leaderLed: z.boolean().optional().openapi({ description: '是否由主要负责人解读（新闻发布会、在线访谈或署名文章），默认 false' }),
    channels: z.array(ChannelEnum).max(20).optional().openapi({ description: '计划发布的渠道' }),
    note: optionalText(1000),
  })
  .strict()
  .openapi('InterpretationPlanInput');

export const PlanSchema = z
  .object({
    forms: z.array(z.string()),
    responsibleUserId: z.number().nullable(),
    responsibleName: z.string().nullable(),
    leaderLed: z.boolean(),
    channels: z.array(z.string()),
    note: z.string().nullable(),
  })
  .openapi('InterpretationPlan');

const documentFields = {
  docNumber: optionalText(100).openapi({ example: '沪府办发〔2025〕12号', description: '文号，登记时唯一' }),
  title: z.string().trim().min(1).max(500).openapi({ example: '关于进一步优化营商环境的若干措施' }),
  departmentCode: DepartmentCode.openapi({ description: '起草部门代码' }),
  publishedAt: Instant,
  url: UrlField,
  requiresInterpretation: z.boolean(),
  exemptReason: optionalText(1000).openapi({ description: '免于解读的理由；requiresInterpretation 为 false 时必填' }),
  importance: z.enum(['normal', 'major']),
  docType: z
    .enum(['regulation', 'normative'])
    .nullish()
    .openapi({ description: '文件类别：regulation 规章，normative 行政规范性文件（计入年度报告表二）；其他文件不填' }),
  plan: PlanInput.nullish().openapi({ description: '解读方案；审签后不能再修改，null 删除' }),
};

export const DocumentInput = z
  .object({
    ...documentFields,
    // Optional here, defaulted by the use case: a schema default would make the generated
    // client demand the field (OpenAPI documents the parsed output, where it always exists).
    requiresInterpretation: documentFields.requiresInterpretation.optional().openapi({ description: '是否需要解读，默认 true' }),
    importance: documentFields.importance.optional().openapi({ description: '重要程度，默认 normal' }),
    publishedAt: documentFields.publishedAt.nullish().openapi({ description: '发布时间；不填为尚未发布、起草中的文件（发布时再填，解读时限自发布起算）' }),
  })
  .strict()
  .openapi('DocumentInput');

export const DocumentPatch = z
  .object({ ...documentFields, publishedAt: documentFields.publishedAt.openapi({ description: '发布时间；为起草中的文件填写即为发布' }) })
  .partial()
  .strict()
  .openapi('DocumentPatch');

export const SignOffInput = z
  .object({
    at: Instant.optional().openapi({ description: '审签时间，默认为当前时刻（补录纸质审签时填写）' }),
    note: optionalText(1000).openapi({ description: '审签意见' }),
  })
  .strict()
  .openapi('SignOffInput');

export const StatusEnum = z.enum(['drafting', ...INTERPRETATION_STATUSES] as [string, ...string[]]);

export const LinkedInterpretationSchema = z.object({
  id: z.number(),
  title: z.string(),
  form: z.string(),
  url: z.string().nullable(),
  publishedAt: z.string(),
  channels: z.array(z.string()),
  leaderLed: z.boolean(),
});

export const DocumentSchema = z
  .object({
    id: z.number(),
    docNumber: z.string().nullable(),
    title: z.string(),
    departmentCode: z.string(),
    publishedAt: z.string().nullable().openapi({ description: '发布时间；起草中为 null' }),
    publishedDate: z.string().nullable().openapi({ description: '发布日期（北京时间）；起草中为 null' }),
    url: z.string().nullable(),
    requiresInterpretation: z.boolean(),
    exemptReason: z.string().nullable(),
    importance: z.enum(['normal', 'major']),
    docType: z.enum(['regulation', 'normative']).nullable().openapi({ description: 'regulation 规章，normative 行政规范性文件，null 为其他' }),
    interpretationDueDate: z.string().nullable().openapi({ description: '解读截止日期；起草中为 null（自发布起算）' }),
    provisional: z.boolean().openapi({ description: '截止日期涉及尚未公布节假日安排的年份（仅按周末推算）' }),
    status: StatusEnum.openapi({ description: 'drafting 起草中（尚未发布），其余见解读状态规则' }),
    workingDaysLeft: z.number().nullable().openapi({ description: '仅 pending：今日之后到截止日（含）尚余的工作日数，0 表示今日到期' }),
    interpretations: z.array(LinkedInterpretationSchema),
    plan: PlanSchema.nullable(),
    signedOffAt: z.string().nullable().openapi({ description: '审签时间' }),
    signedOffBy: z.string().nullable().openapi({ description: '审签人（用户名）' }),
    planAtSignOff: z.boolean().nullable().openapi({ description: '审签时是否已有解读方案；未审签为 null' }),
    signOffNote: z.string().nullable(),
    planGaps: z
      .object({ forms: z.array(z.string()), channels: z.array(z.string()), leaderLed: z.boolean() })
      .nullable()
      .openapi({ description: '解读截止日期过后，方案承诺而尚无解读材料落实的形式、渠道与主要负责人解读；未到期或无方案时为 null' }),
    leaderLedMissing: z.boolean().openapi({ description: '重大文件尚无主要负责人解读（标记 leaderLed，或新闻发布会、在线访谈）' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Document');

export const InterpretationInput = z
  .object({
    title: z.string().trim().min(1).max(500).openapi({ example: '一图读懂《关于进一步优化营商环境的若干措施》' }),
    form: FormEnum,
    url: UrlField,
    publishedAt: Instant,
    departmentCode: DepartmentCode.nullish(),
    documentIds: z.array(z.number().int().positive()).min(1, { message: '至少关联一个文件' }).max(200),
    channels: z.array(ChannelEnum).max(20).optional().openapi({ description: '发布渠道' }),
    leaderLed: z.boolean().optional().openapi({ description: '是否由主要负责人解读，默认 false' }),
  })
  .strict()
  .openapi('InterpretationInput');

export const InterpretationSchema = z
  .object({
    id: z.number(),
    title: z.string(),
    form: FormEnum,
    url: z.string().nullable(),
    publishedAt: z.string(),
    departmentCode: z.string().nullable(),
    channels: z.array(z.string()),
    leaderLed: z.boolean(),
    documents: z.array(
      z.object({ id: z.number(), docNumber: z.string().nullable(), title: z.string(), departmentCode: z.string() }),
    ),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Interpretation');

export const DayKindEnum = z.enum(['workday', 'weekend', 'holiday', 'makeup_workday']);

export const DaySchema = z
  .object({
    date: z.string(),
    workingDay: z.boolean(),
    kind: DayKindEnum,
    name: z.string().optional(),
    provisional: z.boolean(),
  })
  .openapi('CalendarDay');

export const HolidayCnSchema = z
  .object({
    year: z.number().int().min(MIN_YEAR).max(MAX_YEAR),
    papers: z.array(z.string()).optional(),
    days: z
      .array(
        z.object({
          name: z.string().trim().min(1).max(50),
          date: z.string(),
          isOffDay: z.boolean(),
        }),
      )
      .max(400),
  })
  .openapi('HolidayCnYear', { description: 'holiday-cn 格式的一年节假日安排' });

export const AlertSchema = z
  .object({
    id: z.number(),
    type: z.string(),
    documentId: z.number().optional(),
    incidentId: z.number().optional(),
    commitmentId: z.number().optional(),
    feedId: z.number().optional(),
    disclosureRequestId: z.number().optional().openapi({ description: '依申请公开提醒所涉申请' }),
    departmentCode: z.string().optional(),
    severity: z.string().optional(),
    subject: z.string().optional().openapi({ description: '文件或事件标题、订阅源名称' }),
    deadline: z.string().optional().openapi({ description: '提醒所涉时限（解读截止日期取当日 24 时）' }),
    createdAt: z.string(),
    message: z.string(),
  })
  .openapi('Alert');

export const itemsOf = <T extends z.ZodTypeAny>(schema: T) => z.object({ items: z.array(schema) });

export function jsonBody<T extends z.ZodTypeAny>(schema: T) {
  return { content: { 'application/json': { schema } }, required: true };
}

export function jsonResponse<T extends z.ZodTypeAny>(schema: T, description: string) {
  return { content: { 'application/json': { schema } }, description };
}

export const errorResponses = {
  400: jsonResponse(ErrorSchema, '输入无效：错误信息指明字段'),
  401: jsonResponse(ErrorSchema, '未提供或无效的凭据'),
  403: jsonResponse(ErrorSchema, '当前角色或部门无权执行此操作'),
};
