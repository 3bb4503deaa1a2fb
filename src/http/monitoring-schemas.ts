import { z } from '@hono/zod-openapi';
import { SEVERITIES } from '../domain/deadlines/response-policy.js';
import { DepartmentCode, Instant, UrlField } from './schemas.js';

export const SeverityEnum = z.enum(SEVERITIES).openapi({ description: '特别重大 / 重大 / 较大 / 一般' });
export const IncidentStatusEnum = z.enum(['open', 'closed', 'dismissed']);

export const CommitmentSchema = z
  .object({
    id: z.number(),
    incidentId: z.number(),
    kind: z.string(),
    label: z.string(),
    dueAt: z.string(),
    fulfilledAt: z.string().nullable(),
    url: z.string().nullable(),
    note: z.string().nullable(),
    policyVersion: z.number(),
    status: z.enum(['met', 'late', 'missed', 'open', 'cancelled']),
    remainingSeconds: z.number().nullable().openapi({ description: '仅 open：距离时限的秒数' }),
  })
  .openapi('Commitment');

export const TimerSchema = CommitmentSchema.extend({
  incidentTitle: z.string(),
  severity: SeverityEnum,
  departmentCode: z.string().nullable(),
  startedAt: z.string(),
}).openapi('Timer');

export const ItemSchema = z
  .object({
    id: z.number(),
    feedId: z.number(),
    title: z.string(),
    link: z.string().nullable(),
    publishedAt: z.string().nullable(),
    fetchedAt: z.string(),
    matchedRuleIds: z.array(z.number()),
    storyId: z.number().optional().openapi({ description: '所属报道（转载归并后的同一篇报道）：其最早条目的编号' }),
  })
  .openapi('Item');

export const IncidentSchema = z
  .object({
    id: z.number(),
    title: z.string(),
    summary: z.string().nullable(),
    severity: SeverityEnum,
    departmentCode: z.string().nullable(),
    status: IncidentStatusEnum,
    startedAt: z.string(),
    ruleId: z.number().nullable(),
    mergedIntoId: z.number().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    commitments: z.array(CommitmentSchema),
    heat: z.number().openapi({ description: '热度：近 1 小时内不同报道（转载归并后）的篇数' }),
    signal: z.number().openapi({ description: '负面信号：事件各条目中出现的不同负面信号词个数' }),
    signalWords: z.array(z.string()),
  })
  .openapi('Incident');

export const HotwordSchema = z.object({ word: z.string(), weight: z.number() }).openapi('Hotword');

export const StorySourceSchema = z
  .object({
    feedId: z.number(),
    feedName: z.string(),
    itemId: z.number(),
    title: z.string(),
    link: z.string().nullable(),
    publishedAt: z.string().nullable(),
  })
  .openapi('StorySource');

export const StorySchema = z
  .object({
    storyId: z.number().openapi({ description: '报道编号：其最早条目的编号' }),
    title: z.string(),
    firstSeenAt: z.string(),
    reprints: z.number().openapi({ description: 'N 家转载：刊载这篇报道的不同订阅源个数（含首发）' }),
    items: z.number(),
    sources: z.array(StorySourceSchema).openapi({ description: '每个订阅源一条（该源最早的条目）' }),
  })
  .openapi('Story');

export const IncidentDetailSchema = IncidentSchema.extend({
  items: z.array(ItemSchema),
  stories: z.array(StorySchema).openapi({ description: '每篇报道一次（转载归并），转载多的在前' }),
  heating: z.boolean().openapi({ description: '截至 asOf 是否“热度上升”' }),
  heatBaseline: z.number().openapi({ description: 'μ：此前 24 小时平均每小时不同报道篇数' }),
  storiesPerHour: z.array(z.object({ hour: z.string(), stories: z.number() })).openapi({ description: '近 24 个整点小时每小时不同报道篇数（最后一项为当前小时）' }),
  hotwords: z.array(HotwordSchema),
}).openapi('IncidentDetail');

export const IncidentInput = z
  .object({
    title: z.string().trim().min(1).max(500).openapi({ example: '某区化工厂火灾' }),
    severity: SeverityEnum,
    startedAt: Instant.optional().openapi({ description: '计时起点，默认为当前时刻' }),
    departmentCode: DepartmentCode.nullish(),
    summary: z.string().trim().max(5000).nullish(),
  })
  .strict()
  .openapi('IncidentInput');

export const IncidentPatch = z
  .object({
    title: z.string().trim().min(1).max(500),
    summary: z.string().trim().max(5000).nullable(),
    severity: SeverityEnum,
    status: IncidentStatusEnum,
    startedAt: Instant,
    departmentCode: DepartmentCode.nullable(),
  })
  .partial()
  .strict()
  .openapi('IncidentPatch');

