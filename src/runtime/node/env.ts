import { z } from 'zod';
import {
  AdminTokenSetting,
  AllowPrivateUrlsSetting,
  DEFAULT_SWEEP_CRON,
  InterpretationWorkingDaysSetting,
  OpinionSettings,
  PublicUrlSetting,
  withoutEmpty,
} from '../settings.js';
import { fromRoot } from './paths.js';

// The only place that reads process.env.
export const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DB_PATH: z.string().min(1).default(fromRoot('db', 'app.sqlite')),
  ADMIN_TOKEN: AdminTokenSetting,
  SCHEDULER: z.enum(['on', 'off']).default('on'),
  SWEEP_CRON: z.string().default(DEFAULT_SWEEP_CRON),
  MONITOR_CRON: z.string().default('* * * * *'),
  FEEDS_DIR: z.string().min(1).default(fromRoot('feeds')),
  INTERPRETATION_WORKING_DAYS: InterpretationWorkingDaysSetting.default(3),
  /** Hot words: `compact` (feeds/jieba/, ~50 MB) or `full` (nodejieba's own dictionaries, ~240 MB). */
  JIEBA_DICT: z.enum(['compact', 'full']).default('compact'),
  ALLOW_PRIVATE_URLS: AllowPrivateUrlsSetting,
  ALLOW_PRIVATE_FEEDS: AllowPrivateUrlsSetting,
  /** When due notifications are sent (besides right after an alert is recorded). */
  DELIVER_CRON: z.string().default('* * * * *'),
  PUBLIC_URL: PublicUrlSetting,
  /** Email channels: `smtp://user:pass@host:587` or `smtps://…:465`; with MAIL_FROM. */
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'SMTP_URL 应以 smtp:// 或 smtps:// 开头').optional(),
  MAIL_FROM: z.string().min(3).optional(),
  /** Reprint and heat thresholds (SPEC §14); see README "Reprints, heat and negative signals". */
  ...OpinionSettings,
}).refine((env) => (env.SMTP_URL === undefined) === (env.MAIL_FROM === undefined), {
  message: 'SMTP_URL 和 MAIL_FROM 须同时设置',
  path: ['MAIL_FROM'],
});

export type Env = z.infer<typeof EnvSchema>;

/**
 * The environment, checked once (with `overrides` on top, for `npm run demo`): a wrong value stops
 * the start with the variable's name.
 */
export function readEnv(overrides: Record<string, string> = {}): Env {
  return parseOrExit(EnvSchema, withoutEmpty({ ...process.env, ...overrides }));
}

/** The environment checked against `schema`; a wrong value stops the process with the variable's name. */
function parseOrExit<T extends z.ZodTypeAny>(schema: T, source: Record<string, string | undefined>): z.infer<T> {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`环境变量 ${issue.path.join('.')}: ${issue.message}`);
    process.exit(1);
  }
  return parsed.data;
}

// `npm run worker:dev`: the Workers build under `wrangler dev` on this machine.
export const WorkerDevEnvSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(8787),
  ADMIN_TOKEN: AdminTokenSetting,
  ALLOW_PRIVATE_URLS: AllowPrivateUrlsSetting,
  ALLOW_PRIVATE_FEEDS: AllowPrivateUrlsSetting,
  PUBLIC_URL: PublicUrlSetting,
  INTERPRETATION_WORKING_DAYS: InterpretationWorkingDaysSetting.optional(),
  /** Where the local D1 keeps its files; default .wrangler/state (wrangler's own default). */
  WORKER_STATE_DIR: z.string().min(1).default(fromRoot('.wrangler', 'state')),
});

export type WorkerDevEnv = z.infer<typeof WorkerDevEnvSchema>;

export function readWorkerDevEnv(): WorkerDevEnv {
  return parseOrExit(WorkerDevEnvSchema, withoutEmpty(process.env));
}

/** This process's environment plus `extra`, for a child process (npm run worker:dev starts wrangler). */
export function childEnvironment(extra: Record<string, string>): Record<string, string | undefined> {
  return { ...process.env, ...extra };
}
