import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { cellText, type Cell } from '../../domain/imports/cells.js';
import { departments } from '../../db/schema.js';
import type { Statement } from '../../db/database.js';
import type { Actor } from '../accounts/actor.js';
import type { AppContext } from '../context.js';
import { COLUMNS, type ColumnKey, type HeaderLayout, type ImportKind } from './columns.js';
import type { SheetRow } from './upload.js';

// What both kinds of import share: the rows of a sheet as fields, the errors found in them, the
// departments by code and by name, and rows sent to SQLite as one JSON parameter.

export interface RowError {
  /** The row as the spreadsheet numbers it (header = 1); null for the file as a whole. */
  row: number | null;
  /** The column as the file names it; null when no single column is at fault. */
  field: string | null;
  message: string;
}

/** Errors are all counted; the first MAX_LISTED are kept (a job row must stay small, e.g. on D1). */
export const MAX_LISTED_ERRORS = 1000;

export class RowErrors {
  private readonly found: RowError[] = [];
  count = 0;
  /** Rows with at least one error. */
  readonly rows = new Set<number>();
  add(row: number | null, field: string | null, message: string): void {
    this.count++;
    if (row !== null) this.rows.add(row);
    if (this.found.length < MAX_LISTED_ERRORS) this.found.push({ row, field, message });
  }
  /** By row (the file's own problems last); within a row, in the order of the checks. */
  get list(): RowError[] {
    return [...this.found].sort((a, b) => (a.row ?? Infinity) - (b.row ?? Infinity));
  }
}

/** Excel's error values, as a cell shows them. */
const EXCEL_ERROR = /^#(?:NULL!|DIV\/0!|VALUE!|REF!|NAME\?|NUM!|N\/A|GETTING_DATA|SPILL!|CALC!|FIELD!|BLOCKED!|CONNECT!|BUSY!|UNKNOWN!)$/i;

/** Rows are checked, and progress written, this many at a time. */
export const CHUNK_ROWS = 5000;

export interface PlanInput {
  ctx: AppContext;
  actor: Actor;
  kind: ImportKind;
  layout: HeaderLayout;
  rows: SheetRow[];
  /** Records how many rows have been checked; lets other requests in between. */
  progress(done: number): Promise<void>;
}

export interface ImportPlan {
  created: number;
  updated: number;
  skipped: number;
  errors: RowErrors;
  /** The writes, in order, for one batch (empty when there are errors). */
  statements: Statement[];
}

/** Reads the fields of one row by column. */
export class RowReader {
  constructor(
    private readonly kind: ImportKind,
    private readonly layout: HeaderLayout,
    readonly errors: RowErrors,
  ) {}
  has(key: ColumnKey): boolean {
    return this.layout.index.has(key);
  }
  cell(row: SheetRow, key: ColumnKey): Cell {
    const i = this.layout.index.get(key);
    return i === undefined ? null : (row.cells[i] ?? null);
  }
  text(row: SheetRow, key: ColumnKey): string {
    return cellText(this.cell(row, key));
  }
  /** The column's name as the file writes it (or its Chinese name when the file has no such column). */
  label(key: ColumnKey): string {
    return this.layout.label.get(key) ?? COLUMNS[this.kind].find((c) => c.key === key)!.zh;
  }
  fail(row: SheetRow, key: ColumnKey | null, message: string): void {
    this.errors.add(row.row, key === null ? null : this.label(key), message);
  }
  /**
   * Reports every cell of the row's columns that holds an Excel error value (#DIV/0!, #N/A, …: a
   * broken formula, as XLSX caches it and as Excel writes it into a CSV), which would otherwise be
   * read as text — a title "#DIV/0!". True when there was one: the row's other checks are skipped.
   */
  excelErrors(row: SheetRow): boolean {
    let found = false;
    for (const key of this.layout.index.keys()) {
      const text = this.text(row, key);
      if (!EXCEL_ERROR.test(text)) continue;
      this.fail(row, key, `本格是 Excel 的错误值「${text}」（公式出错）：请在表格中改正后再导入`);
      found = true;
    }
    return found;
  }
  /** A text field: required or not, at most `max` characters; undefined after an error. */
  textField(row: SheetRow, key: ColumnKey, options: { required: boolean; max: number }): string | null | undefined {
    const value = this.text(row, key);
    if (value === '') {
      if (!options.required) return null;
      this.fail(row, key, `${this.label(key)}不能为空`);
      return undefined;
    }
    if (value.length > options.max) {
      this.fail(row, key, `${this.label(key)}过长：最多 ${options.max} 个字符，本格 ${value.length} 个`);
      return undefined;
    }
    return value;
  }
  url(row: SheetRow): string | null | undefined {
    const value = this.textField(row, 'url', { required: false, max: 2000 });
    if (value && !/^https?:\/\/\S+$/i.test(value)) {
      this.fail(row, 'url', '链接应以 http:// 或 https:// 开头，且不含空格');
      return undefined;
    }
    return value;
  }
}

