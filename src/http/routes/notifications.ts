import { createRoute, z } from '@hono/zod-openapi';
import type { AppContext } from '../../app/context.js';
import { createChannel, deleteChannel, getChannel, listChannels, updateChannel } from '../../app/notifications/channels.js';
import { listDeliveries, retryDelivery } from '../../app/notifications/deliveries.js';
import { deliverDue, sendTestMessage } from '../../app/notifications/sender.js';
import { calendarFeedIcs, issueCalendarFeed } from '../../app/notifications/calendar-feed.js';
import {
  ChannelInput,
  ChannelPatch,
  ChannelSchema,
  ChannelTestSchema,
  DeliverReportSchema,
  DeliverySchema,
  DeliveryStatusEnum,
} from '../notification-schemas.js';
import { createRouter } from '../router.js';
import { errorResponses, ErrorSchema, IdParam, itemsOf, jsonBody, jsonResponse, Pagination } from '../schemas.js';

const CHANNELS = ['通知渠道'];
const notFound = jsonResponse(ErrorSchema, '不存在');
const positiveId = z.coerce.number().int().positive();

export function notificationRoutes(ctx: AppContext) {
  return createRouter()
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/channels',
        operationId: 'createChannel',
        tags: CHANNELS,
        summary: '添加通知渠道（钉钉、企业微信、飞书、Webhook、邮件）',
        request: { body: jsonBody(ChannelInput) },
        responses: {
          201: jsonResponse(ChannelSchema, '已添加；Webhook 未提供密钥时 secret 为生成的密钥（只显示这一次）'),
          409: jsonResponse(ErrorSchema, '名称已存在'),
          422: jsonResponse(ErrorSchema, '部门不存在，或本运行环境不能发送邮件'),
          ...errorResponses,
        },
      }),
      async (c) => c.json(await createChannel(ctx, c.get('actor'), c.req.valid('json')), 201),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/channels',
        operationId: 'listChannels',
        tags: CHANNELS,
        summary: '通知渠道及其健康状况',
        responses: { 200: jsonResponse(itemsOf(ChannelSchema), '通知渠道'), ...errorResponses },
      }),
      async (c) => c.json({ items: await listChannels(ctx) }, 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/channels/{id}',
        operationId: 'getChannel',
        tags: CHANNELS,
        summary: '一个通知渠道',
        request: { params: IdParam },
        responses: { 200: jsonResponse(ChannelSchema, '通知渠道'), 404: notFound, ...errorResponses },
      }),
      async (c) => c.json(await getChannel(ctx, c.req.valid('param').id), 200),
    )
    .openapi(
      createRoute({
        method: 'patch',
        path: '/api/channels/{id}',
        operationId: 'updateChannel',
        tags: CHANNELS,
        summary: '修改通知渠道；修改地址、密钥或关键词即解除“配置错误”标记',
        request: { params: IdParam, body: jsonBody(ChannelPatch) },
        responses: { 200: jsonResponse(ChannelSchema, '已修改'), 404: notFound, 409: jsonResponse(ErrorSchema, '名称已存在'), ...errorResponses },
      }),
      async (c) => c.json(await updateChannel(ctx, c.get('actor'), c.req.valid('param').id, c.req.valid('json')), 200),
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/api/channels/{id}',
        operationId: 'deleteChannel',
        tags: CHANNELS,
        summary: '删除通知渠道及其投递记录',
        request: { params: IdParam },
        responses: { 204: { description: '已删除' }, 404: notFound, ...errorResponses },
      }),
      async (c) => {
        await deleteChannel(ctx, c.get('actor'), c.req.valid('param').id);
        return c.body(null, 204);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/channels/{id}/test',
        operationId: 'testChannel',
        tags: CHANNELS,
        summary: '立即发送一条测试消息，返回平台的应答',
        request: { params: IdParam },
        responses: {
          200: jsonResponse(ChannelTestSchema, '平台的应答（ok 为 false 时 error 说明原因）'),
          404: notFound,
          429: jsonResponse(ErrorSchema, '本分钟已发满 20 条'),
          ...errorResponses,
        },
      }),
      async (c) => c.json(await sendTestMessage(ctx, c.req.valid('param').id), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/deliveries',
        operationId: 'listDeliveries',
        tags: CHANNELS,
        summary: '消息投递记录（新的在前）',
        request: {
          query: z.object({
            status: DeliveryStatusEnum.optional(),
            channelId: positiveId.optional(),
            alertId: positiveId.optional(),
            ...Pagination,
          }),
        },
        responses: { 200: jsonResponse(itemsOf(DeliverySchema), '投递记录'), ...errorResponses },
      }),
      async (c) => c.json({ items: await listDeliveries(ctx, c.req.valid('query')) }, 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/deliveries/{id}/retry',
        operationId: 'retryDelivery',
        tags: CHANNELS,
        summary: '重新发送一条未送达的消息（下一轮发送时发出）',
        request: { params: IdParam },
        responses: { 200: jsonResponse(DeliverySchema, '已重新排队'), 404: notFound, 409: jsonResponse(ErrorSchema, '已送达或正在发送'), ...errorResponses },
      }),
      async (c) => c.json(await retryDelivery(ctx, c.get('actor'), c.req.valid('param').id), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/me/calendar-feed',
        operationId: 'issueCalendarFeed',
        tags: ['账户'],
        summary: '生成（或更换）本人的日历订阅地址；旧地址随即失效',
        responses: {
          200: jsonResponse(z.object({ url: z.string() }).openapi('CalendarFeed'), '订阅地址（只显示这一次）'),
          422: jsonResponse(ErrorSchema, '管理员令牌没有个人日历'),
          ...errorResponses,
        },
      }),
      async (c) => c.json(await issueCalendarFeed(ctx, c.get('actor'), new URL(c.req.url).origin), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/jobs/deliver',
        operationId: 'deliverDue',
        tags: ['任务'],
        summary: '立即发送所有到期的消息',
        responses: { 200: jsonResponse(DeliverReportSchema, '发送结果'), ...errorResponses },
      }),
      async (c) => c.json(await deliverDue(ctx), 200),
    );
}

/**
 * `GET /calendar/<secret>.ics`: the subscribed calendar. The secret in the path is the only
 * credential (calendar clients send no others); unknown or rotated secrets are a 404.
 */
export function calendarFeedRoute(ctx: AppContext) {
  return createRouter().get('/calendar/:file', async (c) => {
    const file = c.req.param('file');
    const ics = file.endsWith('.ics') ? await calendarFeedIcs(ctx, file.slice(0, -4)) : null;
    if (ics === null) return c.json({ error: { code: 'not_found', message: '日历订阅地址无效或已更换' } }, 404);
    return c.body(ics, 200, {
      'Content-Type': 'text/calendar; charset=utf-8',
      'Cache-Control': 'private, max-age=300',
      'Content-Disposition': 'inline; filename="deadlines.ics"',
    });
  });
}
