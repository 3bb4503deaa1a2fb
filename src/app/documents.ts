import { and, asc, eq, getTableColumns, sql, type SQL } from 'drizzle-orm';
import { inList } from '../db/in-list.js';
import { CalendarRangeError, type WorkingDayCalendar } from '../domain/calendar/calendar.js';
import {
  interpretationDeadline,
  interpretationStatus,
  type InterpretationStatus,
} from '../domain/deadlines/interpretation.js';
import {
  leaderLedMissing,
  planGaps,
  type Delivered,
  type InterpretationPlan,
  type PlanGaps,
} from '../domain/deadlines/interpretation-plan.js';
import { normalizeText } from '../domain/monitoring/normalize.js';
import { beijingMinute } from '../domain/notifications/messages.js';
import { DAY_MS, shanghaiDate, startOfShanghaiDay, toIsoUtc } from '../domain/time.js';
import { isUniqueViolation } from '../db/database.js';
import { nextUpdatedAt, unchangedSince } from '../db/guard.js';
import { departments, documents, interpretationDocuments, interpretations } from '../db/schema.js';
import type { AppContext } from './context.js';
import type { Actor } from './accounts/actor.js';
import { assertDepartmentScope } from './accounts/policy.js';
import { recordDueToday } from './alerts.js';
import { searchCondition } from './search.js';
import { auditStatement } from './audit.js';
import { AppError, changedMeanwhile, invalidField, modifiedSince, notFound, retriedOnChange } from './errors.js';
import { checkedPlan, parseChannels, parsePlan, type PlanInput } from './interpretation-plans.js';

export interface DocumentInput {
  docNumber?: string | null;
  title: string;
  departmentCode: string;
  /** Omitted or null: a draft, registered before publication (SPEC §12). */
  publishedAt?: number | null;
  url?: string | null;
  requiresInterpretation?: boolean;
  exemptReason?: string | null;
  importance?: 'normal' | 'major';
  /** 规章 or 行政规范性文件, counted in table 二 of the annual report (SPEC §13). */
  docType?: DocumentType | null;
  /** The interpretation plan (解读方案); null removes it. Refused once the document is signed off. */
  plan?: PlanInput | null;
}

/** §3's statuses of a published document, and `drafting` for one not yet published (§12). */
export type DocumentStatus = InterpretationStatus | 'drafting';

/**
 * What a draft keeps in the NOT NULL columns it has no value for yet (the table cannot be rebuilt
 * to relax them, see schema.ts): a publication time past every report period and a due date that
 * is never "due today" or overdue. Besides, every read of documents excludes drafts explicitly.
 */
export const DRAFT_PUBLISHED_AT = Date.UTC(9999, 11, 30, 16);
export const DRAFT_DUE_DATE = '9999-12-31';

/** The condition every reader of published documents adds (drafts are never counted, listed or alerted). */
export const PUBLISHED = sql`${documents.drafting} = 0`;

/**
 * 同步审签 as the board and the 考核 report count it (SPEC §12): signed off with its plan, no later
 * than its publication. A sign-off recorded after publication, or without a plan, does not count.
 */
export const PLANNED_AND_SIGNED = sql`(${documents.planAtSignOff} = 1 AND ${documents.signedOffAt} <= ${documents.publishedAt})`;

/** A leader-led interpretation (marked so, or a press conference or an interview) of the document, published by asOf. */
export const leaderLedBy = (asOf: number) => sql`EXISTS (SELECT 1 FROM interpretation_documents l JOIN interpretations i ON i.id = l.interpretation_id
  WHERE l.document_id = ${documents.id} AND i.published_at <= ${asOf} AND (i.leader_led = 1 OR i.form IN ('press_conference', 'interview')))`;

export const DOCUMENT_TYPES = ['regulation', 'normative'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];
/** 文件类别 as the annual report's table 二 names them (any other document has none). */
export const DOC_TYPE_LABELS: Record<DocumentType, string> = { regulation: '规章', normative: '行政规范性文件' };

export type DocumentRow = typeof documents.$inferSelect;

export interface LinkedInterpretation {
  id: number;
  title: string;
  form: string;
  url: string | null;
  publishedAt: string;
  channels: string[];
  leaderLed: boolean;
}

