import { eq, sql } from 'drizzle-orm';
import { toIsoUtc } from '../../domain/time.js';
import { isUniqueViolation } from '../../db/database.js';
import { auditLog, importJobs } from '../../db/schema.js';
import type { Actor } from '../accounts/actor.js';
import { recordDueToday } from '../alerts.js';
import type { AppContext } from '../context.js';
import { notFound } from '../errors.js';
import { readHeader, type ImportKind } from './columns.js';
import { planDocuments } from './documents.js';
import { planInterpretations } from './interpretations.js';
import { MAX_LISTED_ERRORS, type ImportPlan, type RowError } from './rows.js';
import { UploadError, type Sheet } from './upload.js';
import { isGuardFailure, keptWhile } from '../../db/guard.js';

// An import runs as a job (SPEC §11): the upload is read while the request lasts, then the job
// row is created and the request answers; the rows are checked in chunks, writing rows_done as
// it goes, and — for a real run without errors — written in ONE batch together with the job's
// final state, so the job says "done" exactly when its rows are in, and a crash leaves nothing
// half-imported behind.

type JobRow = typeof importJobs.$inferSelect;

export interface ImportJobView {
  id: number;
  kind: ImportKind;
  dryRun: boolean;
  status: 'running' | 'done' | 'failed';
  fileName: string | null;
  rowsTotal: number;
  rowsDone: number;
  created: number;
  updated: number;
  skipped: number;
  /** Every error by row and column (past MAX_LISTED_ERRORS, the first ones and a count). */
  errors: RowError[];
  createdBy: string;
  createdAt: string;
  finishedAt: string | null;
}

/** A job still "running" this long after it started was cut off (a restart, a Worker's time limit). */
export const STALE_AFTER_MS = 15 * 60_000;

export interface StartedImport {
  id: number;
  /** Settles when the job has finished (never rejects: a failure is recorded on the job). */
  finished: Promise<void>;
}

/**
 * Checks the header, records the job and starts it. A header the import cannot use is an
 * UploadError (nothing recorded); everything about single rows is reported on the job.
 */
export async function startImport(ctx: AppContext, actor: Actor, input: { kind: ImportKind; dryRun: boolean; sheet: Sheet }): Promise<StartedImport> {
  const header = readHeader(input.kind, input.sheet.header);
  if ('problems' in header) throw new UploadError(400, 'invalid_header', `表头有误：${header.problems.join('；')}`);
  const [job] = await ctx.db.orm
    .insert(importJobs)
    .values({
      kind: input.kind,
      dryRun: input.dryRun,
      status: 'running',
      fileName: input.sheet.fileName?.slice(0, 255) ?? null,
      rowsTotal: input.sheet.rows.length,
      rowsDone: 0,
      created: 0,
      updated: 0,
      skipped: 0,
      errors: '[]',
      createdBy: actor.username,
      createdAt: ctx.now(),
    })
    .returning({ id: importJobs.id });
  const id = job!.id;
  const finished = runImport(ctx, actor, id, input.kind, input.dryRun, header.layout, input.sheet).catch(async (err: unknown) => {
    const expected = isUniqueViolation(err) || err instanceof ChangedMeanwhile;
    if (!expected) console.error(`导入任务 ${id} 失败`, err);
    const message = isUniqueViolation(err)
      ? '导入期间有人登记了相同文号的文件，未写入任何数据：请重新导入'
      : err instanceof ChangedMeanwhile
        ? '导入期间文件、解读、部门或工作日历一再被修改，未写入任何数据：请稍后重新导入'
        : '导入失败（服务器内部错误），未写入任何数据：请稍后重试';
    await ctx.db.orm
      .update(importJobs)
      .set({ status: 'failed', errors: JSON.stringify([{ row: null, field: null, message }]), finishedAt: ctx.now() })
      .where(eq(importJobs.id, id))
      .catch((e: unknown) => console.error(`导入任务 ${id} 的状态无法保存`, e));
  });
  return { id, finished };
}

/** What an import's plan reads besides its own rows: a change to any of these while it plans makes the plan stale. */
const PLANNED_FROM = ['document', 'interpretation', 'department', 'calendar_day'] as const;
/** Times an import is planned again when what it read changed before it could commit. */
const REPLANS = 3;

/** The plan was made from data that changed before it could be committed, REPLANS times over. */
class ChangedMeanwhile extends Error {}

/**
 * A statement for the import's batch that fails — rolling the whole batch back — if any document,
 * interpretation, department or calendar day was changed (an audit entry written) after entry
 * `seen`: another import, a PATCH, a calendar change made while the plan was made, which read
 * the data as it was before (a guard: see db/guard.ts).
 */
