import { and, asc, eq, lt, lte, sql } from 'drizzle-orm';
import type { Severity } from '../../domain/deadlines/response-policy.js';
import {
  composeDigest,
  composeMessage,
  composeTest,
  type AlertFacts,
  type Message,
} from '../../domain/notifications/messages.js';
import {
  buildRequests,
  judgeAnswer,
  MESSAGES_PER_MINUTE,
  nextAttemptAt,
  RATE_LIMIT_PAUSE_MS,
  type ChannelTarget,
  type Verdict,
  type WebhookEnvelope,
} from '../../domain/notifications/platforms.js';
import { toIsoUtc } from '../../domain/time.js';
import { alerts, channelMessages, channels, deliveries, departments } from '../../db/schema.js';
import type { Database, Statement } from '../../db/database.js';
import { bound, placeholder, type PreparedQuery } from '../../db/bound.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { FeedFetchError, postOutbound } from '../monitoring/fetch-feed.js';
import { findChannelRow, mailRecipients } from './channels.js';

// The outbox sender (SPEC §10). Deliveries are written by a trigger with their alert; this sends
// the due ones. A delivery is claimed in the database ('sending') right before its message goes
// out, and only then, so a crash leaves at most the one message in flight unaccounted for — and
// that one visible as interrupted, never silently lost or sent twice.

type ChannelRow = typeof channels.$inferSelect;

/** What one attempt to send a message came to. */
export interface Transmission {
  verdict: Verdict;
  /** HTTP status of the (first) request, or null (network failure, email). */
  status: number | null;
  /** What the platform said, cut short. */
  response: string;
}

const RESPONSE_CHARS = 1000;

function targetOf(row: ChannelRow): ChannelTarget {
  return { kind: row.kind, url: row.url, secret: row.secret, keyword: row.keyword, mentionMobiles: JSON.parse(row.mentionMobiles) as string[] };
}

/** Sends one message to one channel and reads the answer. Never throws for what the far side does. */
export async function transmit(ctx: AppContext, channel: ChannelRow, message: Message, webhook: WebhookEnvelope): Promise<Transmission> {
  if (channel.kind === 'email') {
    if (!ctx.mailer) return { verdict: { outcome: 'misconfigured', reason: '本运行环境不能发送邮件（未配置 SMTP）' }, status: null, response: '' };
    const text = [...message.lines, '', message.link].join('\n');
    const sent = await ctx.mailer.send({ to: mailRecipients(channel.url), subject: message.title, text });
    return { ...sent, status: null, response: sent.response.slice(0, RESPONSE_CHARS) };
  }
  const requests = await buildRequests(targetOf(channel), message, webhook, ctx.now());
  let first: Transmission | undefined;
  const answers: string[] = [];
  for (const request of requests) {
    let result: Transmission;
    try {
      const answer = await postOutbound(request.url, request.body, {
        headers: request.headers,
        timeoutMs: ctx.config.delivery.timeoutMs,
        headersTimeoutMs: ctx.config.delivery.timeoutMs,
        maxBytes: ctx.config.delivery.maxBytes,
        ...(ctx.urlGuard ? { checkUrl: ctx.urlGuard } : {}),
        ...(ctx.fetch ? { fetchImpl: ctx.fetch } : {}),
      });
      result = { verdict: judgeAnswer(channel.kind, answer.status, answer.text), status: answer.status, response: answer.text };
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      const unsafe = err instanceof FeedFetchError && err.code === 'unsafe_url';
      result = { verdict: unsafe ? { outcome: 'misconfigured', reason } : { outcome: 'retry', reason }, status: null, response: '' };
    }
    // What the platform answered; nothing when it could not be reached (the reason is the verdict's).
    if (result.status !== null) answers.push(`HTTP ${result.status} ${result.response}`);
    // The first request carries the message; a follow-up (WeCom's mention) only adds to it.
    if (!first) {
      first = result;
      if (result.verdict.outcome !== 'sent') break;
    }
  }
  return { ...first!, response: answers.join('\n').slice(0, RESPONSE_CHARS) };
}

