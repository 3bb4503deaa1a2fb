import { and, asc, desc, eq, isNull, lte, sql, type Placeholder, type SQL } from 'drizzle-orm';
import { inList } from '../db/in-list.js';
import {
  commitmentClock,
  type IncidentClockState,
  planSeverityChange,
  type CommitmentStatus,
  type IncidentStatus,
} from '../domain/deadlines/commitments.js';
import {
  COMMITMENT_LABELS,
  commitmentsFor,
  SEVERITY_LABELS,
  SEVERITY_RANK,
  type Severity,
} from '../domain/deadlines/response-policy.js';
import { normalizeText } from '../domain/monitoring/normalize.js';
import { beijingMinute } from '../domain/notifications/messages.js';
import { toIsoUtc } from '../domain/time.js';
import type { Statement } from '../db/database.js';
import { alerts, commitments, incidentItems, incidents, incidentSignals, items } from '../db/schema.js';
import { matchedRuleIdsOfItem } from './monitoring/items.js';
import { groupStories, heatDetail, heatOfIncidents, itemTimeOf, signalsOfIncidents, type StoryView } from './monitoring/incident-depth.js';
import type { AppContext } from './context.js';
import { assertDepartment } from './documents.js';
import type { Actor } from './accounts/actor.js';
import { auditStatement } from './audit.js';
import { AppError, changedMeanwhile, modifiedSince, notFound, retriedOnChange } from './errors.js';
import { currentPolicy, type ResponsePolicy } from './response-policy.js';
import { searchCondition } from './search.js';
import { isGuardFailure, keptWhile, nextUpdatedAt, unchangedSince } from '../db/guard.js';

export interface CommitmentView {
  id: number;
  incidentId: number;
  kind: string;
  label: string;
  dueAt: string;
  fulfilledAt: string | null;
  url: string | null;
  note: string | null;
  policyVersion: number;
  status: CommitmentStatus;
  remainingSeconds: number | null;
}

export interface ItemView {
  id: number;
  feedId: number;
  title: string;
  link: string | null;
  publishedAt: string | null;
  fetchedAt: string;
  matchedRuleIds: number[];
  /** The story it belongs to (SPEC §14): the id of the story's first item. */
  storyId?: number;
}

export interface IncidentView {
  id: number;
  title: string;
  summary: string | null;
  severity: Severity;
  departmentCode: string | null;
  status: IncidentStatus;
  startedAt: string;
  ruleId: number | null;
  mergedIntoId: number | null;
  createdAt: string;
  updatedAt: string;
  commitments: CommitmentView[];
  /** Distinct stories in the last hour as of asOf (SPEC §14). */
  heat: number;
  /** Distinct negative-signal words over its items, and the words. */
  signal: number;
  signalWords: string[];
}

export interface IncidentDetail extends IncidentView {
  items: ItemView[];
  /** Each story once, with "N 家转载" and its sources. */
  stories: StoryView[];
  /** Whether it is heating up as of asOf, with the baseline it is measured against. */
  heating: boolean;
  heatBaseline: number;
  /** Distinct stories per clock hour over the last 24 hours (the current hour last). */
  storiesPerHour: { hour: string; stories: number }[];
  hotwords: { word: string; weight: number }[];
}

type IncidentRow = typeof incidents.$inferSelect;
type CommitmentRow = typeof commitments.$inferSelect;

/** What a commitment's view is made of: its row, less the bookkeeping columns. */
type CommitmentFields = Pick<CommitmentRow, 'id' | 'incidentId' | 'kind' | 'dueAt' | 'fulfilledAt' | 'cancelledAt' | 'url' | 'note' | 'policyVersion'>;

/** An incident open now: the timers list only commitments of open incidents. */
const OPEN: IncidentClockState = { status: 'open', closedAt: null };

/**
 * Whether a commitment existed as of `asOf`: one made with its incident runs from the incident's
 * start (which may be earlier than its recording); one a later severity change added, from then.
 */
function existedAt(c: { createdAt: number }, incident: { createdAt: number }, asOf: number): boolean {
  return c.createdAt <= Math.max(incident.createdAt, asOf);
}