export interface DocumentView {
  id: number;
  docNumber: string | null;
  title: string;
  departmentCode: string;
  /** null while drafting. */
  publishedAt: string | null;
  publishedDate: string | null;
  url: string | null;
  requiresInterpretation: boolean;
  exemptReason: string | null;
  importance: 'normal' | 'major';
  docType: DocumentType | null;
  /** null while drafting: the clock starts at publication. */
  interpretationDueDate: string | null;
  provisional: boolean;
  status: DocumentStatus;
  workingDaysLeft: number | null;
  interpretations: LinkedInterpretation[];
  plan: InterpretationPlan | null;
  signedOffAt: string | null;
  /** The username of who signed it off (审签). */
  signedOffBy: string | null;
  /** Whether a plan existed when it was signed off; null until then. */
  planAtSignOff: boolean | null;
  signOffNote: string | null;
  /** After the due date: what the plan promised and no interpretation delivered; else null. */
  planGaps: PlanGaps | null;
  /** A published major document without a leader-led interpretation (SPEC §12). */
  leaderLedMissing: boolean;
  createdAt: string;
  updatedAt: string;
}

export async function assertDepartment(ctx: AppContext, code: string, field = 'departmentCode'): Promise<void> {
  const rows = await ctx.db.orm.select({ id: departments.id }).from(departments).where(eq(departments.code, code));
  if (rows.length === 0) throw new AppError(422, 'unknown_department', `${field}: 部门 ${code} 不存在，请先登记该部门`);
}

/**
 * The due date of a document published at `publishedAt`, or a 400 naming the field when it falls
 * past the end of the supported calendar (a publication in the last days of 2199).
 */
function deadlineOf(ctx: AppContext, calendar: WorkingDayCalendar, publishedAt: number) {
  try {
    return interpretationDeadline(calendar, publishedAt, ctx.config.interpretationWorkingDays);
  } catch (err) {
    if (err instanceof CalendarRangeError) throw invalidField('publishedAt', `发布时间过晚，解读截止日期超出日历支持范围（${err.message}）`);
    throw err;
  }
}

function checkExemption(requiresInterpretation: boolean, exemptReason: string | null | undefined): void {
  if (!requiresInterpretation && !exemptReason?.trim()) {
    throw invalidField('exemptReason', '不需要解读（requiresInterpretation=false）时必须说明免于解读的理由');
  }
}

function duplicateDocNumber(docNumber: string | null | undefined) {
  return new AppError(409, 'duplicate_doc_number', `docNumber: 文号 ${docNumber} 已登记`);
}

/** A document's due date was computed from a calendar that changed before it was written, again and again. */
const calendarChangedMeanwhile = () => new AppError(409, 'calendar_busy', '工作日历刚刚多次被修改，请稍后再试');

/**
 * A document's due date and the guard of the calendar it was computed from (none for a draft,
 * which has no due date yet): a calendar change committed before the write makes it fail, and the
 * write is made again on the new calendar.
 */
async function deadlineAndGuard(ctx: AppContext, publishedAt: number | null) {
  if (publishedAt === null) return { deadline: DRAFT_DEADLINE, guard: [] };
  const { calendar, version } = await ctx.calendars.read();
  return { deadline: deadlineOf(ctx, calendar, publishedAt), guard: [ctx.calendars.unchangedSince(version)] };
}

export async function registerDocument(ctx: AppContext, actor: Actor, input: DocumentInput): Promise<DocumentView> {
  return retriedOnChange(() => registerDocumentOnce(ctx, actor, input), calendarChangedMeanwhile);
}

