import { and, isNull, sql } from 'drizzle-orm';
import { inList } from '../../db/in-list.js';
import { nextUpdatedAt } from '../../db/guard.js';
import { CalendarRangeError } from '../../domain/calendar/calendar.js';
import { interpretationDeadline } from '../../domain/deadlines/interpretation.js';
import { parseSheetTime, parseYesNo, TIME_HELP } from '../../domain/imports/cells.js';
import { DAY_MS, SHANGHAI_OFFSET_MS, toIsoUtc } from '../../domain/time.js';
import { auditLog, documents } from '../../db/schema.js';
import type { Statement } from '../../db/database.js';
import { documentSearchText, type DocumentType } from '../documents.js';
import { parseDocType, parseImportance } from './columns.js';
import {
  at,
  breathe,
  columnsOf,
  CHUNK_ROWS,
  departmentIndex,
  departmentLabel,
  jsonChunks,
  jsonTextChunks,
  RowErrors,
  RowReader,
  scopeProblem,
  unresolvedDepartment,
  type ImportPlan,
  type PlanInput,
} from './rows.js';
import type { SheetRow } from './upload.js';

// Importing documents (SPEC §11): every row is checked and its due date computed as
// registerDocument does; a row whose 文号 is registered updates that document (same department
// only), an unchanged one is skipped, the rest are created. A row without 文号 is the same
// document as a registered one without 文号 of the same department, title and publication time.

type DocumentRow = typeof documents.$inferSelect;

/** The fields a document has; what a row sets of them. */
interface Fields {
  docNumber: string | null;
  title: string;
  departmentCode: string;
  publishedAt: number;
  url: string | null;
  requiresInterpretation: boolean;
  exemptReason: string | null;
  importance: 'normal' | 'major';
  interpretationDueDate: string;
  dueProvisional: boolean;
  docType: DocumentType | null;
}

interface CheckedRow {
  row: SheetRow;
  key: string;
  docNumber: string | null;
  title: string;
  departmentCode: string;
  publishedAt: number;
  /** undefined: the file has no such column (an update keeps the stored value; a new document takes the default). */
  url: string | null | undefined;
  requiresInterpretation: boolean | undefined;
  exemptReason: string | null | undefined;
  importance: 'normal' | 'major' | undefined;
  docType: DocumentType | null | undefined;
}

const identityOf = (docNumber: string | null, departmentCode: string, title: string, publishedAt: number) =>
  docNumber !== null ? `n:${docNumber}` : `t:${JSON.stringify([departmentCode, title, publishedAt])}`;

const auditFields = (f: Fields) => ({ ...f, publishedAt: toIsoUtc(f.publishedAt) });

/** auditFields of a stored document, built by SQLite from the row (times as toIsoUtc writes them). */
const AUDIT_AFTER = sql.raw(`json_object('docNumber', doc_number, 'title', title, 'departmentCode', department_code,
  'publishedAt', strftime('%Y-%m-%dT%H:%M:%S', published_at / 1000, 'unixepoch') || printf('.%03dZ', published_at % 1000),
  'url', url, 'requiresInterpretation', json(CASE requires_interpretation WHEN 1 THEN 'true' ELSE 'false' END),
  'exemptReason', exempt_reason, 'importance', importance, 'interpretationDueDate', interpretation_due_date,
  'dueProvisional', json(CASE due_provisional WHEN 1 THEN 'true' ELSE 'false' END), 'docType', doc_type)`);

