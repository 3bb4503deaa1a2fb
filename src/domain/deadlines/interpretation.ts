import type { WorkingDayCalendar } from '../calendar/calendar.js';
import { shanghaiDate } from '../time.js';

export const DEFAULT_INTERPRETATION_WORKING_DAYS = 3;

export type InterpretationStatus = 'exempt' | 'on_time' | 'late' | 'overdue' | 'pending';
export const INTERPRETATION_STATUSES: readonly InterpretationStatus[] = [
  'pending', 'overdue', 'on_time', 'late', 'exempt',
];

export interface InterpretationDeadline {
  dueDate: string;
  provisional: boolean;
}

/** interpretationDueDate = the N-th working day after the Shanghai date of publication. */
export function interpretationDeadline(
  calendar: WorkingDayCalendar,
  publishedAt: number,
  workingDays: number,
): InterpretationDeadline {
  const { result, provisional } = calendar.addWorkingDays(shanghaiDate(publishedAt), workingDays);
  return { dueDate: result, provisional };
}

export interface StatusInput {
  requiresInterpretation: boolean;
  dueDate: string;
  /** publishedAt (epoch ms) of every linked interpretation. */
  interpretationTimes: readonly number[];
}

export interface StatusResult {
  status: InterpretationStatus;
  /** Only for `pending`: working days after asOf's date up to and including the due date (0 = due today). */
  workingDaysLeft: number | null;
}

/**
 * SPEC §3: the status as of `asOf`. Only interpretations published at or before `asOf` count; the
 * earliest of them decides on time or late, comparing Shanghai dates with the due date.
 */
export function interpretationStatus(
  calendar: WorkingDayCalendar,
  doc: StatusInput,
  asOf: number,
): StatusResult {
  if (!doc.requiresInterpretation) return { status: 'exempt', workingDaysLeft: null };
  let earliest: number | null = null;
  for (const t of doc.interpretationTimes) {
    if (t <= asOf && (earliest === null || t < earliest)) earliest = t;
  }
  if (earliest !== null) {
    return { status: shanghaiDate(earliest) <= doc.dueDate ? 'on_time' : 'late', workingDaysLeft: null };
  }
  const today = shanghaiDate(asOf);
  if (today > doc.dueDate) return { status: 'overdue', workingDaysLeft: null };
  return { status: 'pending', workingDaysLeft: calendar.workingDaysBetween(today, doc.dueDate) };
}