async function registerDocumentOnce(ctx: AppContext, actor: Actor, input: DocumentInput): Promise<DocumentView> {
  const requiresInterpretation = input.requiresInterpretation ?? true;
  checkExemption(requiresInterpretation, input.exemptReason);
  assertDepartmentScope(actor, input.departmentCode, '该文件');
  await assertDepartment(ctx, input.departmentCode);
  const publishedAt = input.publishedAt ?? null;
  const { deadline, guard } = await deadlineAndGuard(ctx, publishedAt);
  const plan = input.plan ? await checkedPlan(ctx, input.plan) : null;
  const now = ctx.now();
  const row = {
    docNumber: input.docNumber ?? null,
    title: input.title,
    departmentCode: input.departmentCode,
    publishedAt: publishedAt ?? DRAFT_PUBLISHED_AT,
    url: input.url ?? null,
    requiresInterpretation,
    exemptReason: requiresInterpretation ? null : input.exemptReason!.trim(),
    importance: input.importance ?? 'normal',
    docType: input.docType ?? null,
    interpretationDueDate: deadline.dueDate,
    dueProvisional: deadline.provisional,
    drafting: publishedAt === null,
    interpretationPlan: plan === null ? null : JSON.stringify(plan),
    signedOffAt: null,
    signedOffBy: null,
    planAtSignOff: null,
    signOffNote: null,
  };
  try {
    const [rows] = (await ctx.db.batch([
      ctx.db.orm
        .insert(documents)
        .values({ ...row, searchText: documentSearchText(row.docNumber, row.title), createdAt: now, updatedAt: now })
        .returning({ id: documents.id }),
      auditStatement(ctx, actor, 'document', sql`(SELECT MAX(id) FROM documents)`, 'create', null, auditFields(row)),
      ...guard,
    ])) as [{ id: number }[]];
    // Registered on its due date after 09:00: "due today" at once, not at the next sweep.
    await recordDueToday(ctx, now, rows[0]!.id);
    return getDocument(ctx, rows[0]!.id, now);
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicateDocNumber(input.docNumber);
    throw err;
  }
}

/** What `q` searches in a document: its 文号 and title, normalised as rule text is. */
export function documentSearchText(docNumber: string | null, title: string): string {
  return normalizeText(`${docNumber ?? ''} ${title}`);
}

const DRAFT_DEADLINE = { dueDate: DRAFT_DUE_DATE, provisional: false };

type AuditedRow = Omit<DocumentRow, 'id' | 'createdAt' | 'updatedAt' | 'firstInterpretationAt' | 'firstLeaderLedAt' | 'dueRevision' | 'searchText'>;

/** A document as the audit log records it: its fields, with times as ISO text (none while drafting) and the plan as an object. */
export function auditFields(row: AuditedRow) {
  return {
    ...row,
    publishedAt: row.drafting ? null : toIsoUtc(row.publishedAt),
    interpretationDueDate: row.drafting ? null : row.interpretationDueDate,
    interpretationPlan: parsePlan(row.interpretationPlan),
    signedOffAt: row.signedOffAt === null ? null : toIsoUtc(row.signedOffAt),
  };
}

/**
 * Changes a document. With `ifVersion` (the versions, `updatedAt` in ms, the client last read:
 * HTTP If-Match, a form's hidden field) the change is refused (412) unless the document is still
 * at one of them: an edit made on what someone else has changed since is not written over it.
 * The row is read, the patch applied to it and the whole row written: a write is guarded against
 * a change made in between (two PATCHes of different fields at once each wrote back the other's
 * old value), and without `ifVersion` the patch is then applied again to the newer row.
 */
export async function updateDocument(
  ctx: AppContext,
  actor: Actor,
  id: number,
  patch: Partial<DocumentInput>,
  ifVersion?: readonly number[],
): Promise<DocumentView> {
  return retriedOnChange(
    () => updateDocumentOnce(ctx, actor, id, patch, ifVersion),
    () => changedMeanwhile('文件', id),
    ifVersion,
    async () => {
      const { updatedAt } = await findDocumentRow(ctx, id);
      if (!ifVersion?.includes(updatedAt)) throw modifiedSince('文件', id, updatedAt);
    },
  );
}