export interface DepartmentIndex {
  /**
   * The code of a department given by code or by name, or undefined: none has that code or name,
   * or several departments share the name (see sharing).
   */
  resolve(text: string): string | undefined;
  /** The codes of the departments named `text`, when more than one is (else none). */
  sharing(text: string): string[];
  name(code: string): string;
}

/** A department name as imports compare it: NFKC, without whitespace. */
const nameKey = (name: string) => name.normalize('NFKC').replace(/\s+/g, '');

export async function departmentIndex(ctx: AppContext): Promise<DepartmentIndex> {
  const rows = await ctx.db.orm.select({ code: departments.code, name: departments.name }).from(departments);
  const byCode = new Map(rows.map((r) => [r.code, r.name]));
  const byName = new Map<string, string[]>();
  for (const r of rows) {
    const codes = byName.get(nameKey(r.name));
    if (codes) codes.push(r.code);
    else byName.set(nameKey(r.name), [r.code]);
  }
  const byFoldedCode = new Map(rows.map((r) => [r.code.toLowerCase(), r.code]));
  const seen = new Map<string, string | undefined>();
  return {
    resolve(text) {
      if (byCode.has(text)) return text;
      if (!seen.has(text)) {
        const named = byName.get(nameKey(text));
        seen.set(text, named?.length === 1 ? named[0] : (byFoldedCode.get(text.toLowerCase()) ?? undefined));
      }
      return seen.get(text);
    },
    sharing(text) {
      const named = byName.get(nameKey(text)) ?? [];
      return named.length > 1 ? named : [];
    },
    name: (code) => byCode.get(code) ?? code,
  };
}

/**
 * Why a department cell resolves to no department: a name several departments share (which one
 * is meant is not guessed), or, with `unknown`, one nobody has.
 */
export function unresolvedDepartment(index: DepartmentIndex, text: string, unknown: string): string {
  const shared = index.sharing(text);
  if (shared.length === 0) return unknown;
  return `部门名称「${text}」有 ${shared.length} 个部门同名（${shared.map((c) => departmentLabel(index, c)).join('、')}）：请改填部门代码`;
}

/** 「市发展改革委（fgw）」 */
export const departmentLabel = (index: DepartmentIndex, code: string) => `${index.name(code)}（${code}）`;

/** Whether the actor may import for this department, else the message saying why not. */
export function scopeProblem(actor: Actor, index: DepartmentIndex, code: string): string | null {
  if (actor.role !== 'drafter' || actor.departments.includes(code)) return null;
  const own = actor.departments.map((c) => departmentLabel(index, c)).join('、') || '无';
  return `部门 ${departmentLabel(index, code)} 不在您负责的部门（${own}）之内，不能导入该部门的数据`;
}

// Many rows go to SQLite as ONE bound parameter, a JSON array that json_each() expands: one
// statement per chunk whatever the number of rows, far under D1's 100 bound parameters per
// statement; a chunk's text stays under MAX_JSON_CHARS (D1 allows 2 MB a value).
const MAX_JSON_CHARS = 500_000;

/** `rows` as JSON arrays of at most MAX_JSON_CHARS characters each. */
export function jsonChunks(rows: readonly unknown[]): { json: string; count: number }[] {
  return jsonTextChunks(rows.map((row) => JSON.stringify(row)));
}

/** Rows already written as JSON, joined into arrays of at most MAX_JSON_CHARS characters each. */
export function jsonTextChunks(texts: readonly string[]): { json: string; count: number }[] {
  const out: { json: string; count: number }[] = [];
  let part: string[] = [];
  let size = 2;
  for (const text of texts) {
    if (part.length > 0 && size + text.length + 1 > MAX_JSON_CHARS) {
      out.push({ json: `[${part.join(',')}]`, count: part.length });
      part = [];
      size = 2;
    }
    part.push(text);
    size += text.length + 1;
  }
  if (part.length > 0) out.push({ json: `[${part.join(',')}]`, count: part.length });
  return out;
}

/**
 * The select list of an INSERT … SELECT into `table`: drizzle names every column of the table,
 * in schema order, so each gets its expression from `values`, else its default, else NULL (a
 * column added later does not shift the others).
 */
export function columnsOf<T extends SQLiteTable>(table: T, values: Partial<Record<keyof T['_']['columns'], SQL | number | string>>): SQL {
  const given = values as Record<string, SQL | number | string | undefined>;
  return sql.join(
    Object.entries(getTableColumns(table)).map(([key, column]) => {
      const value = given[key];
      if (value !== undefined) return typeof value === 'object' ? value : sql`${value}`;
      // SQLite has no booleans: a boolean default is stored as 0 or 1.
      if (typeof column.default === 'boolean') return sql`${column.default ? 1 : 0}`;
      return column.default !== undefined ? sql`${column.default}` : sql`NULL`;
    }),
    sql`, `,
  );
}

/** json_extract of element `i` of json_each's current value. */
export const at = (i: number) => sql.raw(`json_extract(j.value, '$[${i}]')`);

/** Lets other work (a progress request) run between chunks. */
export const breathe = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