// --- Facts for messages -----------------------------------------------------------------------

interface AlertRecord extends AlertFacts {
  commitmentId: number | null;
  departmentCode: string | null;
  createdAt: number;
}

async function alertRecords(ctx: AppContext, alertIds: number[]): Promise<Map<number, AlertRecord>> {
  const rows = await ctx.db.orm
    .select({
      id: alerts.id,
      type: alerts.type,
      message: alerts.message,
      subject: alerts.subject,
      departmentCode: alerts.departmentCode,
      departmentName: departments.name,
      severity: alerts.severity,
      deadlineAt: alerts.deadlineAt,
      documentId: alerts.documentId,
      incidentId: alerts.incidentId,
      commitmentId: alerts.commitmentId,
      feedId: alerts.feedId,
      disclosureRequestId: alerts.disclosureRequestId,
      createdAt: alerts.createdAt,
    })
    .from(alerts)
    .leftJoin(departments, eq(departments.code, alerts.departmentCode))
    .where(sql`${alerts.id} IN (SELECT value FROM json_each(${JSON.stringify(alertIds)}))`);
  return new Map(rows.map((r) => [r.id, { ...r, severity: r.severity as Severity | null }]));
}

/** The alert as a webhook receives it. */
function alertPayload(a: AlertRecord, message: Message) {
  return {
    id: a.id,
    type: a.type,
    title: message.title,
    message: a.message,
    subject: a.subject,
    departmentCode: a.departmentCode,
    departmentName: a.departmentName,
    severity: a.severity,
    deadline: a.deadlineAt === null ? null : toIsoUtc(a.deadlineAt),
    documentId: a.documentId,
    incidentId: a.incidentId,
    commitmentId: a.commitmentId,
    feedId: a.feedId,
    disclosureRequestId: a.disclosureRequestId ?? null,
    createdAt: toIsoUtc(a.createdAt),
  };
}

// --- Bookkeeping ------------------------------------------------------------------------------

/** Requests this channel was sent in the minute before `now` (test messages included). */
async function sentInLastMinute(ctx: AppContext, channelId: number, now: number): Promise<number> {
  const [row] = await ctx.db.orm
    .select({ n: sql<number>`COALESCE(SUM(${channelMessages.requests}), 0)` })
    .from(channelMessages)
    .where(and(eq(channelMessages.channelId, channelId), sql`${channelMessages.sentAt} > ${now - 60_000}`));
  return Number(row?.n ?? 0);
}

/** HTTP requests one message takes on this channel: WeCom mentions by mobile in a second one. */
function requestsPerMessage(channel: ChannelRow): number {
  return channel.kind === 'wecom' && channel.mentionMobiles !== '[]' ? 2 : 1;
}

/** Records a message before it is sent, so that the rate window sees it at once. */
async function openMessage(ctx: AppContext, channel: ChannelRow, kind: 'alert' | 'digest' | 'test', count: number, now: number): Promise<number> {
  const [row] = await ctx.db.orm
    .insert(channelMessages)
    .values({ channelId: channel.id, kind, sentAt: now, ok: false, deliveryCount: count, requests: requestsPerMessage(channel) })
    .returning({ id: channelMessages.id });
  return row!.id;
}

/** The channel's health after an attempt: a success clears the misconfiguration mark. */
function channelUpdate(ctx: AppContext, channelId: number, verdict: Verdict, now: number) {
  const set =
    verdict.outcome === 'sent'
      ? { lastSuccessAt: now, misconfiguredAt: null }
      : {
          lastError: verdict.reason,
          lastErrorAt: now,
          ...(verdict.outcome === 'misconfigured' ? { misconfiguredAt: now } : {}),
          ...(verdict.outcome === 'rate_limited' ? { pausedUntil: now + RATE_LIMIT_PAUSE_MS } : {}),
        };
  return ctx.db.orm.update(channels).set(set).where(eq(channels.id, channelId));
}

