import { sql } from 'drizzle-orm';
import { parseSheetTime, splitDocNumbers, TIME_HELP } from '../../domain/imports/cells.js';
import { toIsoUtc } from '../../domain/time.js';
import { auditLog, documents, interpretationDocuments, interpretations } from '../../db/schema.js';
import type { Statement } from '../../db/database.js';
import type { InterpretationForm } from '../interpretations.js';
import { FORM_NAMES, parseForm } from './columns.js';
import {
  at,
  breathe,
  columnsOf,
  CHUNK_ROWS,
  departmentIndex,
  departmentLabel,
  jsonChunks,
  RowErrors,
  RowReader,
  scopeProblem,
  unresolvedDepartment,
  type DepartmentIndex,
  type ImportPlan,
  type PlanInput,
} from './rows.js';
import type { SheetRow } from './upload.js';

// Importing interpretations (SPEC §11): each row names its documents by 文号 (all registered).
// A row is the same interpretation as a registered one with the same title linked to any of its
// documents: that one is updated (form, link, time, department; missing links added, none
// removed) or, when nothing differs, skipped. Otherwise a new interpretation is created.

interface CheckedRow {
  row: SheetRow;
  title: string;
  form: InterpretationForm;
  publishedAt: number;
  docNumbers: string[];
  url: string | null | undefined;
  departmentCode: string | null;
}

interface Registered {
  id: number;
  title: string;
  form: InterpretationForm;
  url: string | null;
  publishedAt: number;
  departmentCode: string | null;
  documentIds: Set<number>;
}

const MAX_DOCUMENTS_PER_ROW = 200;

export async function planInterpretations(input: PlanInput): Promise<ImportPlan> {
  const { ctx, actor } = input;
  const errors = new RowErrors();
  const read = new RowReader('interpretations', input.layout, errors);
  const departments = await departmentIndex(ctx);
  /** `title \0 documentId` → the first row that names it. */
  const firstRowOf = new Map<string, number>();
  // [title, form, url, publishedAt, department, [documentIds], audit entry]
  const creates: unknown[][] = [];
  // [id, form, url, publishedAt, department, [documentIds to link], audit before, audit after]
  const updates: unknown[][] = [];
  const touchedDocuments = new Set<number>();
  let skipped = 0;

  for (let start = 0; start < input.rows.length; start += CHUNK_ROWS) {
    const checked = input.rows
      .slice(start, start + CHUNK_ROWS)
      .map((row) => checkRow(read, row, departments, actor))
      .filter((c): c is CheckedRow => c !== null);
    const docs = await documentsByNumber(input, checked.flatMap((c) => c.docNumbers));
    const resolved: { c: CheckedRow; ids: number[]; departmentCode: string }[] = [];
    for (const c of checked) {
      const before = errors.count;
      const ids: number[] = [];
      for (const n of c.docNumbers) {
        const d = docs.get(n);
        if (!d) read.fail(c.row, 'docNumbers', `文号「${n}」未登记：请先登记或导入该文件`);
        else if (d.drafting) read.fail(c.row, 'docNumbers', `文号「${n}」的文件尚在起草中（未发布），发布后才能关联解读材料`);
        else {
          if (scopeProblem(actor, departments, d.departmentCode)) {
            read.fail(c.row, 'docNumbers', `文号「${n}」是 ${departmentLabel(departments, d.departmentCode)} 的文件，不在您负责的部门之内`);
          }
          ids.push(d.id);
        }
      }
      if (errors.count > before) continue;
      const departmentCode = c.departmentCode ?? docs.get(c.docNumbers[0]!)!.departmentCode;
      const duplicate = ids.map((id) => firstRowOf.get(`${c.title}\0${id}`)).find((r) => r !== undefined);
      if (duplicate !== undefined) {
        read.fail(c.row, 'title', `与第 ${duplicate} 行是同一份解读材料（标题相同，且对应同一文件）`);
        continue;
      }
      for (const id of ids) firstRowOf.set(`${c.title}\0${id}`, c.row.row);
      resolved.push({ c, ids, departmentCode });
    }
    const byTitle = new Map<string, Registered[]>();
    for (const i of await registeredInterpretations(input, resolved.flatMap((r) => r.ids))) byTitle.set(i.title, [...(byTitle.get(i.title) ?? []), i]);
    for (const { c, ids, departmentCode } of resolved) {
      const current = (byTitle.get(c.title) ?? []).filter((i) => ids.some((id) => i.documentIds.has(id))).sort((a, b) => a.id - b.id)[0];
      if (current?.departmentCode) {
        if (scopeProblem(actor, departments, current.departmentCode)) {
          read.fail(c.row, 'title', `同名解读材料（编号 ${current.id}）属于 ${departmentLabel(departments, current.departmentCode)}，不在您负责的部门之内`);
          continue;
        }
      }
      if (errors.count > 0) continue; // nothing will be written: only look for more errors
      const next = {
        title: c.title,
        form: c.form,
        url: c.url !== undefined ? c.url : (current?.url ?? null),
        publishedAt: c.publishedAt,
        departmentCode: c.departmentCode ?? current?.departmentCode ?? departmentCode,
      };
      const audit = (f: { title: string; form: InterpretationForm; url: string | null; publishedAt: number; departmentCode: string | null }, documentIds: number[]) => JSON.stringify({ ...f, publishedAt: toIsoUtc(f.publishedAt), documentIds });
      if (!current) {
        creates.push([next.title, next.form, next.url, next.publishedAt, next.departmentCode, ids, audit(next, ids)]);
        for (const id of ids) touchedDocuments.add(id);
        continue;
      }
      const toLink = ids.filter((id) => !current.documentIds.has(id));
      const same = next.form === current.form && next.url === current.url && next.publishedAt === current.publishedAt && next.departmentCode === current.departmentCode;
      if (same && toLink.length === 0) {
        skipped++;
        continue;
      }
      const linked = [...current.documentIds].sort((a, b) => a - b);
      updates.push([current.id, next.form, next.url, next.publishedAt, next.departmentCode, toLink, audit({ title: current.title, form: current.form, url: current.url, publishedAt: current.publishedAt, departmentCode: current.departmentCode }, linked), audit(next, [...linked, ...toLink])]);
      for (const id of [...linked, ...toLink]) touchedDocuments.add(id);
    }
    await input.progress(Math.min(start + CHUNK_ROWS, input.rows.length));
    await breathe();
  }

  if (errors.count > 0) return { created: 0, updated: 0, skipped: 0, errors, statements: [] };
  return { created: creates.length, updated: updates.length, skipped, errors, statements: writeStatements(input, creates, updates, [...touchedDocuments]) };
}

