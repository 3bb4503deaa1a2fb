import { asc, sql } from 'drizzle-orm';
import { CalendarRangeError, type WorkingDayCalendar } from '../../domain/calendar/calendar.js';
import { disclosureClock, storedDueDate, type ClockEvent, type ClockState } from '../../domain/disclosure/clock.js';
import type { DisclosureEventType } from '../../domain/disclosure/vocabulary.js';
import { toIsoUtc } from '../../domain/time.js';
import { disclosureEvents, disclosureRequests } from '../../db/schema.js';
import type { AppContext } from '../context.js';
import { AppError, invalidField } from '../errors.js';

// Rows of requests and events as the clock and the views read them; shared by the use cases.

export type RequestRow = typeof disclosureRequests.$inferSelect;
export type EventRow = typeof disclosureEvents.$inferSelect;

/** The type's own fields, stored as JSON in `details`. */
export interface EventDetails {
  party?: ClockEvent['party'];
  days?: number;
  approvedBy?: string;
  amount?: number;
  outcome?: ClockEvent['outcome'];
  reason?: string;
  kind?: ClockEvent['kind'];
  result?: ClockEvent['result'];
}

export function clockEventOf(row: EventRow): ClockEvent {
  const details = JSON.parse(row.details) as EventDetails;
  return { id: row.id, type: row.type as DisclosureEventType, date: row.date, at: row.occurredAt, ...details };
}

/** The events of the given requests, in recorded order (date, then id), by request id. */
export async function eventsOf(ctx: AppContext, requestIds: readonly number[]): Promise<Map<number, EventRow[]>> {
  const byRequest = new Map<number, EventRow[]>(requestIds.map((id) => [id, []]));
  if (requestIds.length === 0) return byRequest;
  // One JSON parameter instead of one per id: D1 binds at most 100.
  const rows = await ctx.db.orm
    .select()
    .from(disclosureEvents)
    .where(sql`${disclosureEvents.requestId} IN (SELECT value FROM json_each(${JSON.stringify(requestIds)}))`)
    .orderBy(asc(disclosureEvents.requestId), asc(disclosureEvents.date), asc(disclosureEvents.id));
  for (const row of rows) byRequest.get(row.requestId)?.push(row);
  return byRequest;
}

/**
 * The clock of a request. When its dates run past the calendar's range: a 400 naming `field` (the
 * input that caused it), else a 422.
 */
export function clockOf(calendar: WorkingDayCalendar, receivedDate: string, events: readonly ClockEvent[], asOf: number, field?: string): ClockState {
  try {
    return disclosureClock(calendar, { receivedDate, events }, asOf);
  } catch (err) {
    if (err instanceof CalendarRangeError) {
      const message = `答复期限超出日历支持范围（${err.message}）`;
      throw field ? invalidField(field, message) : new AppError(422, 'out_of_range', message);
    }
    throw err;
  }
}

/** What the request row stores of its clock: the due date with every event counted, and how it ended. */
export function storedClock(state: ClockState, events: readonly ClockEvent[]) {
  const closing = events.find((e) => e.type === 'answered' || e.type === 'withdrawn' || e.type === 'abandoned');
  const { dueDate, provisional } = storedDueDate(state);
  return {
    dueDate,
    dueProvisional: provisional,
    closedAt: closing?.at ?? null,
    closedBy: (closing?.type as RequestRow['closedBy']) ?? null,
  };
}

export interface DisclosureEventView {
  id: number;
  type: DisclosureEventType;
  date: string;
  at: string;
  party?: string;
  days?: number;
  approvedBy?: string;
  amount?: number;
  outcome?: string;
  reason?: string;
  kind?: string;
  result?: string;
  note: string | null;
  recordedBy: string;
  recordedAt: string;
}

export function eventView(row: EventRow): DisclosureEventView {
  const details = JSON.parse(row.details) as EventDetails;
  return {
    id: row.id,
    type: row.type as DisclosureEventType,
    date: row.date,
    at: toIsoUtc(row.occurredAt),
    ...Object.fromEntries(Object.entries(details).filter(([, v]) => v !== undefined && v !== null)),
    note: row.note,
    recordedBy: row.recordedBy,
    recordedAt: toIsoUtc(row.recordedAt),
  };
}

export interface DisclosureRequestView extends ClockState {
  id: number;
  number: string;
  year: number;
  /** The date of receipt (条例 art. 31), YYYY-MM-DD. */
  receivedAt: string;
  channel: RequestRow['channel'];
  applicantType: RequestRow['applicantType'];
  applicantName: string;
  contact: string | null;
  description: string;
  departmentCode: string;
  /** Only on a single request: its events in recorded order. */
  events?: DisclosureEventView[];
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export function requestView(row: RequestRow, state: ClockState, events?: EventRow[]): DisclosureRequestView {
  return {
    id: row.id,
    number: row.number,
    year: row.year,
    receivedAt: row.receivedDate,
    channel: row.channel,
    applicantType: row.applicantType,
    applicantName: row.applicantName,
    contact: row.contact,
    description: row.description,
    departmentCode: row.departmentCode,
    ...state,
    ...(events ? { events: events.map(eventView) } : {}),
    createdBy: row.createdBy,
    createdAt: toIsoUtc(row.createdAt),
    updatedAt: toIsoUtc(row.updatedAt),
  };
}