// Built field by field, without spreads: GET /api/timers, which every leader's board polls,
// makes one of these per running commitment.
export function toCommitmentView(c: CommitmentFields, incident: IncidentClockState, asOf: number): CommitmentView {
  const clock = commitmentClock(c, incident, asOf);
  return {
    id: c.id,
    incidentId: c.incidentId,
    kind: c.kind,
    label: COMMITMENT_LABELS[c.kind] ?? c.kind,
    dueAt: toIsoUtc(c.dueAt),
    fulfilledAt: c.fulfilledAt === null ? null : toIsoUtc(c.fulfilledAt),
    url: c.url,
    note: c.note,
    policyVersion: c.policyVersion,
    status: clock.status,
    remainingSeconds: clock.remainingSeconds,
  };
}

function toIncidentView(row: IncidentRow, rows: CommitmentRow[], asOf: number, depth: { heat: number; signalWords: string[] }): IncidentView {
  return {
    id: row.id,
    title: row.title,
    summary: row.summary,
    severity: row.severity,
    departmentCode: row.departmentCode,
    status: row.status,
    startedAt: toIsoUtc(row.startedAt),
    ruleId: row.ruleId,
    mergedIntoId: row.mergedIntoId,
    createdAt: toIsoUtc(row.createdAt),
    updatedAt: toIsoUtc(row.updatedAt),
    commitments: rows
      .filter((c) => c.incidentId === row.id && existedAt(c, row, asOf))
      .sort((a, b) => a.dueAt - b.dueAt)
      .map((c) => toCommitmentView(c, row, asOf)),
    heat: depth.heat,
    signal: depth.signalWords.length,
    signalWords: depth.signalWords,
  };
}

/** The heat and signal words of incidents, two queries for a whole page. */
async function depthOf(ctx: AppContext, ids: number[], asOf: number) {
  const heat = await heatOfIncidents(ctx, ids, asOf);
  const signals = await signalsOfIncidents(ctx, ids);
  return (id: number) => ({ heat: heat.get(id) ?? 0, signalWords: signals.get(id) ?? [] });
}

/**
 * Statements that open an incident with the commitments of its severity. `ref` is an SQL
 * expression naming the new incident's id inside the same batch (by its origin key, or the
 * highest id when the batch writes just this one incident).
 */
export function openIncidentStatements(
  ctx: AppContext,
  actor: Actor,
  policy: ResponsePolicy,
  incident: {
    title: string;
    severity: Severity;
    startedAt: number;
    departmentCode: string | null;
    summary: string | null;
    ruleId: number | null;
    originKey: string | null;
  },
): { statements: Statement[]; ref: SQL } {
  const now = ctx.now();
  const planned = commitmentsFor(policy.rules, incident.severity, incident.startedAt);
  const ref = incident.originKey
    ? sql`(SELECT id FROM incidents WHERE origin_key = ${incident.originKey})`
    : sql`(SELECT MAX(id) FROM incidents)`;
  const statements: Statement[] = [
    ctx.db.orm.insert(incidents).values({ ...incident, searchText: normalizeText(incident.title), status: 'open', createdAt: now, updatedAt: now }),
    auditStatement(ctx, actor, 'incident', ref, 'create', null, {
      title: incident.title,
      severity: incident.severity,
      startedAt: toIsoUtc(incident.startedAt),
      departmentCode: incident.departmentCode,
      ruleId: incident.ruleId,
    }),
    ...planned.map((c) =>
      ctx.db.orm
        .insert(commitments)
        .values({ incidentId: ref, kind: c.kind, dueAt: c.dueAt, policyVersion: policy.version, createdAt: now }),
    ),
    incidentOpenedAlert(ctx, ref, incident, planned),
  ];
  return { statements, ref };
}

/**
 * `incident_opened` (SPEC §10): the press office must know at once, since the clock is already
 * running. Its deadline is the first commitment's; keyed by the incident, so it fires once.
 */
function incidentOpenedAlert(
  ctx: AppContext,
  ref: SQL,
  incident: { title: string; severity: Severity; departmentCode: string | null; ruleId: number | null },
  planned: { kind: string; dueAt: number }[],
): Statement {
  const first = planned.reduce<{ kind: string; dueAt: number } | null>((a, c) => (a === null || c.dueAt < a.dueAt ? c : a), null);
  const how = incident.ruleId !== null ? '监测规则命中' : '登记';
  const clock = first ? `，须于 ${beijingMinute(first.dueAt)} 前${COMMITMENT_LABELS[first.kind] ?? first.kind}` : '';
  const message = `${how}新舆情事件「${incident.title}」（${SEVERITY_LABELS[incident.severity]}），回应时限已开始计时${clock}`;
  return ctx.db.orm
    .insert(alerts)
    .values({
      type: 'incident_opened',
      incidentId: ref,
      dedupeKey: sql`'incident_opened:' || ${ref}`,
      message,
      departmentCode: incident.departmentCode,
      severity: incident.severity,
      subject: incident.title,
      deadlineAt: first?.dueAt ?? null,
      createdAt: ctx.now(),
    })
    .onConflictDoNothing();
}

