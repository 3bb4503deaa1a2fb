import { and, asc, gt, sql } from 'drizzle-orm';
import { departments, documents } from '../../db/schema.js';
import type { AppContext } from '../context.js';
import { DOC_TYPE_LABELS, documentConditions, type DocumentQuery, type DocumentType } from '../documents.js';
import { beijingText } from './beijing-text.js';
import { compactDate, DRAFTING_LABEL, IMPORTANCE_LABELS, INTERPRETATION_STATUS_LABELS } from './labels.js';
import { rowStatus } from './row-status.js';
import { keysetPages, type Cell, type ExportColumn, type ExportTable } from './table.js';

// Small pages: a page's rows die young (a page of 5,000 survived into the old generation and doubled
// the garbage collector's work), and a query per 500 rows costs next to nothing.
const CHUNK = 500;

const COLUMNS: ExportColumn[] = [
  { header: '编号', width: 8, ours: true },
  { header: '文号', width: 24 },
  { header: '标题', width: 50 },
  { header: '起草部门', width: 18 },
  { header: '部门代码', width: 10 },
  { header: '发布时间（北京时间）', width: 18, ours: true },
  { header: '是否需要解读', width: 8, ours: true },
  { header: '免于解读理由', width: 24 },
  { header: '重要程度', width: 8, ours: true },
  { header: '文件类别', width: 14, ours: true },
  { header: '解读截止日期', width: 12, ours: true },
  { header: '截止日期为暂定', width: 8, ours: true },
  { header: '解读状态', width: 10, ours: true },
  { header: '剩余工作日', width: 8, ours: true },
  { header: '首份解读发布时间（北京时间）', width: 18, ours: true },
  { header: '链接', width: 40 },
];

/** A row as read, in this column order (arrays: the cheapest shape to read a million of). */
type Row = [
  id: number,
  docNumber: string | null,
  title: string,
  departmentCode: string,
  publishedAt: number,
  requiresInterpretation: number | boolean,
  exemptReason: string | null,
  importance: 'normal' | 'major',
  dueDate: string,
  provisional: number | boolean,
  firstInterpretationAt: number | null,
  url: string | null,
  drafting: number | boolean,
  docType: DocumentType | null,
];

/**
 * Documents as the list filters them (status as of `asOf`, department, publication dates, `q`),
 * every one of them, by id. Status is decided by the same rule as the document view: only the
 * first interpretation counts, and only if it was published by `asOf`.
 */
export async function documentsExport(ctx: AppContext, query: DocumentQuery): Promise<ExportTable> {
  const names = new Map((await ctx.db.orm.select({ code: departments.code, name: departments.name }).from(departments)).map((d) => [d.code, d.name]));
  const calendar = await ctx.calendars.current();
  const conditions = documentConditions(query);
  // Prepared once: the same query for every page, with the last id seen as its one parameter.
  const pageQuery = ctx.db.orm
    .select({
      id: documents.id,
      docNumber: documents.docNumber,
      title: documents.title,
      departmentCode: documents.departmentCode,
      publishedAt: documents.publishedAt,
      requiresInterpretation: documents.requiresInterpretation,
      exemptReason: documents.exemptReason,
      importance: documents.importance,
      dueDate: documents.interpretationDueDate,
      provisional: documents.dueProvisional,
      firstInterpretationAt: documents.firstInterpretationAt,
      url: documents.url,
      drafting: documents.drafting,
      docType: documents.docType,
    })
    .from(documents)
    .where(and(...conditions, gt(documents.id, sql.placeholder('after'))))
    .orderBy(asc(documents.id))
    .limit(CHUNK)
    .prepare();
  const page = (after: number | null) => pageQuery.values({ after: after ?? 0 }) as Promise<Row[]>;
  const text = beijingText();
  const asOf = { at: query.asOf, date: text.date(query.asOf) };
  const toCells = (r: Row): Cell[] => {
    const [id, docNumber, title, departmentCode, publishedAt, requires, exemptReason, importance, dueDate, provisional, first, url, drafting, docType] = r;
    const kind = docType === null ? null : DOC_TYPE_LABELS[docType];
    // A draft (exported only with status=drafting) has no publication time or due date yet.
    if (drafting) {
      return [id, docNumber, title, names.get(departmentCode) ?? departmentCode, departmentCode, null, requires ? '是' : '否', exemptReason, IMPORTANCE_LABELS[importance] ?? importance, kind, null, null, DRAFTING_LABEL, null, null, url];
    }
    const interpreted = first !== null && first <= query.asOf ? first : null;
    const { status, workingDaysLeft } = rowStatus(calendar, text, asOf, { requires: Boolean(requires), dueDate, first });
    return [
      id,
      docNumber,
      title,
      names.get(departmentCode) ?? departmentCode,
      departmentCode,
      text.minute(publishedAt),
      requires ? '是' : '否',
      exemptReason,
      IMPORTANCE_LABELS[importance] ?? importance,
      kind,
      dueDate,
      provisional ? '是' : '否',
      INTERPRETATION_STATUS_LABELS[status],
      workingDaysLeft,
      interpreted === null ? null : text.minute(interpreted),
      url,
    ];
  };
  return {
    fileName: `政策文件-截至${compactDate(asOf.date)}`,
    asciiName: `documents-${compactDate(asOf.date)}`,
    sheetName: '政策文件',
    columns: COLUMNS,
    async *chunks() {
      for await (const rows of keysetPages(CHUNK, page, (r) => r[0])) yield rows.map(toCells);
    },
  };
}