export const FulfilInput = z
  .object({
    at: Instant.optional().openapi({ description: '完成时刻，默认为当前时刻' }),
    url: UrlField,
    note: z.string().trim().max(2000).nullish(),
  })
  .strict()
  .openapi('FulfilInput');

const CommitmentRuleSchema = z.object({
  kind: z.string().trim().regex(/^[a-z][a-z0-9_]{0,49}$/, { message: '承诺类型只能包含小写字母、数字和下划线' }),
  hours: z.number().positive().max(24 * 365),
});

export const PolicyRulesSchema = z
  .object(Object.fromEntries(SEVERITIES.map((s) => [s, z.array(CommitmentRuleSchema).max(10)])) as Record<
    (typeof SEVERITIES)[number],
    z.ZodArray<typeof CommitmentRuleSchema>
  >)
  .strict();

export const ResponsePolicySchema = z
  .object({ version: z.number(), rules: PolicyRulesSchema, createdAt: z.string() })
  .openapi('ResponsePolicy');

export const FeedSchema = z
  .object({
    id: z.number(),
    name: z.string(),
    url: z.string(),
    intervalMinutes: z.number(),
    source: z.enum(['config', 'api']),
    enabled: z.boolean(),
    lastPolledAt: z.string().nullable(),
    lastSuccessAt: z.string().nullable(),
    lastError: z.string().nullable(),
    consecutiveErrors: z.number(),
    nextPollAt: z.string(),
    itemCount: z.number(),
  })
  .openapi('Feed');

export const FeedInput = z
  .object({
    name: z.string().trim().min(1).max(200).openapi({ example: '市政府门户网站 · 政务要闻' }),
    url: z
      .string()
      .trim()
      .max(2000)
      .refine((s) => URL.canParse(s) && /^https?:$/.test(new URL(s).protocol), { message: '订阅源地址必须是 http:// 或 https:// 开头的有效网址' })
      .openapi({ example: 'https://www.example.gov.cn/rss/news.xml' }),
    intervalMinutes: z.number().int().min(1).max(24 * 60).optional().openapi({ description: '抓取间隔（分钟），默认 15' }),
  })
  .strict()
  .openapi('FeedInput');

export const FeedPatch = z
  .object({
    name: FeedInput.shape.name,
    intervalMinutes: z.number().int().min(1).max(24 * 60),
    enabled: z.boolean().openapi({ description: 'false：停用（保留条目和状态，不再自动抓取）' }),
  })
  .partial()
  .strict()
  .openapi('FeedPatch');

export const PollResultSchema = z
  .object({
    feedId: z.number(),
    fetched: z.number(),
    new: z.number(),
    matched: z.number(),
    notModified: z.boolean(),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
  })
  .openapi('PollResult');

export const RuleSchema = z
  .object({
    id: z.number(),
    name: z.string(),
    query: z.string(),
    severity: SeverityEnum,
    departmentCode: z.string().nullable(),
    source: z.enum(['config', 'api']),
    enabled: z.boolean(),
    minSignal: z.number().openapi({ description: '负面信号门槛：条目中不同负面信号词少于此数时，本规则不据此新建或归入事件' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Rule');

const RuleQueryField = z
  .string()
  .max(2000)
  .openapi({ example: '化工厂 NEAR/10 泄漏 OR (燃气 OR 天然气) 爆炸', description: '词、"短语"、AND、OR、NOT、括号、NEAR/n（两边为单个词或短语）；空格表示 AND' });

export const RuleInput = z
  .object({
    name: z.string().trim().min(1).max(100).openapi({ example: '燃气安全' }),
    query: RuleQueryField,
    severity: SeverityEnum,
    departmentCode: DepartmentCode.nullish(),
    enabled: z.boolean().optional(),
    minSignal: z
      .number()
      .int({ message: '负面信号门槛应为 0 到 20 之间的整数' })
      .min(0, { message: '负面信号门槛应为 0 到 20 之间的整数' })
      .max(20, { message: '负面信号门槛应为 0 到 20 之间的整数' })
      .optional()
      .openapi({ description: '负面信号门槛（默认 0）：条目标题和正文中不同负面信号词（feeds/signals.txt）至少这么多个，本规则才新建或归入事件', example: 1 }),
  })
  .strict()
  .openapi('RuleInput');

export const RulePatch = RuleInput.partial().strict().openapi('RulePatch');

export const RuleTestInput = z
  .object({ query: RuleQueryField, text: z.string().max(100_000) })
  .strict()
  .openapi('RuleTestInput');
