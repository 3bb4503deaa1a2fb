import { and, desc, eq, type SQL } from 'drizzle-orm';
import { toIsoUtc } from '../../domain/time.js';
import { alerts, channels, deliveries } from '../../db/schema.js';
import type { Actor } from '../accounts/actor.js';
import { auditStatement } from '../audit.js';
import type { AppContext } from '../context.js';
import { AppError, notFound } from '../errors.js';

export const DELIVERY_STATUSES = ['pending', 'sending', 'sent', 'merged', 'dead'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface DeliveryView {
  id: number;
  alertId: number;
  channelId: number;
  channelName: string;
  alertType: string;
  alertMessage: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  response: string | null;
  sentAt: string | null;
  digestId: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface DeliveryFilter {
  status?: DeliveryStatus;
  channelId?: number;
  alertId?: number;
  limit: number;
  offset: number;
}

function query(ctx: AppContext, where: SQL | undefined) {
  return ctx.db.orm
    .select({
      id: deliveries.id,
      alertId: deliveries.alertId,
      channelId: deliveries.channelId,
      channelName: channels.name,
      alertType: alerts.type,
      alertMessage: alerts.message,
      status: deliveries.status,
      attempts: deliveries.attempts,
      nextAttemptAt: deliveries.nextAttemptAt,
      lastError: deliveries.lastError,
      response: deliveries.response,
      sentAt: deliveries.sentAt,
      digestId: deliveries.digestId,
      createdAt: deliveries.createdAt,
      updatedAt: deliveries.updatedAt,
    })
    .from(deliveries)
    .innerJoin(channels, eq(channels.id, deliveries.channelId))
    .innerJoin(alerts, eq(alerts.id, deliveries.alertId))
    .where(where);
}

type Row = Awaited<ReturnType<typeof query>>[number];

function toView(r: Row): DeliveryView {
  return {
    ...r,
    // Only a waiting delivery has a next attempt.
    nextAttemptAt: r.status === 'pending' ? toIsoUtc(r.nextAttemptAt) : null,
    sentAt: r.sentAt === null ? null : toIsoUtc(r.sentAt),
    createdAt: toIsoUtc(r.createdAt),
    updatedAt: toIsoUtc(r.updatedAt),
  };
}

/** The delivery log, newest first. */
export async function listDeliveries(ctx: AppContext, filter: DeliveryFilter): Promise<DeliveryView[]> {
  const where = and(
    filter.status ? eq(deliveries.status, filter.status) : undefined,
    filter.channelId !== undefined ? eq(deliveries.channelId, filter.channelId) : undefined,
    filter.alertId !== undefined ? eq(deliveries.alertId, filter.alertId) : undefined,
  );
  const rows = await query(ctx, where).orderBy(desc(deliveries.id)).limit(filter.limit).offset(filter.offset);
  return rows.map(toView);
}

export async function getDelivery(ctx: AppContext, id: number): Promise<DeliveryView> {
  const [row] = await query(ctx, eq(deliveries.id, id));
  if (!row) throw notFound('消息投递', id);
  return toView(row);
}

/**
 * Sends a delivery again at the next run: a dead one (or one waiting for its retry) becomes due
 * now with a fresh retry schedule. One already sent, or being sent, is refused.
 */
export async function retryDelivery(ctx: AppContext, actor: Actor, id: number): Promise<DeliveryView> {
  const current = await getDelivery(ctx, id);
  if (current.status === 'sent' || current.status === 'merged') {
    throw new AppError(409, 'already_sent', `消息投递 ${id} 已送达（${current.status === 'merged' ? '已合并发送' : '已发送'}），无需重新发送`);
  }
  if (current.status === 'sending') throw new AppError(409, 'sending', `消息投递 ${id} 正在发送中`);
  const now = ctx.now();
  await ctx.db.batch([
    ctx.db.orm
      .update(deliveries)
      .set({ status: 'pending', attempts: 0, nextAttemptAt: now, updatedAt: now })
      .where(and(eq(deliveries.id, id), eq(deliveries.status, current.status))),
    auditStatement(ctx, actor, 'delivery', id, 'retry', { status: current.status, attempts: current.attempts }, { status: 'pending', attempts: 0 }),
  ]);
  ctx.afterAlerts?.();
  return getDelivery(ctx, id);
}
