// The statutory clock of a request for disclosure (条例 arts. 30–34, SPEC §13), on the
// working-day calendar. Pure: the calendar, the request's events and the moment are passed in.
//
//  - 20 working days after receipt (art. 33), counted as addWorkingDays (the day of receipt is not counted);
//  - a request to correct (补正) is due within 7 working days of receipt (art. 30); once the corrected
//    request arrives, the full 20 days run again from that day (a restart, not a pause);
//  - consulting a third party or another agency (arts. 32, 34) does not count (art. 33): the working
//    days strictly after consultation_started up to and including consultation_ended are added;
//  - one extension of at most 20 working days (art. 33);
//  - withdrawn and abandoned close the request; answered ends it.

import type { WorkingDayCalendar } from '../calendar/calendar.js';
import { shanghaiDate } from '../time.js';
import {
  EVENT_LABELS,
  EVENT_TYPES,
  type AbandonReason,
  type ConsultationParty,
  type DisclosureEventType,
  type DisclosureStatus,
  type Outcome,
  type ReviewKind,
  type ReviewResult,
} from './vocabulary.js';

export const ANSWER_WORKING_DAYS = 20;
export const CORRECTION_NOTICE_WORKING_DAYS = 7;
export const MAX_EXTENSION_WORKING_DAYS = 20;
/** disclosure_due_soon fires when this many working days or fewer are left. */
export const DUE_SOON_WORKING_DAYS = 3;

/** One recorded event, as the clock reads it. */
export interface ClockEvent {
  id: number;
  type: DisclosureEventType;
  /** The Shanghai date it happened. */
  date: string;
  /** The instant it happened (00:00 Shanghai for an event given as a bare date). */
  at: number;
  party?: ConsultationParty | null;
  days?: number | null;
  approvedBy?: string | null;
  amount?: number | null;
  outcome?: Outcome | null;
  /** The outcome's reason (answered) or why the request was abandoned. */
  reason?: string | null;
  kind?: ReviewKind | null;
  result?: ReviewResult | null;
}

export interface ClockInput {
  receivedDate: string;
  /** In the order they were recorded: by date, then id. */
  events: readonly ClockEvent[];
}

type Phase = 'open' | 'awaiting_correction' | 'in_consultation' | 'answered' | 'closed';

/** What the events say, replayed in order, before the moment is looked at. */
interface Replay {
  phase: Phase;
  /** Receipt, or the day the corrected request arrived. */
  clockStart: string;
  /** Working days of finished consultations since clockStart. */
  pausedDays: number;
  consultation: { started: string; party: ConsultationParty | null } | null;
  extension: { date: string; days: number; approvedBy: string } | null;
  correction: { requested: string; dueBy: string; late: boolean; corrected: string | null } | null;
  /** A fee notice not yet paid. */
  feeNotice: ClockEvent | null;
  closing: ClockEvent | null;
  /** The due date in force when the request was answered or closed (none while the clock stood still). */
  dueAtClosing: { dueDate: string; provisional: boolean } | null;
}