interface Claimed {
  id: number;
  alertId: number;
  attempts: number;
}

/** Claims pending deliveries (only those still pending: a concurrent sender may have taken some). */
async function claim(ctx: AppContext, ids: number[], now: number): Promise<Claimed[]> {
  if (ids.length === 0) return [];
  return ctx.db.orm
    .update(deliveries)
    .set({ status: 'sending', claimedAt: now, attempts: sql`${deliveries.attempts} + 1`, updatedAt: now })
    .where(and(sql`${deliveries.id} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`, eq(deliveries.status, 'pending')))
    .returning({ id: deliveries.id, alertId: deliveries.alertId, attempts: deliveries.attempts });
}

// --- The statements of every delivery, compiled once --------------------------------------------
//
// A delivery takes the same few statements each time (claim, open its message, record the answer),
// and building their SQL with drizzle cost more than running them. They are built once per database
// with placeholders and batched with the values of each delivery.

const p = placeholder;

function prepareStatements(db: Database) {
  const orm = db.orm;
  return {
    claim: orm
      .update(deliveries)
      .set({ status: 'sending', claimedAt: p('now'), attempts: sql`${deliveries.attempts} + 1`, updatedAt: p('now') })
      .where(and(eq(deliveries.id, sql.placeholder('id')), eq(deliveries.status, 'pending')))
      .returning({ id: deliveries.id, alertId: deliveries.alertId, attempts: deliveries.attempts })
      .prepare() as unknown as PreparedQuery,
    // Columns in table order: id, channel, kind, sent at, ok, delivery count, requests.
    open: orm
      .insert(channelMessages)
      .select(sql`SELECT NULL, ${sql.placeholder('channelId')}, 'alert', ${sql.placeholder('now')}, 0, 1, ${sql.placeholder('requests')} WHERE changes() = 1`)
      .returning({ id: channelMessages.id })
      .prepare() as unknown as PreparedQuery,
    messageOutcome: orm
      .update(channelMessages)
      .set({ ok: p('ok') })
      .where(eq(channelMessages.id, sql.placeholder('id')))
      .prepare() as unknown as PreparedQuery,
    sent: orm
      .update(deliveries)
      .set({ status: 'sent', sentAt: p('now'), lastError: null, response: p('response'), claimedAt: null, updatedAt: p('now') })
      .where(eq(deliveries.id, sql.placeholder('id')))
      .prepare() as unknown as PreparedQuery,
    channelHealthy: orm
      .update(channels)
      .set({ lastSuccessAt: p('now'), misconfiguredAt: null })
      .where(eq(channels.id, sql.placeholder('id')))
      .prepare() as unknown as PreparedQuery,
  };
}

const preparedByDb = new WeakMap<Database, ReturnType<typeof prepareStatements>>();

function statements(ctx: AppContext) {
  let prepared = preparedByDb.get(ctx.db);
  if (!prepared) preparedByDb.set(ctx.db, (prepared = prepareStatements(ctx.db)));
  return prepared;
}

/**
 * The statements that claim one pending delivery and, only if the claim succeeded, record its
 * message for the minute's count. They go in one transaction, committed before the send: on their
 * own for a channel's first message, after the previous message's record for the others.
 */
function claimStatements(ctx: AppContext, channel: ChannelRow, id: number, now: number): Statement[] {
  const prepared = statements(ctx);
  return [bound(prepared.claim, { id, now }), bound(prepared.open, { channelId: channel.id, now, requests: requestsPerMessage(channel) })];
}

type ClaimedOne = { delivery: Claimed; messageId: number } | null;

/** What the two claim statements answered (their results are the last two of a batch). */
function claimedOf(results: unknown[]): ClaimedOne {
  const [claimed, opened] = results.slice(-2) as [Claimed[], { id: number }[]];
  return claimed[0] && opened[0] ? { delivery: claimed[0], messageId: opened[0].id } : null;
}

