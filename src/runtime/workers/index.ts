import type { D1Database, ExecutionContext, MessageBatch, Queue, ScheduledController } from '@cloudflare/workers-types/2023-07-01/index.js';
import { z } from 'zod';
import { resolveAdminToken } from '../../app/admin-token.js';
import type { AppContext } from '../../app/context.js';
import { applyInterpretationRule, createAppContext } from '../../app/create-context.js';
import { deadlineSweepJob, deliveryJob, monitoringJob, planMinute, runWorkMessage, type WorkMessage } from '../../app/jobs.js';
import { backfillSearchText } from '../../app/search-text.js';
import { upsertConfiguredFeeds } from '../../app/monitoring/feeds.js';
import { upsertConfiguredRules } from '../../app/monitoring/rules.js';
import { createApp } from '../../http/app.js';
import { errorBody } from '../../http/errors.js';
import rulesJson from '../../../feeds/rules.json';
import sourcesJson from '../../../feeds/sources.json';
import signalsText from '../../../feeds/signals.txt';
import userDictionary from '../../../feeds/userdict.txt';
import { checkDeclarativeSources } from '../declarative.js';
import { parseSignalWords } from '../../domain/monitoring/signals.js';
import { scryptPasswords } from '../scrypt-passwords.js';
import {
  AdminTokenSetting,
  allowPrivateUrls,
  AllowPrivateUrlsSetting,
  DEFAULT_SWEEP_CRON,
  InterpretationWorkingDaysSetting,
  PublicUrlSetting,
  withoutEmpty,
  OpinionSettings,
  opinionConfig,
} from '../settings.js';
import { d1Database } from './d1.js';
import { segmenterKeywords, userDictionaryWords } from './keywords.js';
import { workersUrlGuard } from './url-guard.js';

// The Cloudflare Workers entry: the same Hono app and the same jobs as on Node, over D1.
// Bindings and variables come from wrangler.toml ([vars], secrets); see README, "Cloudflare Workers".

/** What wrangler.toml and `wrangler secret put` give the Worker. */
export interface WorkerEnv {
  DB: D1Database;
  /** The fan-out queue (wrangler.toml [[queues]]): without it, each cron run does its work itself. */
  WORK_QUEUE?: Queue<WorkMessage>;
  ADMIN_TOKEN?: string;
  ALLOW_PRIVATE_URLS?: string;
  /** The older name of ALLOW_PRIVATE_URLS. */
  ALLOW_PRIVATE_FEEDS?: string;
  /** The address people open, for links in notifications. */
  PUBLIC_URL?: string;
  INTERPRETATION_WORKING_DAYS?: string;
  /** The cron expression (of [triggers] crons) that runs the interpretation-deadline sweep; any other runs polling + commitment sweep. */
  SWEEP_CRON?: string;
  /** Reprint and heat thresholds (SPEC §14), as on Node. */
  REPRINT_TITLE_JACCARD?: string;
  HEAT_MIN_STORIES?: string;
  HEAT_MIN_RATIO?: string;
  HEAT_MIN_Z?: string;
  HEAT_ALERT_EVERY_HOURS?: string;
}

const VarsSchema = z.object({
  ADMIN_TOKEN: AdminTokenSetting,
  ALLOW_PRIVATE_URLS: AllowPrivateUrlsSetting,
  ALLOW_PRIVATE_FEEDS: AllowPrivateUrlsSetting,
  PUBLIC_URL: PublicUrlSetting,
  INTERPRETATION_WORKING_DAYS: InterpretationWorkingDaysSetting.default(3),
  SWEEP_CRON: z.string().default(DEFAULT_SWEEP_CRON),
  ...OpinionSettings,
});

interface Service {
  ctx: AppContext;
  app: ReturnType<typeof createApp>;
  sweepCron: string;
}

/** One service per isolate, built on the first request or cron event (a failed start is retried). */
let booting: Promise<Service> | undefined;

function service(env: WorkerEnv): Promise<Service> {
  booting ??= boot(env).catch((err: unknown) => {
    booting = undefined;
    throw err;
  });
  return booting;
}

