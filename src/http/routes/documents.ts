import { createRoute, z } from '@hono/zod-openapi';
import type { AppContext } from '../../app/context.js';
import { getDocument, listDocuments, registerDocument, updateDocument } from '../../app/documents.js';
import type { InterpretationStatus } from '../../domain/deadlines/interpretation.js';
import { parseInstant } from '../../domain/time.js';
import { createRouter } from '../router.js';
import {
  AsOfQuery,
  DepartmentCode,
  DocumentInput,
  DocumentPatch,
  DocumentSchema,
  errorResponses,
  ErrorSchema,
  IdParam,
  itemsOf,
  jsonBody,
  jsonResponse,
  Pagination,
  StatusEnum,
} from '../schemas.js';

const TAG = ['文件'];

export function documentRoutes(ctx: AppContext) {
  const asOf = (value: string | undefined) => (value === undefined ? ctx.now() : parseInstant(value)!);
  return createRouter()
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/documents',
        operationId: 'createDocument',
        tags: TAG,
        summary: '登记政策文件',
        request: { body: jsonBody(DocumentInput) },
        responses: {
          201: jsonResponse(DocumentSchema, '已登记，含解读截止日期'),
          409: jsonResponse(ErrorSchema, '文号已登记'),
          422: jsonResponse(ErrorSchema, '部门不存在'),
          ...errorResponses,
        },
      }),
      async (c) => {
        const body = c.req.valid('json');
        return c.json(await registerDocument(ctx, c.get('actor'), { ...body, publishedAt: parseInstant(body.publishedAt)! }), 201);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/documents',
        operationId: 'listDocuments',
        tags: TAG,
        summary: '文件列表（可按解读状态、部门筛选）',
        request: {
          query: z.object({
            status: StatusEnum.optional(),
            departmentCode: DepartmentCode.optional(),
            asOf: AsOfQuery,
            ...Pagination,
          }),
        },
        responses: { 200: jsonResponse(itemsOf(DocumentSchema), '文件列表'), ...errorResponses },
      }),
      async (c) => {
        const q = c.req.valid('query');
        const items = await listDocuments(ctx, {
          status: q.status as InterpretationStatus | undefined,
          departmentCode: q.departmentCode,
          asOf: asOf(q.asOf),
          limit: q.limit,
          offset: q.offset,
        });
        return c.json({ items }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/documents/{id}',
        operationId: 'getDocument',
        tags: TAG,
        summary: '文件详情（含关联的解读材料与状态）',
        request: { params: IdParam, query: z.object({ asOf: AsOfQuery }) },
        responses: {
          200: jsonResponse(DocumentSchema, '文件'),
          404: jsonResponse(ErrorSchema, '文件不存在'),
          ...errorResponses,
        },
      }),
      async (c) => c.json(await getDocument(ctx, c.req.valid('param').id, asOf(c.req.valid('query').asOf)), 200),
    )
    .openapi(
      createRoute({
        method: 'patch',
        path: '/api/documents/{id}',
        operationId: 'updateDocument',
        tags: TAG,
        summary: '修改文件（截止日期随之重算）',
        request: { params: IdParam, body: jsonBody(DocumentPatch) },
        responses: {
          200: jsonResponse(DocumentSchema, '已修改'),
          404: jsonResponse(ErrorSchema, '文件不存在'),
          409: jsonResponse(ErrorSchema, '文号已登记'),
          422: jsonResponse(ErrorSchema, '部门不存在'),
          ...errorResponses,
        },
      }),
      async (c) => {
        const body = c.req.valid('json');
        const patch = { ...body, publishedAt: body.publishedAt === undefined ? undefined : parseInstant(body.publishedAt)! };
        return c.json(await updateDocument(ctx, c.get('actor'), c.req.valid('param').id, patch), 200);
      },
    );
}