async function updateDocumentOnce(
  ctx: AppContext,
  actor: Actor,
  id: number,
  patch: Partial<DocumentInput>,
  ifVersion?: readonly number[],
): Promise<DocumentView> {
  const current = await findDocumentRow(ctx, id);
  assertDepartmentScope(actor, current.departmentCode, `文件 ${id} `);
  if (ifVersion && !ifVersion.includes(current.updatedAt)) throw modifiedSince('文件', id, current.updatedAt);
  if (patch.plan !== undefined && current.signedOffAt !== null) {
    throw new AppError(409, 'plan_signed_off', `plan: 解读方案已于 ${beijingMinute(current.signedOffAt)}（北京时间）由 ${current.signedOffBy} 审签，审签后不能再修改`);
  }
  // Setting publishedAt publishes a draft (its clock starts); a published document stays published.
  const publishedAt = patch.publishedAt ?? (current.drafting ? null : current.publishedAt);
  const plan = patch.plan === undefined ? current.interpretationPlan : patch.plan === null ? null : JSON.stringify(await checkedPlan(ctx, patch.plan));
  const next = {
    docNumber: patch.docNumber !== undefined ? patch.docNumber : current.docNumber,
    title: patch.title ?? current.title,
    departmentCode: patch.departmentCode ?? current.departmentCode,
    publishedAt: publishedAt ?? DRAFT_PUBLISHED_AT,
    url: patch.url !== undefined ? patch.url : current.url,
    requiresInterpretation: patch.requiresInterpretation ?? current.requiresInterpretation,
    exemptReason: patch.exemptReason !== undefined ? patch.exemptReason : current.exemptReason,
    importance: patch.importance ?? current.importance,
    docType: patch.docType !== undefined ? patch.docType : current.docType,
    drafting: publishedAt === null,
    interpretationPlan: plan,
    signedOffAt: current.signedOffAt,
    signedOffBy: current.signedOffBy,
    planAtSignOff: current.planAtSignOff,
    signOffNote: current.signOffNote,
  };
  checkExemption(next.requiresInterpretation, next.exemptReason);
  if (patch.departmentCode !== undefined) {
    assertDepartmentScope(actor, next.departmentCode, '改后的文件');
    await assertDepartment(ctx, next.departmentCode);
  }
  const { deadline, guard } = await deadlineAndGuard(ctx, publishedAt);
  const now = ctx.now();
  const changed = {
    ...next,
    exemptReason: next.requiresInterpretation ? null : next.exemptReason!.trim(),
    interpretationDueDate: deadline.dueDate,
    dueProvisional: deadline.provisional,
  };
  const { id: _id, createdAt: _c, updatedAt: _u, firstInterpretationAt: _f, firstLeaderLedAt: _l, dueRevision: _r, searchText: _s, ...before } = current;
  try {
    await ctx.db.batch([
      unchangedSince(ctx.db.orm, documents, id, current.updatedAt),
      ...guard,
      ctx.db.orm
        .update(documents)
        .set({ ...changed, searchText: documentSearchText(changed.docNumber, changed.title), updatedAt: nextUpdatedAt(documents.updatedAt, now) })
        .where(eq(documents.id, id)),
      auditStatement(ctx, actor, 'document', id, 'update', auditFields(before), auditFields(changed)),
    ]);
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicateDocNumber(next.docNumber);
    throw err;
  }
  await recordDueToday(ctx, now, id);
  return getDocument(ctx, id, now);
}

export async function findDocumentRow(ctx: AppContext, id: number): Promise<DocumentRow> {
  const rows = await ctx.db.orm.select().from(documents).where(eq(documents.id, id));
  if (!rows[0]) throw notFound('文件', id);
  return rows[0];
}

export async function getDocument(ctx: AppContext, id: number, asOf: number): Promise<DocumentView> {
  const row = await findDocumentRow(ctx, id);
  const [view] = await toViews(ctx, [row], asOf);
  return view!;
}

/** What the document list (and its export) can be narrowed by. */
export interface DocumentQuery {
  /** `drafting` lists drafts; any other status, or none, lists published documents only. */
  status?: DocumentStatus;
  departmentCode?: string;
  asOf: number;
  /** Beijing dates, both included: documents published from the start of `publishedFrom` … */
  publishedFrom?: string;
  /** … to the end of `publishedTo`. */
  publishedTo?: string;
  /** A substring of 文号 or title, compared after the rules' normalisation. */
  q?: string;
}

export interface DocumentFilter extends DocumentQuery {
  limit: number;
  offset: number;
}

// Documents still waiting for an interpretation as of asOf are those with none linked at all
// (read from the partial index) plus those whose first interpretation came after asOf.
function waitingAsOf(asOf: number, dueCondition: SQL): SQL {
  return sql`${documents.id} IN (
    SELECT id FROM documents INDEXED BY documents_waiting_due_idx
      WHERE requires_interpretation = 1 AND first_interpretation_at IS NULL AND ${dueCondition}
    UNION ALL
    SELECT id FROM documents
      WHERE first_interpretation_at > ${asOf} AND requires_interpretation = 1 AND ${dueCondition})`;
}