export async function planDocuments(input: PlanInput): Promise<ImportPlan> {
  const { ctx, actor } = input;
  const errors = new RowErrors();
  const read = new RowReader('documents', input.layout, errors);
  const departments = await departmentIndex(ctx);
  const calendar = await ctx.calendars.current();
  const workingDays = ctx.config.interpretationWorkingDays;
  // Many rows share a publication day: its due date is computed once.
  const deadlines = new Map<number, ReturnType<typeof interpretationDeadline>>();
  const deadlineOf = (publishedAt: number) => {
    const day = Math.floor((publishedAt + SHANGHAI_OFFSET_MS) / DAY_MS);
    let deadline = deadlines.get(day);
    if (deadline === undefined) deadlines.set(day, (deadline = interpretationDeadline(calendar, publishedAt, workingDays)));
    return deadline;
  };
  const firstRowOf = new Map<string, number>();
  // As JSON: [docNumber, title, department, publishedAt, url, requires, exemptReason, importance,
  // due, provisional, searchText, docType]
  const creates: string[] = [];
  // [id, title, publishedAt, url, requires, exemptReason, importance, due, provisional,
  // searchText, audit before, audit after, docType]
  const updates: unknown[][] = [];
  let skipped = 0;

  for (let start = 0; start < input.rows.length; start += CHUNK_ROWS) {
    const checked: CheckedRow[] = [];
    for (const row of input.rows.slice(start, start + CHUNK_ROWS)) {
      const c = checkRow(read, row, departments, actor);
      if (!c) continue;
      const earlier = firstRowOf.get(c.key);
      if (earlier !== undefined) {
        if (c.docNumber !== null) read.fail(row, 'docNumber', `文号「${c.docNumber}」与第 ${earlier} 行重复`);
        else read.fail(row, 'title', `与第 ${earlier} 行是同一份文件（起草部门、标题、发布时间均相同，且都没有文号）`);
        continue;
      }
      firstRowOf.set(c.key, row.row);
      checked.push(c);
    }
    const existing = await registered(input, checked);
    for (const c of checked) {
      const current = existing.get(c.key);
      if (current && current.departmentCode !== c.departmentCode) {
        read.fail(c.row, 'docNumber', `文号「${c.docNumber}」已登记为 ${departmentLabel(departments, current.departmentCode)} 的文件，不能作为 ${departmentLabel(departments, c.departmentCode)} 的文件导入`);
        continue;
      }
      // A draft is published on its page (or PATCH), where its plan and sign-off are seen, not by a sheet.
      if (current?.drafting) {
        read.fail(c.row, 'docNumber', `文号「${c.docNumber}」的文件尚在起草中（未发布）：请在该文件的页面上发布，不能通过导入更新`);
        continue;
      }
      const requiresInterpretation = c.requiresInterpretation ?? current?.requiresInterpretation ?? true;
      const exemptReason = requiresInterpretation ? null : c.exemptReason !== undefined ? c.exemptReason : (current?.exemptReason ?? null);
      if (!requiresInterpretation && !exemptReason) {
        read.fail(c.row, 'exemptReason', `“${read.label('requiresInterpretation')}”为“否”时必须填写免于解读的理由`);
        continue;
      }
      let deadline;
      try {
        deadline = deadlineOf(c.publishedAt);
      } catch (err) {
        if (!(err instanceof CalendarRangeError)) throw err;
        read.fail(c.row, 'publishedAt', `发布时间过晚，解读截止日期超出日历支持范围（${err.message}）`);
        continue;
      }
      const next: Fields = {
        docNumber: c.docNumber,
        title: c.title,
        departmentCode: c.departmentCode,
        publishedAt: c.publishedAt,
        url: c.url !== undefined ? c.url : (current?.url ?? null),
        requiresInterpretation,
        exemptReason,
        importance: c.importance ?? current?.importance ?? 'normal',
        interpretationDueDate: deadline.dueDate,
        dueProvisional: deadline.provisional,
        docType: c.docType !== undefined ? c.docType : (current?.docType ?? null),
      };
      if (errors.count > 0) continue; // nothing will be written: only look for more errors
      const searchText = documentSearchText(next.docNumber, next.title);
      const flags = [next.requiresInterpretation ? 1 : 0, next.exemptReason, next.importance, next.interpretationDueDate, next.dueProvisional ? 1 : 0, searchText];
      if (!current) {
        creates.push(JSON.stringify([next.docNumber, next.title, next.departmentCode, next.publishedAt, next.url, ...flags, next.docType]));
        continue;
      }
      const before: Fields = {
        docNumber: current.docNumber,
        title: current.title,
        departmentCode: current.departmentCode,
        publishedAt: current.publishedAt,
        url: current.url,
        requiresInterpretation: current.requiresInterpretation,
        exemptReason: current.exemptReason,
        importance: current.importance,
        interpretationDueDate: current.interpretationDueDate,
        dueProvisional: current.dueProvisional,
        docType: current.docType,
      };
      if ((Object.keys(next) as (keyof Fields)[]).every((k) => next[k] === before[k])) {
        skipped++;
        continue;
      }
      updates.push([current.id, next.title, next.publishedAt, next.url, ...flags, JSON.stringify(auditFields(before)), JSON.stringify(auditFields(next)), next.docType]);
    }
    await input.progress(Math.min(start + CHUNK_ROWS, input.rows.length));
    await breathe();
  }

  if (errors.count > 0) return { created: 0, updated: 0, skipped: 0, errors, statements: [] };
  return {
    created: creates.length,
    updated: updates.length,
    skipped,
    errors,
    statements: writeStatements(input, creates, updates),
  };
}