function plannedFromUnchangedSince(ctx: AppContext, id: number, seen: number) {
  return ctx.db.orm
    .update(importJobs)
    .set({
      errors: keptWhile(
        importJobs.errors,
        sql`NOT EXISTS (SELECT 1 FROM ${auditLog} WHERE ${auditLog.id} > ${seen}
          AND ${auditLog.entity} IN (${sql.join(PLANNED_FROM.map((e) => sql`${e}`), sql`, `)}))`,
      ),
    })
    .where(eq(importJobs.id, id));
}

async function runImport(ctx: AppContext, actor: Actor, id: number, kind: ImportKind, dryRun: boolean, layout: Parameters<typeof planDocuments>[0]['layout'], sheet: Sheet) {
  for (let attempt = 0; ; attempt++) {
    const [last] = await ctx.db.orm.select({ id: sql<number>`COALESCE(MAX(${auditLog.id}), 0)` }).from(auditLog);
    try {
      return await runImportOnce(ctx, actor, id, kind, dryRun, layout, sheet, last!.id);
    } catch (err) {
      if (!isGuardFailure(err)) throw err;
      if (attempt >= REPLANS) throw new ChangedMeanwhile();
    }
  }
}

async function runImportOnce(
  ctx: AppContext,
  actor: Actor,
  id: number,
  kind: ImportKind,
  dryRun: boolean,
  layout: Parameters<typeof planDocuments>[0]['layout'],
  sheet: Sheet,
  seen: number,
) {
  const input = {
    ctx,
    actor,
    kind,
    layout,
    rows: sheet.rows,
    progress: async (done: number) => {
      await ctx.db.orm.update(importJobs).set({ rowsDone: done }).where(eq(importJobs.id, id));
    },
  };
  const plan: ImportPlan = kind === 'documents' ? await planDocuments(input) : await planInterpretations(input);
  const failed = plan.errors.count > 0;
  const finish = ctx.db.orm
    .update(importJobs)
    .set({
      status: failed && !dryRun ? 'failed' : 'done',
      rowsDone: sheet.rows.length,
      created: plan.created,
      updated: plan.updated,
      skipped: plan.skipped,
      errors: JSON.stringify(plan.errors.list.length < plan.errors.count ? [...plan.errors.list, { row: null, field: null, message: `共 ${plan.errors.count} 处错误，以上仅列出前 ${MAX_LISTED_ERRORS} 处` }] : plan.errors.list),
      finishedAt: ctx.now(),
    })
    .where(eq(importJobs.id, id));
  if (dryRun || failed) {
    await ctx.db.batch([finish]);
    return;
  }
  await ctx.db.batch([plannedFromUnchangedSince(ctx, id, seen), ...plan.statements, finish]);
  if (kind === 'documents' && plan.created + plan.updated > 0) {
    // Documents due today (registered after 09:00 on their due date) are "due today" at once.
    if ((await recordDueToday(ctx, ctx.now())) > 0) ctx.afterAlerts?.();
  }
}

/** A job, for its creator or an admin. */
export async function getImportJob(ctx: AppContext, actor: Actor, id: number): Promise<ImportJobView> {
  const [row] = await ctx.db.orm.select().from(importJobs).where(eq(importJobs.id, id));
  if (!row || (actor.role !== 'admin' && row.createdBy !== actor.username)) throw notFound('导入任务', id);
  return toView(ctx, row);
}

function toView(ctx: AppContext, row: JobRow): ImportJobView {
  const view: ImportJobView = {
    id: row.id,
    kind: row.kind,
    dryRun: row.dryRun,
    status: row.status,
    fileName: row.fileName,
    rowsTotal: row.rowsTotal,
    rowsDone: row.rowsDone,
    created: row.created,
    updated: row.updated,
    skipped: row.skipped,
    errors: JSON.parse(row.errors) as RowError[],
    createdBy: row.createdBy,
    createdAt: toIsoUtc(row.createdAt),
    finishedAt: row.finishedAt === null ? null : toIsoUtc(row.finishedAt),
  };
  if (row.status === 'running' && ctx.now() - row.createdAt > STALE_AFTER_MS) {
    // The write is one batch with the job's final state, so a job cut off wrote nothing.
    return { ...view, status: 'failed', errors: [{ row: null, field: null, message: '导入任务已中断（服务重启或超时），未写入任何数据：请重新导入' }] };
  }
  return view;
}