/**
 * An incident has begun by the time it is recorded: a start in the future (a mistyped year, say)
 * would run its clocks for weeks before anything happened. A minute of slack for clocks that differ.
 */
function assertStartedBy(startedAt: number, now: number): void {
  if (startedAt > now + 60_000) throw new AppError(422, 'in_future', 'startedAt: 事件开始时间不能晚于当前时间');
}

export async function createIncident(
  ctx: AppContext,
  actor: Actor,
  input: { title: string; severity: Severity; startedAt?: number; departmentCode?: string | null; summary?: string | null },
): Promise<IncidentDetail> {
  if (input.departmentCode) await assertDepartment(ctx, input.departmentCode);
  const now = ctx.now();
  if (input.startedAt !== undefined) assertStartedBy(input.startedAt, now);
  const { statements } = openIncidentStatements(ctx, actor, await currentPolicy(ctx), {
    title: input.title,
    severity: input.severity,
    startedAt: input.startedAt ?? now,
    departmentCode: input.departmentCode ?? null,
    summary: input.summary ?? null,
    ruleId: null,
    originKey: null,
  });
  await ctx.db.batch(statements);
  ctx.afterAlerts?.();
  const [row] = await ctx.db.orm.select({ id: sql<number>`MAX(id)` }).from(incidents);
  return getIncident(ctx, row!.id, now);
}

async function findIncident(ctx: AppContext, id: number): Promise<IncidentRow> {
  const [row] = await ctx.db.orm.select().from(incidents).where(eq(incidents.id, id));
  if (!row) throw notFound('舆情事件', id);
  return row;
}

/** The conditions of an incident query, shared by the list and its export. */
export function incidentConditions(filter: { status?: IncidentStatus; q?: string }): SQL | undefined {
  return and(filter.status ? eq(incidents.status, filter.status) : undefined, searchCondition(incidents.searchText, filter.q));
}

export async function listIncidents(
  ctx: AppContext,
  filter: { status?: IncidentStatus; q?: string; asOf: number; limit: number; offset: number },
): Promise<IncidentView[]> {
  // As of a past moment, the incidents that had started by then.
  const started = isPast(ctx, filter.asOf) ? lte(incidents.startedAt, filter.asOf) : undefined;
  const rows = await ctx.db.orm
    .select()
    .from(incidents)
    .where(and(incidentConditions(filter), started))
    .orderBy(desc(incidents.startedAt), desc(incidents.id))
    .limit(filter.limit)
    .offset(filter.offset);
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const cs = await ctx.db.orm.select().from(commitments).where(inList(commitments.incidentId, ids));
  const depth = await depthOf(ctx, ids, filter.asOf);
  return rows.map((r) => toIncidentView(r, cs, filter.asOf, depth(r.id)));
}