/** A row's fields, checked one by one (every problem recorded); null when any is wrong. */
function checkRow(read: RowReader, row: SheetRow, departments: Awaited<ReturnType<typeof departmentIndex>>, actor: PlanInput['actor']): CheckedRow | null {
  if (read.excelErrors(row)) return null;
  const before = read.errors.count;
  const docNumber = read.textField(row, 'docNumber', { required: false, max: 100 });
  const title = read.textField(row, 'title', { required: true, max: 500 });
  const departmentText = read.textField(row, 'department', { required: true, max: 100 });
  let departmentCode: string | undefined;
  if (departmentText) {
    departmentCode = departments.resolve(departmentText);
    if (departmentCode === undefined) read.fail(row, 'department', unresolvedDepartment(departments, departmentText, `部门「${departmentText}」未登记：请填写已登记的部门代码或名称`));
    else {
      const problem = scopeProblem(actor, departments, departmentCode);
      if (problem) read.fail(row, 'department', problem);
    }
  }
  let publishedAt: number | null = null;
  const time = read.cell(row, 'publishedAt');
  if (read.text(row, 'publishedAt') === '') read.fail(row, 'publishedAt', `${read.label('publishedAt')}不能为空`);
  else if ((publishedAt = parseSheetTime(time)) === null) read.fail(row, 'publishedAt', `无法识别的时间「${read.text(row, 'publishedAt')}」：${TIME_HELP}`);
  const url = read.has('url') ? read.url(row) : undefined;
  let requiresInterpretation: boolean | undefined;
  if (read.has('requiresInterpretation')) {
    const text = read.text(row, 'requiresInterpretation');
    if (text === '') requiresInterpretation = true;
    else {
      const yes = parseYesNo(read.cell(row, 'requiresInterpretation'));
      if (yes === null) read.fail(row, 'requiresInterpretation', `应填“是”或“否”，本格为「${text}」`);
      else requiresInterpretation = yes;
    }
  }
  const exemptReason = read.has('exemptReason') ? read.textField(row, 'exemptReason', { required: false, max: 1000 }) : undefined;
  let importance: 'normal' | 'major' | undefined;
  if (read.has('importance')) {
    const text = read.text(row, 'importance');
    if (text === '') importance = 'normal';
    else {
      const parsed = parseImportance(read.cell(row, 'importance'));
      if (parsed === null) read.fail(row, 'importance', `应填“普通”或“重大”，本格为「${text}」`);
      else importance = parsed;
    }
  }
  let docType: DocumentType | null | undefined;
  if (read.has('docType')) {
    const parsed = parseDocType(read.cell(row, 'docType'));
    if (parsed === null) read.fail(row, 'docType', `应填“规章”或“行政规范性文件”，其他文件留空，本格为「${read.text(row, 'docType')}」`);
    else docType = parsed === '' ? null : parsed;
  }
  if (read.errors.count > before) return null;
  return {
    row,
    key: identityOf(docNumber!, departmentCode!, title!, publishedAt!),
    docNumber: docNumber ?? null,
    title: title!,
    departmentCode: departmentCode!,
    publishedAt: publishedAt!,
    url,
    requiresInterpretation,
    exemptReason,
    importance,
    docType,
  };
}

