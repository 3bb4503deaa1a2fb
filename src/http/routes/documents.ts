import { etagHeader, etagOf, IfMatchHeader, ifMatchVersions, preconditionFailed } from '../etag.js';
import { createRoute, z } from '@hono/zod-openapi';
import type { AppContext } from '../../app/context.js';
import { getDocument, listDocuments, registerDocument, updateDocument, type DocumentQuery, type DocumentStatus } from '../../app/documents.js';
import { invalidField } from '../../app/errors.js';
import { signOffDocument } from '../../app/sign-off.js';
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
  PublishedRange,
  SearchQuery,
  SignOffInput,
  StatusEnum,
} from '../schemas.js';

const TAG = ['文件'];

/** The list's filters, which its export takes too. */
export const DocumentListQuery = {
  status: StatusEnum.optional(),
  departmentCode: DepartmentCode.optional(),
  asOf: AsOfQuery,
  ...PublishedRange,
  q: SearchQuery,
};

/** The list's filters as the use case takes them; a range that ends before it starts is a 400. */
export function documentQuery(
  ctx: AppContext,
  q: { status?: string; departmentCode?: string; asOf?: string; publishedFrom?: string; publishedTo?: string; q?: string },
): DocumentQuery {
  if (q.publishedFrom && q.publishedTo && q.publishedTo < q.publishedFrom) throw invalidField('publishedTo', '发布日期止不能早于发布日期起');
  return {
    status: q.status as DocumentStatus | undefined,
    departmentCode: q.departmentCode,
    asOf: q.asOf === undefined ? ctx.now() : parseInstant(q.asOf)!,
    publishedFrom: q.publishedFrom,
    publishedTo: q.publishedTo,
    q: q.q,
  };
}

export function documentRoutes(ctx: AppContext) {
  const asOf = (value: string | undefined) => (value === undefined ? ctx.now() : parseInstant(value)!);
  return createRouter()
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/documents',
        operationId: 'createDocument',
        tags: TAG,
        summary: '登记政策文件（不填发布时间即为起草中的文件，可附解读方案）',
        request: { body: jsonBody(DocumentInput) },
        responses: {
          201: jsonResponse(DocumentSchema, '已登记，含解读截止日期（起草中的文件发布后才有）'),
          409: jsonResponse(ErrorSchema, '文号已登记'),
          422: jsonResponse(ErrorSchema, '部门不存在'),
          ...errorResponses,
        },
      }),
      async (c) => {
        const body = c.req.valid('json');
        const publishedAt = body.publishedAt == null ? null : parseInstant(body.publishedAt)!;
        return c.json(await registerDocument(ctx, c.get('actor'), { ...body, publishedAt }), 201);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/documents',
        operationId: 'listDocuments',
        tags: TAG,
        summary: '文件列表（可按解读状态、部门、发布日期筛选，按文号或标题检索）',
        request: {
          query: z.object({
            ...DocumentListQuery,
            ...Pagination,
          }),
        },
        responses: { 200: jsonResponse(itemsOf(DocumentSchema), '文件列表'), ...errorResponses },
      }),
      async (c) => {
        const q = c.req.valid('query');
        const items = await listDocuments(ctx, { ...documentQuery(ctx, q), limit: q.limit, offset: q.offset });
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
          200: { ...jsonResponse(DocumentSchema, '文件'), headers: etagHeader },
          404: jsonResponse(ErrorSchema, '文件不存在'),
          ...errorResponses,
        },
      }),
      async (c) => {
        const doc = await getDocument(ctx, c.req.valid('param').id, asOf(c.req.valid('query').asOf));
        return c.json(doc, 200, { ETag: etagOf(doc.updatedAt) });
      },
    )
    .openapi(
      createRoute({
        method: 'patch',
        path: '/api/documents/{id}',
        operationId: 'updateDocument',
        tags: TAG,
        summary: '修改文件（截止日期随之重算；为起草中的文件填写发布时间即发布）',
        request: { params: IdParam, headers: IfMatchHeader, body: jsonBody(DocumentPatch) },
        responses: {
          200: { ...jsonResponse(DocumentSchema, '已修改'), headers: etagHeader },
          404: jsonResponse(ErrorSchema, '文件不存在'),
          409: jsonResponse(ErrorSchema, '文号已登记，或解读方案已审签不能修改，或同时有他人修改'),
          ...preconditionFailed,
          422: jsonResponse(ErrorSchema, '部门不存在'),
          ...errorResponses,
        },
      }),
      async (c) => {
        const body = c.req.valid('json');
        const patch = { ...body, publishedAt: body.publishedAt === undefined ? undefined : parseInstant(body.publishedAt)! };
        const doc = await updateDocument(ctx, c.get('actor'), c.req.valid('param').id, patch, ifMatchVersions(c.req.valid('header')['if-match']));
        return c.json(doc, 200, { ETag: etagOf(doc.updatedAt) });
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/documents/{id}/sign-off',
        operationId: 'signOffDocument',
        tags: TAG,
        summary: '审签文件及其解读方案（管理员、领导，或经授权的本部门起草人员）',
        request: { params: IdParam, body: jsonBody(SignOffInput) },
        responses: {
          200: jsonResponse(DocumentSchema, '已审签'),
          404: jsonResponse(ErrorSchema, '文件不存在'),
          409: jsonResponse(ErrorSchema, '已审签'),
          422: jsonResponse(ErrorSchema, '审签时间晚于当前时间'),
          ...errorResponses,
        },
      }),
      async (c) => {
        const body = c.req.valid('json');
        const input = { at: body.at === undefined ? undefined : parseInstant(body.at)!, note: body.note };
        return c.json(await signOffDocument(ctx, c.get('actor'), c.req.valid('param').id, input), 200);
      },
    );
}
