import { and, asc, gt, gte, lte, sql } from 'drizzle-orm';
import type { WorkingDayCalendar } from '../../domain/calendar/calendar.js';
import { commitmentClock, type IncidentStatus } from '../../domain/deadlines/commitments.js';
import type { InterpretationStatus } from '../../domain/deadlines/interpretation.js';
import { DAY_MS, startOfShanghaiDay, toIsoUtc } from '../../domain/time.js';
import { commitments, departments, documents, incidents } from '../../db/schema.js';
import type { AppContext } from '../context.js';
import { leaderLedBy, PLANNED_AND_SIGNED, PUBLISHED } from '../documents.js';
import { beijingText, type BeijingText } from '../exports/beijing-text.js';
import { rowStatus } from '../exports/row-status.js';
import { keysetPages } from '../exports/table.js';
import { nextTurn } from '../turns.js';

// The 考核 (assessment) report of SPEC §11: per department, how the documents published in a
// period fared as of a moment, and how the response commitments of the incidents started in it did.

export interface AssessmentRow {
  /** null for incidents that name no department (shown as 未指定部门), and for the total. */
  departmentCode: string | null;
  departmentName: string;
  published: number;
  requiringInterpretation: number;
  onTime: number;
  late: number;
  overdue: number;
  pending: number;
  exempt: number;
  /** onTime ÷ (onTime + late + overdue): of the deadlines that have come, how many were kept; null when none has. */
  onTimeRate: number | null;
  /** Median of the working days from publication to the first interpretation, over documents interpreted by asOf; null when none. */
  medianWorkingDays: number | null;
  /** Documents requiring interpretation signed off with their plan before publication (同步审签, SPEC §12). */
  plannedAndSigned: number;
  /** plannedAndSigned ÷ requiringInterpretation; null when none requires interpretation. */
  plannedAndSignedRate: number | null;
  /** Major documents requiring interpretation, those of them with a leader-led interpretation by asOf, and the share. */
  majorDocuments: number;
  leaderLedMajor: number;
  leaderLedMajorRate: number | null;
  /** Incidents started in the period (merged and dismissed ones not counted). */
  incidents: number;
  commitmentsMet: number;
  commitmentsLate: number;
  commitmentsMissed: number;
}

export interface AssessmentReport {
  from: string;
  to: string;
  asOf: string;
  departments: AssessmentRow[];
  total: AssessmentRow;
}

const CHUNK = 1000;
export const NO_DEPARTMENT = '未指定部门';

