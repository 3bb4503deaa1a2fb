import { MAX_YEAR as CALENDAR_MAX_YEAR, MIN_YEAR as CALENDAR_MIN_YEAR } from '../calendar/calendar.js';
import { parseInstant, SHANGHAI_OFFSET_MS } from '../time.js';

// Reading the cells of an uploaded spreadsheet (SPEC §11). A cell is what the file gives: text
// from a CSV; text, a number, a boolean or a date from an XLSX. Spreadsheets carry no time zone,
// so every time written without an offset is Beijing time — never the machine's.

/**
 * One cell. An XLSX date cell arrives as a Date whose UTC fields are the wall-clock time typed in
 * the sheet (Excel stores local serial days), which this module reads as Beijing time.
 */
export type Cell = string | number | boolean | Date | null;

/**
 * A cell as text, trimmed ('' for an empty cell). The apostrophe our CSV exports put before a
 * cell starting with = + - @ (so that a spreadsheet shows it as text, not a formula) is taken off
 * again: an exported file imports as it was.
 */
export function cellText(cell: Cell): string {
  if (cell === null) return '';
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? '' : cell.toISOString().slice(0, 19).replace('T', ' ');
  const text = String(cell).trim();
  return text.charCodeAt(0) === APOSTROPHE && FORMULA_SIGNS.has(text.charCodeAt(1)) ? text.slice(1).trim() : text;
}

/**
 * The characters a spreadsheet takes for the start of a formula, by code: = + - @ tab CR. The CSV
 * export writes an apostrophe before a cell that starts with one (app/exports/csv.ts).
 */
export const FORMULA_SIGNS: ReadonlySet<number> = new Set([...'=+-@\t\r'].map((c) => c.charCodeAt(0)));
const APOSTROPHE = 0x27;

const WALL_CLOCK = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:(?:\s+|T)(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?)?$/;

/** Excel's day 0 of the 1900 date system (1899-12-30) as a Unix day number. */
const EXCEL_EPOCH_DAYS = 25_569;

export const TIME_HELP = '可写作 2026-09-30、2026/9/30、2026年9月30日、2026-09-30 10:00 或带时区的 ISO 8601 时间，不带时区的按北京时间';

const MIN_YEAR = CALENDAR_MIN_YEAR;
const MAX_YEAR = CALENDAR_MAX_YEAR;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The instant of a wall-clock time in Beijing, or null when it is no real time in the supported years. */
function beijingWallClock(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number | null {
  if (y < MIN_YEAR || y > MAX_YEAR || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return null;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (d > (mo === 2 && leap ? 29 : DAYS_IN_MONTH[mo - 1]!)) return null;
  return Date.UTC(y, mo - 1, d, h, mi, s) - SHANGHAI_OFFSET_MS;
}

/**
 * A publication time from a cell: the API's forms (ISO 8601 with an offset, `YYYY-MM-DD`), what
 * Excel writes (`2026/9/30`, `2026-09-30 10:00`, `2026年9月30日`), an XLSX date cell, or an XLSX
 * serial day number. Returns epoch ms, or null when it cannot be read.
 */
export function parseSheetTime(cell: Cell): number | null {
  if (cell === null || typeof cell === 'boolean') return null;
  if (cell instanceof Date) {
    const wall = cell.getTime();
    if (Number.isNaN(wall)) return null;
    // Rounded to the second: Excel's fractional days come back a millisecond off.
    return inRange(Math.round(wall / 1000) * 1000 - SHANGHAI_OFFSET_MS);
  }
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell) || cell < 1) return null;
    const wall = Math.round(((cell - EXCEL_EPOCH_DAYS) * 86_400_000) / 1000) * 1000;
    return inRange(wall - SHANGHAI_OFFSET_MS);
  }
  let text = cell.trim();
  if (text === '') return null;
  // Spreadsheets mostly hold plain dates and times: those first, the API's forms after.
  let m = WALL_CLOCK.exec(text);
  if (!m) {
    text = text.normalize('NFKC');
    const instant = parseInstant(text);
    if (instant !== null) return inRange(instant);
    m = WALL_CLOCK.exec(text);
  }
  if (!m) return null;
  const n = (i: number) => (m[i] === undefined ? 0 : Number(m[i]));
  return beijingWallClock(n(1), n(2), n(3), n(4), n(5), n(6));
}

const FIRST_INSTANT = Date.UTC(MIN_YEAR, 0, 1) - SHANGHAI_OFFSET_MS;
const END_INSTANT = Date.UTC(MAX_YEAR + 1, 0, 1) - SHANGHAI_OFFSET_MS;

/** The instant if its Beijing date lies in the supported years, else null. */
function inRange(ms: number): number | null {
  return ms >= FIRST_INSTANT && ms < END_INSTANT ? ms : null;
}

const YES = new Set(['是', '需要', 'y', 'yes', 'true', '1', '√']);
const NO = new Set(['否', '不需要', 'n', 'no', 'false', '0', '×']);

/** 是/否 (and yes/no, true/false, 1/0): true, false, or null when it is neither. */
export function parseYesNo(cell: Cell): boolean | null {
  if (typeof cell === 'boolean') return cell;
  const text = cellText(cell).normalize('NFKC').toLowerCase();
  if (YES.has(text)) return true;
  if (NO.has(text)) return false;
  return null;
}

/**
 * The 文号 of an interpretation row's 对应文号 cell, split at 、 , ， ; ； and line breaks; blanks
 * dropped, repeats kept once, in order.
 */
export function splitDocNumbers(cell: Cell): string[] {
  return [...new Set(cellText(cell).split(/[、,，;；\r\n]+/).map((s) => s.trim()).filter((s) => s !== ''))];
}