const FIRST_INTERPRETATION_DATE = sql`strftime('%Y-%m-%d', ${documents.firstInterpretationAt} / 1000, 'unixepoch', '+8 hours')`;

function statusCondition(status: InterpretationStatus, asOf: number): SQL {
  const today = shanghaiDate(asOf);
  const due = sql.raw('interpretation_due_date');
  switch (status) {
    case 'exempt':
      return sql`${documents.requiresInterpretation} = 0`;
    case 'overdue':
      return waitingAsOf(asOf, sql`${due} < ${today}`);
    case 'pending':
      return waitingAsOf(asOf, sql`${due} >= ${today}`);
    case 'on_time':
    case 'late':
      return sql`${documents.requiresInterpretation} = 1 AND ${documents.firstInterpretationAt} <= ${asOf}
        AND ${FIRST_INTERPRETATION_DATE} ${sql.raw(status === 'on_time' ? '<=' : '>')} ${documents.interpretationDueDate}`;
  }
}

/**
 * A document published after asOf has no status as of asOf yet: a status filter leaves it out, as
 * the board and the 考核 report do (they count documents published by asOf).
 */
const publishedBy = (asOf: unknown) => sql`${documents.publishedAt} <= ${asOf}`;

/** The conditions of a document query, shared by the list and its export. */
export function documentConditions(query: DocumentQuery): SQL[] {
  const conditions: SQL[] = [];
  if (query.status === 'drafting') conditions.push(sql`${documents.drafting} = 1`);
  else {
    conditions.push(PUBLISHED);
    if (query.status) conditions.push(publishedBy(query.asOf), statusCondition(query.status, query.asOf));
  }
  if (query.departmentCode) conditions.push(eq(documents.departmentCode, query.departmentCode));
  if (query.publishedFrom) conditions.push(sql`${documents.publishedAt} >= ${startOfShanghaiDay(query.publishedFrom)}`);
  if (query.publishedTo) conditions.push(sql`${documents.publishedAt} < ${startOfShanghaiDay(query.publishedTo) + DAY_MS}`);
  const search = searchCondition(documents.searchText, query.q);
  if (search) conditions.push(search);
  return conditions;
}

/** The list's query, unexecuted (tests read its plan). */
export function documentListQuery(ctx: AppContext, filter: DocumentFilter) {
  if (filter.status === 'overdue' || filter.status === 'pending') return waitingListQuery(ctx, filter, filter.status);
  return ctx.db.orm
    .select()
    .from(documents)
    .where(and(...documentConditions(filter)))
    .orderBy(sql`${documents.publishedAt} DESC`, sql`${documents.id} DESC`)
    .limit(filter.limit)
    .offset(filter.offset);
}

/**
 * Overdue or pending documents, by due date: those with no interpretation at all, read in due-date
 * order from the partial index of waiting documents, merged with the few first interpreted after
 * asOf. SQLite merges the two ordered arms and stops at the page's end, so the first page reads
 * about fifty index entries however many documents are overdue (one set of rows sorted in a
 * temporary b-tree cost 35 ms among 10,000 overdue of 1,000,000).
 */
function waitingListQuery(
  ctx: AppContext,
  filter: DocumentFilter,
  status: 'overdue' | 'pending',
  // Values, or placeholders for a statement prepared once (see listDocuments).
  bound: { today: unknown; asOf: unknown; limit: unknown; offset: unknown } = {
    today: shanghaiDate(filter.asOf),
    asOf: filter.asOf,
    limit: filter.limit,
    offset: filter.offset,
  },
) {
  const { status: _status, ...rest } = filter;
  const base = [...documentConditions(rest), publishedBy(bound.asOf)];
  const due = status === 'overdue' ? sql`${documents.interpretationDueDate} < ${bound.today}` : sql`${documents.interpretationDueDate} >= ${bound.today}`;
  const required = sql`${documents.requiresInterpretation} = 1`;
  // INDEXED BY: without statistics the planner would rather read every document without an
  // interpretation through the other index and sort them. Each column as an expression mapped
  // like the column (drizzle refuses a column of a table named only in a raw FROM), so the rows
  // are DocumentRows as elsewhere.
  const columns = Object.fromEntries(
    Object.entries(getTableColumns(documents)).map(([key, column]) => [key, sql`${column}`.mapWith(column).as(column.name)]),
  ) as unknown as ReturnType<typeof getTableColumns<typeof documents>>;
  const none = ctx.db.orm
    .select(columns)
    .from(sql`${documents} INDEXED BY documents_waiting_due_idx`)
    .where(and(...base, required, sql`${documents.firstInterpretationAt} IS NULL`, due));
  const later = ctx.db.orm
    .select(columns)
    .from(sql`${documents} INDEXED BY documents_first_interpretation_idx`)
    .where(and(...base, required, sql`${documents.firstInterpretationAt} > ${bound.asOf}`, due));
  return none
    .unionAll(later)
    .orderBy(asc(documents.interpretationDueDate), asc(documents.id))
    .limit(bound.limit as number)
    .offset(bound.offset as number);
}

