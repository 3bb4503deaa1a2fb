import { createRoute, z } from '@hono/zod-openapi';
import { listAlerts, runSweep } from '../../app/alerts.js';
import type { AppContext } from '../../app/context.js';
import { parseInstant } from '../../domain/time.js';
import { createRouter } from '../router.js';
import { AlertSchema, errorResponses, Instant, itemsOf, jsonResponse, Pagination } from '../schemas.js';

export function alertRoutes(ctx: AppContext) {
  return createRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/alerts',
        operationId: 'listAlerts',
        tags: ['提醒'],
        summary: '提醒列表（新的在前）',
        request: { query: z.object({ type: z.string().max(50).optional(), ...Pagination }) },
        responses: { 200: jsonResponse(itemsOf(AlertSchema), '提醒列表'), ...errorResponses },
      }),
      async (c) => c.json({ items: await listAlerts(ctx, c.req.valid('query')) }, 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/jobs/sweep',
        operationId: 'runSweep',
        tags: ['任务'],
        summary: '立即运行截止日期巡检',
        request: {
          body: {
            content: { 'application/json': { schema: z.object({ asOf: Instant.optional() }).strict() } },
            required: false,
          },
        },
        responses: { 200: jsonResponse(z.object({ alertsCreated: z.number() }), '巡检结果'), ...errorResponses },
      }),
      async (c) => {
        const { asOf } = c.req.valid('json');
        return c.json(await runSweep(ctx, asOf === undefined ? ctx.now() : parseInstant(asOf)!), 200);
      },
    );
}