function replay(calendar: WorkingDayCalendar, input: ClockInput, events: readonly ClockEvent[]): Replay {
  const r: Replay = {
    phase: 'open',
    clockStart: input.receivedDate,
    pausedDays: 0,
    consultation: null,
    extension: null,
    correction: null,
    feeNotice: null,
    closing: null,
    dueAtClosing: null,
  };
  for (const e of events) {
    if (r.phase === 'answered' || r.phase === 'closed') continue; // only reviews follow, and they do not move the clock
    switch (e.type) {
      case 'correction_requested': {
        const dueBy = calendar.addWorkingDays(input.receivedDate, CORRECTION_NOTICE_WORKING_DAYS).result;
        r.correction = { requested: e.date, dueBy, late: e.date > dueBy, corrected: null };
        r.phase = 'awaiting_correction';
        break;
      }
      case 'corrected':
        if (r.correction) r.correction.corrected = e.date;
        // Art. 30: the limit runs again, in full, from the day the corrected request arrives.
        r.clockStart = e.date;
        r.pausedDays = 0;
        r.phase = 'open';
        break;
      case 'consultation_started':
        r.consultation = { started: e.date, party: e.party ?? null };
        r.phase = 'in_consultation';
        break;
      case 'consultation_ended':
        if (r.consultation) r.pausedDays += pauseBetween(calendar, r.consultation.started, e.date);
        r.consultation = null;
        r.phase = 'open';
        break;
      case 'extended':
        r.extension = { date: e.date, days: e.days ?? 0, approvedBy: e.approvedBy ?? '' };
        break;
      case 'fee_notice':
        r.feeNotice = e;
        break;
      case 'fee_paid':
        r.feeNotice = null;
        break;
      case 'answered':
      case 'withdrawn':
      case 'abandoned': {
        if (r.phase === 'open') r.dueAtClosing = dueOf(calendar, r, 0);
        else if (r.phase === 'in_consultation' && r.consultation) {
          r.dueAtClosing = dueOf(calendar, r, pauseBetween(calendar, r.consultation.started, e.date));
        }
        r.closing = e;
        r.phase = e.type === 'answered' ? 'answered' : 'closed';
        break;
      }
      case 'review':
        break;
    }
  }
  return r;
}

/** Working days strictly after `from` up to and including `to` (none when `to` is not later). */
function pauseBetween(calendar: WorkingDayCalendar, from: string, to: string): number {
  return to > from ? calendar.workingDaysBetween(from, to) : 0;
}

function dueOf(calendar: WorkingDayCalendar, r: Replay, runningPause: number) {
  const days = ANSWER_WORKING_DAYS + r.pausedDays + runningPause + (r.extension?.days ?? 0);
  const { result, provisional } = calendar.addWorkingDays(r.clockStart, days);
  return { dueDate: result, provisional };
}

export interface ClockState {
  status: DisclosureStatus;
  /**
   * The last day to answer. While a consultation runs: the date as if it ended today. Null while
   * awaiting the corrected request (the 20 days have not started again), and when a request closed
   * while the clock stood still.
   */
  dueDate: string | null;
  /** Working days after today up to and including dueDate (0 = due today); frozen during a consultation. */
  workingDaysLeft: number | null;
  /** For `overdue`: working days since the due date. */
  workingDaysOverdue: number | null;
  provisional: boolean;
  /** The day the 20 working days are counted from: receipt, or the corrected request. */
  clockStart: string;
  /** Working days of consultation added to the limit (a running consultation up to today). */
  pausedWorkingDays: number;
  /** The last day to ask for a correction (7 working days after receipt). */
  correctionDueBy: string;
  correctionRequestedOn: string | null;
  /** True when the correction was asked for later than 7 working days after receipt. */
  correctionLate: boolean;
  correctedOn: string | null;
  consultation: { startedOn: string; party: ConsultationParty | null } | null;
  extension: { date: string; days: number; approvedBy: string } | null;
  feeOutstanding: boolean;
  /** How the request ended: the answer, a withdrawal or abandonment. */
  closedBy: 'answered' | 'withdrawn' | 'abandoned' | null;
  closedOn: string | null;
  outcome: Outcome | null;
  reason: string | null;
  /** For answered requests: answered after the due date. */
  answeredLate: boolean | null;
}

/**
 * The clock as of `asOf`: events after `asOf` are ignored. `open` turns `overdue` the day after the
 * due date; neither `awaiting_correction` nor `in_consultation` becomes overdue (the clock stands still).
 */