const DOCUMENT_COLUMNS = Object.entries(getTableColumns(documents));

/** A row read as values() in DOCUMENT_COLUMNS' order, as drizzle would have mapped it. */
function documentRowOf(values: unknown[]): DocumentRow {
  const row: Record<string, unknown> = {};
  for (let i = 0; i < DOCUMENT_COLUMNS.length; i++) {
    const [key, column] = DOCUMENT_COLUMNS[i]!;
    const v = values[i];
    row[key] = v === null || v === undefined ? null : column.mapFromDriverValue(v);
  }
  return row as DocumentRow;
}

function preparedWaitingList(ctx: AppContext, status: 'overdue' | 'pending') {
  const placeholders = { today: sql.placeholder('today'), asOf: sql.placeholder('asOf'), limit: sql.placeholder('limit'), offset: sql.placeholder('offset') };
  return waitingListQuery(ctx, { status, asOf: 0, limit: 0, offset: 0 }, status, placeholders).prepare();
}

// The board and the overdue and pending lists without other filters, what screens poll: prepared
// once per context, not built per request (building drizzle's SQL cost more than running it).
const preparedLists = new WeakMap<AppContext, Map<'overdue' | 'pending', ReturnType<typeof preparedWaitingList>>>();

export async function listDocuments(ctx: AppContext, filter: DocumentFilter): Promise<DocumentView[]> {
  const { status } = filter;
  if ((status === 'overdue' || status === 'pending') && !filter.departmentCode && !filter.publishedFrom && !filter.publishedTo && !filter.q) {
    let byStatus = preparedLists.get(ctx);
    if (!byStatus) preparedLists.set(ctx, (byStatus = new Map()));
    let prepared = byStatus.get(status);
    if (!prepared) byStatus.set(status, (prepared = preparedWaitingList(ctx, status)));
    // Plain arrays (values()), each mapped here: drizzle's per-cell mapping cost more than the query.
    const values = (await prepared.values({ today: shanghaiDate(filter.asOf), asOf: filter.asOf, limit: filter.limit, offset: filter.offset })) as unknown[][];
    return toViews(ctx, values.map(documentRowOf), filter.asOf);
  }
  const rows = await documentListQuery(ctx, filter);
  return toViews(ctx, rows, filter.asOf);
}

async function toViews(ctx: AppContext, rows: DocumentRow[], asOf: number): Promise<DocumentView[]> {
  if (rows.length === 0) return [];
  const calendar = await ctx.calendars.current();
  const links = await ctx.db.orm
    .select({
      documentId: interpretationDocuments.documentId,
      id: interpretations.id,
      title: interpretations.title,
      form: interpretations.form,
      url: interpretations.url,
      publishedAt: interpretations.publishedAt,
      channels: interpretations.channels,
      leaderLed: interpretations.leaderLed,
    })
    .from(interpretationDocuments)
    .innerJoin(interpretations, eq(interpretations.id, interpretationDocuments.interpretationId))
    .where(inList(interpretationDocuments.documentId, rows.map((r) => r.id)))
    .orderBy(asc(interpretations.publishedAt), asc(interpretations.id));
  return rows.map((row) => toView(calendar, row, links.filter((l) => l.documentId === row.id), asOf));
}