const FORM_LIST = Object.values(FORM_NAMES).join('、');

function checkRow(read: RowReader, row: SheetRow, departments: DepartmentIndex, actor: PlanInput['actor']): CheckedRow | null {
  if (read.excelErrors(row)) return null;
  const before = read.errors.count;
  const title = read.textField(row, 'title', { required: true, max: 500 });
  const formText = read.textField(row, 'form', { required: true, max: 50 });
  const form = formText ? parseForm(read.cell(row, 'form')) : null;
  if (formText && form === null) read.fail(row, 'form', `无法识别的解读形式「${formText}」：应为 ${FORM_LIST} 之一`);
  let publishedAt: number | null = null;
  if (read.text(row, 'publishedAt') === '') read.fail(row, 'publishedAt', `${read.label('publishedAt')}不能为空`);
  else if ((publishedAt = parseSheetTime(read.cell(row, 'publishedAt'))) === null) {
    read.fail(row, 'publishedAt', `无法识别的时间「${read.text(row, 'publishedAt')}」：${TIME_HELP}`);
  }
  const docNumbers = splitDocNumbers(read.cell(row, 'docNumbers'));
  if (docNumbers.length === 0) read.fail(row, 'docNumbers', `${read.label('docNumbers')}不能为空：至少填写一个已登记的文号`);
  else if (docNumbers.length > MAX_DOCUMENTS_PER_ROW) read.fail(row, 'docNumbers', `一份解读材料最多对应 ${MAX_DOCUMENTS_PER_ROW} 个文件`);
  else {
    const long = docNumbers.find((n) => n.length > 100);
    if (long) read.fail(row, 'docNumbers', `文号「${long.slice(0, 20)}…」过长：最多 100 个字符`);
  }
  const url = read.has('url') ? read.url(row) : undefined;
  let departmentCode: string | null = null;
  const departmentText = read.has('department') ? read.textField(row, 'department', { required: false, max: 100 }) : null;
  if (departmentText) {
    const code = departments.resolve(departmentText);
    if (code === undefined)
      read.fail(row, 'department', unresolvedDepartment(departments, departmentText, `部门「${departmentText}」未登记：请填写已登记的部门代码或名称，或留空（取第一个对应文件的起草部门）`));
    else {
      const problem = scopeProblem(actor, departments, code);
      if (problem) read.fail(row, 'department', problem);
      departmentCode = code;
    }
  }
  if (read.errors.count > before) return null;
  return { row, title: title!, form: form!, publishedAt: publishedAt!, docNumbers, url, departmentCode };
}

async function documentsByNumber(input: PlanInput, numbers: string[]) {
  const found = new Map<string, { id: number; departmentCode: string; drafting: boolean }>();
  if (numbers.length === 0) return found;
  const rows = await input.ctx.db.orm
    .select({ id: documents.id, docNumber: documents.docNumber, departmentCode: documents.departmentCode, drafting: documents.drafting })
    .from(documents)
    .where(sql`${documents.docNumber} IN (SELECT value FROM json_each(${JSON.stringify([...new Set(numbers)])}))`);
  for (const r of rows) found.set(r.docNumber!, { id: r.id, departmentCode: r.departmentCode, drafting: r.drafting });
  return found;
}

