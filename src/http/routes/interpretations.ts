import { createRoute, z } from '@hono/zod-openapi';
import type { AppContext } from '../../app/context.js';
import { createInterpretation, getInterpretation, linkDocument, unlinkDocument } from '../../app/interpretations.js';
import { parseInstant } from '../../domain/time.js';
import { createRouter } from '../router.js';
import { errorResponses, ErrorSchema, IdParam, InterpretationInput, InterpretationSchema, jsonBody, jsonResponse } from '../schemas.js';

const TAG = ['解读材料'];
const notFound = jsonResponse(ErrorSchema, '解读材料不存在');

export function interpretationRoutes(ctx: AppContext) {
  return createRouter()
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/interpretations',
        operationId: 'createInterpretation',
        tags: TAG,
        summary: '登记解读材料并关联文件（一份解读可关联多份文件）',
        request: { body: jsonBody(InterpretationInput) },
        responses: {
          201: jsonResponse(InterpretationSchema, '已登记'),
          422: jsonResponse(ErrorSchema, '文件或部门不存在'),
          ...errorResponses,
        },
      }),
      async (c) => {
        const body = c.req.valid('json');
        return c.json(await createInterpretation(ctx, c.get('actor'), { ...body, publishedAt: parseInstant(body.publishedAt)! }), 201);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/interpretations/{id}',
        operationId: 'getInterpretation',
        tags: TAG,
        summary: '解读材料详情',
        request: { params: IdParam },
        responses: { 200: jsonResponse(InterpretationSchema, '解读材料'), 404: notFound, ...errorResponses },
      }),
      async (c) => c.json(await getInterpretation(ctx, c.req.valid('param').id), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/interpretations/{id}/documents',
        operationId: 'linkInterpretation',
        tags: TAG,
        summary: '为解读材料增加关联文件',
        request: {
          params: IdParam,
          body: jsonBody(z.object({ documentId: z.number().int().positive() }).strict()),
        },
        responses: {
          200: jsonResponse(InterpretationSchema, '已关联'),
          404: notFound,
          409: jsonResponse(ErrorSchema, '已关联'),
          422: jsonResponse(ErrorSchema, '文件不存在'),
          ...errorResponses,
        },
      }),
      async (c) => c.json(await linkDocument(ctx, c.get('actor'), c.req.valid('param').id, c.req.valid('json').documentId), 200),
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/api/interpretations/{id}/documents/{documentId}',
        operationId: 'unlinkInterpretation',
        tags: TAG,
        summary: '取消解读材料与文件的关联',
        request: {
          params: IdParam.extend({
            documentId: z.coerce.number().int().positive().openapi({ param: { name: 'documentId', in: 'path' } }),
          }),
        },
        responses: {
          200: jsonResponse(InterpretationSchema, '已取消关联'),
          404: jsonResponse(ErrorSchema, '解读材料不存在或未关联该文件'),
          422: jsonResponse(ErrorSchema, '不能取消最后一个关联'),
          ...errorResponses,
        },
      }),
      async (c) => {
        const { id, documentId } = c.req.valid('param');
        return c.json(await unlinkDocument(ctx, c.get('actor'), id, documentId), 200);
      },
    );
}
