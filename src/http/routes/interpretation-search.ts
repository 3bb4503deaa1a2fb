import { createRoute, z } from '@hono/zod-openapi';
import type { AppContext } from '../../app/context.js';
import { searchInterpretations } from '../../app/interpretation-search.js';
import { createRouter } from '../router.js';
import { errorResponses, FormEnum, itemsOf, jsonResponse, Pagination, SearchQuery } from '../schemas.js';

const InterpretationSummarySchema = z
  .object({
    id: z.number(),
    title: z.string(),
    form: FormEnum,
    url: z.string().nullable(),
    publishedAt: z.string(),
    departmentCode: z.string().nullable(),
    documentCount: z.number().openapi({ description: '已关联的文件数' }),
  })
  .openapi('InterpretationSummary');

/** GET /api/interpretations: find an interpretation by its title (to link it to another document). */
export function interpretationSearchRoutes(ctx: AppContext) {
  return createRouter().openapi(
    createRoute({
      method: 'get',
      path: '/api/interpretations',
      operationId: 'listInterpretations',
      tags: ['解读材料'],
      summary: '解读材料列表，最新的在前；q 按标题检索（全角、半角、大小写视为相同；纯数字也匹配编号）',
      request: { query: z.object({ q: SearchQuery.openapi({ description: '标题中包含的文字', example: '一图读懂' }), ...Pagination }) },
      responses: { 200: jsonResponse(itemsOf(InterpretationSummarySchema), '解读材料'), ...errorResponses },
    }),
    async (c) => c.json({ items: await searchInterpretations(ctx, c.req.valid('query')) }, 200),
  );
}
