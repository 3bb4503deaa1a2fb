import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { DisclosureStatus } from '../../domain/disclosure/vocabulary.js';
import { shanghaiDate, yearOf } from '../../domain/time.js';
import { disclosureRequests } from '../../db/schema.js';
import type { Actor } from '../accounts/actor.js';
import { assertDepartmentScope } from '../accounts/policy.js';
import { auditStatement } from '../audit.js';
import type { AppContext } from '../context.js';
import { assertDepartment } from '../documents.js';
import { AppError, changedMeanwhile, notFound, retriedOnChange } from '../errors.js';
import { nextUpdatedAt, unchangedSince } from '../../db/guard.js';
import { readMeta, writeMeta } from '../meta.js';
import { clockEventOf, clockOf, eventsOf, requestView, storedClock, type DisclosureRequestView, type RequestRow } from './records.js';

// Requests for disclosure (SPEC §13): registered with a number per year of receipt, read with
// their clock as of any moment.

export interface DisclosureRequestInput {
  /** The date of receipt, YYYY-MM-DD (Shanghai). */
  receivedDate: string;
  channel: RequestRow['channel'];
  applicantType: RequestRow['applicantType'];
  applicantName: string;
  contact?: string | null;
  description: string;
  departmentCode: string;
}

const PREFIX_KEY = 'disclosure_number_prefix';

/** The text before the year in request numbers ('' by default: "2026-0001"). */
export async function numberPrefix(ctx: AppContext): Promise<string> {
  return (await readMeta(ctx.db, PREFIX_KEY)) ?? '';
}

/** Sets the prefix of numbers given from now on; numbers already given stay as they are. */
export async function setNumberPrefix(ctx: AppContext, actor: Actor, prefix: string): Promise<{ numberPrefix: string }> {
  const before = await numberPrefix(ctx);
  await ctx.db.batch([
    writeMeta(ctx.db, PREFIX_KEY, prefix),
    auditStatement(ctx, actor, 'setting', PREFIX_KEY, 'update', { numberPrefix: before }, { numberPrefix: prefix }),
  ]);
  return { numberPrefix: prefix };
}

function checkReceivedDate(ctx: AppContext, date: string): void {
  if (date > shanghaiDate(ctx.now())) throw new AppError(422, 'future_date', `receivedAt: 收到申请日期不能晚于今天（${shanghaiDate(ctx.now())}）`);
}

export async function registerRequest(ctx: AppContext, actor: Actor, input: DisclosureRequestInput): Promise<DisclosureRequestView> {
  assertDepartmentScope(actor, input.departmentCode, '该申请');
  await assertDepartment(ctx, input.departmentCode);
  checkReceivedDate(ctx, input.receivedDate);
  return retriedOnChange(() => registerRequestOnce(ctx, actor, input), () => new AppError(409, 'calendar_busy', '工作日历刚刚多次被修改，请稍后再试'));
}

async function registerRequestOnce(ctx: AppContext, actor: Actor, input: DisclosureRequestInput): Promise<DisclosureRequestView> {
  // The due date is of this calendar: the write fails (and is made again) if it changes meanwhile.
  const { calendar, version } = await ctx.calendars.read();
  const now = ctx.now();
  const stored = storedClock(clockOf(calendar, input.receivedDate, [], now, 'receivedAt'), []);
  const year = yearOf(input.receivedDate);
  const prefix = await numberPrefix(ctx);
  // The next number of the year is taken inside the INSERT itself, so two registrations at once
  // cannot take the same one.
  const seq = sql`(SELECT COALESCE(MAX(seq), 0) + 1 FROM disclosure_requests WHERE year = ${year})`;
  const row = {
    receivedDate: input.receivedDate,
    channel: input.channel,
    applicantType: input.applicantType,
    applicantName: input.applicantName,
    contact: input.contact ?? null,
    description: input.description,
    departmentCode: input.departmentCode,
  };
  const [inserted] = (await ctx.db.batch([
    ctx.db.orm
      .insert(disclosureRequests)
      .values({
        ...row,
        ...stored,
        year,
        seq,
        number: sql`${prefix} || ${String(year)} || '-' || printf('%04d', ${seq})`,
        createdBy: actor.username,
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: disclosureRequests.id }),
    auditStatement(ctx, actor, 'disclosure_request', sql`(SELECT MAX(id) FROM disclosure_requests)`, 'create', null, row),
    ctx.calendars.unchangedSince(version),
  ])) as [{ id: number }[]];
  return getRequest(ctx, inserted[0]!.id, now);
}

export async function findRequestRow(ctx: AppContext, id: number): Promise<RequestRow> {
  const rows = await ctx.db.orm.select().from(disclosureRequests).where(eq(disclosureRequests.id, id));
  if (!rows[0]) throw notFound('申请', id);
  return rows[0];
}

export async function getRequest(ctx: AppContext, id: number, asOf: number): Promise<DisclosureRequestView> {
  const row = await findRequestRow(ctx, id);
  const events = (await eventsOf(ctx, [id])).get(id)!;
  const calendar = await ctx.calendars.current();
  return requestView(row, clockOf(calendar, row.receivedDate, events.map(clockEventOf), asOf), events);
}

export async function updateRequest(
  ctx: AppContext,
  actor: Actor,
  id: number,
  patch: Partial<DisclosureRequestInput>,
): Promise<DisclosureRequestView> {
  // (Guarded and retried as updateDocument: two changes at once must not undo each other, nor an
  // event recorded meanwhile leave the stored clock computed without it.)
  return retriedOnChange(() => updateRequestOnce(ctx, actor, id, patch), () => changedMeanwhile('依申请公开申请', id));
}

