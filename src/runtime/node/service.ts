import { serve } from '@hono/node-server';
import type { Http2Bindings, HttpBindings } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import cron from 'node-cron';
import type { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { hasAccounts } from '../../app/accounts/first-run.js';
import { resolveAdminToken } from '../../app/admin-token.js';
import { deadlineSweepJob, deliveryJob, monitoringJob } from '../../app/jobs.js';
import { releaseInterrupted } from '../../app/notifications/sender.js';
import { backfillSearchText } from '../../app/search-text.js';
import { applyInterpretationRule, createAppContext } from '../../app/create-context.js';
import { upsertConfiguredFeeds } from '../../app/monitoring/feeds.js';
import { upsertConfiguredRules } from '../../app/monitoring/rules.js';
import { createApp } from '../../http/app.js';
import { readTurns } from './read-turns.js';
import { readDeclarativeSources, readSignalWords } from './declarative.js';
import { jiebaKeywords } from './keywords.js';
import { scryptPasswords } from '../scrypt-passwords.js';
import { nodeOutbound } from './url-guard.js';
import { smtpMailer } from './mailer.js';
import { briefingDocx } from './briefing-docx.js';
import { exceljsXlsx } from './xlsx.js';
import { allowPrivateUrls, opinionConfig } from '../settings.js';
import { openSqlite } from './sqlite.js';
import { closeIfBodyUnread } from './connection.js';

import type { Env } from './env.js';

/**
 * What a service without any account prints once it listens (SPEC §15): where to create the first
 * admin. The link carries the token only when this very start generated it (and printed it above);
 * a configured or earlier token is never printed.
 */
export function firstRunMessage(base: string, generated: string | undefined, configured: boolean): string {
  if (generated) return `尚无任何账户：请在浏览器中打开下面的地址，创建第一个管理员账户（链接中含管理员令牌，请勿外传）\n  ${base}/setup?token=${encodeURIComponent(generated)}`;
  if (configured) return `尚无任何账户：请在浏览器中打开 ${base}/setup ，输入环境变量 ADMIN_TOKEN 中设置的令牌，创建第一个管理员账户`;
  return `尚无任何账户：请在浏览器中打开 ${base}/setup ，输入首次启动时显示的管理员令牌，创建第一个管理员账户（令牌已遗失时，以 ADMIN_TOKEN=<至少 16 个字符> 重新启动，再输入该令牌）`;
}

/**
 * The Node service: SQLite (created and migrated), feeds/ loaded, the HTTP server and, unless
 * SCHEDULER=off, the background jobs. `npm start` and `npm run demo` both start it.
 */
export async function startService(env: Env) {
  const db = openSqlite(env.DB_PATH);
  const outbound = nodeOutbound({ allowPrivate: allowPrivateUrls(env) });
  const ctx = createAppContext({
    db,
    now: () => Date.now(),
    config: {
      interpretationWorkingDays: env.INTERPRETATION_WORKING_DAYS,
      publicUrl: env.PUBLIC_URL ?? null,
      signalWords: readSignalWords(env.FEEDS_DIR),
      ...opinionConfig(env),
    },
    keywords: jiebaKeywords(env.FEEDS_DIR, env.JIEBA_DICT),
    passwords: scryptPasswords(),
    urlGuard: outbound.guard,
    ...(outbound.fetch ? { fetch: outbound.fetch } : {}),
    ...(env.SMTP_URL && env.MAIL_FROM ? { mailer: smtpMailer({ url: env.SMTP_URL, from: env.MAIL_FROM }) } : {}),
    xlsx: exceljsXlsx(),
    docx: briefingDocx(),
  });
  // One Node process per database: a delivery still marked as being sent was cut off by the
  // previous process's end. It is shown as interrupted, not sent again on its own.
  const interrupted = await releaseInterrupted(ctx, Number.MAX_SAFE_INTEGER);
  if (interrupted > 0) console.error(`上次运行中断时有 ${interrupted} 条消息正在发送，无法确认是否送达，已在“通知”页标出`);
  const rule = await applyInterpretationRule(ctx);
  const searchable = await backfillSearchText(ctx);
  if (searchable.documents + searchable.incidents > 0) console.log(`已为 ${searchable.documents} 份文件、${searchable.incidents} 个舆情事件建立检索文本`);
  if (rule.recomputed > 0) console.log(`解读时限改为 ${env.INTERPRETATION_WORKING_DAYS} 个工作日，已重算 ${rule.recomputed} 份文件的截止日期`);

  const admin = await resolveAdminToken(ctx, env.ADMIN_TOKEN || undefined);
  if (admin.generated) {
    console.log('\n首次启动：已生成管理员令牌（只显示这一次，请妥善保存）');
    console.log(`ADMIN_TOKEN=${admin.generated}\n`);
  }

  const app = createApp({
    ctx,
    adminTokenSha256: admin.sha256,
    clientAddress: (c) => getConnInfo(c).remote.address ?? 'unknown',
    before: readTurns(),
  });

  const declared = readDeclarativeSources(env.FEEDS_DIR);
  const feedProblems = await upsertConfiguredFeeds(ctx, declared.feeds);
  const ruleProblems = await upsertConfiguredRules(ctx, declared.rules);
  for (const p of [...declared.problems, ...feedProblems, ...ruleProblems]) console.error(`feeds/ 配置有误，已跳过：${p}`);
  console.log(`已载入 feeds/：${declared.feeds.length - feedProblems.length} 个订阅源，${declared.rules.length - ruleProblems.length} 条监测规则，${ctx.config.signalWords.length} 个负面信号词`);

  // Background work in progress, so that shutting down can wait for it instead of closing the
  // database under it.
  const inFlight = new Set<Promise<unknown>>();
  function track<T>(work: Promise<T>): Promise<T> {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work)).catch(() => undefined);
    return work;
  }
  let stopping = false;
  // Import jobs run on after their 202: shutting down waits for them too.
  ctx.background = (work) => void track(work);
  ctx.stopping = () => stopping;

  /** Runs a job on a cron schedule, never stacked on a still-running run of itself. */
  function every(expression: string, name: string, job: () => Promise<string | undefined>) {
    let running = false;
    return cron.schedule(expression, async () => {
      if (running || stopping) return;
      running = true;
      try {
        const report = await track(job());
        if (report) console.log(report);
      } catch (err) {
        console.error(`${name}失败`, err);
      } finally {
        running = false;
      }
    });
  }

  const tasks =
    env.SCHEDULER === 'on'
      ? [
          every(env.SWEEP_CRON, '解读时限巡检', () => deadlineSweepJob(ctx)),
          every(env.MONITOR_CRON, '订阅源抓取与回应时限巡检', () => monitoringJob(ctx)),
          every(env.DELIVER_CRON, '消息发送', () => deliveryJob(ctx)),
        ]
      : [];
  // Alerts go out right after they are recorded, not only at the next minute.
  if (env.SCHEDULER === 'on') {
    let queued = false;
    ctx.afterAlerts = () => {
      if (queued || stopping) return;
      queued = true;
      setImmediate(() => {
        queued = false;
        track(deliveryJob(ctx)).then(
          (report) => report && console.log(report),
          (err: unknown) => console.error('消息发送失败', err),
        );
      });
    };
  }
  // The WAL is copied back into the database every 10 minutes, so that it cannot grow without end.
  const checkpoints = setInterval(() => {
    try {
      db.checkpoint();
    } catch (err) {
      console.error('WAL 检查点失败', err);
    }
  }, 10 * 60_000);
  checkpoints.unref();

  const fetch = async (request: Request, bindings: HttpBindings | Http2Bindings) => closeIfBodyUnread(await app.fetch(request, bindings), bindings.incoming);
  const server = serve({ fetch, port: env.PORT, hostname: env.HOST }, (info) => {
    console.log(`政策解读与舆情回应平台已启动：http://localhost:${info.port}（数据库 ${env.DB_PATH}，后台任务 ${env.SCHEDULER}）`);
  });

  server.on('clientError', answerUnparsable);

  const listening = new Promise<number>((resolve) => server.once('listening', () => resolve((server.address() as AddressInfo).port)));
  const port = await listening;
  if (!(await hasAccounts(ctx))) {
    const base = (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, '');
    console.log(`\n${firstRunMessage(base, admin.generated, Boolean(env.ADMIN_TOKEN))}\n`);
  }
  return {
    ctx,
    port,
    /**
     * Shuts down in order: no new jobs, no new connections; requests in progress and running jobs
     * finish (for at most `graceMs`), idle keep-alive connections close; then a checkpoint and the
     * database closes.
     */
    async close(graceMs = 10_000) {
      stopping = true;
      for (const task of tasks) task.stop();
      clearInterval(checkpoints);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // A keep-alive connection goes as soon as its request is answered, not after its idle timeout.
      const closeIdle = () => (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
      closeIdle();
      const idleSweep = setInterval(closeIdle, 50);
      void closed.finally(() => clearInterval(idleSweep));
      const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
      const finished = await Promise.race([Promise.all([closed, ...inFlight]).then(() => 'done' as const), timer]);
      if (finished === 'timeout') {
        console.error(`关闭超时（${graceMs / 1000} 秒）：仍有请求或后台任务未结束，强制关闭`);
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }
      clearInterval(idleSweep);
      db.checkpoint();
      db.close();
    },
  };
}

/**
 * A request Node's HTTP parser refuses before the app sees it (Chinese typed raw in the address
 * rather than percent-encoded, a malformed header, headers over the size limit, a timeout) gets
 * the error shape of every other 4xx, rather than Node's bare status line with no body.
 */
function answerUnparsable(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, reason, message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', '请求头过大']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', '请求超时']
        : [400, 'Bad Request', err.code === 'HPE_INVALID_URL' ? '网址无效：网址中的中文等字符须先进行百分号编码（如 encodeURIComponent）' : '无法解析的 HTTP 请求'];
  const body = JSON.stringify({ error: { code: 'bad_request', message } });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

