import ExcelJS from 'exceljs';
import { PassThrough, Readable } from 'node:stream';
import type { Cell, ExportTable, XlsxEncoder } from '../../app/exports/table.js';

// Excel refuses a file whose cell holds more than 32,767 characters, and XML cannot carry most
// control characters at all: both are mended here rather than producing a file Excel calls corrupt.
const MAX_CELL = 32_767;
const XML_INVALID = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/g;
// A sheet holds at most 1,048,576 rows; past that the rows go on in another sheet.
const MAX_ROWS = 1_048_576;
// XML handed to the zip and not yet compressed, above which the next rows wait.
const MAX_BACKLOG = 1024 * 1024;

function xlsxCell(value: Cell): string | number | null {
  if (typeof value !== 'string') return value;
  const text = value.replace(XML_INVALID, '');
  return text.length > MAX_CELL ? `${text.slice(0, MAX_CELL - 8)}…（内容过长已截断）` : text;
}

/**
 * Bytes of a sheet's XML the zip has been handed but not compressed yet. exceljs passes the XML on
 * without waiting (its StreamBuf ignores backpressure), so rows written faster than zlib deflates
 * them would pile up in memory; the backlog is read from the streams the sheet writes to.
 */
function backlog(sheet: ExcelJS.Worksheet): number {
  const pipes = (sheet as unknown as { stream?: { pipes?: { _writableState?: { length?: number } }[] } }).stream?.pipes ?? [];
  return pipes.reduce((n, p) => n + (p._writableState?.length ?? 0), 0);
}

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

/** Resolves once the stream wants more ('drain'), or is gone (the download was cancelled). */
function roomIn(stream: PassThrough): Promise<void> {
  if (!stream.writableNeedDrain || stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done).off('close', done);
      resolve();
    };
    stream.on('drain', done).on('close', done);
  });
}

/**
 * XLSX through exceljs's streaming WorkbookWriter: rows go into the zip as they are read, without
 * shared strings (which would keep every distinct text in memory). The next chunk is read from
 * the database only once the zip has compressed what it was given and the download has taken
 * the bytes so far, so memory stays flat and a slow client holds back the reads.
 */
export function exceljsXlsx(): XlsxEncoder {
  return {
    encode(table: ExportTable) {
      const out = new PassThrough({ highWaterMark: 256 * 1024 });
      const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
      let sheet!: ExcelJS.Worksheet;
      let rowsInSheet = 0;
      let sheets = 0;
      const newSheet = () => {
        sheets++;
        const name = sheets === 1 ? table.sheetName.slice(0, 31) : `${table.sheetName.slice(0, 25)}（${sheets}）`;
        sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
        sheet.columns = table.columns.map((c) => ({ width: c.width ?? 14 }));
        const header = sheet.addRow(table.columns.map((c) => c.header));
        header.font = { bold: true };
        header.commit();
        rowsInSheet = 1;
      };
      newSheet();
      void (async () => {
        const chunks = table.chunks();
        try {
          for await (const rows of chunks) {
            for (const row of rows) {
              if (rowsInSheet === MAX_ROWS) {
                sheet.commit();
                newSheet();
              }
              sheet.addRow(row.map(xlsxCell)).commit();
              rowsInSheet++;
            }
            while (backlog(sheet) > MAX_BACKLOG && !out.destroyed) await tick();
            await roomIn(out);
            if (out.destroyed) return;
          }
          sheet.commit();
          await workbook.commit();
        } catch (err) {
          out.destroy(err as Error);
        } finally {
          await chunks.return(undefined);
        }
      })();
      return Readable.toWeb(out) as unknown as ReadableStream<Uint8Array>;
    },
  };
}
