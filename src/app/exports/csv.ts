import { FORMULA_SIGNS } from '../../domain/imports/cells.js';
import { nextTurn } from '../turns.js';
import type { Cell, ExportTable } from './table.js';

// Excel on Chinese Windows reads a CSV without a BOM in the ANSI code page (GBK): the BOM tells it UTF-8.
const BOM = '\uFEFF';
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One CSV cell (RFC 4180). Text that starts like a formula gets a leading `'`, so that a title
 * such as `=SUM(1)` or `@cmd` opens as text, never as a formula (OWASP "CSV injection"). Numbers
 * are ours, never user input, and are written as they are.
 */
export function csvCell(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_SIGNS.has(value.charCodeAt(0)) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV record; `ours[i]` marks cells of the service's own text, written without checks. */
export function csvLine(cells: readonly Cell[], ours?: readonly boolean[]): string {
  const parts = new Array<string | number>(cells.length);
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i]!;
    parts[i] = ours?.[i] && cell !== null ? cell : csvCell(cell);
  }
  return `${parts.join(',')}\r\n`;
}

/**
 * The table as CSV bytes: UTF-8 with a BOM, the Chinese headings, then the rows. Each chunk is
 * read from the database only when the reader wants more (pull), so a slow download holds
 * back the queries instead of piling rows up in memory.
 */
export function csvStream(table: ExportTable): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let chunks: AsyncGenerator<Cell[][], void, undefined> | undefined;
  const ours = table.columns.map((c) => c.ours === true);
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(BOM + csvLine(table.columns.map((c) => c.header))));
    },
    async pull(controller) {
      // With a synchronous driver (better-sqlite3) every query resolves at once: without this
      // turn of the event loop, a million-row export would hold up every other request.
      await nextTurn();
      chunks ??= table.chunks();
      const next = await chunks.next();
      if (next.done) {
        controller.close();
        return;
      }
      const lines = new Array<string>(next.value.length);
      for (let i = 0; i < lines.length; i++) lines[i] = csvLine(next.value[i]!, ours);
      controller.enqueue(encoder.encode(lines.join('')));
    },
    async cancel() {
      await chunks?.return(undefined);
    },
  });
}