export async function getIncident(ctx: AppContext, id: number, asOf: number): Promise<IncidentDetail> {
  const row = await findIncident(ctx, id);
  const cs = await ctx.db.orm.select().from(commitments).where(eq(commitments.incidentId, id));
  // Plain SQL: the correlated subquery of matchedRuleIdsOfItem names the outer table `items`.
  const itemRows = await ctx.db.orm.all<{
    id: number;
    feedId: number;
    feedName: string;
    title: string;
    link: string | null;
    summary: string;
    publishedAt: number | null;
    fetchedAt: number;
    story: number;
    at: number;
    ruleIds: string | null;
  }>(sql`
    SELECT items.id AS id, items.feed_id AS feedId, f.name AS feedName, items.title AS title, items.link AS link, items.summary AS summary,
      items.published_at AS publishedAt, items.fetched_at AS fetchedAt, COALESCE(items.story_id, items.id) AS story,
      COALESCE(ii.item_at, ${itemTimeOf('items')}) AS at,
      ${matchedRuleIdsOfItem} AS ruleIds
    FROM incident_items AS ii CROSS JOIN items CROSS JOIN feeds AS f
    WHERE ii.incident_id = ${id} AND items.id = ii.item_id AND f.id = items.feed_id
    ORDER BY COALESCE(items.published_at, items.fetched_at), items.id`);
  const text = [row.title, row.summary ?? '', ...itemRows.map((i) => `${i.title}\n${i.summary}`)].join('\n');
  const signals = await signalsOfIncidents(ctx, [id]);
  const { heat, series } = await heatDetail(ctx, id, asOf);
  return {
    ...toIncidentView(row, cs, asOf, { heat: heat.current, signalWords: signals.get(id) ?? [] }),
    items: itemRows.map((i) => ({
      id: i.id,
      feedId: i.feedId,
      title: i.title,
      link: i.link,
      publishedAt: i.publishedAt === null ? null : toIsoUtc(i.publishedAt),
      fetchedAt: toIsoUtc(i.fetchedAt),
      matchedRuleIds: i.ruleIds ? i.ruleIds.split(',').map(Number).sort((a, b) => a - b) : [],
      storyId: i.story,
    })),
    stories: groupStories(itemRows),
    heating: heat.heating,
    heatBaseline: Math.round(heat.baseline * 100) / 100,
    storiesPerHour: series,
    hotwords: ctx.keywords ? ctx.keywords.extract(text, 10) : [],
  };
}

export interface IncidentPatch {
  title?: string;
  summary?: string | null;
  severity?: Severity;
  status?: IncidentStatus;
  startedAt?: number;
  departmentCode?: string | null;
}

/**
 * Changes an incident; with `ifVersion`, only if it is still at one of these versions (see
 * updateDocument: 412 otherwise), and never over a change made between this read and the write (409).
 */
export async function updateIncident(ctx: AppContext, actor: Actor, id: number, patch: IncidentPatch, ifVersion?: readonly number[]): Promise<IncidentDetail> {
  return retriedOnChange(
    () => updateIncidentOnce(ctx, actor, id, patch, ifVersion),
    () => changedMeanwhile('舆情事件', id),
    ifVersion,
    async () => {
      const { updatedAt } = await findIncident(ctx, id);
      if (!ifVersion?.includes(updatedAt)) throw modifiedSince('舆情事件', id, updatedAt);
    },
  );
}

async function updateIncidentOnce(ctx: AppContext, actor: Actor, id: number, patch: IncidentPatch, ifVersion?: readonly number[]): Promise<IncidentDetail> {
  const row = await findIncident(ctx, id);
  if (ifVersion && !ifVersion.includes(row.updatedAt)) throw modifiedSince('舆情事件', id, row.updatedAt);
  if (row.mergedIntoId !== null && patch.status === 'open') {
    throw new AppError(422, 'merged', `舆情事件 ${id} 已并入事件 ${row.mergedIntoId}，不能重新打开`);
  }
  if (patch.departmentCode) await assertDepartment(ctx, patch.departmentCode);
  const now = ctx.now();
  if (patch.startedAt !== undefined && patch.startedAt !== row.startedAt) assertStartedBy(patch.startedAt, now);
  await ctx.db.batch([unchangedSince(ctx.db.orm, incidents, id, row.updatedAt), ...(await updateStatements(ctx, actor, row, patch, now))]);
  return getIncident(ctx, id, now);
}

