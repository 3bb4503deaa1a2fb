import { cellText, type Cell } from '../../domain/imports/cells.js';
import { DOC_TYPE_LABELS, type DocumentType } from '../documents.js';
import { INTERPRETATION_FORMS, type InterpretationForm } from '../interpretations.js';

// The columns an import accepts (SPEC §11), in Chinese or English, and how a header row is read.

export const IMPORT_KINDS = ['documents', 'interpretations'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export const KIND_LABELS: Record<ImportKind, string> = { documents: '政策文件', interpretations: '解读材料' };

export type ColumnKey =
  | 'docNumber'
  | 'title'
  | 'department'
  | 'publishedAt'
  | 'url'
  | 'requiresInterpretation'
  | 'exemptReason'
  | 'importance'
  | 'docType'
  | 'form'
  | 'docNumbers';

export interface ColumnSpec {
  key: ColumnKey;
  /** The Chinese header, as the sample files and messages name the column. */
  zh: string;
  required: boolean;
  /** Other headers taken for it, besides `zh` and `key` (compared case-insensitively). */
  aliases: string[];
  help: string;
}

const docNumber: ColumnSpec = { key: 'docNumber', zh: '文号', required: false, aliases: ['发文字号', 'doc_number'], help: '如 沪发改规〔2026〕5号；已登记的文号更新原文件' };
const title: ColumnSpec = { key: 'title', zh: '标题', required: true, aliases: ['名称'], help: '最长 500 字' };
const department: ColumnSpec = { key: 'department', zh: '起草部门', required: true, aliases: ['部门', 'departmentCode', 'department_code'], help: '部门代码（如 fgw）或名称（如 市发展改革委）' };
const publishedAt: ColumnSpec = { key: 'publishedAt', zh: '发布时间', required: true, aliases: ['发布日期', 'published_at'], help: '2026-09-30、2026/9/30、2026-09-30 10:00 或 Excel 日期；按北京时间' };
const url: ColumnSpec = { key: 'url', zh: '链接', required: false, aliases: ['网址', '地址'], help: 'http:// 或 https:// 开头' };

export const COLUMNS: Record<ImportKind, ColumnSpec[]> = {
  documents: [
    docNumber,
    title,
    department,
    publishedAt,
    url,
    { key: 'requiresInterpretation', zh: '是否需要解读', required: false, aliases: ['需要解读', 'requires_interpretation'], help: '是/否，空白为“是”' },
    { key: 'exemptReason', zh: '免于解读理由', required: false, aliases: ['免予解读理由', 'exempt_reason'], help: '“否”时必填' },
    { key: 'importance', zh: '重要程度', required: false, aliases: [], help: '普通/重大，空白为“普通”' },
    { key: 'docType', zh: '文件类别', required: false, aliases: ['文件类型', 'doc_type'], help: '规章/行政规范性文件，其他文件空白' },
  ],
  interpretations: [
    title,
    { key: 'form', zh: '解读形式', required: true, aliases: ['形式'], help: '文字解读、问答、图解、视频、专家解读、媒体报道、在线访谈、新闻发布会' },
    publishedAt,
    { key: 'docNumbers', zh: '对应文号', required: true, aliases: ['关联文号', 'doc_numbers'], help: '一个或多个已登记的文号，用 、 , ； 分隔' },
    url,
    { ...department, required: false, help: '空白时为第一个对应文件的起草部门' },
  ],
};

/** The interpretation forms by their Chinese names (the names the pages use) and their codes. */
export const FORM_NAMES: Record<InterpretationForm, string> = {
  text: '文字解读',
  qa: '问答',
  graphic: '图解',
  video: '视频',
  expert: '专家解读',
  media: '媒体报道',
  interview: '在线访谈',
  press_conference: '新闻发布会',
};
const FORM_BY_NAME = new Map<string, InterpretationForm>([
  ...INTERPRETATION_FORMS.map((f) => [f, f] as const),
  ...Object.entries(FORM_NAMES).map(([code, name]) => [name, code as InterpretationForm] as const),
  ['图文解读', 'graphic'],
  ['问答解读', 'qa'],
  ['视频解读', 'video'],
]);

export function parseForm(cell: Cell): InterpretationForm | null {
  return FORM_BY_NAME.get(cellText(cell).normalize('NFKC').toLowerCase()) ?? null;
}

export function parseImportance(cell: Cell): 'normal' | 'major' | null {
  const text = cellText(cell).normalize('NFKC').toLowerCase();
  if (text === '普通' || text === 'normal' || text === '一般') return 'normal';
  if (text === '重大' || text === 'major') return 'major';
  return null;
}

/** 文件类别 (SPEC §13's table 二): 规章, 行政规范性文件 (规范性文件 too), or '' for any other document; null when unrecognised. */
export function parseDocType(cell: Cell): DocumentType | '' | null {
  const text = cellText(cell).normalize('NFKC').replace(/\s+/g, '').toLowerCase();
  if (text === '' || text === '其他' || text === '其他文件') return '';
  if (text === 'regulation' || text === DOC_TYPE_LABELS.regulation) return 'regulation';
  if (text === 'normative' || text === DOC_TYPE_LABELS.normative || text === '规范性文件') return 'normative';
  return null;
}

/** A header as compared: NFKC, no spaces, no marks of a required column (*), lower case. */
function headerKey(text: string): string {
  // A note in brackets at the end is not part of the name: 发布时间（北京时间）, as our exports head
  // the column, is 发布时间 (NFKC has made full-width brackets ASCII).
  return text.normalize('NFKC').replace(/\([^()]*\)\s*$/, '').replace(/[\s*＊]/g, '').toLowerCase();
}

export interface HeaderLayout {
  /** Column index of each field found. */
  index: Map<ColumnKey, number>;
  /** The header as written in the file, to name the column in errors. */
  label: Map<ColumnKey, string>;
}

/**
 * Which column holds which field, or the problems that make the header unusable (a required
 * column missing, one given twice). Unknown columns (序号, 备注 …) are left alone.
 */
export function readHeader(kind: ImportKind, header: Cell[]): { layout: HeaderLayout } | { problems: string[] } {
  const specs = COLUMNS[kind];
  const byName = new Map<string, ColumnSpec>();
  for (const spec of specs) for (const name of [spec.zh, spec.key, ...spec.aliases]) byName.set(headerKey(name), spec);
  const index = new Map<ColumnKey, number>();
  const label = new Map<ColumnKey, string>();
  const problems: string[] = [];
  header.forEach((cell, i) => {
    const text = cellText(cell);
    const spec = byName.get(headerKey(text));
    if (!spec) return;
    if (index.has(spec.key)) {
      problems.push(`「${label.get(spec.key)}」和「${text}」是同一列（${spec.zh}），只能保留一列`);
      return;
    }
    index.set(spec.key, i);
    label.set(spec.key, text);
  });
  const missing = specs.filter((s) => s.required && !index.has(s.key));
  if (missing.length > 0) {
    let message = `缺少必需的列：${missing.map((s) => `${s.zh}（${s.key}）`).join('、')}。第 1 行应为表头`;
    const other: ImportKind = kind === 'documents' ? 'interpretations' : 'documents';
    if (readHeaderMatches(other, header)) message += `；这似乎是${KIND_LABELS[other]}表，请选择导入“${KIND_LABELS[other]}”`;
    problems.push(message);
  }
  return problems.length > 0 ? { problems } : { layout: { index, label } };
}

function readHeaderMatches(kind: ImportKind, header: Cell[]): boolean {
  const names = new Set(header.map((c) => headerKey(cellText(c))));
  return COLUMNS[kind].filter((s) => s.required).every((s) => [s.zh, s.key, ...s.aliases].some((n) => names.has(headerKey(n))));
}
