import { z } from '@hono/zod-openapi';
import { DELIVERY_STATUSES } from '../app/notifications/deliveries.js';
import { SEVERITIES } from '../domain/deadlines/response-policy.js';
import { ALERT_TYPES } from '../domain/notifications/messages.js';
import { CHANNEL_KINDS } from '../domain/notifications/platforms.js';
import { DepartmentCode } from './schemas.js';

const Mobile = z.string().trim().regex(/^1\d{10}$/, { message: '手机号应为 11 位数字，以 1 开头' });
const nullableText = (max: number) =>
  z.string().trim().max(max).nullish().transform((v) => (v === '' || v === undefined ? null : v));

const channelFields = {
  name: z.string().trim().min(1).max(100).openapi({ example: '新闻办值班群' }),
  url: z
    .string()
    .trim()
    .min(1)
    .max(2000)
    .regex(/^(https?:\/\/\S+|mailto:.*)$/i, { message: '地址应以 http:// 或 https:// 开头（邮件渠道写 mailto:收件人）' })
    .openapi({
    example: 'https://oapi.dingtalk.com/robot/send?access_token=…',
    description: '机器人或 Webhook 地址；邮件渠道为 mailto:收件人（逗号分隔）',
  }),
  secret: nullableText(500).openapi({ description: '加签密钥（钉钉 SEC…、飞书签名校验、Webhook whsec_…）；只写不读' }),
  keyword: nullableText(50).openapi({ description: '机器人安全设置中的自定义关键词，每条消息都会包含它' }),
  alertTypes: z.array(z.enum(ALERT_TYPES)).max(ALERT_TYPES.length).openapi({ description: '接收的提醒类型；空 = 全部' }),
  departmentCodes: z.array(DepartmentCode).max(100).openapi({ description: '只接收这些部门的提醒；空 = 全部' }),
  minSeverity: z.enum(SEVERITIES).nullish().transform((v) => v ?? null).openapi({ description: '舆情与回应时限提醒的最低级别' }),
  escalation: z.boolean().openapi({ description: '领导群：回应超时和解读逾期提醒不论部门都发到这里' }),
  mentionMobiles: z.array(Mobile).max(20).openapi({ description: '消息中 @ 的手机号（钉钉、企业微信）' }),
  enabled: z.boolean(),
};

export const ChannelInput = z
  .object({
    ...channelFields,
    kind: z.enum(CHANNEL_KINDS),
    alertTypes: channelFields.alertTypes.optional(),
    departmentCodes: channelFields.departmentCodes.optional(),
    minSeverity: channelFields.minSeverity.optional(),
    escalation: channelFields.escalation.optional(),
    mentionMobiles: channelFields.mentionMobiles.optional(),
    enabled: channelFields.enabled.optional(),
  })
  .strict();

export const ChannelPatch = z
  .object(channelFields)
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, { message: '请至少修改一个字段' });

export const ChannelSchema = z
  .object({
    id: z.number(),
    name: z.string(),
    kind: z.enum(CHANNEL_KINDS),
    url: z.string().openapi({ description: '地址（其中的令牌已部分隐去）' }),
    hasSecret: z.boolean(),
    secret: z.string().optional().openapi({ description: '仅在创建 Webhook 渠道且未提供密钥时返回一次' }),
    keyword: z.string().nullable(),
    alertTypes: z.array(z.string()),
    departmentCodes: z.array(z.string()),
    minSeverity: z.enum(SEVERITIES).nullable(),
    escalation: z.boolean(),
    mentionMobiles: z.array(z.string()),
    enabled: z.boolean(),
    health: z.enum(['ok', 'failing', 'misconfigured', 'paused', 'disabled', 'unused']),
    lastSuccessAt: z.string().nullable(),
    lastError: z.string().nullable(),
    lastErrorAt: z.string().nullable(),
    pausedUntil: z.string().nullable(),
    misconfiguredAt: z.string().nullable(),
    pending: z.number(),
    dead: z.number(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Channel');

export const ChannelTestSchema = z
  .object({
    ok: z.boolean(),
    status: z.number().nullable().openapi({ description: '平台的 HTTP 状态码（网络错误或邮件时为 null）' }),
    response: z.string(),
    error: z.string().nullable(),
  })
  .openapi('ChannelTest');

export const DeliveryStatusEnum = z.enum(DELIVERY_STATUSES);

export const DeliverySchema = z
  .object({
    id: z.number(),
    alertId: z.number(),
    channelId: z.number(),
    channelName: z.string(),
    alertType: z.string(),
    alertMessage: z.string(),
    status: DeliveryStatusEnum,
    attempts: z.number(),
    nextAttemptAt: z.string().nullable(),
    lastError: z.string().nullable(),
    response: z.string().nullable(),
    sentAt: z.string().nullable(),
    digestId: z.number().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Delivery');

export const DeliverReportSchema = z.object({ sent: z.number(), failed: z.number(), merged: z.number() }).openapi('DeliverReport');