async function updateRequestOnce(
  ctx: AppContext,
  actor: Actor,
  id: number,
  patch: Partial<DisclosureRequestInput>,
): Promise<DisclosureRequestView> {
  const current = await findRequestRow(ctx, id);
  assertDepartmentScope(actor, current.departmentCode, `申请 ${current.number} `);
  const next = {
    receivedDate: patch.receivedDate ?? current.receivedDate,
    channel: patch.channel ?? current.channel,
    applicantType: patch.applicantType ?? current.applicantType,
    applicantName: patch.applicantName ?? current.applicantName,
    contact: patch.contact !== undefined ? patch.contact : current.contact,
    description: patch.description ?? current.description,
    departmentCode: patch.departmentCode ?? current.departmentCode,
  };
  if (patch.departmentCode !== undefined && patch.departmentCode !== current.departmentCode) {
    assertDepartmentScope(actor, next.departmentCode, '改后的申请');
    await assertDepartment(ctx, next.departmentCode);
  }
  const events = (await eventsOf(ctx, [id])).get(id)!;
  if (next.receivedDate !== current.receivedDate) {
    checkReceivedDate(ctx, next.receivedDate);
    if (yearOf(next.receivedDate) !== current.year) {
      throw new AppError(422, 'year_changed', `receivedAt: 编号 ${current.number} 按 ${current.year} 年收到编排，收到日期不能改到其他年份；如确属登记错误，请重新登记`);
    }
    if (events[0] && next.receivedDate > events[0].date) {
      throw new AppError(422, 'after_first_event', `receivedAt: 收到申请日期不能晚于第一个办理事件的日期（${events[0].date}）`);
    }
  }
  const now = ctx.now();
  const { calendar, version } = await ctx.calendars.read();
  const clockEvents = events.map(clockEventOf);
  const stored = storedClock(clockOf(calendar, next.receivedDate, clockEvents, now, 'receivedAt'), clockEvents);
  const { id: _i, year: _y, seq: _s, number: _n, createdBy: _cb, createdAt: _c, updatedAt: _u, dueDate: _d, dueProvisional: _p, closedAt: _ca, closedBy: _cl, ...before } = current;
  await ctx.db.batch([
    unchangedSince(ctx.db.orm, disclosureRequests, id, current.updatedAt),
    ctx.calendars.unchangedSince(version),
    ctx.db.orm.update(disclosureRequests).set({ ...next, ...stored, updatedAt: nextUpdatedAt(disclosureRequests.updatedAt, now) }).where(eq(disclosureRequests.id, id)),
    auditStatement(ctx, actor, 'disclosure_request', id, 'update', before, next),
  ]);
  return getRequest(ctx, id, now);
}

export interface DisclosureFilter {
  status?: DisclosureStatus;
  departmentCode?: string;
  /** Year of receipt. */
  year?: number;
  asOf: number;
  limit: number;
  offset: number;
}

const RUNNING: readonly DisclosureStatus[] = ['open', 'overdue', 'awaiting_correction', 'in_consultation'];

/**
 * Requests received by asOf, newest first; with a status, as of asOf. Answered and closed ones are
 * paged by the database; the running ones (few at any time) have their clocks computed first and
 * come soonest due first.
 */
export async function listRequests(ctx: AppContext, filter: DisclosureFilter): Promise<DisclosureRequestView[]> {
  const t = disclosureRequests;
  const conditions: SQL[] = [sql`${t.receivedDate} <= ${shanghaiDate(filter.asOf)}`];
  if (filter.departmentCode) conditions.push(eq(t.departmentCode, filter.departmentCode));
  if (filter.year !== undefined) conditions.push(eq(t.year, filter.year));
  const calendar = await ctx.calendars.current();
  const withClocks = async (rows: RequestRow[]) => {
    const events = await eventsOf(ctx, rows.map((r) => r.id));
    return rows.map((row) => requestView(row, clockOf(calendar, row.receivedDate, events.get(row.id)!.map(clockEventOf), filter.asOf)));
  };
  const status = filter.status;
  if (status === undefined || status === 'answered' || status === 'closed') {
    if (status === 'answered') conditions.push(sql`${t.closedBy} = 'answered' AND ${t.closedAt} <= ${filter.asOf}`);
    if (status === 'closed') conditions.push(sql`${t.closedBy} IN ('withdrawn', 'abandoned') AND ${t.closedAt} <= ${filter.asOf}`);
    const rows = await ctx.db.orm
      .select()
      .from(t)
      .where(and(...conditions))
      .orderBy(...(status ? [desc(t.closedAt), desc(t.id)] : [desc(t.receivedDate), desc(t.id)]))
      .limit(filter.limit)
      .offset(filter.offset);
    return withClocks(rows);
  }
  if (!RUNNING.includes(status)) return [];
  conditions.push(sql`(${t.closedAt} IS NULL OR ${t.closedAt} > ${filter.asOf})`);
  const views = (await withClocks(await ctx.db.orm.select().from(t).where(and(...conditions)))).filter((v) => v.status === status);
  views.sort((a, b) => (a.dueDate ?? '9999').localeCompare(b.dueDate ?? '9999') || a.id - b.id);
  return views.slice(filter.offset, filter.offset + filter.limit);
}