/** The statements of updateIncident (checked by then): the incident, its clocks, the audit entry. */
async function updateStatements(ctx: AppContext, actor: Actor, row: IncidentRow, patch: IncidentPatch, now: number): Promise<Statement[]> {
  const { id } = row;
  const existing = await ctx.db.orm.select().from(commitments).where(eq(commitments.incidentId, id));
  const startedAt = patch.startedAt ?? row.startedAt;
  const statements: Statement[] = [];
  if (startedAt !== row.startedAt) {
    // Every clock runs from startedAt: moving it moves each due time by the same amount.
    const shift = startedAt - row.startedAt;
    for (const c of existing) {
      statements.push(ctx.db.orm.update(commitments).set({ dueAt: c.dueAt + shift }).where(eq(commitments.id, c.id)));
    }
  }
  if (patch.severity && patch.severity !== row.severity) {
    const policy = await currentPolicy(ctx);
    const plan = planSeverityChange(existing, policy.rules, patch.severity, startedAt);
    for (const c of plan.add) {
      statements.push(
        ctx.db.orm.insert(commitments).values({ incidentId: id, kind: c.kind, dueAt: c.dueAt, policyVersion: policy.version, createdAt: now }),
      );
    }
    if (plan.reinstate.length > 0) {
      statements.push(ctx.db.orm.update(commitments).set({ cancelledAt: null }).where(inList(commitments.id, plan.reinstate)));
    }
    if (plan.cancel.length > 0) {
      statements.push(ctx.db.orm.update(commitments).set({ cancelledAt: now }).where(inList(commitments.id, plan.cancel)));
    }
  }
  const changed = {
    title: patch.title ?? row.title,
    summary: patch.summary !== undefined ? patch.summary : row.summary,
    severity: patch.severity ?? row.severity,
    status: patch.status ?? row.status,
    startedAt,
    departmentCode: patch.departmentCode !== undefined ? patch.departmentCode : row.departmentCode,
  };
  const audited = (r: typeof changed) => ({ ...r, startedAt: toIsoUtc(r.startedAt) });
  // When it stopped being open, for the daily briefing's "open at the end of the day".
  const closedAt = changed.status === 'open' ? null : row.status === 'open' ? now : (row.closedAt ?? now);
  statements.push(
    ctx.db.orm
      .update(incidents)
      .set({ ...changed, searchText: normalizeText(changed.title), closedAt, updatedAt: nextUpdatedAt(incidents.updatedAt, now) })
      .where(eq(incidents.id, id)),
    auditStatement(ctx, actor, 'incident', id, 'update', audited(row), audited(changed)),
  );
  return statements;
}

/**
 * Merges `sourceId` into `targetId`: the target gets the source's items and, if the source was
 * stricter, its severity; the source is closed, points at the target, and its unfulfilled
 * commitments are cancelled.
 */
export async function mergeIncidents(ctx: AppContext, actor: Actor, targetId: number, sourceId: number): Promise<IncidentDetail> {
  if (targetId === sourceId) throw new AppError(422, 'same_incident', 'sourceId: 不能把事件并入它自己');
  const target = await findIncident(ctx, targetId);
  const source = await findIncident(ctx, sourceId);
  if (source.mergedIntoId !== null) throw new AppError(409, 'already_merged', `sourceId: 事件 ${sourceId} 已并入事件 ${source.mergedIntoId}`);
  if (target.mergedIntoId !== null) throw new AppError(422, 'merged', `事件 ${targetId} 已并入事件 ${target.mergedIntoId}，请并入后者`);
  const now = ctx.now();
  const moved = await ctx.db.orm.select({ itemId: incidentItems.itemId }).from(incidentItems).where(eq(incidentItems.incidentId, sourceId));
  // One transaction, the stricter severity included: before, the target's severity was raised in
  // a second one, and between the two (or after a crash between them) the source's clocks were
  // cancelled with none in their place.
  const statements: Statement[] = [
    notMergedMeanwhile(ctx, [targetId, sourceId]),
    // Every item of the source as the batch runs, not only those read above.
    ctx.db.orm
      .insert(incidentItems)
      .select(sql`SELECT ${targetId}, item_id, ${now}, item_at FROM incident_items WHERE incident_id = ${sourceId}`)
      .onConflictDoNothing(),
    // The target carries the source's negative-signal words too.
    ctx.db.orm
      .insert(incidentSignals)
      .select(sql`SELECT ${targetId}, word FROM incident_signals WHERE incident_id = ${sourceId} ORDER BY rowid`)
      .onConflictDoNothing(),
    ctx.db.orm
      .update(commitments)
      .set({ cancelledAt: now })
      .where(and(eq(commitments.incidentId, sourceId), isNull(commitments.fulfilledAt), isNull(commitments.cancelledAt))),
    ctx.db.orm
      .update(incidents)
      .set({ status: 'closed', mergedIntoId: targetId, closedAt: source.closedAt ?? now, updatedAt: nextUpdatedAt(incidents.updatedAt, now) })
      .where(eq(incidents.id, sourceId)),
    auditStatement(ctx, actor, 'incident', sourceId, 'merge', { status: source.status, mergedIntoId: null }, {
      status: 'closed',
      mergedIntoId: targetId,
      itemIds: moved.map((m) => m.itemId),
    }),
  ];
  if (SEVERITY_RANK[source.severity] > SEVERITY_RANK[target.severity]) {
    for (const st of await updateStatements(ctx, actor, target, { severity: source.severity }, now)) statements.push(st);
  }
  try {
    await ctx.db.batch(statements);
  } catch (err) {
    if (isGuardFailure(err)) throw new AppError(409, 'merged_meanwhile', `事件 ${sourceId} 或 ${targetId} 刚刚已被并入其他事件，请刷新后再试`);
    throw err;
  }
  return getIncident(ctx, targetId, now);
}

