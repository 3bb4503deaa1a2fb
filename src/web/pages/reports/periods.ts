import { isSupportedDate } from '../../../domain/calendar/calendar.js';
import type { FieldErrors } from '../../forms.js';

// The report page's periods, by the Beijing date of today: this month, quarter, year, the ones
// before (what is usually reported upward), or any from/to.

export const PERIODS = {
  month: '本月',
  quarter: '本季度',
  year: '本年',
  'last-month': '上月',
  'last-quarter': '上季度',
  'last-year': '上年',
} as const;
export type PeriodKind = keyof typeof PERIODS;

export interface Period {
  /** A named period, or null for dates chosen by hand. */
  kind: PeriodKind | null;
  from: string;
  to: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
/** Months [m, m + span) of year y, the month numbers 1-based and allowed to run past the year's ends. */
function months(y: number, m: number, span: number): { from: string; to: string } {
  const start = new Date(Date.UTC(y, m - 1, 1));
  const end = new Date(Date.UTC(y, m - 1 + span, 1));
  const [ey, em] = [end.getUTCFullYear(), end.getUTCMonth()]; // the month after the last, 0-based = the last, 1-based
  const [ly, lm] = em === 0 ? [ey - 1, 12] : [ey, em];
  return { from: `${start.getUTCFullYear()}-${pad(start.getUTCMonth() + 1)}-01`, to: `${ly}-${pad(lm)}-${pad(lastDay(ly, lm))}` };
}

export function namedPeriod(kind: PeriodKind, today: string): Period {
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  const q = Math.floor((m - 1) / 3) * 3 + 1;
  const span = {
    month: months(y, m, 1),
    quarter: months(y, q, 3),
    year: months(y, 1, 12),
    'last-month': months(y, m - 1, 1),
    'last-quarter': months(y, q - 3, 3),
    'last-year': months(y - 1, 1, 12),
  }[kind];
  return { kind, ...span };
}

export const isPeriodKind = (s: string | undefined): s is PeriodKind => s !== undefined && Object.hasOwn(PERIODS, s);

/** The period a page address asks for: from/to if given (checked), else a named one (default 本年). */
export function periodOf(query: { period?: string; from?: string; to?: string }, today: string): { period: Period; errors: FieldErrors } {
  const from = (query.from ?? '').trim();
  const to = (query.to ?? '').trim();
  if (from === '' && to === '') return { period: namedPeriod(isPeriodKind(query.period) ? query.period : 'year', today), errors: {} };
  const errors: FieldErrors = {};
  if (!isSupportedDate(from)) errors.from = from === '' ? '请填写起始日期' : '起始日期无效，请按 年-月-日 填写';
  if (!isSupportedDate(to)) errors.to = to === '' ? '请填写截止日期' : '截止日期无效，请按 年-月-日 填写';
  if (!errors.from && !errors.to && to < from) errors.to = '截止日期不能早于起始日期';
  return { period: { kind: null, from, to }, errors };
}
