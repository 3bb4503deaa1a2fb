import { describe, expect, it } from 'vitest';
import {
  commitmentClock,
  dueSoonAt,
  planSeverityChange,
  type CommitmentState,
  type IncidentClockState,
  type ExistingCommitment,
} from '../../../src/domain/deadlines/commitments.js';
import { DEFAULT_RESPONSE_POLICY } from '../../../src/domain/deadlines/response-policy.js';
import { parseInstant } from '../../../src/domain/time.js';

const at = (iso: string) => parseInstant(iso)!;
const HOUR = 3_600_000;

// An incident started at 10:00 Beijing time; its authoritative release is due at 15:00.
const STARTED = at('2025-11-20T10:00:00+08:00');
const DUE = at('2025-11-20T15:00:00+08:00');

function state(over: Partial<CommitmentState> = {}): CommitmentState {
  return { dueAt: DUE, fulfilledAt: null, cancelledAt: null, ...over };
}

const OPEN: IncidentClockState = { status: 'open', closedAt: null };
const CLOSED: IncidentClockState = { status: 'closed', closedAt: STARTED + HOUR };
/** Dismissed an hour after it started (before any asOf below but STARTED). */
const DISMISSED: IncidentClockState = { status: 'dismissed', closedAt: STARTED + HOUR };

describe('commitmentClock', () => {
  it('when fulfilled exactly at the due instant, then it is met; one millisecond later, late', () => {
    expect(commitmentClock(state({ fulfilledAt: DUE }), OPEN, DUE)).toEqual({ status: 'met', remainingSeconds: null });
    expect(commitmentClock(state({ fulfilledAt: DUE + 1 }), OPEN, DUE + 1)).toEqual({ status: 'late', remainingSeconds: null });
  });

  it('when fulfilled before the due instant, then it is met whenever asked afterwards', () => {
    const c = state({ fulfilledAt: at('2025-11-20T12:00:00+08:00') });
    expect(commitmentClock(c, OPEN, at('2025-11-20T12:00:00+08:00')).status).toBe('met');
    expect(commitmentClock(c, CLOSED, at('2025-11-25T00:00:00+08:00')).status).toBe('met');
  });

  it('when the fulfilment is recorded for a moment after asOf, then as of asOf it has not happened yet', () => {
    const c = state({ fulfilledAt: at('2025-11-20T14:00:00+08:00') });
    expect(commitmentClock(c, OPEN, at('2025-11-20T14:00:00+08:00') - 1)).toEqual({ status: 'open', remainingSeconds: 3600 });
    const late = state({ fulfilledAt: at('2025-11-20T16:00:00+08:00') });
    expect(commitmentClock(late, OPEN, at('2025-11-20T15:30:00+08:00'))).toEqual({ status: 'missed', remainingSeconds: null });
    expect(commitmentClock(late, OPEN, at('2025-11-20T16:00:00+08:00'))).toEqual({ status: 'late', remainingSeconds: null });
  });

  it('when unfulfilled, then it is open up to and including the due instant, with whole seconds left, and missed after it', () => {
    expect(commitmentClock(state(), OPEN, STARTED)).toEqual({ status: 'open', remainingSeconds: 5 * 3600 });
    expect(commitmentClock(state(), OPEN, DUE - 1999)).toEqual({ status: 'open', remainingSeconds: 1 });
    expect(commitmentClock(state(), OPEN, DUE)).toEqual({ status: 'open', remainingSeconds: 0 });
    expect(commitmentClock(state(), OPEN, DUE + 1)).toEqual({ status: 'missed', remainingSeconds: null });
  });

  it('when the incident is closed but the commitment unfulfilled, then the clock still runs and misses', () => {
    expect(commitmentClock(state(), CLOSED, DUE - HOUR)).toEqual({ status: 'open', remainingSeconds: 3600 });
    expect(commitmentClock(state(), CLOSED, DUE + HOUR).status).toBe('missed');
  });

  it('when the incident is dismissed, then an unfulfilled commitment is cancelled, before and after its due instant', () => {
    expect(commitmentClock(state(), DISMISSED, DUE - HOUR)).toEqual({ status: 'cancelled', remainingSeconds: null });
    expect(commitmentClock(state(), DISMISSED, DUE + HOUR)).toEqual({ status: 'cancelled', remainingSeconds: null });
  });

  it('when the commitment itself was cancelled (a lowered severity), then it is cancelled, not missed', () => {
    const c = state({ cancelledAt: at('2025-11-20T11:00:00+08:00') });
    expect(commitmentClock(c, OPEN, DUE + HOUR)).toEqual({ status: 'cancelled', remainingSeconds: null });
  });

  it('when the incident was dismissed after asOf, then as of asOf the commitment still runs; from the dismissal on, it is cancelled', () => {
    const later: IncidentClockState = { status: 'dismissed', closedAt: DUE - HOUR };
    expect(commitmentClock(state(), later, DUE - 2 * HOUR)).toEqual({ status: 'open', remainingSeconds: 7200 });
    expect(commitmentClock(state(), later, DUE - HOUR - 1)).toEqual({ status: 'open', remainingSeconds: 3600 });
    expect(commitmentClock(state(), later, DUE - HOUR)).toEqual({ status: 'cancelled', remainingSeconds: null });
    // Dismissed after its due instant: missed in between.
    expect(commitmentClock(state(), { status: 'dismissed', closedAt: DUE + 2 * HOUR }, DUE + HOUR).status).toBe('missed');
    // A dismissal whose time was not kept: dismissed all along.
    expect(commitmentClock(state(), { status: 'dismissed', closedAt: null }, STARTED).status).toBe('cancelled');
  });

  it('when the commitment was cancelled after asOf, then as of asOf it still runs', () => {
    const c = state({ cancelledAt: DUE - HOUR });
    expect(commitmentClock(c, OPEN, DUE - HOUR - 1000)).toEqual({ status: 'open', remainingSeconds: 3601 });
    expect(commitmentClock(c, OPEN, DUE - HOUR)).toEqual({ status: 'cancelled', remainingSeconds: null });
    expect(commitmentClock(state({ cancelledAt: DUE + HOUR }), OPEN, DUE + 1).status).toBe('missed');
  });

  it('when a fulfilled commitment belongs to a dismissed incident, or was cancelled later, then it stays met or late', () => {
    expect(commitmentClock(state({ fulfilledAt: DUE - HOUR }), DISMISSED, DUE + HOUR).status).toBe('met');
    expect(commitmentClock(state({ fulfilledAt: DUE + HOUR, cancelledAt: DUE + 2 * HOUR }), OPEN, DUE + 3 * HOUR).status).toBe('late');
  });
});

