import { z } from 'zod';
import { DEFAULT_HEAT_SETTINGS, type HeatSettings } from '../domain/monitoring/heat.js';
import { DEFAULT_REPRINT_SETTINGS, type ReprintSettings } from '../domain/monitoring/reprints.js';

// The settings both runtimes read (Node from the environment, Workers from wrangler.toml's
// [vars] and secrets), checked the same way on both.

export const AdminTokenSetting = z.string().min(16, 'ADMIN_TOKEN 至少 16 个字符').optional();

/**
 * `1`/`true` lets feed and channel URLs point at loopback and private addresses (refused by
 * default): ALLOW_PRIVATE_URLS, with ALLOW_PRIVATE_FEEDS as its older alias.
 */
export const AllowPrivateUrlsSetting = z
  .enum(['0', '1', 'true', 'false'])
  .optional()
  .transform((v) => (v === undefined ? undefined : v === '1' || v === 'true'));

/** ALLOW_PRIVATE_URLS wins; else ALLOW_PRIVATE_FEEDS; else off. */
export function allowPrivateUrls(vars: { ALLOW_PRIVATE_URLS?: boolean | undefined; ALLOW_PRIVATE_FEEDS?: boolean | undefined }): boolean {
  return vars.ALLOW_PRIVATE_URLS ?? vars.ALLOW_PRIVATE_FEEDS ?? false;
}

/** The address people open (PUBLIC_URL), for links in notifications; no trailing slash kept. */
export const PublicUrlSetting = z
  .string()
  .regex(/^https?:\/\/[^\s]+$/, 'PUBLIC_URL 应以 http:// 或 https:// 开头，如 https://zwgk.example.gov.cn')
  .transform((s) => s.replace(/\/+$/, ''))
  .optional();

/**
 * An empty variable means unset (SPEC §7): `ALLOW_PRIVATE_FEEDS=` in a .env file or a compose
 * file must not stop the start, nor `INTERPRETATION_WORKING_DAYS=` read as 0.
 */
export function withoutEmpty(source: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(source)) if (value !== undefined && value.trim() !== '') out[key] = value;
  return out;
}

/** N in "interpretation due N working days after publication" (SPEC §3). */
export const InterpretationWorkingDaysSetting = z.coerce.number().int().min(0).max(60);

/** When the interpretation-deadline sweep runs. */
export const DEFAULT_SWEEP_CRON = '*/10 * * * *';

/**
 * Public-opinion thresholds (SPEC §14) that may be tuned without touching stored data: the title
 * similarity from which two items are one story, and the heating-up rule. (The SimHash distance,
 * the time window and the MinHash bands shape the stored index keys: they stay in code.)
 */
export const OpinionSettings = {
  REPRINT_TITLE_JACCARD: z.coerce.number().min(0.3, 'REPRINT_TITLE_JACCARD 应在 0.3 到 1 之间').max(1, 'REPRINT_TITLE_JACCARD 应在 0.3 到 1 之间').optional(),
  HEAT_MIN_STORIES: z.coerce.number().int().min(1).max(1000).optional(),
  HEAT_MIN_RATIO: z.coerce.number().min(1).max(100).optional(),
  HEAT_MIN_Z: z.coerce.number().min(0).max(100).optional(),
  HEAT_ALERT_EVERY_HOURS: z.coerce.number().min(1).max(168).optional(),
};

type OpinionVars = { [K in keyof typeof OpinionSettings]?: number | undefined };

/** The reprint and heat settings with whatever the variables change. */
export function opinionConfig(vars: OpinionVars): { reprints: ReprintSettings; heat: HeatSettings } {
  const heat = { ...DEFAULT_HEAT_SETTINGS };
  if (vars.HEAT_MIN_STORIES !== undefined) heat.minStories = vars.HEAT_MIN_STORIES;
  if (vars.HEAT_MIN_RATIO !== undefined) heat.minRatio = vars.HEAT_MIN_RATIO;
  if (vars.HEAT_MIN_Z !== undefined) heat.minZ = vars.HEAT_MIN_Z;
  if (vars.HEAT_ALERT_EVERY_HOURS !== undefined) heat.alertEveryHours = vars.HEAT_ALERT_EVERY_HOURS;
  return {
    reprints: { ...DEFAULT_REPRINT_SETTINGS, ...(vars.REPRINT_TITLE_JACCARD !== undefined ? { titleJaccard: vars.REPRINT_TITLE_JACCARD } : {}) },
    heat,
  };
}
