import { etagHeader, etagOf, IfMatchHeader, ifMatchVersions, preconditionFailed } from '../etag.js';
import { createRoute, z } from '@hono/zod-openapi';
import type { AppContext } from '../../app/context.js';
import {
  createIncident,
  fulfilCommitment,
  getIncident,
  listIncidents,
  listTimers,
  mergeIncidents,
  updateIncident,
} from '../../app/incidents.js';
import { currentPolicy, setPolicy } from '../../app/response-policy.js';
import { parseInstant } from '../../domain/time.js';
import {
  CommitmentSchema,
  FulfilInput,
  IncidentDetailSchema,
  IncidentInput,
  IncidentPatch,
  IncidentSchema,
  IncidentStatusEnum,
  PolicyRulesSchema,
  ResponsePolicySchema,
  TimerSchema,
} from '../monitoring-schemas.js';
import { createRouter } from '../router.js';
import { AsOfQuery, errorResponses, ErrorSchema, IdParam, itemsOf, jsonBody, jsonResponse, Pagination, SearchQuery } from '../schemas.js';

const TAG = ['舆情事件与回应承诺'];

/** The list's filters, which its export takes too. */
export const IncidentListQuery = { status: IncidentStatusEnum.optional(), q: SearchQuery, asOf: AsOfQuery };
const notFound = jsonResponse(ErrorSchema, '不存在');
const instant = (value: string | undefined) => (value === undefined ? undefined : parseInstant(value)!);

export function incidentRoutes(ctx: AppContext) {
  const asOf = (value: string | undefined) => instant(value) ?? ctx.now();
  return createRouter()
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/incidents',
        operationId: 'createIncident',
        tags: TAG,
        summary: '手工登记舆情事件（按严重程度生成回应承诺）',
        request: { body: jsonBody(IncidentInput) },
        responses: { 201: jsonResponse(IncidentDetailSchema, '已登记'), 422: jsonResponse(ErrorSchema, '部门不存在'), ...errorResponses },
      }),
      async (c) => {
        const body = c.req.valid('json');
        return c.json(await createIncident(ctx, c.get('actor'), { ...body, startedAt: instant(body.startedAt) }), 201);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/incidents',
        operationId: 'listIncidents',
        tags: TAG,
        summary: '舆情事件列表（可按状态筛选，按标题检索）',
        request: { query: z.object({ ...IncidentListQuery, ...Pagination }) },
        responses: { 200: jsonResponse(itemsOf(IncidentSchema), '事件列表'), ...errorResponses },
      }),
      async (c) => {
        const q = c.req.valid('query');
        return c.json({ items: await listIncidents(ctx, { ...q, asOf: asOf(q.asOf) }) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/incidents/{id}',
        operationId: 'getIncident',
        tags: TAG,
        summary: '事件详情：回应承诺、引发事件的订阅条目、热词',
        request: { params: IdParam, query: z.object({ asOf: AsOfQuery }) },
        responses: { 200: { ...jsonResponse(IncidentDetailSchema, '事件'), headers: etagHeader }, 404: notFound, ...errorResponses },
      }),
      async (c) => {
        const incident = await getIncident(ctx, c.req.valid('param').id, asOf(c.req.valid('query').asOf));
        return c.json(incident, 200, { ETag: etagOf(incident.updatedAt) });
      },
    )
    .openapi(
      createRoute({
        method: 'patch',
        path: '/api/incidents/{id}',
        operationId: 'updateIncident',
        tags: TAG,
        summary: '修改事件：升级增加更严格的承诺，降级取消多余承诺；dismissed 表示误报',
        request: { params: IdParam, headers: IfMatchHeader, body: jsonBody(IncidentPatch) },
        responses: {
          200: { ...jsonResponse(IncidentDetailSchema, '已修改'), headers: etagHeader },
          404: notFound,
          409: jsonResponse(ErrorSchema, '同时有他人修改'),
          ...preconditionFailed,
          422: jsonResponse(ErrorSchema, '不可能的修改'),
          ...errorResponses,
        },
      }),
      async (c) => {
        const body = c.req.valid('json');
        const incident = await updateIncident(ctx, c.get('actor'), c.req.valid('param').id, { ...body, startedAt: instant(body.startedAt) }, ifMatchVersions(c.req.valid('header')['if-match']));
        return c.json(incident, 200, { ETag: etagOf(incident.updatedAt) });
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/incidents/{id}/merge',
        operationId: 'mergeIncidents',
        tags: TAG,
        summary: '把另一事件并入本事件',
        request: { params: IdParam, body: jsonBody(z.object({ sourceId: z.number().int().positive() }).strict()) },
        responses: {
          200: jsonResponse(IncidentDetailSchema, '已合并'),
          404: notFound,
          409: jsonResponse(ErrorSchema, '已合并过'),
          422: jsonResponse(ErrorSchema, '不可能的合并'),
          ...errorResponses,
        },
      }),
      async (c) => c.json(await mergeIncidents(ctx, c.get('actor'), c.req.valid('param').id, c.req.valid('json').sourceId), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/commitments/{id}/fulfil',
        operationId: 'fulfilCommitment',
        tags: TAG,
        summary: '记录回应承诺已完成（时间、链接、备注）',
        request: { params: IdParam, body: { ...jsonBody(FulfilInput), required: false } },
        responses: {
          200: jsonResponse(CommitmentSchema, '已记录'),
          404: notFound,
          409: jsonResponse(ErrorSchema, '已记录过'),
          422: jsonResponse(ErrorSchema, '承诺已取消或时间不合理'),
          ...errorResponses,
        },
      }),
      async (c) => {
        const body = c.req.valid('json');
        return c.json(await fulfilCommitment(ctx, c.get('actor'), c.req.valid('param').id, { ...body, at: instant(body.at) }), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/timers',
        operationId: 'listTimers',
        tags: TAG,
        summary: '所有进行中事件的未完成回应承诺，最先到期的在前',
        request: { query: z.object({ asOf: AsOfQuery, ...Pagination, limit: Pagination.limit.default(200) }) },
        responses: { 200: jsonResponse(itemsOf(TimerSchema), '计时器'), ...errorResponses },
      }),
      async (c) => {
        const q = c.req.valid('query');
        return c.json({ items: await listTimers(ctx, asOf(q.asOf), q) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/response-policy',
        operationId: 'getResponsePolicy',
        tags: TAG,
        summary: '当前回应时限策略',
        responses: { 200: jsonResponse(ResponsePolicySchema, '策略'), ...errorResponses },
      }),
      async (c) => c.json(await currentPolicy(ctx), 200),
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/api/response-policy',
        operationId: 'setResponsePolicy',
        tags: TAG,
        summary: '修改回应时限策略（生成新版本；已有承诺保持原版本）',
        request: { body: jsonBody(z.object({ rules: PolicyRulesSchema }).strict()) },
        responses: { 200: jsonResponse(ResponsePolicySchema, '新策略'), 409: jsonResponse(ErrorSchema, '并发修改'), ...errorResponses },
      }),
      async (c) => c.json(await setPolicy(ctx, c.get('actor'), c.req.valid('json').rules), 200),
    );
}