/** The registered documents the rows name, by identity: one query per kind of key, per chunk. */
async function registered(input: PlanInput, rows: CheckedRow[]): Promise<Map<string, DocumentRow>> {
  const found = new Map<string, DocumentRow>();
  const numbers = rows.filter((r) => r.docNumber !== null).map((r) => r.docNumber);
  if (numbers.length > 0) {
    const hits = await input.ctx.db.orm
      .select()
      .from(documents)
      .where(sql`${documents.docNumber} IN (SELECT value FROM json_each(${JSON.stringify(numbers)}))`);
    for (const d of hits) found.set(identityOf(d.docNumber, d.departmentCode, d.title, d.publishedAt), d);
  }
  const unnumbered = rows.filter((r) => r.docNumber === null).map((r) => [r.departmentCode, r.title, r.publishedAt]);
  if (unnumbered.length > 0) {
    // Row by row through the index of unnumbered titles (0011): a scan of every unnumbered document
    // per chunk grew with both, and held the service for a minute at 20,000 against 20,000.
    const hits = await input.ctx.db.orm.all<{ id: number }>(sql`
      SELECT d.id AS id FROM json_each(${JSON.stringify(unnumbered)}) AS j
        CROSS JOIN documents AS d INDEXED BY documents_unnumbered_title_idx
      WHERE d.doc_number IS NULL AND d.title = ${at(1)} AND d.department_code = ${at(0)} AND d.published_at = ${at(2)}`);
    const rows = hits.length === 0 ? [] : await input.ctx.db.orm.select().from(documents).where(inList(documents.id, hits.map((h) => h.id)));
    for (const d of rows) found.set(identityOf(null, d.departmentCode, d.title, d.publishedAt), d);
  }
  return found;
}

function writeStatements(input: PlanInput, creates: string[], updates: unknown[][]): Statement[] {
  const { ctx, actor } = input;
  const now = ctx.now();
  const statements: Statement[] = [];
  // New documents, each chunk followed by its audit entries, read back from the rows just written.
  // Inside the one atomic batch nothing else inserts, and AUTOINCREMENT ids only grow, so a chunk
  // of n rows holds the n largest ids.
  for (const { json, count } of jsonTextChunks(creates)) {
    statements.push(
      ctx.db.orm.insert(documents).select(
        sql`SELECT ${columnsOf(documents, {
          docNumber: at(0),
          title: at(1),
          departmentCode: at(2),
          publishedAt: at(3),
          url: at(4),
          requiresInterpretation: at(5),
          exemptReason: at(6),
          importance: at(7),
          interpretationDueDate: at(8),
          dueProvisional: at(9),
          searchText: at(10),
          docType: at(11),
          createdAt: now,
          updatedAt: now,
        })} FROM json_each(${json}) AS j`,
      ),
      ctx.db.orm
        .insert(auditLog)
        .select(
          sql`SELECT ${columnsOf(auditLog, { at: now, actor: actor.username, entity: 'document', entityId: sql`CAST(id AS TEXT)`, action: 'create', after: AUDIT_AFTER })}
            FROM documents WHERE id > (SELECT MAX(id) FROM documents) - ${sql.raw(String(count))} ORDER BY id`,
        ),
    );
  }
  for (const { json } of jsonChunks(updates)) {
    statements.push(
      ctx.db.orm
        .update(documents)
        .set({
          title: sql`${at(1)}`,
          publishedAt: sql`${at(2)}`,
          url: sql`${at(3)}`,
          requiresInterpretation: sql`${at(4)}`,
          exemptReason: sql`${at(5)}`,
          importance: sql`${at(6)}`,
          interpretationDueDate: sql`${at(7)}`,
          dueProvisional: sql`${at(8)}`,
          searchText: sql`${at(9)}`,
          docType: sql`${at(12)}`,
          updatedAt: nextUpdatedAt(documents.updatedAt, now),
        })
        .from(sql`json_each(${json}) AS j`)
        .where(sql`${documents.id} = ${at(0)}`),
      ctx.db.orm
        .insert(auditLog)
        .select(
          sql`SELECT ${columnsOf(auditLog, { at: now, actor: actor.username, entity: 'document', entityId: sql`CAST(${at(0)} AS TEXT)`, action: 'update', before: at(10), after: at(11) })}
            FROM json_each(${json}) AS j`,
        ),
    );
  }
  return statements;
}
