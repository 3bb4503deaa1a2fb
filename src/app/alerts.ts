import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { returnedRows } from '../db/returned.js';
import { DAY_MS, shanghaiDate, startOfShanghaiDay, toIsoUtc } from '../domain/time.js';
import { dueSoonAt } from '../domain/deadlines/commitments.js';
import { COMMITMENT_LABELS } from '../domain/deadlines/response-policy.js';
import { beijingMinute } from '../domain/notifications/messages.js';
import { alerts, commitments, incidents } from '../db/schema.js';
import type { AppContext } from './context.js';
import { sweepDisclosureDeadlines } from './disclosure/deadlines.js';

export { ALERT_TYPES, type AlertType } from '../domain/notifications/messages.js';

/** When interpretation_due_soon fires on the due date: 09:00 in Shanghai (SPEC §10). */
const DUE_SOON_HOUR = 9;

export interface AlertView {
  id: number;
  type: string;
  documentId?: number;
  incidentId?: number;
  commitmentId?: number;
  feedId?: number;
  disclosureRequestId?: number;
  departmentCode?: string;
  severity?: string;
  subject?: string;
  /** The deadline the alert is about (for a due date: the midnight that ends it). */
  deadline?: string;
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
    ...(r.disclosureRequestId !== null ? { disclosureRequestId: r.disclosureRequestId } : {}),
    ...(r.departmentCode !== null ? { departmentCode: r.departmentCode } : {}),
    ...(r.severity !== null ? { severity: r.severity } : {}),
    ...(r.subject !== null ? { subject: r.subject } : {}),
    ...(r.deadlineAt !== null ? { deadline: toIsoUtc(r.deadlineAt) } : {}),
    createdAt: toIsoUtc(r.createdAt),
    message: r.message,
  }));
}

/** The deadline of a due date is the midnight that ends it: epoch ms from the 'YYYY-MM-DD' text. */
const DUE_DEADLINE = sql.raw(`CAST(strftime('%s', interpretation_due_date) AS INTEGER) * 1000 + ${DAY_MS - 8 * 3_600_000}`);
const NAMED = sql.raw(`'《' || title || '》' || COALESCE('（' || doc_number || '）', '')`);
const ALERT_COLUMNS = sql.raw('(type, document_id, dedupe_key, message, department_code, subject, deadline_at, created_at)');

/**
 * The deadline sweep: records one `interpretation_overdue` alert for every document overdue as of
 * `asOf`, and one `interpretation_due_soon` for every document still waiting on its due date from
 * 09:00 Shanghai. One INSERT … SELECT each, keyed by type + document + due date, so overlapping
 * sweeps, a restart, or a sweep re-run for an earlier asOf never record a second alert for the
 * same deadline; a due date moved by a calendar change is a new deadline and gets its own.
 */
export async function sweepDeadlines(ctx: AppContext, asOf: number): Promise<{ alertsCreated: number }> {
  const today = shanghaiDate(asOf);
  const now = ctx.now();
  const overdueSelect = (source: ReturnType<typeof sql.raw>, waitingCondition: ReturnType<typeof sql>) => sql`
    SELECT 'interpretation_overdue', id,
      'interpretation_overdue:' || id || ':' || interpretation_due_date,
      ${NAMED} || '的政策解读应于 ' || interpretation_due_date || '（含）前发布，现已逾期',
      department_code, title, ${DUE_DEADLINE}, ${now}
    FROM ${source}
    WHERE requires_interpretation = 1 AND ${waitingCondition} AND interpretation_due_date < ${today} AND drafting = 0`;
  const overdue = await ctx.db.orm.all<{ id: number }>(sql`
    INSERT OR IGNORE INTO alerts ${ALERT_COLUMNS}
    ${overdueSelect(sql.raw('documents INDEXED BY documents_waiting_due_idx'), sql`first_interpretation_at IS NULL`)}
    UNION ALL
    ${overdueSelect(sql.raw('documents'), sql`first_interpretation_at > ${asOf}`)}
    RETURNING id`);
  const created = overdue.length + (await recordDueToday(ctx, asOf)) + (await recordLeaderMissing(ctx, asOf));
  if (created > 0) ctx.afterAlerts?.();
  return { alertsCreated: created };
}

/**
 * How far back `interpretation_leader_missing` looks: due dates ended within this many days. The
 * sweep runs every few minutes, so every deadline passes through the window; what it keeps out
 * is years of major documents published before the alert existed, which would otherwise all
 * alert at the first sweep after an upgrade.
 */
export const LEADER_MISSING_WINDOW_DAYS = 30;

/**
 * `interpretation_leader_missing` (SPEC §12): a published major document whose due date has ended
 * without a leader-led interpretation (marked leaderLed, or a press conference or an interview)
 * published by asOf. Once per document and due date, like the others.
 */