export function disclosureClock(calendar: WorkingDayCalendar, input: ClockInput, asOf: number): ClockState {
  const today = shanghaiDate(asOf);
  const r = replay(calendar, input, input.events.filter((e) => e.at <= asOf));
  const correctionDueBy = calendar.addWorkingDays(input.receivedDate, CORRECTION_NOTICE_WORKING_DAYS).result;
  const state: ClockState = {
    status: 'open',
    dueDate: null,
    workingDaysLeft: null,
    workingDaysOverdue: null,
    provisional: false,
    clockStart: r.clockStart,
    pausedWorkingDays: r.pausedDays,
    correctionDueBy,
    correctionRequestedOn: r.correction?.requested ?? null,
    correctionLate: r.correction?.late ?? false,
    correctedOn: r.correction?.corrected ?? null,
    consultation: r.consultation ? { startedOn: r.consultation.started, party: r.consultation.party } : null,
    extension: r.extension,
    feeOutstanding: r.feeNotice !== null,
    closedBy: (r.closing?.type as ClockState['closedBy']) ?? null,
    closedOn: r.closing?.date ?? null,
    outcome: r.closing?.outcome ?? null,
    reason: r.closing ? (r.closing.reason ?? null) : null,
    answeredLate: null,
  };
  switch (r.phase) {
    case 'answered':
    case 'closed': {
      state.status = r.phase;
      state.dueDate = r.dueAtClosing?.dueDate ?? null;
      state.provisional = r.dueAtClosing?.provisional ?? false;
      if (r.phase === 'answered' && state.dueDate) state.answeredLate = r.closing!.date > state.dueDate;
      return state;
    }
    case 'awaiting_correction':
      state.status = 'awaiting_correction';
      return state;
    case 'in_consultation': {
      const running = pauseBetween(calendar, r.consultation!.started, today);
      const due = dueOf(calendar, r, running);
      state.status = 'in_consultation';
      state.pausedWorkingDays = r.pausedDays + running;
      state.dueDate = due.dueDate;
      state.provisional = due.provisional;
      state.workingDaysLeft = today <= due.dueDate ? calendar.workingDaysBetween(today, due.dueDate) : null;
      return state;
    }
    case 'open': {
      const due = dueOf(calendar, r, 0);
      state.dueDate = due.dueDate;
      state.provisional = due.provisional;
      if (today > due.dueDate) {
        state.status = 'overdue';
        state.workingDaysOverdue = calendar.workingDaysBetween(due.dueDate, today);
      } else {
        state.workingDaysLeft = calendar.workingDaysBetween(today, due.dueDate);
      }
      return state;
    }
  }
}

/**
 * The due date to store for a request (as of `now`, every event counted): the running due date, the
 * one in force at closing, or null while the clock stands still. What the sweep and the list sort by.
 */
export function storedDueDate(state: ClockState): { dueDate: string | null; provisional: boolean } {
  if (state.status === 'awaiting_correction' || state.status === 'in_consultation') return { dueDate: null, provisional: false };
  return { dueDate: state.dueDate, provisional: state.provisional };
}

/** Why an event cannot be recorded: 409 for the request's state, 422 for an impossible date. */
export interface EventProblem {
  status: 409 | 422;
  field: string;
  message: string;
}

const problem = (status: 409 | 422, field: string, message: string): EventProblem => ({ status, field, message });

function phaseWords(r: Replay): string {
  switch (r.phase) {
    case 'answered':
      return `申请已于 ${r.closing!.date} 答复`;
    case 'closed':
      return `申请已于 ${r.closing!.date} ${r.closing!.type === 'withdrawn' ? '撤回' : '终止（视为放弃）'}`;
    case 'awaiting_correction':
      return `正在等待申请人补正（${r.correction!.requested} 告知补正）`;
    case 'in_consultation':
      return `征求意见尚未结束（${r.consultation!.started} 开始），请先登记“征求意见结束”`;
    case 'open':
      return '申请正在办理';
  }
}

/**
 * Checks a new event against the request's events so far (recorded in date order) and `now`:
 * null when it may be recorded, else what is wrong with it, in words for the person recording it.
 */