/** Registered interpretations linked to any of these documents, with all their links. */
async function registeredInterpretations(input: PlanInput, documentIds: number[]): Promise<Registered[]> {
  if (documentIds.length === 0) return [];
  const { orm } = input.ctx.db;
  const rows = await orm
    .selectDistinct({
      id: interpretations.id,
      title: interpretations.title,
      form: interpretations.form,
      url: interpretations.url,
      publishedAt: interpretations.publishedAt,
      departmentCode: interpretations.departmentCode,
    })
    .from(interpretationDocuments)
    .innerJoin(interpretations, sql`${interpretations.id} = ${interpretationDocuments.interpretationId}`)
    .where(sql`${interpretationDocuments.documentId} IN (SELECT value FROM json_each(${JSON.stringify([...new Set(documentIds)])}))`);
  if (rows.length === 0) return [];
  const links = await orm
    .select({ interpretationId: interpretationDocuments.interpretationId, documentId: interpretationDocuments.documentId })
    .from(interpretationDocuments)
    .where(sql`${interpretationDocuments.interpretationId} IN (SELECT value FROM json_each(${JSON.stringify(rows.map((r) => r.id))}))`);
  const linked = new Map<number, Set<number>>();
  for (const l of links) linked.set(l.interpretationId, (linked.get(l.interpretationId) ?? new Set()).add(l.documentId));
  return rows.map((r) => ({ ...r, documentIds: linked.get(r.id) ?? new Set() }));
}

function writeStatements(input: PlanInput, creates: unknown[][], updates: unknown[][], touched: number[]): Statement[] {
  const { ctx, actor } = input;
  const now = ctx.now();
  const statements: Statement[] = [];
  // New interpretations, then their links and audit entries. Inside the one atomic batch nothing
  // else inserts and AUTOINCREMENT ids only grow, so row k of a chunk of n is MAX(id) - n + 1 + k.
  for (const { json, count } of jsonChunks(creates)) {
    const newId = sql`(SELECT MAX(id) FROM interpretations) - ${sql.raw(String(count - 1))} + j.key`;
    statements.push(
      ctx.db.orm.insert(interpretations).select(
        sql`SELECT ${columnsOf(interpretations, { title: at(0), form: at(1), url: at(2), publishedAt: at(3), departmentCode: at(4), createdAt: now, updatedAt: now })}
          FROM json_each(${json}) AS j ORDER BY j.key`,
      ),
      ctx.db.orm
        .insert(interpretationDocuments)
        .select(sql`SELECT ${columnsOf(interpretationDocuments, { interpretationId: newId, documentId: sql`d.value`, linkedAt: now })} FROM json_each(${json}) AS j, json_each(${at(5)}) AS d`),
      ctx.db.orm
        .insert(auditLog)
        .select(
          sql`SELECT ${columnsOf(auditLog, { at: now, actor: actor.username, entity: 'interpretation', entityId: sql`CAST(${newId} AS TEXT)`, action: 'create', after: at(6) })}
            FROM json_each(${json}) AS j`,
        ),
    );
  }
  for (const { json } of jsonChunks(updates)) {
    statements.push(
      ctx.db.orm
        .update(interpretations)
        .set({ form: sql`${at(1)}`, url: sql`${at(2)}`, publishedAt: sql`${at(3)}`, departmentCode: sql`${at(4)}`, updatedAt: now })
        .from(sql`json_each(${json}) AS j`)
        .where(sql`${interpretations.id} = ${at(0)}`),
      ctx.db.orm
        .insert(interpretationDocuments)
        // (WHERE true: SQLite would otherwise read ON CONFLICT as a join's ON.)
        .select(sql`SELECT ${columnsOf(interpretationDocuments, { interpretationId: at(0), documentId: sql`d.value`, linkedAt: now })} FROM json_each(${json}) AS j, json_each(${at(5)}) AS d WHERE true`)
        .onConflictDoNothing(),
      ctx.db.orm
        .insert(auditLog)
        .select(
          sql`SELECT ${columnsOf(auditLog, { at: now, actor: actor.username, entity: 'interpretation', entityId: sql`CAST(${at(0)} AS TEXT)`, action: 'update', before: at(6), after: at(7) })}
            FROM json_each(${json}) AS j`,
        ),
    );
  }
  // Each touched document's first interpretation, as refreshFirstInterpretation keeps it.
  for (const { json } of jsonChunks(touched)) {
    statements.push(
      ctx.db.orm
        .update(documents)
        .set({
          firstInterpretationAt: sql`(SELECT MIN(i.published_at) FROM interpretation_documents l
            JOIN interpretations i ON i.id = l.interpretation_id WHERE l.document_id = ${documents.id})`,
        })
        .where(sql`${documents.id} IN (SELECT value FROM json_each(${json}))`),
    );
  }
  return statements;
}
