import { serve } from '@hono/node-server';
import cron from 'node-cron';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { resolveAdminToken } from '../../app/admin-token.js';
import { sweepDeadlines } from '../../app/alerts.js';
import { applyInterpretationRule, createAppContext } from '../../app/create-context.js';
import { verifierForDigest } from '../../http/auth.js';
import { createApp } from '../../http/app.js';
import { openSqlite } from './sqlite.js';

// The only place that reads process.env.
const Env = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DB_PATH: z.string().min(1).default(fileURLToPath(new URL('../../../db/app.sqlite', import.meta.url))),
  ADMIN_TOKEN: z.string().min(16, 'ADMIN_TOKEN 至少 16 个字符').optional(),
  SCHEDULER: z.enum(['on', 'off']).default('on'),
  SWEEP_CRON: z.string().default('*/10 * * * *'),
  INTERPRETATION_WORKING_DAYS: z.coerce.number().int().min(0).max(60).default(3),
});

const parsed = Env.safeParse(process.env);
if (!parsed.success) {
  for (const issue of parsed.error.issues) console.error(`环境变量 ${issue.path.join('.')}: ${issue.message}`);
  process.exit(1);
}
const env = parsed.data;

const db = openSqlite(env.DB_PATH);
const ctx = createAppContext({
  db,
  now: () => Date.now(),
  config: { interpretationWorkingDays: env.INTERPRETATION_WORKING_DAYS },
});
const rule = await applyInterpretationRule(ctx);
if (rule.recomputed > 0) console.log(`解读时限改为 ${env.INTERPRETATION_WORKING_DAYS} 个工作日，已重算 ${rule.recomputed} 份文件的截止日期`);

const admin = await resolveAdminToken(ctx, env.ADMIN_TOKEN || undefined);
if (admin.generated) {
  console.log('\n首次启动：已生成管理员令牌（只显示这一次，请妥善保存）');
  console.log(`ADMIN_TOKEN=${admin.generated}\n`);
}

const app = createApp({ ctx, verifyToken: verifierForDigest(admin.sha256) });

let sweeping = false;
const task =
  env.SCHEDULER === 'on'
    ? cron.schedule(env.SWEEP_CRON, async () => {
        if (sweeping) return; // a slow sweep is never stacked on itself
        sweeping = true;
        try {
          const { alertsCreated } = await sweepDeadlines(ctx, ctx.now());
          if (alertsCreated > 0) console.log(`截止日期巡检：新增 ${alertsCreated} 条逾期提醒`);
        } catch (err) {
          console.error('截止日期巡检失败', err);
        } finally {
          sweeping = false;
        }
      })
    : undefined;

const server = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST }, (info) => {
  console.log(`政策解读与舆情回应平台已启动：http://localhost:${info.port}（数据库 ${env.DB_PATH}，后台任务 ${env.SCHEDULER}）`);
});

function shutdown() {
  task?.stop();
  server.close(() => {
    db.close();
    process.exit(0);
  });
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