/** The delivery's new state after an attempt (SPEC §10 retries). */
function deliveryUpdate(ctx: AppContext, d: Claimed, t: Transmission, now: number, digestId: number | null) {
  const base = { response: t.response || null, claimedAt: null, updatedAt: now };
  let set;
  switch (t.verdict.outcome) {
    case 'sent':
      set = digestId === null ? { status: 'sent' as const, sentAt: now, lastError: null } : { status: 'merged' as const, sentAt: now, digestId, lastError: null };
      break;
    case 'misconfigured':
      set = { status: 'dead' as const, lastError: t.verdict.reason };
      break;
    case 'rate_limited':
      // Not the message's fault: the attempt is not counted.
      set = { status: 'pending' as const, attempts: d.attempts - 1, nextAttemptAt: now + RATE_LIMIT_PAUSE_MS, lastError: t.verdict.reason };
      break;
    case 'retry': {
      const next = nextAttemptAt(d.attempts, now);
      set = next === null ? { status: 'dead' as const, lastError: `${t.verdict.reason}（已重试 ${d.attempts - 1} 次，放弃）` } : { status: 'pending' as const, nextAttemptAt: next, lastError: t.verdict.reason };
      break;
    }
  }
  return ctx.db.orm.update(deliveries).set({ ...base, ...set }).where(eq(deliveries.id, d.id));
}

/** The statements that record an attempt: the message's outcome, its deliveries, the channel's health. */
function recordStatements(ctx: AppContext, channelId: number, messageId: number, claimed: Claimed[], t: Transmission, now: number, digestId: number | null): Statement[] {
  const prepared = statements(ctx);
  const ok = t.verdict.outcome === 'sent';
  return [
    bound(prepared.messageOutcome, { id: messageId, ok: ok ? 1 : 0 }),
    ...claimed.map((d) =>
      ok && digestId === null ? bound(prepared.sent, { id: d.id, now, response: t.response || null }) : deliveryUpdate(ctx, d, t, now, digestId),
    ),
    ok ? bound(prepared.channelHealthy, { id: channelId, now }) : channelUpdate(ctx, channelId, t.verdict, now),
  ];
}

async function record(ctx: AppContext, channelId: number, messageId: number, claimed: Claimed[], t: Transmission, now: number, digestId: number | null) {
  await ctx.db.batch(recordStatements(ctx, channelId, messageId, claimed, t, now, digestId));
}

// --- The sender -------------------------------------------------------------------------------

export interface DeliverReport {
  sent: number;
  failed: number;
  merged: number;
}

/** Interrupted sends (the sender died with the claim held) become visible as dead, never resent on their own. */
export async function releaseInterrupted(ctx: AppContext, claimedBefore: number): Promise<number> {
  const rows = await ctx.db.orm
    .update(deliveries)
    .set({
      status: 'dead',
      claimedAt: null,
      lastError: '发送过程中服务中断，无法确认对方是否已收到；如未收到，请点“重新发送”',
      updatedAt: ctx.now(),
    })
    .where(and(eq(deliveries.status, 'sending'), lt(deliveries.claimedAt, claimedBefore)))
    .returning({ id: deliveries.id });
  return rows.length;
}

