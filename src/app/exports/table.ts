import { AppError } from '../errors.js';
import type { AppContext } from '../context.js';
import { csvStream } from './csv.js';

/** What one spreadsheet cell holds: text, a number, or nothing. */
export type Cell = string | number | null;

export interface ExportColumn {
  /** The heading people read (in Chinese). */
  header: string;
  /** Width in characters, for XLSX. */
  width?: number;
  /**
   * Text the service writes itself (dates, times, 是/否, status names): never a comma, quote, line
   * break or formula sign, so CSV writes it without looking. Anything a person typed is not.
   */
  ours?: true;
}

/**
 * A table to export: its columns, and its rows in chunks read from the database only as the
 * download asks for them (keyset paging), so memory stays flat however many rows there are.
 */
export interface ExportTable {
  /** The downloaded file's name, without extension (may be Chinese). */
  fileName: string;
  /**
   * The same name in ASCII, for clients that read only the plain `filename` (curl -OJ, old
   * browsers): distinct per table and date, so that two downloads do not collide.
   */
  asciiName: string;
  /** The XLSX sheet's name (at most 31 characters). */
  sheetName: string;
  columns: ExportColumn[];
  chunks: () => AsyncGenerator<Cell[][], void, undefined>;
}

/**
 * Writes XLSX as a stream. The runtime provides it (exceljs on Node); where none is provided
 * (Workers), XLSX is refused with a 422 and CSV still works.
 */
export interface XlsxEncoder {
  encode(table: ExportTable): ReadableStream<Uint8Array>;
}

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** The file's bytes as a stream, or a 422 when this runtime cannot write the format. */
export function exportStream(ctx: AppContext, format: ExportFormat, table: ExportTable): ReadableStream<Uint8Array> {
  if (format === 'csv') return csvStream(table);
  if (!ctx.xlsx) {
    throw new AppError(422, 'xlsx_unavailable', 'format: 当前运行环境（Cloudflare Workers）暂不支持导出 Excel（XLSX），请选择 CSV 格式（Excel 可直接打开）');
  }
  return ctx.xlsx.encode(table);
}

/** Keyset pages of at most `size` rows, by a numeric key, until a page comes back short. */
export async function* keysetPages<T>(size: number, page: (after: number | null) => Promise<T[]>, keyOf: (row: T) => number): AsyncGenerator<T[], void, undefined> {
  let after: number | null = null;
  for (;;) {
    const rows = await page(after);
    if (rows.length > 0) yield rows;
    if (rows.length < size) return;
    after = keyOf(rows[rows.length - 1]!);
  }
}
