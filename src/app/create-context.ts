import { DEFAULT_INTERPRETATION_WORKING_DAYS } from '../domain/deadlines/interpretation.js';
import { DEFAULT_HEAT_SETTINGS } from '../domain/monitoring/heat.js';
import { DEFAULT_REPRINT_SETTINGS } from '../domain/monitoring/reprints.js';
import type { Database } from '../db/database.js';
import { CalendarStore } from './calendar-store.js';
import type { AppConfig, AppContext, KeywordExtractor } from './context.js';
import type { UrlGuard } from './security/addresses.js';
import type { PasswordHasher } from './security/passwords.js';
import type { Mailer } from './notifications/mailer.js';
import type { XlsxEncoder } from './exports/table.js';
import type { BriefingDocxEncoder } from './monitoring/briefing.js';
import { recomputeDeadlines } from './documents.js';
import { readMeta, writeMeta } from './meta.js';

export const DEFAULT_CONFIG: AppConfig = {
  interpretationWorkingDays: DEFAULT_INTERPRETATION_WORKING_DAYS,
  incidentWindowHours: 72,
  feedFetch: { timeoutMs: 30_000, headersTimeoutMs: 10_000, maxBytes: 10 * 1024 * 1024, maxRedirects: 5 },
  pollConcurrency: 4,
  publicUrl: null,
  delivery: { timeoutMs: 15_000, maxBytes: 64 * 1024, concurrency: 8, claimLeaseMs: 5 * 60_000 },
  reprints: DEFAULT_REPRINT_SETTINGS,
  heat: DEFAULT_HEAT_SETTINGS,
  signalWords: [],
};

export function createAppContext(options: {
  db: Database;
  now: () => number;
  config?: Partial<AppConfig>;
  keywords?: KeywordExtractor;
  passwords: PasswordHasher;
  urlGuard?: UrlGuard;
  fetch?: typeof fetch;
  mailer?: Mailer;
  xlsx?: XlsxEncoder;
  docx?: BriefingDocxEncoder;
}): AppContext {
  return {
    db: options.db,
    now: options.now,
    config: { ...DEFAULT_CONFIG, ...options.config },
    calendars: new CalendarStore(options.db),
    passwords: options.passwords,
    ...(options.urlGuard ? { urlGuard: options.urlGuard } : {}),
    ...(options.keywords ? { keywords: options.keywords } : {}),
    ...(options.mailer ? { mailer: options.mailer } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.xlsx ? { xlsx: options.xlsx } : {}),
    ...(options.docx ? { docx: options.docx } : {}),
  };
}

const RULE_KEY = 'interpretation_working_days';

/**
 * Stored due dates follow the N in force. When the service starts with a different N than the
 * documents were computed with, every due date is recomputed once, in one batch.
 */
export async function applyInterpretationRule(ctx: AppContext): Promise<{ recomputed: number }> {
  const stored = await readMeta(ctx.db, RULE_KEY);
  const wanted = String(ctx.config.interpretationWorkingDays);
  if (stored === wanted) return { recomputed: 0 };
  const calendar = await ctx.calendars.current();
  const statements = stored === undefined ? [] : await recomputeDeadlines(ctx, calendar, { from: '0000-01-01', to: '9999-12-31' });
  await ctx.db.batch([...statements, writeMeta(ctx.db, RULE_KEY, wanted)]);
  return { recomputed: statements.length };
}
