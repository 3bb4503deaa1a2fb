import { createRoute, z } from '@hono/zod-openapi';
import { addWorkingDays, getDay, getYear, importYear, setDay } from '../../app/calendar.js';
import type { AppContext } from '../../app/context.js';
import { createRouter } from '../router.js';
import { DateString, DaySchema, errorResponses, ErrorSchema, HolidayCnSchema, jsonBody, jsonResponse, Year } from '../schemas.js';

const TAG = ['工作日历'];
const dateParam = z.object({ date: DateString.openapi({ param: { name: 'date', in: 'path' } }) });

export function calendarRoutes(ctx: AppContext) {
  return createRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/calendar/days/{date}',
        operationId: 'getCalendarDay',
        tags: TAG,
        summary: '某日是否工作日',
        request: { params: dateParam },
        responses: { 200: jsonResponse(DaySchema, '该日'), ...errorResponses },
      }),
      async (c) => c.json(await getDay(ctx, c.req.valid('param').date), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/calendar/add-working-days',
        operationId: 'addWorkingDays',
        tags: TAG,
        summary: '某日之后第 n 个工作日（起算日不计入）',
        request: {
          query: z.object({
            date: DateString,
            days: z.coerce.number().int().min(-3650).max(3650).openapi({ example: 3 }),
          }),
        },
        responses: {
          200: jsonResponse(
            z.object({ date: z.string(), days: z.number(), result: z.string(), provisional: z.boolean() }),
            '结果',
          ),
          422: jsonResponse(ErrorSchema, '结果超出支持范围'),
          ...errorResponses,
        },
      }),
      async (c) => {
        const { date, days } = c.req.valid('query');
        return c.json(await addWorkingDays(ctx, date, days), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/calendar/years/{year}',
        operationId: 'getCalendarYear',
        tags: TAG,
        summary: '某年的节假日与调休上班日',
        request: { params: z.object({ year: Year.openapi({ param: { name: 'year', in: 'path' } }) }) },
        responses: {
          200: jsonResponse(
            z.object({
              year: z.number(),
              published: z.boolean(),
              notice: z.string().nullable(),
              days: z.array(DaySchema.extend({ overridden: z.boolean() })),
            }),
            '该年',
          ),
          ...errorResponses,
        },
      }),
      async (c) => c.json(await getYear(ctx, c.req.valid('param').year), 200),
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/api/calendar/days/{date}',
        operationId: 'setCalendarDay',
        tags: TAG,
        summary: '单独设置某日（节假日 / 调休上班 / 恢复默认），并重算受影响的截止日期',
        request: {
          params: dateParam,
          body: jsonBody(
            z
              .object({
                kind: z.enum(['holiday', 'makeup_workday', 'default']),
                name: z.string().trim().max(50).nullish(),
              })
              .strict(),
          ),
        },
        responses: {
          200: jsonResponse(DaySchema, '该日'),
          422: jsonResponse(ErrorSchema, '不可能的设置'),
          ...errorResponses,
        },
      }),
      async (c) => {
        const { kind, name } = c.req.valid('json');
        return c.json(await setDay(ctx, c.get('actor'), c.req.valid('param').date, kind, name), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/calendar/import',
        operationId: 'importCalendarYear',
        tags: TAG,
        summary: '导入一年的节假日安排（holiday-cn 格式），替换该年已有安排并重算截止日期',
        request: { body: jsonBody(HolidayCnSchema) },
        responses: {
          200: jsonResponse(
            z.object({ year: z.number(), days: z.number(), recomputedDocuments: z.number() }),
            '已导入',
          ),
          ...errorResponses,
        },
      }),
      async (c) => c.json(await importYear(ctx, c.get('actor'), c.req.valid('json')), 200),
    );
}
