import { createRoute, z } from '@hono/zod-openapi';
import type { AppContext } from '../../app/context.js';
import { briefingDate, briefingDocxFile, dailyBriefing, DOCX_CONTENT_TYPE } from '../../app/monitoring/briefing.js';
import { CommitmentSchema, HotwordSchema, SeverityEnum, IncidentStatusEnum, StorySchema } from '../monitoring-schemas.js';
import { createRouter } from '../router.js';
import { errorResponses, ErrorSchema, jsonResponse } from '../schemas.js';

const TAG = ['舆情日报'];

const BriefingIncidentSchema = z
  .object({
    id: z.number(),
    title: z.string(),
    severity: SeverityEnum,
    status: IncidentStatusEnum,
    departmentCode: z.string().nullable(),
    startedAt: z.string(),
    openedOnDate: z.boolean().openapi({ description: '当日新发（否则为此前发生、日终仍在处置）' }),
    openAtEnd: z.boolean().openapi({ description: '日终（当天则为当前）是否仍在处置' }),
    heat: z.number().openapi({ description: '热度：截至 asOf 近 1 小时内不同报道篇数' }),
    signal: z.number().openapi({ description: '负面信号：不同负面信号词个数' }),
    signalWords: z.array(z.string()),
    timers: z.array(CommitmentSchema).openapi({ description: '回应承诺及截至 asOf 的状态' }),
  })
  .openapi('BriefingIncident');

const DailyBriefingSchema = z
  .object({
    date: z.string().openapi({ description: '统计日期（北京时间）' }),
    asOf: z.string().openapi({ description: '统计截至：该日结束时刻，当天则为当前时刻' }),
    incidents: z.array(BriefingIncidentSchema).openapi({ description: '当日新发或日终仍在处置的舆情事件（不含已并入其他事件和已排除的），热度高的在前（至多 500 起，最近开始的）' }),
    stories: z
      .array(StorySchema.extend({ incidentIds: z.array(z.number()) }))
      .openapi({ description: '当日主要报道（转载归并，转载多的在前，至多 10 篇）' }),
    hotWords: z.array(HotwordSchema).openapi({ description: '当日热词' }),
    commitments: z
      .array(CommitmentSchema.extend({ incidentTitle: z.string() }))
      .openapi({ description: '当日到期或当日完成的回应承诺及其状态' }),
    overdueDocuments: z
      .array(
        z.object({
          id: z.number(),
          docNumber: z.string().nullable(),
          title: z.string(),
          departmentCode: z.string(),
          publishedDate: z.string().nullable(),
          interpretationDueDate: z.string().nullable(),
        }),
      )
      .openapi({ description: '日终逾期未解读的文件（最早到期的在前，至多 500 份）' }),
    totals: z
      .object({ incidents: z.number(), openedOnDate: z.number(), openAtEnd: z.number(), overdueDocuments: z.number() })
      .openapi({ description: '总数（列表至多 500 条）：当日新发或日终仍在处置的事件、其中当日新发的、日终仍在处置的，日终逾期未解读的文件' }),
  })
  .openapi('DailyBriefing');

export const BriefingQuery = z.object({
  date: z.string().optional().openapi({ description: '日期 YYYY-MM-DD（北京时间），默认今天；不能晚于今天', example: '2026-11-20' }),
  format: z
    .enum(['json', 'docx'], { message: 'format 应为 json 或 docx' })
    .optional()
    .openapi({ description: 'json（默认）或 docx（Word 文件，供报送；Workers 上不支持，返回 422）' }),
});

export function briefingRoutes(ctx: AppContext) {
  return createRouter().openapi(
    createRoute({
      method: 'get',
      path: '/api/briefings/daily',
      operationId: 'getDailyBriefing',
      tags: TAG,
      summary: '舆情日报：某日（北京时间）的舆情事件、主要报道与转载、热词、回应承诺和逾期未解读文件',
      request: { query: BriefingQuery },
      responses: {
        200: {
          description: '舆情日报（JSON，或 format=docx 时为 Word 文件）',
          content: {
            'application/json': { schema: DailyBriefingSchema },
            [DOCX_CONTENT_TYPE]: { schema: z.string().openapi({ format: 'binary' }) },
          },
        },
        422: jsonResponse(ErrorSchema, '当前运行环境不支持该格式（Workers 上的 DOCX）'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const briefing = await dailyBriefing(ctx, briefingDate(ctx, q.date));
      if (q.format === 'docx') return (await briefingDocxFile(ctx, briefing)) as never;
      return c.json(briefing, 200);
    },
  );
}
