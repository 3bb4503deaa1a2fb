import { asc, sql } from 'drizzle-orm';
import { shanghaiDate } from '../domain/time.js';
import { commitments, departments, documents, incidents } from '../db/schema.js';
import type { AppContext } from './context.js';
import { leaderLedBy, listDocuments, PLANNED_AND_SIGNED, type DocumentView } from './documents.js';
import { listTimers, type TimerView } from './incidents.js';

export interface DepartmentRecord {
  code: string;
  name: string;
  pending: number;
  overdue: number;
  onTime: number;
  late: number;
  exempt: number;
  /** on time ÷ (on time + late + overdue): of the deadlines that have come, how many were kept; null when none have. */
  onTimeRate: number | null;
  requiringInterpretation: number;
  /** Of those, signed off with their interpretation plan before publication (同步审签, SPEC §12). */
  plannedAndSigned: number;
  /** Major documents requiring interpretation, and those of them with a leader-led interpretation by asOf. */
  majorDocuments: number;
  leaderLedMajor: number;
}

export interface Dashboard {
  asOf: string;
  counts: {
    documents: { pending: number; overdue: number; on_time: number; late: number; exempt: number; drafting: number };
    openIncidents: number;
    runningCommitments: number;
    missedCommitments: number;
  };
  timers: TimerView[];
  overdueDocuments: DocumentView[];
  departments: DepartmentRecord[];
}

/**
 * The leaders' board as of a moment: counts, the running response timers, the overdue
 * interpretations and each department's on-time record. The per-department table is one
 * aggregate over the documents (a scan; the board is read by a few people, not per item).
 */
export async function dashboard(ctx: AppContext, asOf: number): Promise<Dashboard> {
  const today = shanghaiDate(asOf);
  const waiting = sql`(${documents.firstInterpretationAt} IS NULL OR ${documents.firstInterpretationAt} > ${asOf})`;
  const interpretedOnTime = sql`strftime('%Y-%m-%d', ${documents.firstInterpretationAt} / 1000, 'unixepoch', '+8 hours') <= ${documents.interpretationDueDate}`;
  const count = (condition: ReturnType<typeof sql>) => sql<number>`COALESCE(SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END), 0)`;
  const required = sql`${documents.requiresInterpretation} = 1`;
  const rows = await ctx.db.orm
    .select({
      code: departments.code,
      name: departments.name,
      pending: count(sql`${required} AND ${waiting} AND ${documents.interpretationDueDate} >= ${today}`),
      overdue: count(sql`${required} AND ${waiting} AND ${documents.interpretationDueDate} < ${today}`),
      onTime: count(sql`${required} AND NOT ${waiting} AND ${interpretedOnTime}`),
      late: count(sql`${required} AND NOT ${waiting} AND NOT ${interpretedOnTime}`),
      exempt: count(sql`${documents.requiresInterpretation} = 0`),
      requiringInterpretation: count(required),
      plannedAndSigned: count(sql`${required} AND ${PLANNED_AND_SIGNED}`),
      majorDocuments: count(sql`${required} AND ${documents.importance} = 'major'`),
      leaderLedMajor: count(sql`${required} AND ${documents.importance} = 'major' AND ${leaderLedBy(asOf)}`),
    })
    .from(departments)
    // Drafts are not published: they count nowhere here but in counts.documents.drafting.
    .leftJoin(documents, sql`${documents.departmentCode} = ${departments.code} AND ${documents.publishedAt} <= ${asOf} AND ${documents.drafting} = 0`)
    .groupBy(departments.code, departments.name)
    .orderBy(asc(departments.code));
  const table: DepartmentRecord[] = rows.map((r) => {
    const due = r.onTime + r.late + r.overdue;
    return { ...r, onTimeRate: due === 0 ? null : Math.round((r.onTime / due) * 1000) / 1000 };
  });
  const sum = (key: keyof Omit<DepartmentRecord, 'code' | 'name' | 'onTimeRate'>) => table.reduce((s, r) => s + r[key], 0);
  const [drafts] = await ctx.db.orm.select({ n: sql<number>`COUNT(*)` }).from(documents).where(sql`${documents.drafting} = 1`);
  const [incidentCounts] = await ctx.db.orm
    .select({ open: sql<number>`COUNT(*)` })
    .from(incidents)
    .where(sql`${incidents.status} = 'open'`);
  const [clockCounts] = await ctx.db.orm
    .select({
      running: sql<number>`COALESCE(SUM(CASE WHEN ${commitments.dueAt} >= ${asOf} THEN 1 ELSE 0 END), 0)`,
      missed: sql<number>`COALESCE(SUM(CASE WHEN ${commitments.dueAt} < ${asOf} THEN 1 ELSE 0 END), 0)`,
    })
    .from(commitments)
    .innerJoin(incidents, sql`${incidents.id} = ${commitments.incidentId}`)
    .where(sql`${commitments.fulfilledAt} IS NULL AND ${commitments.cancelledAt} IS NULL AND ${incidents.status} = 'open'`);
  return {
    asOf: new Date(asOf).toISOString(),
    counts: {
      documents: { pending: sum('pending'), overdue: sum('overdue'), on_time: sum('onTime'), late: sum('late'), exempt: sum('exempt'), drafting: drafts!.n },
      openIncidents: incidentCounts!.open,
      runningCommitments: clockCounts!.running,
      missedCommitments: clockCounts!.missed,
    },
    timers: await listTimers(ctx, asOf, { limit: 50, offset: 0 }),
    overdueDocuments: await listDocuments(ctx, { status: 'overdue', asOf, limit: 50, offset: 0 }),
    departments: table,
  };
}
