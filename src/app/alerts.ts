import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { SHANGHAI_OFFSET_MS, shanghaiDate, toIsoUtc } from '../domain/time.js';
import { dueSoonAt } from '../domain/deadlines/commitments.js';
import { COMMITMENT_LABELS } from '../domain/deadlines/response-policy.js';
import { alerts, commitments, incidents } from '../db/schema.js';
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

/** 'YYYY-MM-DD HH:mm' in Shanghai time, for messages people read. */
function shanghaiMinute(ms: number): string {
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/**
 * Records `commitment_due_soon` once 80 % of a commitment's time has elapsed (while it is still
 * due) and `commitment_missed` once it is past due, for unfulfilled commitments of open
 * incidents. Keys carry the due time, so a clock moved by a new startedAt can alert again.
 */
export async function sweepCommitments(ctx: AppContext, asOf: number): Promise<{ alertsCreated: number }> {
  const running = await ctx.db.orm
    .select({
      id: commitments.id,
      incidentId: commitments.incidentId,
      kind: commitments.kind,
      dueAt: commitments.dueAt,
      startedAt: incidents.startedAt,
      title: incidents.title,
    })
    .from(commitments)
    .innerJoin(incidents, eq(incidents.id, commitments.incidentId))
    .where(and(isNull(commitments.fulfilledAt), isNull(commitments.cancelledAt), eq(incidents.status, 'open')));
  const now = ctx.now();
  const statements = [];
  for (const c of running) {
    const label = COMMITMENT_LABELS[c.kind] ?? c.kind;
    const base = { incidentId: c.incidentId, commitmentId: c.id, createdAt: now };
    if (asOf > c.dueAt) {
      statements.push({
        ...base,
        type: 'commitment_missed',
        dedupeKey: `commitment_missed:${c.id}:${c.dueAt}`,
        message: `舆情事件「${c.title}」的“${label}”已超过时限（${shanghaiMinute(c.dueAt)}），尚未完成`,
      });
    } else if (asOf >= dueSoonAt(c.startedAt, c.dueAt)) {
      statements.push({
        ...base,
        type: 'commitment_due_soon',
        dedupeKey: `commitment_due_soon:${c.id}:${c.dueAt}`,
        message: `舆情事件「${c.title}」的“${label}”将于 ${shanghaiMinute(c.dueAt)} 到期（已过八成时限）`,
      });
    }
  }
  if (statements.length === 0) return { alertsCreated: 0 };
  const results = await ctx.db.batch(
    statements.map((values) => ctx.db.orm.insert(alerts).values(values).onConflictDoNothing()),
  );
  return { alertsCreated: results.reduce<number>((sum, r) => sum + changesOf(r), 0) };
}

/** The whole deadline sweep: interpretations and commitments. */
export async function runSweep(ctx: AppContext, asOf: number): Promise<{ alertsCreated: number }> {
  const documents = await sweepDeadlines(ctx, asOf);
  const clocks = await sweepCommitments(ctx, asOf);
  return { alertsCreated: documents.alertsCreated + clocks.alertsCreated };
}
