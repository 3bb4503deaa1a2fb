import { and, eq, sql } from 'drizzle-orm';
import { returnedRows } from '../../db/returned.js';
import type { WorkingDayCalendar } from '../../domain/calendar/calendar.js';
import { DUE_SOON_WORKING_DAYS } from '../../domain/disclosure/clock.js';
import { DAY_MS, shanghaiDate, startOfShanghaiDay } from '../../domain/time.js';
import { nextUpdatedAt } from '../../db/guard.js';
import { alerts, disclosureRequests } from '../../db/schema.js';
import type { AppContext } from '../context.js';
import { clockEventOf, clockOf, eventsOf, storedClock, type RequestRow } from './records.js';

// The stored due dates of requests follow the calendar; the sweep alerts before and after them.

/**
 * Statements that recompute the stored due date of every request whose clock can depend on the
 * days in [from, to]: received by `to`, and still running or due on or after `from`.
 */
export async function recomputeDisclosureDeadlines(ctx: AppContext, calendar: WorkingDayCalendar, window: { from: string; to: string }) {
  const t = disclosureRequests;
  const rows = await ctx.db.orm
    .select()
    .from(t)
    .where(and(sql`${t.receivedDate} <= ${window.to}`, sql`(${t.closedAt} IS NULL OR ${t.dueDate} >= ${window.from})`));
  const events = await eventsOf(ctx, rows.map((r) => r.id));
  const statements = [];
  for (const row of rows) {
    const clockEvents = events.get(row.id)!.map(clockEventOf);
    const next = storedClock(clockOf(calendar, row.receivedDate, clockEvents, ctx.now()), clockEvents);
    if (next.dueDate !== row.dueDate || next.dueProvisional !== row.dueProvisional) {
      // (A new version: what the request says has changed.)
      statements.push(ctx.db.orm.update(t).set({ dueDate: next.dueDate, dueProvisional: next.dueProvisional, updatedAt: nextUpdatedAt(t.updatedAt, ctx.now()) }).where(eq(t.id, row.id)));
    }
  }
  return statements;
}

/** The request as an alert names it: its number and the start of what was asked. */
function named(row: RequestRow): string {
  const text = row.description.replace(/\s+/g, ' ').trim();
  return `依申请公开 ${row.number}「${text.length > 24 ? `${text.slice(0, 24)}…` : text}」`;
}

/**
 * Records `disclosure_due_soon` once 3 working days or fewer are left and `disclosure_overdue` once
 * the due date has passed, for requests still running as of `asOf` (their clocks computed as of
 * then). Keys carry the due date: a due date moved by an extension or a calendar change is a new
 * deadline; the same one never alerts twice, however often the sweep runs.
 */
export async function sweepDisclosureDeadlines(ctx: AppContext, asOf: number): Promise<{ alertsCreated: number }> {
  const t = disclosureRequests;
  const rows = await ctx.db.orm
    .select()
    .from(t)
    .where(and(sql`${t.receivedDate} <= ${shanghaiDate(asOf)}`, sql`(${t.closedAt} IS NULL OR ${t.closedAt} > ${asOf})`));
  if (rows.length === 0) return { alertsCreated: 0 };
  const calendar = await ctx.calendars.current();
  const events = await eventsOf(ctx, rows.map((r) => r.id));
  const now = ctx.now();
  const statements = [];
  for (const row of rows) {
    const clock = clockOf(calendar, row.receivedDate, events.get(row.id)!.map(clockEventOf), asOf);
    if (!clock.dueDate) continue;
    const base = {
      disclosureRequestId: row.id,
      departmentCode: row.departmentCode,
      subject: `依申请公开 ${row.number}`,
      deadlineAt: startOfShanghaiDay(clock.dueDate) + DAY_MS,
      createdAt: now,
    };
    if (clock.status === 'overdue') {
      statements.push({
        ...base,
        type: 'disclosure_overdue',
        dedupeKey: `disclosure_overdue:${row.id}:${clock.dueDate}`,
        message: `${named(row)}应于 ${clock.dueDate}（含）前答复，现已逾期`,
      });
    } else if (clock.status === 'open' && clock.workingDaysLeft !== null && clock.workingDaysLeft <= DUE_SOON_WORKING_DAYS) {
      const left = clock.workingDaysLeft === 0 ? '今日到期' : `还剩 ${clock.workingDaysLeft} 个工作日`;
      statements.push({
        ...base,
        type: 'disclosure_due_soon',
        dedupeKey: `disclosure_due_soon:${row.id}:${clock.dueDate}`,
        message: `${named(row)}应于 ${clock.dueDate}（含）前答复，${left}`,
      });
    }
  }
  if (statements.length === 0) return { alertsCreated: 0 };
  const results = await ctx.db.batch(statements.map((values) => ctx.db.orm.insert(alerts).values(values).onConflictDoNothing().returning({ id: alerts.id })));
  const created = returnedRows(results);
  if (created > 0) ctx.afterAlerts?.();
  return { alertsCreated: created };
}
