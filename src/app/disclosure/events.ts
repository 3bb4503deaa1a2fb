import { eq } from 'drizzle-orm';
import { CalendarRangeError } from '../../domain/calendar/calendar.js';
import { allowedEventTypes, eventProblem, type ClockEvent } from '../../domain/disclosure/clock.js';
import type { DisclosureEventType } from '../../domain/disclosure/vocabulary.js';
import { shanghaiDate } from '../../domain/time.js';
import { disclosureEvents, disclosureRequests } from '../../db/schema.js';
import type { Actor } from '../accounts/actor.js';
import { assertDepartmentScope } from '../accounts/policy.js';
import { auditStatement } from '../audit.js';
import type { AppContext } from '../context.js';
import { AppError, changedMeanwhile, invalidField, retriedOnChange } from '../errors.js';
import { nextUpdatedAt, unchangedSince } from '../../db/guard.js';
import { clockEventOf, clockOf, eventsOf, storedClock, type EventDetails } from './records.js';
import { findRequestRow, getRequest } from './requests.js';
import type { DisclosureRequestView } from './records.js';

export interface DisclosureEventInput extends EventDetails {
  type: DisclosureEventType;
  /** When it happened (a bare date means 00:00 Shanghai). */
  at: number;
  note?: string | null;
}

/**
 * Records what happened to a request — validate → look up → check against its events so far →
 * persist with its new stored clock and the audit entry in one batch. The recording user is kept.
 */
export async function recordEvent(ctx: AppContext, actor: Actor, requestId: number, input: DisclosureEventInput): Promise<DisclosureRequestView> {
  // Checked against the events as read, so guarded and retried as updateDocument: two replies
  // recorded at once were both allowed, and the request closed twice.
  return retriedOnChange(() => recordEventOnce(ctx, actor, requestId, input), () => changedMeanwhile('依申请公开申请', requestId));
}

async function recordEventOnce(ctx: AppContext, actor: Actor, requestId: number, input: DisclosureEventInput): Promise<DisclosureRequestView> {
  const request = await findRequestRow(ctx, requestId);
  assertDepartmentScope(actor, request.departmentCode, `申请 ${request.number} `);
  const { type, at, note, ...rest } = input;
  const details: EventDetails = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined && v !== null));
  const date = shanghaiDate(at);
  const events = (await eventsOf(ctx, [requestId])).get(requestId)!.map(clockEventOf);
  // Recorded last, so it sorts after every event of its date.
  const candidate: ClockEvent = { id: Number.MAX_SAFE_INTEGER, type, date, at, ...details };
  const { calendar, version } = await ctx.calendars.read();
  const now = ctx.now();
  let refused;
  try {
    refused = eventProblem(calendar, { receivedDate: request.receivedDate, events }, candidate, now);
  } catch (err) {
    if (err instanceof CalendarRangeError) throw invalidField('date', `超出日历支持范围（${err.message}）`);
    throw err;
  }
  if (refused) throw new AppError(refused.status, refused.status === 409 ? 'event_not_allowed' : 'invalid_event_date', `${refused.field}: ${refused.message}`);
  const all = [...events, candidate];
  const stored = storedClock(clockOf(calendar, request.receivedDate, all, now, 'date'), all);
  await ctx.db.batch([
    unchangedSince(ctx.db.orm, disclosureRequests, requestId, request.updatedAt),
    ctx.calendars.unchangedSince(version),
    ctx.db.orm.insert(disclosureEvents).values({
      requestId,
      type,
      date,
      occurredAt: at,
      details: JSON.stringify(details),
      note: note ?? null,
      recordedBy: actor.username,
      recordedAt: now,
    }),
    ctx.db.orm.update(disclosureRequests).set({ ...stored, updatedAt: nextUpdatedAt(disclosureRequests.updatedAt, now) }).where(eq(disclosureRequests.id, requestId)),
    auditStatement(ctx, actor, 'disclosure_request', requestId, 'record_event', null, { type, date, ...details, note: note ?? null }),
  ]);
  return getRequest(ctx, requestId, now);
}

/** The kinds of event a request's state allows to record now (what its page offers forms for). */
export async function eventTypesAllowedNow(ctx: AppContext, requestId: number): Promise<DisclosureEventType[]> {
  const request = await findRequestRow(ctx, requestId);
  const events = (await eventsOf(ctx, [requestId])).get(requestId)!.map(clockEventOf);
  return allowedEventTypes(await ctx.calendars.current(), { receivedDate: request.receivedDate, events }, ctx.now());
}