export function eventProblem(calendar: WorkingDayCalendar, input: ClockInput, event: ClockEvent, now: number): EventProblem | null {
  if (event.at > now) return problem(422, 'date', '事件日期不能晚于当前时间');
  if (event.date < input.receivedDate) return problem(422, 'date', `不能早于收到申请之日（${input.receivedDate}）`);
  const last = input.events.at(-1);
  if (last && event.date < last.date) {
    return problem(422, 'date', `不能早于上一事件“${EVENT_LABELS[last.type]}”的日期（${last.date}）：事件须按发生先后登记`);
  }
  const r = replay(calendar, input, input.events);
  if ((r.phase === 'answered' || r.phase === 'closed') && event.type !== 'review') {
    return problem(409, 'type', `${phaseWords(r)}，此后只能登记行政复议、行政诉讼`);
  }
  switch (event.type) {
    case 'correction_requested':
      if (r.correction) return problem(409, 'type', `补正应一次性告知（条例第三十条），本申请已于 ${r.correction.requested} 告知补正`);
      if (r.phase !== 'open') return problem(409, 'type', `${phaseWords(r)}，不能告知补正`);
      return null;
    case 'corrected':
      if (r.phase !== 'awaiting_correction') return problem(409, 'type', r.correction ? `已于 ${r.correction.corrected} 收到补正` : '尚未告知补正，不能登记收到补正');
      return null;
    case 'consultation_started':
      if (r.phase !== 'open') return problem(409, 'type', `${phaseWords(r)}，不能开始征求意见`);
      return null;
    case 'consultation_ended':
      if (r.phase !== 'in_consultation') return problem(409, 'type', '没有进行中的征求意见，不能登记征求意见结束');
      return null;
    case 'extended': {
      if (r.extension) {
        return problem(409, 'type', `答复期限只能延长一次（条例第三十三条），已于 ${r.extension.date} 延长 ${r.extension.days} 个工作日`);
      }
      if (r.phase === 'awaiting_correction') return problem(409, 'type', `${phaseWords(r)}，答复期限尚未重新起算，不能延长`);
      if (r.phase === 'open') {
        const due = dueOf(calendar, r, 0).dueDate;
        if (event.date > due) return problem(422, 'date', `答复期限已于 ${due} 届满，延长须在期限届满前决定`);
      }
      return null;
    }
    case 'fee_notice':
      if (r.feeNotice) return problem(409, 'type', `已于 ${r.feeNotice.date} 发出收费通知，尚未缴费`);
      if (r.phase !== 'open') return problem(409, 'type', `${phaseWords(r)}，不能发出收费通知`);
      return null;
    case 'fee_paid':
      if (!r.feeNotice) return problem(409, 'type', '没有待缴费的收费通知');
      return null;
    case 'answered':
      if (r.phase === 'awaiting_correction') {
        return problem(409, 'type', `${phaseWords(r)}：补正后再答复；申请人逾期不补正的，请登记“视为放弃申请”`);
      }
      if (r.phase !== 'open') return problem(409, 'type', `${phaseWords(r)}，不能作出答复`);
      return null;
    case 'withdrawn':
      return null;
    case 'abandoned': {
      const reason = event.reason as AbandonReason | null | undefined;
      if (reason === 'no_correction' && r.phase !== 'awaiting_correction') {
        return problem(409, 'reason', r.correction ? `申请人已于 ${r.correction.corrected} 补正` : '未告知补正，不能以“逾期不补正”终止');
      }
      if (reason === 'fee_unpaid' && !r.feeNotice) return problem(409, 'reason', '没有未缴费的收费通知，不能以“逾期未缴费”终止');
      return null;
    }
    case 'review':
      return null;
  }
}

/**
 * The kinds of event the request's state lets one record now (what a page offers a form for):
 * those `eventProblem` would not refuse as out of turn (409) for an event dated `now`.
 */
export function allowedEventTypes(calendar: WorkingDayCalendar, input: ClockInput, now: number): DisclosureEventType[] {
  const date = shanghaiDate(now);
  const probe = (type: DisclosureEventType, extra: Partial<ClockEvent> = {}) =>
    eventProblem(calendar, input, { id: Number.MAX_SAFE_INTEGER, type, date, at: now, ...extra }, now)?.status !== 409;
  return EVENT_TYPES.filter((type) =>
    type === 'abandoned' ? probe(type, { reason: 'no_correction' }) || probe(type, { reason: 'fee_unpaid' }) : probe(type),
  );
}
