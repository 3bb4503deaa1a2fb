import { desc, eq, sql } from 'drizzle-orm';
import { shanghaiDate, toIsoUtc } from '../domain/time.js';
import { alerts } from '../db/schema.js';
import type { AppContext } from './context.js';

export const ALERT_TYPES = ['interpretation_overdue', 'commitment_due_soon', 'commitment_missed'] as const;
export type AlertType = (typeof ALERT_TYPES)[number];

export interface AlertView {
  id: number;
  type: string;
  documentId?: number;
  incidentId?: number;
  commitmentId?: number;
  feedId?: number;
  createdAt: string;
  message: string;
}

export async function listAlerts(
  ctx: AppContext,
  filter: { type?: string; limit: number; offset: number },
): Promise<AlertView[]> {
  const rows = await ctx.db.orm
    .select()
    .from(alerts)
    .where(filter.type ? eq(alerts.type, filter.type) : undefined)
    .orderBy(desc(alerts.id))
    .limit(filter.limit)
    .offset(filter.offset);
  return rows.map((r) => ({
    id: r.id,
    type: r.type,
    ...(r.documentId !== null ? { documentId: r.documentId } : {}),
    ...(r.incidentId !== null ? { incidentId: r.incidentId } : {}),
    ...(r.commitmentId !== null ? { commitmentId: r.commitmentId } : {}),
    ...(r.feedId !== null ? { feedId: r.feedId } : {}),
    createdAt: toIsoUtc(r.createdAt),
    message: r.message,
  }));
}

/**
 * The deadline sweep: records one `interpretation_overdue` alert for every document overdue as of
 * `asOf`. One INSERT … SELECT, keyed by type + document + due date, so overlapping sweeps, a
 * restart, or a sweep re-run for an earlier asOf never record a second alert for the same deadline;
 * a due date moved by a calendar change is a new deadline and gets its own.
 */
export async function sweepDeadlines(ctx: AppContext, asOf: number): Promise<{ alertsCreated: number }> {
  const today = shanghaiDate(asOf);
  const now = ctx.now();
  const overdueSelect = (source: ReturnType<typeof sql.raw>, waitingCondition: ReturnType<typeof sql>) => sql`
    SELECT 'interpretation_overdue', id,
      'interpretation_overdue:' || id || ':' || interpretation_due_date,
      '《' || title || '》' || COALESCE('（' || doc_number || '）', '') || '的政策解读应于 '
        || interpretation_due_date || '（含）前发布，现已逾期',
      ${now}
    FROM ${source}
    WHERE requires_interpretation = 1 AND ${waitingCondition} AND interpretation_due_date < ${today}`;
  const result = await ctx.db.orm.run(sql`
    INSERT OR IGNORE INTO alerts (type, document_id, dedupe_key, message, created_at)
    ${overdueSelect(sql.raw('documents INDEXED BY documents_waiting_due_idx'), sql`first_interpretation_at IS NULL`)}
    UNION ALL
    ${overdueSelect(sql.raw('documents'), sql`first_interpretation_at > ${asOf}`)}`);
  return { alertsCreated: changesOf(result) };
}

/** Rows changed by a write, from either driver's result shape. */
function changesOf(result: unknown): number {
  const r = result as { changes?: number; meta?: { changes?: number } };
  return r.changes ?? r.meta?.changes ?? 0;
}
