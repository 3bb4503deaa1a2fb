import { z } from 'zod';
import { fromRoot } from './paths.js';

// The only place that reads process.env.
export const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DB_PATH: z.string().min(1).default(fromRoot('db', 'app.sqlite')),
  ADMIN_TOKEN: z.string().min(16, 'ADMIN_TOKEN 至少 16 个字符').optional(),
  SCHEDULER: z.enum(['on', 'off']).default('on'),
  SWEEP_CRON: z.string().default('*/10 * * * *'),
  MONITOR_CRON: z.string().default('* * * * *'),
  FEEDS_DIR: z.string().min(1).default(fromRoot('feeds')),
  INTERPRETATION_WORKING_DAYS: z.coerce.number().int().min(0).max(60).default(3),
  /** Hot words: `compact` (feeds/jieba/, ~50 MB) or `full` (nodejieba's own dictionaries, ~240 MB). */
  JIEBA_DICT: z.enum(['compact', 'full']).default('compact'),
  ALLOW_PRIVATE_FEEDS: z
    .enum(['0', '1', 'true', 'false'])
    .default('0')
    .transform((v) => v === '1' || v === 'true'),
});

export type Env = z.infer<typeof EnvSchema>;

/**
 * The environment, checked once (with `overrides` on top, for `npm run demo`): a wrong value stops
 * the start with the variable's name.
 */
export function readEnv(overrides: Record<string, string> = {}): Env {
  const parsed = EnvSchema.safeParse({ ...process.env, ...overrides });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`环境变量 ${issue.path.join('.')}: ${issue.message}`);
    process.exit(1);
  }
  return parsed.data;
}


// `npm run worker:dev`: the Workers build under `wrangler dev` on this machine.
export const WorkerDevEnvSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(8787),
  ADMIN_TOKEN: z.string().min(16, 'ADMIN_TOKEN 至少 16 个字符').optional(),
  ALLOW_PRIVATE_FEEDS: z.enum(['0', '1', 'true', 'false']).default('0'),
  INTERPRETATION_WORKING_DAYS: z.coerce.number().int().min(0).max(60).optional(),
  /** Where the local D1 keeps its files; default .wrangler/state (wrangler's own default). */
  WORKER_STATE_DIR: z.string().min(1).default(fromRoot('.wrangler', 'state')),
});

export type WorkerDevEnv = z.infer<typeof WorkerDevEnvSchema>;

export function readWorkerDevEnv(): WorkerDevEnv {
  const parsed = WorkerDevEnvSchema.safeParse(process.env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`环境变量 ${issue.path.join('.')}: ${issue.message}`);
    process.exit(1);
  }
  return parsed.data;
}

/** This process's environment plus `extra`, for a child process (npm run worker:dev starts wrangler). */
export function childEnvironment(extra: Record<string, string>): Record<string, string | undefined> {
  return { ...process.env, ...extra };
}
