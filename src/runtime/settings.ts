import { z } from 'zod';

// The settings both runtimes read (Node from the environment, Workers from wrangler.toml's
// [vars] and secrets), checked the same way on both.

export const AdminTokenSetting = z.string().min(16, 'ADMIN_TOKEN 至少 16 个字符').optional();

/** `1`/`true` lets feed URLs point at loopback and private addresses (refused by default). */
export const AllowPrivateFeedsSetting = z
  .enum(['0', '1', 'true', 'false'])
  .default('0')
  .transform((v) => v === '1' || v === 'true');

/** N in "interpretation due N working days after publication" (SPEC §3). */
export const InterpretationWorkingDaysSetting = z.coerce.number().int().min(0).max(60);

/** When the interpretation-deadline sweep runs. */
export const DEFAULT_SWEEP_CRON = '*/10 * * * *';
