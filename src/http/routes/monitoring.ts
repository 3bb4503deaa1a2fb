import { createRoute, z } from '@hono/zod-openapi';
import type { AppContext } from '../../app/context.js';
import { createFeed, getFeed, listFeeds, pollDueFeeds, pollFeed, updateFeed } from '../../app/monitoring/feeds.js';
import { listItems, recentHotwords } from '../../app/monitoring/items.js';
import { createRule, listRules, testRule, updateRule } from '../../app/monitoring/rules.js';
import {
  FeedInput,
  FeedPatch,
  FeedSchema,
  HotwordSchema,
  ItemSchema,
  PollResultSchema,
  RuleInput,
  RulePatch,
  RuleSchema,
  RuleTestInput,
} from '../monitoring-schemas.js';
import { createRouter } from '../router.js';
import { AsOfQuery, errorResponses, ErrorSchema, IdParam, itemsOf, jsonBody, jsonResponse, Pagination } from '../schemas.js';
import { parseInstant } from '../../domain/time.js';

const FEEDS = ['订阅源'];
const RULES = ['监测规则'];
const notFound = jsonResponse(ErrorSchema, '不存在');
const positiveId = z.coerce.number().int().positive();

export function monitoringRoutes(ctx: AppContext) {
  return createRouter()
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/feeds',
        operationId: 'createFeed',
        tags: FEEDS,
        summary: '添加订阅源（RSS 2.0 / RSS 1.0 / Atom）',
        request: { body: jsonBody(FeedInput) },
        responses: { 201: jsonResponse(FeedSchema, '已添加'), 409: jsonResponse(ErrorSchema, '地址已存在'), ...errorResponses },
      }),
      async (c) => c.json(await createFeed(ctx, c.get('actor'), c.req.valid('json')), 201),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/feeds',
        operationId: 'listFeeds',
        tags: FEEDS,
        summary: '订阅源及其健康状况',
        request: { query: z.object(Pagination) },
        responses: { 200: jsonResponse(itemsOf(FeedSchema), '订阅源'), ...errorResponses },
      }),
      async (c) => c.json({ items: await listFeeds(ctx, c.req.valid('query')) }, 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/feeds/{id}',
        operationId: 'getFeed',
        tags: FEEDS,
        summary: '一个订阅源',
        request: { params: IdParam },
        responses: { 200: jsonResponse(FeedSchema, '订阅源'), 404: notFound, ...errorResponses },
      }),
      async (c) => c.json(await getFeed(ctx, c.req.valid('param').id), 200),
    )
    .openapi(
      createRoute({
        method: 'patch',
        path: '/api/feeds/{id}',
        operationId: 'updateFeed',
        tags: FEEDS,
        summary: '修改、停用或启用订阅源（地址不可修改）',
        request: { params: IdParam, body: jsonBody(FeedPatch) },
        responses: { 200: jsonResponse(FeedSchema, '已修改'), 404: notFound, ...errorResponses },
      }),
      async (c) => c.json(await updateFeed(ctx, c.get('actor'), c.req.valid('param').id, c.req.valid('json')), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/feeds/{id}/poll',
        operationId: 'pollFeed',
        tags: FEEDS,
        summary: '立即抓取一个订阅源；失败时返回 200，错误写在 error 中并记录在订阅源上',
        request: { params: IdParam },
        responses: { 200: jsonResponse(PollResultSchema, '抓取结果'), 404: notFound, ...errorResponses },
      }),
      async (c) => c.json(await pollFeed(ctx, c.get('actor'), c.req.valid('param').id), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/jobs/poll',
        operationId: 'pollDueFeeds',
        tags: ['任务'],
        summary: '抓取所有到期的订阅源',
        responses: {
          200: jsonResponse(z.object({ feeds: z.number(), new: z.number(), matched: z.number(), errors: z.number() }), '结果'),
          ...errorResponses,
        },
      }),
      async (c) => c.json(await pollDueFeeds(ctx, c.get('actor')), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/items',
        operationId: 'listItems',
        tags: FEEDS,
        summary: '抓取到的条目',
        request: {
          query: z.object({
            feedId: positiveId.optional(),
            ruleId: positiveId.optional(),
            matched: z.enum(['true', 'false']).optional(),
            ...Pagination,
          }),
        },
        responses: { 200: jsonResponse(itemsOf(ItemSchema), '条目'), ...errorResponses },
      }),
      async (c) => {
        const q = c.req.valid('query');
        const matched = q.matched === undefined ? undefined : q.matched === 'true';
        return c.json({ items: await listItems(ctx, { ...q, matched }) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/hotwords',
        operationId: 'listHotwords',
        tags: FEEDS,
        summary: '最近条目的热词（默认 24 小时）',
        request: { query: z.object({ hours: z.coerce.number().int().min(1).max(24 * 30).default(24), asOf: AsOfQuery }) },
        responses: {
          200: jsonResponse(z.object({ hours: z.number(), itemCount: z.number(), items: z.array(HotwordSchema) }), '热词'),
          ...errorResponses,
        },
      }),
      async (c) => {
        const q = c.req.valid('query');
        return c.json(await recentHotwords(ctx, q.asOf === undefined ? ctx.now() : parseInstant(q.asOf)!, q.hours), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/rules',
        operationId: 'createRule',
        tags: RULES,
        summary: '新建监测规则',
        request: { body: jsonBody(RuleInput) },
        responses: {
          201: jsonResponse(RuleSchema, '已新建'),
          409: jsonResponse(ErrorSchema, '名称已存在'),
          422: jsonResponse(ErrorSchema, '部门不存在'),
          ...errorResponses,
        },
      }),
      async (c) => c.json(await createRule(ctx, c.get('actor'), c.req.valid('json')), 201),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/rules',
        operationId: 'listRules',
        tags: RULES,
        summary: '监测规则列表',
        request: { query: z.object(Pagination) },
        responses: { 200: jsonResponse(itemsOf(RuleSchema), '规则'), ...errorResponses },
      }),
      async (c) => c.json({ items: await listRules(ctx, c.req.valid('query')) }, 200),
    )
    .openapi(
      createRoute({
        method: 'patch',
        path: '/api/rules/{id}',
        operationId: 'updateRule',
        tags: RULES,
        summary: '修改或停用监测规则',
        request: { params: IdParam, body: jsonBody(RulePatch) },
        responses: { 200: jsonResponse(RuleSchema, '已修改'), 404: notFound, 409: jsonResponse(ErrorSchema, '名称已存在'), ...errorResponses },
      }),
      async (c) => c.json(await updateRule(ctx, c.get('actor'), c.req.valid('param').id, c.req.valid('json')), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/rules/test',
        operationId: 'testRule',
        tags: RULES,
        summary: '用一段文字试验规则',
        request: { body: jsonBody(RuleTestInput) },
        responses: { 200: jsonResponse(z.object({ matched: z.boolean(), terms: z.array(z.string()) }), '结果'), ...errorResponses },
      }),
      async (c) => {
        const { query, text } = c.req.valid('json');
        return c.json(testRule(query, text), 200);
      },
    );
}
