import { sql, type SQL } from 'drizzle-orm';
import { shanghaiDate } from '../domain/time.js';
import { commitments, documents, incidents } from '../db/schema.js';
import type { AppContext } from './context.js';
import { listDocuments, type DocumentView } from './documents.js';
import { listTimers, openAt, runningAt, type TimerView } from './incidents.js';

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

// What a document counts as in department_document_counts (its final state), as the triggers of
// migration 0009 classify it; the same conditions the board applied to every document before.
const ON_TIME = sql.raw(`requires_interpretation = 1 AND first_interpretation_at IS NOT NULL
  AND strftime('%Y-%m-%d', first_interpretation_at / 1000, 'unixepoch', '+8 hours') <= interpretation_due_date`);
const LATE = sql.raw(`requires_interpretation = 1 AND first_interpretation_at IS NOT NULL
  AND strftime('%Y-%m-%d', first_interpretation_at / 1000, 'unixepoch', '+8 hours') > interpretation_due_date`);
const n = (condition: SQL) => sql`SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;

export interface TableRow {
  code: string;
  name: string;
  pending: number;
  waiting: number;
  onTime: number;
  late: number;
  exempt: number;
  requiringInterpretation: number;
  plannedAndSigned: number;
  majorDocuments: number;
  leaderLedMajor: number;
}

/**
 * Each department's record as of `asOf`, without reading every document: the per-department
 * counts the triggers of migration 0009 keep (every published document by its final state), less
 * what had not happened yet at `asOf`, read through indexes — documents published after it (f),
 * first interpreted after it (l), given a leader-led interpretation after it (m) — and, for
 * pending, the documents still waiting by due date (w). For asOf = now these corrections are
 * (nearly) empty; for a past asOf they read what happened since, never the whole archive.
 */
export function departmentTableQuery(asOf: number) {
  const today = shanghaiDate(asOf);
  return sql`SELECT d.code AS code, d.name AS name,
      COALESCE(c.exempt, 0) - COALESCE(f.exempt, 0) AS exempt,
      COALESCE(c.required, 0) - COALESCE(f.required, 0) AS requiringInterpretation,
      COALESCE(c.waiting, 0) - COALESCE(f.waiting, 0) + COALESCE(l.waiting, 0) AS waiting,
      COALESCE(w.n, 0) - COALESCE(f.pending, 0) + COALESCE(l.pending, 0) AS pending,
      COALESCE(c.on_time, 0) - COALESCE(f.on_time, 0) - COALESCE(l.on_time, 0) AS onTime,
      COALESCE(c.late, 0) - COALESCE(f.late, 0) - COALESCE(l.late, 0) AS late,
      COALESCE(c.planned_and_signed, 0) - COALESCE(f.planned_and_signed, 0) AS plannedAndSigned,
      COALESCE(c.major, 0) - COALESCE(f.major, 0) AS majorDocuments,
      COALESCE(c.leader_led_major, 0) - COALESCE(f.leader_led_major, 0) - COALESCE(m.n, 0) AS leaderLedMajor
    FROM departments AS d
    LEFT JOIN department_document_counts AS c ON c.department_code = d.code
    LEFT JOIN (
      SELECT department_code,
        ${n(sql.raw('requires_interpretation = 0'))} AS exempt,
        ${n(sql.raw('requires_interpretation = 1'))} AS required,
        ${n(sql.raw('requires_interpretation = 1 AND first_interpretation_at IS NULL'))} AS waiting,
        ${n(sql`requires_interpretation = 1 AND first_interpretation_at IS NULL AND interpretation_due_date >= ${today}`)} AS pending,
        ${n(ON_TIME)} AS on_time,
        ${n(LATE)} AS late,
        ${n(sql.raw('requires_interpretation = 1 AND plan_at_sign_off = 1 AND signed_off_at <= published_at'))} AS planned_and_signed,
        ${n(sql.raw(`requires_interpretation = 1 AND importance = 'major'`))} AS major,
        ${n(sql.raw(`requires_interpretation = 1 AND importance = 'major' AND first_leader_led_at IS NOT NULL`))} AS leader_led_major
      FROM documents INDEXED BY documents_published_idx
      WHERE drafting = 0 AND published_at > ${asOf}
      GROUP BY department_code) AS f ON f.department_code = d.code
    LEFT JOIN (
      SELECT department_code, COUNT(*) AS waiting,
        ${n(sql`interpretation_due_date >= ${today}`)} AS pending,
        ${n(ON_TIME)} AS on_time,
        ${n(LATE)} AS late
      FROM documents INDEXED BY documents_first_interpretation_idx
      WHERE first_interpretation_at > ${asOf} AND published_at <= ${asOf} AND drafting = 0 AND requires_interpretation = 1
      GROUP BY department_code) AS l ON l.department_code = d.code
    LEFT JOIN (
      SELECT department_code, COUNT(*) AS n
      FROM documents INDEXED BY documents_first_leader_led_idx
      WHERE first_leader_led_at > ${asOf} AND published_at <= ${asOf} AND drafting = 0
        AND requires_interpretation = 1 AND importance = 'major'
      GROUP BY department_code) AS m ON m.department_code = d.code
    LEFT JOIN (
      SELECT department_code, SUM(n) AS n FROM waiting_due_counts WHERE due_date >= ${today}
      GROUP BY department_code) AS w ON w.department_code = d.code
    ORDER BY d.code`;
}

/**
 * The same table computed from the documents published by `asOf`, read through the index on the
 * publication time: cheaper than the kept counts when most documents were published after asOf.
 */
export function departmentTableByPublishedQuery(asOf: number) {
  const today = shanghaiDate(asOf);
  const waiting = `requires_interpretation = 1 AND (first_interpretation_at IS NULL OR first_interpretation_at > ${Math.trunc(asOf)})`;
  const interpreted = `requires_interpretation = 1 AND first_interpretation_at <= ${Math.trunc(asOf)}
    AND strftime('%Y-%m-%d', first_interpretation_at / 1000, 'unixepoch', '+8 hours')`;
  return sql`SELECT d.code AS code, d.name AS name,
      COALESCE(x.exempt, 0) AS exempt, COALESCE(x.required, 0) AS requiringInterpretation,
      COALESCE(x.waiting, 0) AS waiting, COALESCE(x.pending, 0) AS pending,
      COALESCE(x.on_time, 0) AS onTime, COALESCE(x.late, 0) AS late,
      COALESCE(x.planned_and_signed, 0) AS plannedAndSigned, COALESCE(x.major, 0) AS majorDocuments,
      COALESCE(x.leader_led_major, 0) AS leaderLedMajor
    FROM departments AS d
    LEFT JOIN (
      SELECT department_code,
        ${n(sql.raw('requires_interpretation = 0'))} AS exempt,
        ${n(sql.raw('requires_interpretation = 1'))} AS required,
        ${n(sql.raw(waiting))} AS waiting,
        ${n(sql`${sql.raw(waiting)} AND interpretation_due_date >= ${today}`)} AS pending,
        ${n(sql.raw(`${interpreted} <= interpretation_due_date`))} AS on_time,
        ${n(sql.raw(`${interpreted} > interpretation_due_date`))} AS late,
        ${n(sql.raw('requires_interpretation = 1 AND plan_at_sign_off = 1 AND signed_off_at <= published_at'))} AS planned_and_signed,
        ${n(sql.raw(`requires_interpretation = 1 AND importance = 'major'`))} AS major,
        ${n(sql.raw(`requires_interpretation = 1 AND importance = 'major' AND first_leader_led_at <= ${Math.trunc(asOf)}`))} AS leader_led_major
      FROM documents INDEXED BY documents_published_idx
      WHERE drafting = 0 AND published_at <= ${asOf}
      GROUP BY department_code) AS x ON x.department_code = d.code
    ORDER BY d.code`;
}

/**
 * Each department's row as of `asOf`: from the kept counts less what came after asOf, or, when
 * more than a third of the documents were published after asOf (a moment years back), from those
 * published by it. Either way an index range, never a scan of every document; for asOf = now, the
 * kept counts and a handful of index entries.
 */
export async function departmentTable(ctx: AppContext, asOf: number, how?: 'counts' | 'published'): Promise<TableRow[]> {
  if (!how) {
    const [row] = await ctx.db.orm.all<{ after: number; total: number }>(sql`SELECT
      (SELECT COUNT(*) FROM documents INDEXED BY documents_published_idx WHERE drafting = 0 AND published_at > ${asOf}) AS after,
      (SELECT COALESCE(SUM(published), 0) FROM department_document_counts) AS total`);
    // Reading what came after asOf costs about twice as much per document (not all of it from covering
    // indexes) as reading what came before it.
    how = row!.after * 3 > row!.total ? 'published' : 'counts';
  }
  return ctx.db.orm.all<TableRow>(how === 'counts' ? departmentTableQuery(asOf) : departmentTableByPublishedQuery(asOf));
}

/**
 * The leaders' board as of a moment: counts, the running response timers, the overdue
 * interpretations and each department's on-time record (see departmentTableQuery: kept counts
 * and indexed corrections, no scan of the documents).
 */
export async function dashboard(ctx: AppContext, asOf: number): Promise<Dashboard> {
  const rows = await departmentTable(ctx, asOf);
  const table: DepartmentRecord[] = rows.map(({ waiting, ...r }) => {
    const overdue = waiting - r.pending;
    const due = r.onTime + r.late + overdue;
    return {
      code: r.code,
      name: r.name,
      pending: r.pending,
      overdue,
      onTime: r.onTime,
      late: r.late,
      exempt: r.exempt,
      requiringInterpretation: r.requiringInterpretation,
      plannedAndSigned: r.plannedAndSigned,
      majorDocuments: r.majorDocuments,
      leaderLedMajor: r.leaderLedMajor,
      onTimeRate: due === 0 ? null : Math.round((r.onTime / due) * 1000) / 1000,
    };
  });
  const sum = (key: keyof Omit<DepartmentRecord, 'code' | 'name' | 'onTimeRate'>) => table.reduce((s, r) => s + r[key], 0);
  const [drafts] = await ctx.db.orm.select({ n: sql<number>`COUNT(*)` }).from(documents).where(sql`${documents.drafting} = 1`);
  // Now: what is open and running now. A past asOf: what was then (an index range of the
  // incidents started by then).
  const [incidentCounts] = await ctx.db.orm
    .select({ open: sql<number>`COUNT(*)` })
    .from(incidents)
    .where(openAt(ctx, asOf));
  const [clockCounts] = await ctx.db.orm
    .select({
      running: sql<number>`COALESCE(SUM(CASE WHEN ${commitments.dueAt} >= ${asOf} THEN 1 ELSE 0 END), 0)`,
      missed: sql<number>`COALESCE(SUM(CASE WHEN ${commitments.dueAt} < ${asOf} THEN 1 ELSE 0 END), 0)`,
    })
    .from(commitments)
    .innerJoin(incidents, sql`${incidents.id} = ${commitments.incidentId}`)
    .where(runningAt(ctx, asOf));
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