async function recordLeaderMissing(ctx: AppContext, asOf: number): Promise<number> {
  const today = shanghaiDate(asOf);
  const since = shanghaiDate(startOfShanghaiDay(today) - LEADER_MISSING_WINDOW_DAYS * DAY_MS);
  const result = await ctx.db.orm.all<{ id: number }>(sql`
    INSERT OR IGNORE INTO alerts ${ALERT_COLUMNS}
    SELECT 'interpretation_leader_missing', id,
      'interpretation_leader_missing:' || id || ':' || interpretation_due_date,
      ${NAMED} || '为重大政策文件，解读期限（' || interpretation_due_date || '）已过，尚无主要负责人解读（新闻发布会、在线访谈或署名文章）',
      department_code, title, ${DUE_DEADLINE}, ${ctx.now()}
    FROM documents AS d INDEXED BY documents_due_idx
    WHERE interpretation_due_date < ${today} AND interpretation_due_date >= ${since}
      AND importance = 'major' AND requires_interpretation = 1 AND drafting = 0
      AND NOT EXISTS (SELECT 1 FROM interpretation_documents l JOIN interpretations i ON i.id = l.interpretation_id
        WHERE l.document_id = d.id AND i.published_at <= ${asOf}
          AND (i.leader_led = 1 OR i.form IN ('press_conference', 'interview')))
    RETURNING id`);
  return result.length;
}

/**
 * `interpretation_due_soon`: documents due on asOf's date and still waiting, from 09:00 Shanghai
 * (SPEC §10). With `documentId`, that one document only: registering or changing a document on
 * its due date after 09:00 alerts at once.
 */
export async function recordDueToday(ctx: AppContext, asOf: number, documentId?: number): Promise<number> {
  const today = shanghaiDate(asOf);
  if (asOf < startOfShanghaiDay(today) + DUE_SOON_HOUR * 3_600_000) return 0;
  const only = documentId === undefined ? sql`` : sql` AND id = ${documentId}`;
  const result = await ctx.db.orm.all<{ id: number }>(sql`
    INSERT OR IGNORE INTO alerts ${ALERT_COLUMNS}
    SELECT 'interpretation_due_soon', id,
      'interpretation_due_soon:' || id || ':' || interpretation_due_date,
      ${NAMED} || '的政策解读今日（' || interpretation_due_date || '）到期，尚未发布',
      department_code, title, ${DUE_DEADLINE}, ${ctx.now()}
    FROM documents INDEXED BY documents_due_idx
    WHERE interpretation_due_date = ${today} AND requires_interpretation = 1 AND drafting = 0
      AND (first_interpretation_at IS NULL OR first_interpretation_at > ${asOf})${only}
    RETURNING id`);
  const created = result.length;
  if (documentId !== undefined && created > 0) ctx.afterAlerts?.();
  return created;
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
      departmentCode: incidents.departmentCode,
      severity: incidents.severity,
    })
    .from(commitments)
    .innerJoin(incidents, eq(incidents.id, commitments.incidentId))
    .where(and(isNull(commitments.fulfilledAt), isNull(commitments.cancelledAt), eq(incidents.status, 'open')));
  const now = ctx.now();
  const statements = [];
  for (const c of running) {
    const label = COMMITMENT_LABELS[c.kind] ?? c.kind;
    const base = {
      incidentId: c.incidentId,
      commitmentId: c.id,
      departmentCode: c.departmentCode,
      severity: c.severity,
      subject: c.title,
      deadlineAt: c.dueAt,
      createdAt: now,
    };
    if (asOf > c.dueAt) {
      statements.push({
        ...base,
        type: 'commitment_missed',
        dedupeKey: `commitment_missed:${c.id}:${c.dueAt}`,
        message: `舆情事件「${c.title}」的“${label}”已超过时限（${beijingMinute(c.dueAt)}），尚未完成`,
      });
    } else if (asOf >= dueSoonAt(c.startedAt, c.dueAt)) {
      statements.push({
        ...base,
        type: 'commitment_due_soon',
        dedupeKey: `commitment_due_soon:${c.id}:${c.dueAt}`,
        message: `舆情事件「${c.title}」的“${label}”将于 ${beijingMinute(c.dueAt)} 到期（已过八成时限）`,
      });
    }
  }
  if (statements.length === 0) return { alertsCreated: 0 };
  const results = await ctx.db.batch(
    statements.map((values) => ctx.db.orm.insert(alerts).values(values).onConflictDoNothing().returning({ id: alerts.id })),
  );
  const created = returnedRows(results);
  if (created > 0) ctx.afterAlerts?.();
  return { alertsCreated: created };
}

/** The whole deadline sweep: interpretations, commitments and requests for disclosure. */
export async function runSweep(ctx: AppContext, asOf: number): Promise<{ alertsCreated: number }> {
  const documents = await sweepDeadlines(ctx, asOf);
  const clocks = await sweepCommitments(ctx, asOf);
  const disclosures = await sweepDisclosureDeadlines(ctx, asOf);
  return { alertsCreated: documents.alertsCreated + clocks.alertsCreated + disclosures.alertsCreated };
}
