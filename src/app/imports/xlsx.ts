import type { CellValue } from 'exceljs';
import type { Cell } from '../../domain/imports/cells.js';
import type { SheetRow } from './upload.js';

/**
 * The rows of an XLSX workbook's first worksheet, numbered as Excel numbers them, read with
 * exceljs (loaded on first use: most imports are CSV). Dates stay Dates (their UTC fields are the
 * wall-clock time of the sheet); formulas give their cached result; rich text and links their text.
 */
export async function readXlsx(bytes: Uint8Array): Promise<SheetRow[]> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  const sheet = workbook.worksheets.find((s) => s.state !== 'hidden' && s.actualRowCount > 0) ?? workbook.worksheets[0];
  const rows: SheetRow[] = [];
  sheet?.eachRow({ includeEmpty: false }, (row, number) => {
    const cells: Cell[] = [];
    // row.values is 1-based (index 0 unused) and sparse.
    const values = row.values as CellValue[];
    for (let i = 1; i < values.length; i++) cells.push(cellOf(values[i]));
    rows.push({ row: number, cells });
  });
  return rows;
}

function cellOf(value: CellValue): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return value;
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('hyperlink' in value) return typeof value.text === 'string' ? value.text : cellOf(value.text as CellValue);
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as { result?: CellValue }).result;
    return result === undefined ? null : cellOf(result);
  }
  if ('error' in value) return value.error;
  return null;
}
