import type { WorkingDayCalendar } from '../../domain/calendar/calendar.js';
import type { InterpretationStatus, StatusResult } from '../../domain/deadlines/interpretation.js';
import type { BeijingText } from './beijing-text.js';

/**
 * `interpretationStatus` (SPEC §3) for a document read as a row, which carries only the time of
 * its first interpretation (`first_interpretation_at`, the earliest of all its links): if that
 * was published by asOf it is the earliest that counts, else none counts yet. The same rule,
 * specialised so that exports and the report can apply it to a million rows without building
 * arrays and dates per row; a test checks it against `interpretationStatus` row by row.
 */
export function rowStatus(
  calendar: WorkingDayCalendar,
  text: BeijingText,
  asOf: { at: number; date: string },
  row: { requires: boolean; dueDate: string; first: number | null },
): StatusResult {
  if (!row.requires) return EXEMPT;
  if (row.first !== null && row.first <= asOf.at) return text.date(row.first) <= row.dueDate ? ON_TIME : LATE;
  if (asOf.date > row.dueDate) return OVERDUE;
  return { status: 'pending', workingDaysLeft: calendar.workingDaysBetween(asOf.date, row.dueDate) };
}

const settled = (status: InterpretationStatus): StatusResult => Object.freeze({ status, workingDaysLeft: null });
const EXEMPT = settled('exempt');
const ON_TIME = settled('on_time');
const LATE = settled('late');
const OVERDUE = settled('overdue');
