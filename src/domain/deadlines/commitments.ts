import { commitmentsFor, type ResponsePolicyRules, type Severity } from './response-policy.js';

export type CommitmentStatus = 'met' | 'late' | 'missed' | 'open' | 'cancelled';
export type IncidentStatus = 'open' | 'closed' | 'dismissed';

export interface CommitmentState {
  dueAt: number;
  fulfilledAt: number | null;
  cancelledAt: number | null;
}

/** What a commitment's clock needs of its incident: its status, and when it was last closed, dismissed or merged. */
export interface IncidentClockState {
  status: IncidentStatus;
  /** Null while open (and for a dismissal recorded before the time was kept: dismissed all along). */
  closedAt: number | null;
}

export interface CommitmentClock {
  status: CommitmentStatus;
  /** Only for `open`: whole seconds until dueAt. */
  remainingSeconds: number | null;
}

/**
 * SPEC §4: status as of `asOf`. What is recorded for a moment after asOf has not happened yet as
 * of asOf: a fulfilment, a cancellation (a lowered severity, a merge), the incident's dismissal,
 * which cancels every commitment that was not fulfilled.
 */
export function commitmentClock(c: CommitmentState, incident: IncidentClockState, asOf: number): CommitmentClock {
  const fulfilled = c.fulfilledAt !== null && c.fulfilledAt <= asOf;
  if (fulfilled) return { status: c.fulfilledAt! <= c.dueAt ? 'met' : 'late', remainingSeconds: null };
  const dismissed = incident.status === 'dismissed' && (incident.closedAt === null || incident.closedAt <= asOf);
  if (dismissed || (c.cancelledAt !== null && c.cancelledAt <= asOf)) return { status: 'cancelled', remainingSeconds: null };
  if (asOf > c.dueAt) return { status: 'missed', remainingSeconds: null };
  return { status: 'open', remainingSeconds: Math.floor((c.dueAt - asOf) / 1000) };
}

/** The moment 80 % of the time from start to due has elapsed: when `commitment_due_soon` fires. */
export function dueSoonAt(startedAt: number, dueAt: number): number {
  return startedAt + Math.floor((dueAt - startedAt) * 0.8);
}

export interface ExistingCommitment extends CommitmentState {
  id: number;
  kind: string;
}

export interface SeverityChangePlan {
  add: { kind: string; dueAt: number }[];
  /** Previously cancelled commitments the new severity requires again. */
  reinstate: number[];
  /** Unfulfilled commitments the new severity does not have. */
  cancel: number[];
}

/**
 * Raising the severity adds the stricter commitments, due from the same startedAt; lowering it
 * cancels the ones the new severity does not have, unless already fulfilled.
 */
export function planSeverityChange(
  existing: readonly ExistingCommitment[],
  policy: ResponsePolicyRules,
  severity: Severity,
  startedAt: number,
): SeverityChangePlan {
  const wanted = commitmentsFor(policy, severity, startedAt);
  const plan: SeverityChangePlan = { add: [], reinstate: [], cancel: [] };
  for (const w of wanted) {
    const have = existing.find((e) => e.kind === w.kind);
    if (!have) plan.add.push(w);
    else if (have.cancelledAt !== null && have.fulfilledAt === null) plan.reinstate.push(have.id);
  }
  for (const e of existing) {
    if (!wanted.some((w) => w.kind === e.kind) && e.fulfilledAt === null && e.cancelledAt === null) plan.cancel.push(e.id);
  }
  return plan;
}