describe('dueSoonAt', () => {
  it('when 80 % of the time from start to due has elapsed, then that is the due-soon moment', () => {
    expect(dueSoonAt(STARTED, DUE)).toBe(at('2025-11-20T14:00:00+08:00'));
    expect(dueSoonAt(STARTED, STARTED + 24 * HOUR)).toBe(at('2025-11-21T05:12:00+08:00'));
    expect(dueSoonAt(STARTED, STARTED + 48 * HOUR)).toBe(STARTED + 38.4 * HOUR);
  });

  it('when 80 % is not a whole millisecond, then it is rounded down, never past the due instant', () => {
    expect(dueSoonAt(1000, 1007)).toBe(1005); // 5.6 ms after the start
    expect(dueSoonAt(1000, 1001)).toBe(1000);
    expect(dueSoonAt(1000, 1000)).toBe(1000);
  });
});

describe('planSeverityChange', () => {
  let nextId = 1;
  function existing(kind: string, over: Partial<ExistingCommitment> = {}): ExistingCommitment {
    return { id: nextId++, kind, dueAt: 0, fulfilledAt: null, cancelledAt: null, ...over };
  }

  it('when raised from general to major, then the stricter commitments are added from the same start and the 48-hour response is cancelled', () => {
    const response = existing('response', { dueAt: STARTED + 48 * HOUR });
    expect(planSeverityChange([response], DEFAULT_RESPONSE_POLICY, 'major', STARTED)).toEqual({
      add: [
        { kind: 'authoritative_release', dueAt: STARTED + 5 * HOUR },
        { kind: 'press_conference', dueAt: STARTED + 24 * HOUR },
      ],
      reinstate: [],
      cancel: [response.id],
    });
  });

  it('when raised from major to especially major, then the still-required commitments are kept: nothing added, nothing cancelled', () => {
    const release = existing('authoritative_release', { dueAt: STARTED + 5 * HOUR });
    const conference = existing('press_conference', { dueAt: STARTED + 24 * HOUR });
    expect(planSeverityChange([release, conference], DEFAULT_RESPONSE_POLICY, 'especially_major', STARTED)).toEqual({
      add: [],
      reinstate: [],
      cancel: [],
    });
  });

  it('when lowered from major to general, then the unfulfilled commitments it no longer has are cancelled, not the fulfilled one', () => {
    const release = existing('authoritative_release', { fulfilledAt: STARTED + HOUR });
    const conference = existing('press_conference');
    expect(planSeverityChange([release, conference], DEFAULT_RESPONSE_POLICY, 'general', STARTED)).toEqual({
      add: [{ kind: 'response', dueAt: STARTED + 48 * HOUR }],
      reinstate: [],
      cancel: [conference.id],
    });
  });

  it('when raised again after being lowered, then the cancelled commitments are reinstated rather than added twice', () => {
    const release = existing('authoritative_release', { fulfilledAt: STARTED + HOUR });
    const conference = existing('press_conference', { cancelledAt: STARTED + 2 * HOUR });
    const response = existing('response');
    expect(planSeverityChange([release, conference, response], DEFAULT_RESPONSE_POLICY, 'major', STARTED)).toEqual({
      add: [],
      reinstate: [conference.id],
      cancel: [response.id],
    });
  });

  it('when a commitment is already cancelled and still not wanted, then it is not cancelled a second time', () => {
    const conference = existing('press_conference', { cancelledAt: STARTED + 2 * HOUR });
    const response = existing('response');
    expect(planSeverityChange([conference, response], DEFAULT_RESPONSE_POLICY, 'large', STARTED)).toEqual({
      add: [],
      reinstate: [],
      cancel: [],
    });
  });

  it('when a wanted commitment was both fulfilled and later cancelled, then it is not reinstated', () => {
    const release = existing('authoritative_release', { fulfilledAt: STARTED + HOUR, cancelledAt: STARTED + 2 * HOUR });
    const conference = existing('press_conference');
    expect(planSeverityChange([release, conference], DEFAULT_RESPONSE_POLICY, 'major', STARTED)).toEqual({
      add: [],
      reinstate: [],
      cancel: [],
    });
  });

  it('when the incident has no commitments yet, then every commitment of the severity is added', () => {
    expect(planSeverityChange([], DEFAULT_RESPONSE_POLICY, 'large', STARTED)).toEqual({
      add: [{ kind: 'response', dueAt: STARTED + 48 * HOUR }],
      reinstate: [],
      cancel: [],
    });
  });
});