function toView(
  calendar: WorkingDayCalendar,
  row: DocumentRow,
  linked: { id: number; title: string; form: string; url: string | null; publishedAt: number; channels: string; leaderLed: boolean }[],
  asOf: number,
): DocumentView {
  const plan = parsePlan(row.interpretationPlan);
  const delivered: Delivered[] = linked.map((l) => ({ form: l.form, channels: parseChannels(l.channels), leaderLed: l.leaderLed, publishedAt: l.publishedAt }));
  const published = !row.drafting;
  const { status, workingDaysLeft } = published
    ? interpretationStatus(
        calendar,
        {
          requiresInterpretation: row.requiresInterpretation,
          dueDate: row.interpretationDueDate,
          interpretationTimes: linked.map((l) => l.publishedAt),
        },
        asOf,
      )
    : { status: 'drafting' as const, workingDaysLeft: null };
  const expected = published && row.requiresInterpretation;
  return {
    id: row.id,
    docNumber: row.docNumber,
    title: row.title,
    departmentCode: row.departmentCode,
    publishedAt: published ? toIsoUtc(row.publishedAt) : null,
    publishedDate: published ? shanghaiDate(row.publishedAt) : null,
    url: row.url,
    requiresInterpretation: row.requiresInterpretation,
    exemptReason: row.exemptReason,
    importance: row.importance,
    docType: row.docType,
    interpretationDueDate: published ? row.interpretationDueDate : null,
    provisional: published && row.dueProvisional,
    status,
    workingDaysLeft,
    interpretations: linked.map((l, i) => ({
      id: l.id,
      title: l.title,
      form: l.form,
      url: l.url,
      publishedAt: toIsoUtc(l.publishedAt),
      channels: delivered[i]!.channels as string[],
      leaderLed: l.leaderLed,
    })),
    plan,
    signedOffAt: row.signedOffAt === null ? null : toIsoUtc(row.signedOffAt),
    signedOffBy: row.signedOffBy,
    planAtSignOff: row.planAtSignOff,
    signOffNote: row.signOffNote,
    planGaps: expected ? planGaps(plan, row.interpretationDueDate, delivered, asOf) : null,
    leaderLedMissing: expected && leaderLedMissing(row.importance, delivered, asOf),
    createdAt: toIsoUtc(row.createdAt),
    updatedAt: toIsoUtc(row.updatedAt),
  };
}

/** Keeps documents.first_interpretation_at in step with the links of the given documents. */
export function refreshFirstInterpretation(ctx: AppContext, documentIds: number[]) {
  return ctx.db.orm
    .update(documents)
    .set({
      firstInterpretationAt: sql`(SELECT MIN(i.published_at) FROM interpretation_documents l
        JOIN interpretations i ON i.id = l.interpretation_id WHERE l.document_id = ${documents.id})`,
    })
    .where(inList(documents.id, documentIds));
}

/**
 * Statements that recompute the stored due date (and provisional flag) of every document whose
 * deadline can depend on the days in [from, to]: published on or before `to` and due on or
 * after `from`. A document due before `from` counted only unchanged days, so it keeps its date.
 */
export async function recomputeDeadlines(
  ctx: AppContext,
  calendar: WorkingDayCalendar,
  window: { from: string; to: string },
) {
  const toEnd = startOfShanghaiDay(window.to) + DAY_MS;
  const rows = await ctx.db.orm
    .select({
      id: documents.id,
      publishedAt: documents.publishedAt,
      due: documents.interpretationDueDate,
      provisional: documents.dueProvisional,
    })
    .from(documents)
    .where(and(PUBLISHED, sql`${documents.interpretationDueDate} >= ${window.from}`, sql`${documents.publishedAt} < ${toEnd}`));
  const statements = [];
  for (const row of rows) {
    let next;
    try {
      next = interpretationDeadline(calendar, row.publishedAt, ctx.config.interpretationWorkingDays);
    } catch (err) {
      if (err instanceof CalendarRangeError) {
        throw new AppError(422, 'out_of_range', `文件 ${row.id} 的解读截止日期将超出日历支持范围（${err.message}），未作更改`);
      }
      throw err;
    }
    if (next.dueDate !== row.due || next.provisional !== row.provisional) {
      statements.push(
        ctx.db.orm
          .update(documents)
          // (A new version: what the document says has changed, and an edit begun before must see it.)
          .set({ interpretationDueDate: next.dueDate, dueProvisional: next.provisional, updatedAt: nextUpdatedAt(documents.updatedAt, ctx.now()) })
          .where(eq(documents.id, row.id)),
      );
    }
  }
  return statements;
}
