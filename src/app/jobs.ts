import { SYSTEM_ACTOR } from './accounts/actor.js';
import { sweepCommitments, sweepDeadlines } from './alerts.js';
import type { AppContext } from './context.js';
import { pollDueFeeds } from './monitoring/feeds.js';
import { deliverDue } from './notifications/sender.js';

// The two background jobs, one definition for both runtimes: node-cron runs them on Node, Cron
// Triggers on Workers. Each returns a line for the log, or undefined when nothing happened.

/** The interpretation-deadline sweep (SWEEP_CRON, every 10 minutes by default). */
export async function deadlineSweepJob(ctx: AppContext, asOf = ctx.now()): Promise<string | undefined> {
  const { alertsCreated } = await sweepDeadlines(ctx, asOf);
  return alertsCreated > 0 ? `解读时限巡检：新增 ${alertsCreated} 条逾期提醒` : undefined;
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