/**
 * A statement that fails, rolling its batch back, if any of these incidents has been merged into
 * another since it was read: two merges of one incident at once would otherwise both go through.
 * (A guard: see db/guard.ts.)
 */
function notMergedMeanwhile(ctx: AppContext, ids: number[]) {
  return ctx.db.orm
    .update(incidents)
    .set({ updatedAt: keptWhile(incidents.updatedAt, sql`${incidents.mergedIntoId} IS NULL`) })
    .where(inList(incidents.id, ids));
}

export async function fulfilCommitment(
  ctx: AppContext,
  actor: Actor,
  id: number,
  input: { at?: number; url?: string | null; note?: string | null },
): Promise<CommitmentView> {
  // Checked against the commitment as read, so guarded and retried as updateDocument: one fulfilled
  // or cancelled meanwhile is then refused as such (before, two fulfilments at once both wrote an
  // audit entry, and the second answered 409 after its entry was committed).
  return retriedOnChange(() => fulfilOnce(ctx, actor, id, input), () => changedMeanwhile('回应承诺', id));
}

async function fulfilOnce(ctx: AppContext, actor: Actor, id: number, input: { at?: number; url?: string | null; note?: string | null }): Promise<CommitmentView> {
  const [c] = await ctx.db.orm.select().from(commitments).where(eq(commitments.id, id));
  if (!c) throw notFound('回应承诺', id);
  const incident = await findIncident(ctx, c.incidentId);
  const now = ctx.now();
  const at = input.at ?? now;
  if (c.fulfilledAt !== null) {
    throw new AppError(409, 'already_fulfilled', `回应承诺 ${id} 已于 ${toIsoUtc(c.fulfilledAt)} 记录完成`);
  }
  if (c.cancelledAt !== null || incident.status === 'dismissed') {
    throw new AppError(422, 'cancelled', `回应承诺 ${id} 已取消（事件已排除或降级），无需记录完成`);
  }
  if (at > now) throw new AppError(422, 'in_future', 'at: 完成时间不能晚于当前时间');
  if (at < incident.startedAt) throw new AppError(422, 'before_start', 'at: 完成时间不能早于事件开始时间');
  const fulfilment = { fulfilledAt: at, url: input.url ?? null, note: input.note ?? null };
  const [, rows] = (await ctx.db.batch([
    // (A guard, see db/guard.ts: `kind` keeps its value unless the commitment is no longer open.)
    ctx.db.orm
      .update(commitments)
      .set({ kind: keptWhile(commitments.kind, sql`${commitments.fulfilledAt} IS NULL AND ${commitments.cancelledAt} IS NULL`) })
      .where(eq(commitments.id, id)),
    ctx.db.orm
      .update(commitments)
      .set(fulfilment)
      .where(and(eq(commitments.id, id), isNull(commitments.fulfilledAt)))
      .returning(),
    auditStatement(ctx, actor, 'commitment', id, 'fulfil', { fulfilledAt: null }, { ...fulfilment, fulfilledAt: toIsoUtc(at) }),
  ])) as [unknown, CommitmentRow[]];
  const updated = rows[0];
  if (!updated) throw new AppError(409, 'already_fulfilled', `回应承诺 ${id} 已记录完成`);
  return toCommitmentView(updated, incident, now);
}

export interface TimerView extends CommitmentView {
  incidentTitle: string;
  severity: Severity;
  departmentCode: string | null;
  startedAt: string;
}

/**
 * A commitment is running now (unfulfilled, uncancelled, its incident open): what the partial
 * index commitments_running_idx holds, so the timers of now read only that.
 */
const RUNNING_NOW = sql`${commitments.fulfilledAt} IS NULL AND ${commitments.cancelledAt} IS NULL AND ${incidents.status} = 'open'`;

/**
 * A commitment was running as of a past `asOf`: its incident had started and was not yet closed,
 * dismissed or merged, and nothing recorded by then had fulfilled or cancelled it. (Read from
 * what is recorded when it happened; a commitment a later severity change added did not exist.)
 */