/** Sends one channel's due deliveries: singly while its minute allows, the rest as one digest. */
async function deliverChannel(ctx: AppContext, channel: ChannelRow, report: DeliverReport): Promise<void> {
  const now = ctx.now();
  const allowance = Math.floor((MESSAGES_PER_MINUTE - (await sentInLastMinute(ctx, channel.id, now))) / requestsPerMessage(channel));
  if (allowance <= 0) return;
  const due = await ctx.db.orm
    .select({ id: deliveries.id, alertId: deliveries.alertId })
    .from(deliveries)
    .where(and(eq(deliveries.channelId, channel.id), eq(deliveries.status, 'pending'), lte(deliveries.nextAttemptAt, now)))
    .orderBy(asc(deliveries.nextAttemptAt), asc(deliveries.id))
    .limit(1000);
  if (due.length === 0) return;
  // With more due than the minute allows, the last message of the minute is a digest of the rest.
  const singles = due.length <= allowance ? due : due.slice(0, allowance - 1);
  const rest = due.length <= allowance ? [] : due.slice(allowance - 1);
  const publicUrl = ctx.config.publicUrl;

  // The facts of every single are read at once. Each delivery is still claimed (committed) right
  // before its send, and its outcome recorded right after: in one transaction with the next
  // delivery's claim, so that each message costs one commit rather than two. A crash between two
  // commits leaves at most the one message in flight claimed, as before.
  const singleFacts = await alertRecords(ctx, singles.map((s) => s.alertId));
  let next = 0;
  const claimNext = async (): Promise<ClaimedOne> => {
    for (; next < singles.length && !ctx.stopping?.(); ) {
      const claimed = claimedOf(await ctx.db.batch(claimStatements(ctx, channel, singles[next++]!.id, ctx.now())));
      if (claimed) return claimed;
    }
    return null;
  };
  let current = await claimNext();
  while (current) {
    const { delivery: d, messageId } = current;
    const at = ctx.now();
    const facts = singleFacts.get(d.alertId)!;
    const message = composeMessage(facts, at, publicUrl);
    const payload = { type: facts.type, alert: alertPayload(facts, message), links: { page: message.link } };
    const t = await transmit(ctx, channel, message, { id: String(d.id), payload });
    tally(report, t, 1, false);
    const done = ctx.now();
    const recorded = recordStatements(ctx, channel.id, messageId, [d], t, done, null);
    // A channel found misconfigured or throttled takes no more messages in this run, nor one
    // that did not answer at all (each further try would wait out the whole timeout).
    const stop =
      t.verdict.outcome === 'misconfigured' || t.verdict.outcome === 'rate_limited' || (t.verdict.outcome === 'retry' && t.status === null);
    // Shutting down: this message's outcome is recorded, and no further delivery is claimed (one
    // claimed now might be sent and then, cut off by the shutdown, never recorded).
    const last = stop || ctx.stopping?.() === true;
    if (last || next >= singles.length) {
      await ctx.db.batch(recorded);
      if (last) return;
      break;
    }
    current = claimedOf(await ctx.db.batch([...recorded, ...claimStatements(ctx, channel, singles[next++]!.id, done)]));
    current ??= await claimNext();
  }

  if (rest.length === 0 || ctx.stopping?.()) return;
  const claimed = await claim(ctx, rest.map((r) => r.id), ctx.now());
  if (claimed.length === 0) return;
  const records = await alertRecords(ctx, claimed.map((d) => d.alertId));
  const at = ctx.now();
  const messages = claimed.map((d) => composeMessage(records.get(d.alertId)!, at, publicUrl));
  const digest = composeDigest(messages, publicUrl);
  const messageId = await openMessage(ctx, channel, 'digest', claimed.length, at);
  const payload = {
    type: 'digest',
    alerts: claimed.map((d, i) => alertPayload(records.get(d.alertId)!, messages[i]!)),
    links: { page: digest.link },
  };
  const t = await transmit(ctx, channel, digest, { id: `digest-${messageId}`, payload });
  await record(ctx, channel.id, messageId, claimed, t, ctx.now(), messageId);
  tally(report, t, claimed.length, true);
}

function tally(report: DeliverReport, t: Transmission, count: number, digest: boolean) {
  if (t.verdict.outcome !== 'sent') report.failed += count;
  else if (digest) report.merged += count;
  else report.sent += count;
}

/** One sender run per context at a time; a call during a run waits for it and then runs again. */
const running = new WeakMap<AppContext, Promise<DeliverReport>>();

