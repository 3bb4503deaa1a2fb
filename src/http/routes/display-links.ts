import { createRoute, z } from '@hono/zod-openapi';
import { createDisplayLink, listDisplayLinks, revokeDisplayLink } from '../../app/accounts/display-links.js';
import type { AppContext } from '../../app/context.js';
import { createRouter } from '../router.js';
import { errorResponses, ErrorSchema, IdParam, itemsOf, jsonBody, jsonResponse } from '../schemas.js';

// Wall-screen links (SPEC §15), managed by admins. The screen itself opens /display/<secret>,
// a page outside /api (src/web/pages/display.tsx).

const TAG = ['大屏链接'];

/** POST /api/display-links; the /admin page validates its form with the same schema. */
export const DisplayLinkInput = z.object({ name: z.string().trim().min(1, { message: '请填写名称' }).max(100, { message: '名称不能超过 100 个字' }) }).strict();

const DisplayLinkSchema = z
  .object({
    id: z.number(),
    name: z.string(),
    createdBy: z.string(),
    createdAt: z.string(),
    lastSeenAt: z.string().nullable().openapi({ description: '大屏最近一次载入看板的时间（精确到分钟）' }),
    revokedAt: z.string().nullable(),
  })
  .openapi('DisplayLink');

export function displayLinkRoutes(ctx: AppContext) {
  return createRouter()
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/display-links',
        operationId: 'createDisplayLink',
        tags: TAG,
        summary: '创建大屏链接（管理员）：只读看板的地址，含密钥，只显示这一次，服务端只存哈希',
        request: { body: jsonBody(DisplayLinkInput) },
        responses: {
          201: jsonResponse(z.object({ id: z.number(), name: z.string(), url: z.string(), createdAt: z.string() }), '新链接（url 只显示这一次）'),
          ...errorResponses,
        },
      }),
      async (c) => c.json(await createDisplayLink(ctx, c.get('actor'), c.req.valid('json').name, new URL(c.req.url).origin), 201),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/display-links',
        operationId: 'listDisplayLinks',
        tags: TAG,
        summary: '大屏链接（不含地址中的密钥）',
        responses: { 200: jsonResponse(itemsOf(DisplayLinkSchema), '大屏链接'), ...errorResponses },
      }),
      async (c) => c.json({ items: await listDisplayLinks(ctx) }, 200),
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/api/display-links/{id}',
        operationId: 'revokeDisplayLink',
        tags: TAG,
        summary: '撤销大屏链接：该地址随即不再显示看板（404）',
        request: { params: IdParam },
        responses: { 200: jsonResponse(DisplayLinkSchema, '已撤销'), 404: jsonResponse(ErrorSchema, '不存在'), ...errorResponses },
      }),
      async (c) => c.json(await revokeDisplayLink(ctx, c.get('actor'), c.req.valid('param').id), 200),
    );
}