export function runningAsOf(asOf: Placeholder | number): SQL {
  return sql`${incidents.startedAt} <= ${asOf}
    AND (${incidents.status} = 'open' OR ${incidents.closedAt} > ${asOf})
    AND (${commitments.fulfilledAt} IS NULL OR ${commitments.fulfilledAt} > ${asOf})
    AND (${commitments.cancelledAt} IS NULL OR ${commitments.cancelledAt} > ${asOf})
    AND ${commitments.createdAt} <= MAX(${incidents.createdAt}, ${asOf})`;
}

/** Commitments running as of `asOf`: RUNNING_NOW for now, runningAsOf for a past moment. */
export const runningAt = (ctx: AppContext, asOf: number): SQL => (isPast(ctx, asOf) ? runningAsOf(asOf) : RUNNING_NOW);

/** Incidents open as of `asOf`: open now, or for a past moment started by then and not yet closed. */
export const openAt = (ctx: AppContext, asOf: number): SQL =>
  isPast(ctx, asOf) ? sql`${incidents.startedAt} <= ${asOf} AND (${incidents.status} = 'open' OR ${incidents.closedAt} > ${asOf})` : sql`${incidents.status} = 'open'`;

/**
 * Whether `asOf` asks about the past, rather than now: a request's default asOf is taken a few
 * milliseconds before it is answered, so a moment within the last second is now.
 */
export const isPast = (ctx: AppContext, asOf: number) => asOf < ctx.now() - 1000;

function timersQuery(ctx: AppContext, past: boolean) {
  return ctx.db.orm
    .select({
      // Flat columns, read as plain arrays (values()): drizzle's per-field mapping, and fields
      // the WHERE makes constant (fulfilled, cancelled: null), were most of this route's cost.
      id: commitments.id,
      incidentId: commitments.incidentId,
      kind: commitments.kind,
      dueAt: commitments.dueAt,
      policyVersion: commitments.policyVersion,
      url: commitments.url,
      note: commitments.note,
      title: incidents.title,
      severity: incidents.severity,
      dept: incidents.departmentCode,
      startedAt: incidents.startedAt,
    })
    .from(commitments)
    .innerJoin(incidents, eq(incidents.id, commitments.incidentId))
    .where(past ? runningAsOf(sql.placeholder('asOf')) : RUNNING_NOW)
    .orderBy(asc(commitments.dueAt), asc(commitments.id))
    .limit(sql.placeholder('limit'))
    .offset(sql.placeholder('offset'))
    .prepare();
}

/** A row of timersQuery, in its column order. */
type TimerRow = [
  id: number,
  incidentId: number,
  kind: string,
  dueAt: number,
  policyVersion: number,
  url: string | null,
  note: string | null,
  title: string,
  severity: Severity,
  dept: string | null,
  startedAt: number,
];

// Leaders' screens poll the timers: the queries (of now, of a past moment) are prepared once per
// context, not built per request.
const preparedTimers = new WeakMap<AppContext, { now: ReturnType<typeof timersQuery>; past?: ReturnType<typeof timersQuery> }>();

/**
 * Unfulfilled, uncancelled commitments of open incidents as of `asOf`, soonest due first (missed
 * ones first of all). For a past asOf, those running then (runningAsOf), with their clocks then.
 */
export async function listTimers(ctx: AppContext, asOf: number, page = { limit: 200, offset: 0 }): Promise<TimerView[]> {
  let queries = preparedTimers.get(ctx);
  if (!queries) preparedTimers.set(ctx, (queries = { now: timersQuery(ctx, false) }));
  const past = isPast(ctx, asOf);
  const query = past ? (queries.past ??= timersQuery(ctx, true)) : queries.now;
  const rows = (await query.values({ limit: page.limit, offset: page.offset, asOf })) as unknown as TimerRow[];
  return rows.map(([id, incidentId, kind, dueAt, policyVersion, url, note, title, severity, dept, startedAt]) => {
    // The incident's fields are added to the commitment's view in place: a spread into a new
    // object halves this route's throughput (measured with npm run bench).
    const view = toCommitmentView({ id, incidentId, kind, dueAt, fulfilledAt: null, cancelledAt: null, url, note, policyVersion }, OPEN, asOf) as TimerView;
    view.incidentTitle = title;
    view.severity = severity;
    view.departmentCode = dept;
    view.startedAt = toIsoUtc(startedAt);
    return view;
  });
}