function emptyRow(departmentCode: string | null, departmentName: string): AssessmentRow {
  return {
    departmentCode, departmentName, published: 0, requiringInterpretation: 0, onTime: 0, late: 0, overdue: 0, pending: 0, exempt: 0,
    onTimeRate: null, medianWorkingDays: null, plannedAndSigned: 0, plannedAndSignedRate: null,
    majorDocuments: 0, leaderLedMajor: 0, leaderLedMajorRate: null,
    incidents: 0, commitmentsMet: 0, commitmentsLate: 0, commitmentsMissed: 0,
  };
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Working days from the publication date to the first interpretation's date (0 if on the same day or before). */
export function workingDaysToInterpretation(calendar: WorkingDayCalendar, publishedAt: number, interpretedAt: number, text: BeijingText = beijingText()): number {
  const from = text.date(publishedAt);
  const to = text.date(interpretedAt);
  return to <= from ? 0 : calendar.workingDaysBetween(from, to);
}

const STATUS_FIELD: Record<InterpretationStatus, 'onTime' | 'late' | 'overdue' | 'pending' | 'exempt'> = {
  on_time: 'onTime', late: 'late', overdue: 'overdue', pending: 'pending', exempt: 'exempt',
};

type DocumentRow = [
  id: number, departmentCode: string, requires: number | boolean, publishedAt: number, dueDate: string, first: number | null,
  major: number, planned: number, leaderLed: number,
];

/**
 * The report for documents published from the start of `from` to the end of `to` (Beijing dates)
 * and no later than `asOf`, each with its status as of `asOf` by the same rule as the document
 * list; and for incidents started in the same span, their commitments' statuses as of `asOf`.
 */
export async function assessmentReport(ctx: AppContext, period: { from: string; to: string; asOf: number }): Promise<AssessmentReport> {
  const { asOf } = period;
  const start = startOfShanghaiDay(period.from);
  const end = Math.min(startOfShanghaiDay(period.to) + DAY_MS - 1, asOf);
  const calendar = await ctx.calendars.current();
  const rows = new Map<string | null, AssessmentRow>();
  for (const d of await ctx.db.orm.select().from(departments).orderBy(asc(departments.code))) rows.set(d.code, emptyRow(d.code, d.name));
  const rowOf = (code: string | null) => {
    let row = rows.get(code);
    if (!row) rows.set(code, (row = emptyRow(code, code ?? NO_DEPARTMENT)));
    return row;
  };
  const days = new Map<string | null, number[]>();
  const text = beijingText();
  const asOfDay = { at: asOf, date: text.date(asOf) };

  // Documents, a chunk at a time by id (a year can hold a hundred thousand of them).
  const page = (after: number | null) =>
    ctx.db.orm
      .select({
        id: documents.id,
        departmentCode: documents.departmentCode,
        requires: documents.requiresInterpretation,
        publishedAt: documents.publishedAt,
        dueDate: documents.interpretationDueDate,
        first: documents.firstInterpretationAt,
        major: sql<number>`${documents.importance} = 'major'`,
        planned: sql<number>`COALESCE(${PLANNED_AND_SIGNED}, 0)`,
        // Only major documents are asked whether a leader interpreted them (a lookup per major document).
        leaderLed: sql<number>`CASE WHEN ${documents.importance} = 'major' THEN ${leaderLedBy(asOf)} ELSE 0 END`,
      })
      .from(documents)
      // Unary + keeps SQLite off the index on the publication time (0009): the pages go by id, and
      // a range of that index would be read and sorted again for every page.
      .where(and(PUBLISHED, sql`+${documents.publishedAt} >= ${start}`, sql`+${documents.publishedAt} <= ${end}`, after === null ? undefined : gt(documents.id, after)))
      .orderBy(asc(documents.id))
      .limit(CHUNK)
      .values() as Promise<DocumentRow[]>;
  if (start <= end) {
    for await (const chunk of keysetPages(CHUNK, page, (r) => r[0])) {
      for (const [, code, requires, publishedAt, dueDate, first, major, planned, leaderLed] of chunk) {
        const row = rowOf(code);
        const interpreted = first !== null && first <= asOf ? first : null;
        const { status } = rowStatus(calendar, text, asOfDay, { requires: Boolean(requires), dueDate, first });
        row.published++;
        if (requires) {
          row.requiringInterpretation++;
          if (planned) row.plannedAndSigned++;
          if (major) {
            row.majorDocuments++;
            if (leaderLed) row.leaderLedMajor++;
          }
        }
        row[STATUS_FIELD[status]]++;
        if (interpreted !== null && requires) {
          let list = days.get(code);
          if (!list) days.set(code, (list = []));
          list.push(workingDaysToInterpretation(calendar, publishedAt, interpreted, text));
        }
      }
      // Years of documents are a long read: other requests go between its chunks.
      await nextTurn();
    }
  }

  // Commitments of the incidents started in the period (a few thousand a year at most: one query).
  const commitmentRows =
    start <= end
      ? await ctx.db.orm
          .select({
            incidentId: incidents.id,
            departmentCode: incidents.departmentCode,
            status: incidents.status,
            closedAt: incidents.closedAt,
            mergedIntoId: incidents.mergedIntoId,
            dueAt: commitments.dueAt,
            fulfilledAt: commitments.fulfilledAt,
            cancelledAt: commitments.cancelledAt,
          })
          .from(incidents)
          .leftJoin(commitments, sql`${commitments.incidentId} = ${incidents.id}`)
          .where(and(gte(incidents.startedAt, start), lte(incidents.startedAt, end)))
      : [];
  const counted = new Set<number>();
  for (const r of commitmentRows) {
    const row = rowOf(r.departmentCode);
    if (!counted.has(r.incidentId)) {
      counted.add(r.incidentId);
      if (r.mergedIntoId === null && r.status !== 'dismissed') row.incidents++;
    }
    if (r.dueAt === null) continue;
    const clock = commitmentClock({ dueAt: r.dueAt, fulfilledAt: r.fulfilledAt, cancelledAt: r.cancelledAt }, { status: r.status as IncidentStatus, closedAt: r.closedAt }, asOf);
    if (clock.status === 'met') row.commitmentsMet++;
    else if (clock.status === 'late') row.commitmentsLate++;
    else if (clock.status === 'missed') row.commitmentsMissed++;
  }

  const all: number[] = [];
  const share = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 1000) / 1000);
  const finish = (row: AssessmentRow, list: number[]) => {
    row.onTimeRate = share(row.onTime, row.onTime + row.late + row.overdue);
    row.medianWorkingDays = median(list);
    row.plannedAndSignedRate = share(row.plannedAndSigned, row.requiringInterpretation);
    row.leaderLedMajorRate = share(row.leaderLedMajor, row.majorDocuments);
  };
  // Incidents without a department appear only when there are some.
  const departmentsRows = [...rows.values()].filter((r) => r.departmentCode !== null || r.incidents + r.commitmentsMet + r.commitmentsLate + r.commitmentsMissed > 0);
  for (const row of departmentsRows) {
    const list = days.get(row.departmentCode) ?? [];
    for (const d of list) all.push(d);
    finish(row, list);
  }
  const total = emptyRow(null, '合计');
  for (const row of departmentsRows) {
    for (const key of ['published', 'requiringInterpretation', 'onTime', 'late', 'overdue', 'pending', 'exempt', 'plannedAndSigned', 'majorDocuments', 'leaderLedMajor', 'incidents', 'commitmentsMet', 'commitmentsLate', 'commitmentsMissed'] as const) {
      total[key] += row[key];
    }
  }
  finish(total, all);
  return { from: period.from, to: period.to, asOf: toIsoUtc(asOf), departments: departmentsRows, total };
}