/**
 * Sends every due delivery now (SPEC §10): channels side by side (config.delivery.concurrency),
 * each channel's messages one after another, at most 20 a minute per channel with a digest for
 * the rest. Misconfigured, paused and disabled channels keep their deliveries waiting.
 */
export async function deliverDue(ctx: AppContext): Promise<DeliverReport> {
  const previous = running.get(ctx);
  const run = (previous ? previous.catch(() => undefined) : Promise.resolve()).then(() => deliverOnce(ctx));
  running.set(ctx, run);
  try {
    return await run;
  } finally {
    if (running.get(ctx) === run) running.delete(ctx);
  }
}

/** Channels that may send now and have deliveries due (interrupted claims released first). */
export async function channelsWithDueDeliveries(ctx: AppContext): Promise<ChannelRow[]> {
  const now = ctx.now();
  await releaseInterrupted(ctx, now - ctx.config.delivery.claimLeaseMs);
  return ctx.db.orm
    .select()
    .from(channels)
    .where(
      and(
        eq(channels.enabled, true),
        sql`${channels.misconfiguredAt} IS NULL`,
        sql`(${channels.pausedUntil} IS NULL OR ${channels.pausedUntil} <= ${now})`,
        sql`EXISTS (SELECT 1 FROM ${deliveries} INDEXED BY deliveries_due_idx WHERE ${deliveries.channelId} = ${channels.id} AND ${deliveries.status} = 'pending' AND ${deliveries.nextAttemptAt} <= ${now})`,
      ),
    );
}

async function deliverOnce(ctx: AppContext): Promise<DeliverReport> {
  const report: DeliverReport = { sent: 0, failed: 0, merged: 0 };
  const queue = await channelsWithDueDeliveries(ctx);
  const worker = async () => {
    for (let channel = queue.shift(); channel && !ctx.stopping?.(); channel = queue.shift()) await deliverChannel(ctx, channel, report);
  };
  await Promise.all(Array.from({ length: Math.max(1, ctx.config.delivery.concurrency) }, worker));
  return report;
}

/** One channel's due deliveries (a queue message's work on Workers). */
export async function deliverToChannel(ctx: AppContext, channelId: number): Promise<DeliverReport> {
  const report: DeliverReport = { sent: 0, failed: 0, merged: 0 };
  const [channel] = (await channelsWithDueDeliveries(ctx)).filter((c) => c.id === channelId);
  if (channel) await deliverChannel(ctx, channel, report);
  return report;
}

/** `POST /api/channels/:id/test`: a test message now, outside the outbox, counted in the minute. */
export async function sendTestMessage(ctx: AppContext, channelId: number): Promise<{ ok: boolean; status: number | null; response: string; error: string | null }> {
  const channel = await findChannelRow(ctx, channelId);
  const now = ctx.now();
  if ((await sentInLastMinute(ctx, channelId, now)) + requestsPerMessage(channel) > MESSAGES_PER_MINUTE) {
    throw new AppError(429, 'rate_limited', `通知渠道「${channel.name}」这一分钟已发送 ${MESSAGES_PER_MINUTE} 条消息，请稍后再试`);
  }
  const message = composeTest(channel.name, now, ctx.config.publicUrl);
  const messageId = await openMessage(ctx, channel, 'test', 0, now);
  const payload = { type: 'test', channel: channel.name, message: { title: message.title, lines: message.lines }, links: { page: message.link } };
  const t = await transmit(ctx, channel, message, { id: `test-${messageId}`, payload });
  await ctx.db.batch([
    ctx.db.orm.update(channelMessages).set({ ok: t.verdict.outcome === 'sent' }).where(eq(channelMessages.id, messageId)),
    channelUpdate(ctx, channelId, t.verdict, ctx.now()),
  ]);
  return { ok: t.verdict.outcome === 'sent', status: t.status, response: t.response, error: t.verdict.outcome === 'sent' ? null : t.verdict.reason };
}
