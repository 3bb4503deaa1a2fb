import { createRoute } from '@hono/zod-openapi';
import type { AppContext } from '../../app/context.js';
import { createDepartment, listDepartments, renameDepartment } from '../../app/departments.js';
import { createRouter } from '../router.js';
import { DepartmentCode, DepartmentInput, DepartmentSchema, errorResponses, ErrorSchema, itemsOf, jsonBody, jsonResponse, Pagination } from '../schemas.js';
import { z } from '@hono/zod-openapi';

export function departmentRoutes(ctx: AppContext) {
  return createRouter()
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/departments',
        operationId: 'createDepartment',
        tags: ['部门'],
        summary: '登记部门',
        request: { body: jsonBody(DepartmentInput) },
        responses: {
          201: jsonResponse(DepartmentSchema, '已登记'),
          409: jsonResponse(ErrorSchema, '部门代码已存在'),
          ...errorResponses,
        },
      }),
      async (c) => c.json(await createDepartment(ctx, c.get('actor'), c.req.valid('json')), 201),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/departments',
        operationId: 'listDepartments',
        tags: ['部门'],
        summary: '部门列表',
        request: { query: z.object(Pagination) },
        responses: { 200: jsonResponse(itemsOf(DepartmentSchema), '部门列表'), ...errorResponses },
      }),
      async (c) => c.json({ items: await listDepartments(ctx, c.req.valid('query')) }, 200),
    )
    .openapi(
      createRoute({
        method: 'patch',
        path: '/api/departments/{code}',
        operationId: 'renameDepartment',
        tags: ['部门'],
        summary: '修改部门名称（代码不变）',
        request: { params: z.object({ code: DepartmentCode.openapi({ param: { name: 'code', in: 'path' }, example: 'fgw' }) }), body: jsonBody(DepartmentInput.pick({ name: true }).strict()) },
        responses: {
          200: jsonResponse(DepartmentSchema, '已修改'),
          404: jsonResponse(ErrorSchema, '部门不存在'),
          ...errorResponses,
        },
      }),
      async (c) => c.json(await renameDepartment(ctx, c.get('actor'), c.req.valid('param').code, c.req.valid('json').name), 200),
    );
}