async function boot(env: WorkerEnv): Promise<Service> {
  const parsed = VarsSchema.safeParse(
    withoutEmpty({
      ADMIN_TOKEN: env.ADMIN_TOKEN,
      ALLOW_PRIVATE_URLS: env.ALLOW_PRIVATE_URLS,
      ALLOW_PRIVATE_FEEDS: env.ALLOW_PRIVATE_FEEDS,
      PUBLIC_URL: env.PUBLIC_URL,
      INTERPRETATION_WORKING_DAYS: env.INTERPRETATION_WORKING_DAYS,
      SWEEP_CRON: env.SWEEP_CRON,
      REPRINT_TITLE_JACCARD: env.REPRINT_TITLE_JACCARD,
      HEAT_MIN_STORIES: env.HEAT_MIN_STORIES,
      HEAT_MIN_RATIO: env.HEAT_MIN_RATIO,
      HEAT_MIN_Z: env.HEAT_MIN_Z,
      HEAT_ALERT_EVERY_HOURS: env.HEAT_ALERT_EVERY_HOURS,
    }),
  );
  if (!parsed.success) {
    throw new Error(parsed.error.issues.map((i) => `变量 ${i.path.join('.')}: ${i.message}`).join('；'));
  }
  const vars = parsed.data;
  const ctx = createAppContext({
    db: d1Database(env.DB),
    now: () => Date.now(),
    config: { interpretationWorkingDays: vars.INTERPRETATION_WORKING_DAYS, publicUrl: vars.PUBLIC_URL ?? null, signalWords: parseSignalWords(signalsText), ...opinionConfig(vars) },
    keywords: segmenterKeywords(userDictionaryWords(userDictionary)),
    passwords: scryptPasswords(),
    urlGuard: workersUrlGuard({ allowPrivate: allowPrivateUrls(vars) }),
  });
  // Alerts recorded while answering a request are sent after the answer (see fetch below).
  ctx.afterAlerts = () => {
    alertsWaiting = true;
  };
  await applyInterpretationRule(ctx);
  await backfillSearchText(ctx);
  const admin = await resolveAdminToken(ctx, vars.ADMIN_TOKEN);
  // Without the ADMIN_TOKEN secret the first start generates one, as on Node; it shows once in
  // the Worker's log (wrangler tail). Setting the secret is the way README describes.
  if (admin.generated) console.log(`首次启动：已生成管理员令牌（只显示这一次，请妥善保存）ADMIN_TOKEN=${admin.generated}`);

  const declared = checkDeclarativeSources({ 'sources.json': sourcesJson, 'rules.json': rulesJson });
  const problems = [...declared.problems, ...(await upsertConfiguredFeeds(ctx, declared.feeds)), ...(await upsertConfiguredRules(ctx, declared.rules))];
  for (const p of problems) console.error(`feeds/ 配置有误，已跳过：${p}`);

  const app = createApp({ ctx, adminTokenSha256: admin.sha256, clientAddress: (c) => c.req.header('cf-connecting-ip') ?? 'unknown' });
  return { ctx, app, sweepCron: vars.SWEEP_CRON };
}

/**
 * The jobs of one cron event: the deadline sweep on SWEEP_CRON, feed polling and the commitment
 * sweep on every other; then the notifications that are due.
 */
async function runScheduled(svc: Service, env: WorkerEnv, cron: string, scheduledTime: number): Promise<string | undefined> {
  if (cron === svc.sweepCron) {
    const report = await deadlineSweepJob(svc.ctx, scheduledTime);
    alertsWaiting = false;
    const delivered = env.WORK_QUEUE ? undefined : await deliveryJob(svc.ctx);
    return [report, delivered].filter((r) => r !== undefined).join('；') || undefined;
  }
  if (env.WORK_QUEUE) {
    // Fan-out (SPEC §16): this run only plans; queue consumers poll and send, a message each.
    const { messages, report } = await planMinute(svc.ctx, scheduledTime);
    alertsWaiting = false;
    for (let i = 0; i < messages.length; i += QUEUE_BATCH) {
      await env.WORK_QUEUE.sendBatch(messages.slice(i, i + QUEUE_BATCH).map((body) => ({ body })));
    }
    return report;
  }
  const report = await monitoringJob(svc.ctx, scheduledTime);
  alertsWaiting = false;
  const delivered = await deliveryJob(svc.ctx);
  return [report, delivered].filter((r) => r !== undefined).join('；') || undefined;
}

/** Messages per sendBatch call (the Queues limit is 100). */
const QUEUE_BATCH = 100;

/** Set when a request recorded alerts; the request's answer then sends them in the background. */
let alertsWaiting = false;

export default {
  async fetch(request: Request, env: WorkerEnv, execution: ExecutionContext): Promise<Response> {
    let svc: Service;
    try {
      svc = await service(env);
    } catch (err) {
      // A Worker that cannot start (an unmigrated D1, a bad variable) says why instead of a bare 500.
      console.error('服务启动失败', err);
      const message = `服务暂不可用：${err instanceof Error ? err.message : String(err)}`;
      return Response.json(errorBody('unavailable', message), { status: 503 });
    }
    const response = await svc.app.fetch(request, env, execution as never);
    if (alertsWaiting) {
      alertsWaiting = false;
      execution.waitUntil(deliveryJob(svc.ctx).then((report) => report && console.log(report), (err: unknown) => console.error('消息发送失败', err)));
    }
    return response;
  },

  /**
   * The queue consumer: each message is one feed to poll or one channel to send to. A message
   * whose work throws is retried by the queue (then sent to the dead-letter queue); failures of a
   * feed or a platform are recorded by the work itself and acknowledged.
   */
  async queue(batch: MessageBatch<WorkMessage>, env: WorkerEnv): Promise<void> {
    const svc = await service(env);
    console.log(`队列批次：${batch.messages.length} 条消息`);
    for (const message of batch.messages) {
      try {
        console.log(await runWorkMessage(svc.ctx, message.body));
        message.ack();
      } catch (err) {
        console.error('队列消息处理失败，将重试', message.body, err);
        message.retry();
      }
    }
  },

  async scheduled(controller: ScheduledController, env: WorkerEnv, execution: ExecutionContext): Promise<void> {
    const job = service(env).then((svc) => runScheduled(svc, env, controller.cron, controller.scheduledTime));
    execution.waitUntil(
      job.then(
        (report) => report && console.log(report),
        (err: unknown) => console.error(`定时任务失败（${controller.cron}）`, err),
      ),
    );
    await job;
  },
};
