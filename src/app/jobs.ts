import { SYSTEM_ACTOR } from './accounts/actor.js';
import { sweepCommitments, sweepDeadlines } from './alerts.js';
import type { AppContext } from './context.js';
import { sweepDisclosureDeadlines } from './disclosure/deadlines.js';
import { channelsWithDueDeliveries, deliverDue, deliverToChannel } from './notifications/sender.js';
import { claimDueFeeds, pollDueFeeds, pollFeed } from './monitoring/feeds.js';

// The two background jobs, one definition for both runtimes: node-cron runs them on Node, Cron
// Triggers on Workers. Each returns a line for the log, or undefined when nothing happened.

/** The deadline sweep of interpretations and requests for disclosure (SWEEP_CRON, every 10 minutes by default). */
export async function deadlineSweepJob(ctx: AppContext, asOf = ctx.now()): Promise<string | undefined> {
  const { alertsCreated } = await sweepDeadlines(ctx, asOf);
  const disclosures = await sweepDisclosureDeadlines(ctx, asOf);
  const lines = [
    ...(alertsCreated > 0 ? [`解读时限巡检：新增 ${alertsCreated} 条逾期提醒`] : []),
    ...(disclosures.alertsCreated > 0 ? [`依申请公开时限巡检：新增 ${disclosures.alertsCreated} 条提醒`] : []),
  ];
  return lines.length > 0 ? lines.join('；') : undefined;
}

/** Polls the feeds that are due, then sweeps the response commitments (MONITOR_CRON, every minute). */
export async function monitoringJob(ctx: AppContext, asOf = ctx.now()): Promise<string | undefined> {
  const polled = await pollDueFeeds(ctx, SYSTEM_ACTOR);
  const { alertsCreated } = await sweepCommitments(ctx, asOf);
  if (polled.feeds === 0 && alertsCreated === 0) return undefined;
  return `抓取 ${polled.feeds} 个订阅源：新条目 ${polled.new}，命中 ${polled.matched}，失败 ${polled.errors}；回应时限提醒 ${alertsCreated} 条`;
}

/** Sends the notifications that are due (every minute, and right after alerts are recorded). */
export async function deliveryJob(ctx: AppContext): Promise<string | undefined> {
  const { sent, failed, merged } = await deliverDue(ctx);
  if (sent + failed + merged === 0) return undefined;
  return `消息发送：成功 ${sent} 条，合并发送 ${merged} 条，失败 ${failed} 条`;
}

// --- Fan-out (SPEC §16): on Workers, the every-minute trigger only plans the minute's work as
// queue messages, one per due feed and one per channel with due deliveries; consumers do them.

export type WorkMessage = { kind: 'poll'; feedId: number } | { kind: 'deliver'; channelId: number };

/**
 * The minute's work as messages. The commitment sweep runs here (one query); the due feeds are
 * claimed (their next poll moved an interval on) so that a slow queue does not get them twice.
 */
export async function planMinute(ctx: AppContext, asOf = ctx.now()): Promise<{ messages: WorkMessage[]; report: string | undefined }> {
  const { alertsCreated } = await sweepCommitments(ctx, asOf);
  const feeds = await claimDueFeeds(ctx);
  const channels = await channelsWithDueDeliveries(ctx);
  const messages: WorkMessage[] = [
    ...feeds.map((feedId): WorkMessage => ({ kind: 'poll', feedId })),
    ...channels.map((c): WorkMessage => ({ kind: 'deliver', channelId: c.id })),
  ];
  const report = messages.length + alertsCreated > 0 ? `排入队列：抓取 ${feeds.length} 个订阅源，发送 ${channels.length} 个渠道；回应时限提醒 ${alertsCreated} 条` : undefined;
  return { messages, report };
}

/** One queue message's work. Failures of the far side are recorded, not thrown; a throw means retry. */
export async function runWorkMessage(ctx: AppContext, message: WorkMessage): Promise<string> {
  if (message.kind === 'poll') {
    const r = await pollFeed(ctx, SYSTEM_ACTOR, message.feedId);
    return r.error ? `订阅源 ${message.feedId}：${r.error.message}` : `订阅源 ${message.feedId}：新条目 ${r.new}，命中 ${r.matched}`;
  }
  const r = await deliverToChannel(ctx, message.channelId);
  return `渠道 ${message.channelId}：成功 ${r.sent}，合并 ${r.merged}，失败 ${r.failed}`;
}
