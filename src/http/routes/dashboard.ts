import { createRoute, z } from '@hono/zod-openapi';
import type { AppContext } from '../../app/context.js';
import { dashboard } from '../../app/dashboard.js';
import { parseInstant } from '../../domain/time.js';
import { TimerSchema } from '../monitoring-schemas.js';
import { createRouter } from '../router.js';
import { AsOfQuery, DocumentSchema, errorResponses, jsonResponse } from '../schemas.js';

const n = z.number();
const DashboardSchema = z
  .object({
    asOf: z.string(),
    counts: z.object({
      documents: z.object({ pending: n, overdue: n, on_time: n, late: n, exempt: n, drafting: n.openapi({ description: '起草中（尚未发布）的文件数' }) }),
      openIncidents: n,
      runningCommitments: n,
      missedCommitments: n,
    }),
    timers: z.array(TimerSchema),
    overdueDocuments: z.array(DocumentSchema),
    departments: z.array(
      z.object({
        code: z.string(),
        name: z.string(),
        pending: n,
        overdue: n,
        onTime: n,
        late: n,
        exempt: n,
        onTimeRate: n.nullable().openapi({ description: '按时 ÷（按时 + 迟发 + 逾期）；尚无到期文件时为 null' }),
        requiringInterpretation: n.openapi({ description: '需解读的已发布文件数' }),
        plannedAndSigned: n.openapi({ description: '其中解读方案与文件同步审签（发布前审签且审签时已有方案）的文件数' }),
        majorDocuments: n.openapi({ description: '需解读的重大文件数' }),
        leaderLedMajor: n.openapi({ description: '其中已有主要负责人解读的重大文件数' }),
      }),
    ),
  })
  .openapi('Dashboard');

export function dashboardRoutes(ctx: AppContext) {
  return createRouter().openapi(
    createRoute({
      method: 'get',
      path: '/api/dashboard',
      operationId: 'getDashboard',
      tags: ['领导看板'],
      summary: '看板：各类数量、进行中的回应计时、逾期未解读文件、各部门按时解读情况',
      request: { query: z.object({ asOf: AsOfQuery }) },
      responses: { 200: jsonResponse(DashboardSchema, '看板'), ...errorResponses },
    }),
    async (c) => {
      const { asOf } = c.req.valid('query');
      return c.json(await dashboard(ctx, asOf === undefined ? ctx.now() : parseInstant(asOf)!), 200);
    },
  );
}
