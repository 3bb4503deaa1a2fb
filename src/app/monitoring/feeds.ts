import { and, asc, eq, lte, sql } from 'drizzle-orm';
import { SYSTEM_ACTOR, type Actor } from '../accounts/actor.js';
import { auditStatement } from '../audit.js';
import { UnsafeUrlError } from '../security/addresses.js';
import { toIsoUtc } from '../../domain/time.js';
import { isUniqueViolation } from '../../db/database.js';
import { alerts, feeds } from '../../db/schema.js';
import type { AppContext } from '../context.js';
import { AppError, changedMeanwhile, notFound, retriedOnChange } from '../errors.js';
import { nextUpdatedAt, unchangedSince } from '../../db/guard.js';
import { fetchFeed, FeedFetchError } from './fetch-feed.js';
import { planIngest } from './ingest.js';
import { FeedParseError, parseFeed } from './parse-feed.js';

export const DEFAULT_INTERVAL_MINUTES = 15;
/** Consecutive failed polls after which a feed raises `feed_failing` (SPEC §10). */
export const FAILING_AFTER_ERRORS = 5;
/** Backoff after errors doubles the interval per consecutive error, up to this. */
const MAX_BACKOFF_MS = 6 * 3_600_000;

export interface FeedInput {
  name: string;
  url: string;
  intervalMinutes?: number;
}

export interface FeedView {
  id: number;
  name: string;
  url: string;
  intervalMinutes: number;
  source: 'config' | 'api';
  enabled: boolean;
  lastPolledAt: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  consecutiveErrors: number;
  nextPollAt: string;
  itemCount: number;
}

export interface PollResult {
  feedId: number;
  fetched: number;
  new: number;
  matched: number;
  notModified: boolean;
  error?: { code: string; message: string };
}

type FeedRow = typeof feeds.$inferSelect;

// Plain SQL: drizzle renders an interpolated column without its table (see matchedRuleIdsOfItem).
const itemCount = sql<number>`(SELECT COUNT(*) FROM items i WHERE i.feed_id = feeds.id)`;

function toView(r: FeedRow & { itemCount: number }): FeedView {
  return {
    id: r.id,
    name: r.name,
    url: r.url,
    intervalMinutes: r.intervalMinutes,
    source: r.source,
    enabled: r.enabled,
    lastPolledAt: r.lastPolledAt === null ? null : toIsoUtc(r.lastPolledAt),
    lastSuccessAt: r.lastSuccessAt === null ? null : toIsoUtc(r.lastSuccessAt),
    lastError: r.lastError,
    consecutiveErrors: r.consecutiveErrors,
    nextPollAt: toIsoUtc(r.nextPollAt),
    itemCount: r.itemCount,
  };
}

export async function getFeed(ctx: AppContext, id: number): Promise<FeedView> {
  const [row] = await ctx.db.orm.select({ ...feedColumns(), itemCount }).from(feeds).where(eq(feeds.id, id));
  if (!row) throw notFound('订阅源', id);
  return toView(row);
}

function feedColumns() {
  const { id, name, url, intervalMinutes, source, enabled, etag, lastModified, lastPolledAt, lastSuccessAt, lastError, consecutiveErrors, nextPollAt, createdAt, updatedAt } = feeds;
  return { id, name, url, intervalMinutes, source, enabled, etag, lastModified, lastPolledAt, lastSuccessAt, lastError, consecutiveErrors, nextPollAt, createdAt, updatedAt };
}

export async function createFeed(ctx: AppContext, actor: Actor, input: FeedInput, source: 'config' | 'api' = 'api'): Promise<FeedView> {
  await checkFeedUrl(ctx, input.url);
  const now = ctx.now();
  const values = { name: input.name, url: input.url, intervalMinutes: input.intervalMinutes ?? DEFAULT_INTERVAL_MINUTES, source };
  try {
    const [rows] = (await ctx.db.batch([
      ctx.db.orm
        .insert(feeds)
        .values({ ...values, enabled: true, consecutiveErrors: 0, nextPollAt: now, createdAt: now, updatedAt: now })
        .returning({ id: feeds.id }),
      auditStatement(ctx, actor, 'feed', sql`(SELECT id FROM feeds WHERE url = ${input.url})`, 'create', null, values),
    ])) as [{ id: number }[]];
    return getFeed(ctx, rows[0]!.id);
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError(409, 'duplicate_feed', `url: 订阅源 ${input.url} 已存在`);
    throw err;
  }
}

export interface FeedPatch {
  name?: string;
  intervalMinutes?: number;
  /** A disabled feed keeps its items and state but is not polled by the scheduler. */
  enabled?: boolean;
}

/**
 * Renames a feed, changes its interval, or enables / disables it (the URL is its identity and stays).
 * Enabling a feed makes it due at once, so its health is known again at the next poll.
 */
export async function updateFeed(ctx: AppContext, actor: Actor, id: number, patch: FeedPatch): Promise<FeedView> {
  // (Guarded and retried as updateDocument: two PATCHes at once must not undo each other.)
  return retriedOnChange(() => updateFeedOnce(ctx, actor, id, patch), () => changedMeanwhile('订阅源', id));
}

async function updateFeedOnce(ctx: AppContext, actor: Actor, id: number, patch: FeedPatch): Promise<FeedView> {
  const [row] = await ctx.db.orm.select().from(feeds).where(eq(feeds.id, id));
  if (!row) throw notFound('订阅源', id);
  const now = ctx.now();
  const before = { name: row.name, intervalMinutes: row.intervalMinutes, enabled: row.enabled };
  const after = { ...before, ...patch };
  const reenabled = patch.enabled === true && !row.enabled;
  await ctx.db.batch([
    unchangedSince(ctx.db.orm, feeds, id, row.updatedAt),
    ctx.db.orm
      .update(feeds)
      .set({ ...after, ...(reenabled ? { nextPollAt: Math.min(row.nextPollAt, now) } : {}), updatedAt: nextUpdatedAt(feeds.updatedAt, now) })
      .where(eq(feeds.id, id)),
    auditStatement(ctx, actor, 'feed', id, 'update', before, after),
  ]);
  return getFeed(ctx, id);
}

export async function listFeeds(ctx: AppContext, page: { limit: number; offset: number }): Promise<FeedView[]> {
  const rows = await ctx.db.orm
    .select({ ...feedColumns(), itemCount })
    .from(feeds)
    .orderBy(asc(feeds.id))
    .limit(page.limit)
    .offset(page.offset);
  return rows.map(toView);
}

/** Sources declared under feeds/: created, or updated by URL, at start. */
export async function upsertConfiguredFeeds(ctx: AppContext, declared: FeedInput[]): Promise<string[]> {
  const problems: string[] = [];
  for (const [i, f] of declared.entries()) {
    try {
      const [existing] = await ctx.db.orm.select().from(feeds).where(eq(feeds.url, f.url));
      const intervalMinutes = f.intervalMinutes ?? DEFAULT_INTERVAL_MINUTES;
      if (!existing) await createFeed(ctx, SYSTEM_ACTOR, f, 'config');
      else if (existing.name !== f.name || existing.intervalMinutes !== intervalMinutes) {
        await ctx.db.batch([
          ctx.db.orm.update(feeds).set({ name: f.name, intervalMinutes, updatedAt: nextUpdatedAt(feeds.updatedAt, ctx.now()) }).where(eq(feeds.id, existing.id)),
          auditStatement(ctx, SYSTEM_ACTOR, 'feed', existing.id, 'update', { name: existing.name, intervalMinutes: existing.intervalMinutes }, {
            name: f.name,
            intervalMinutes,
          }),
        ]);
      }
    } catch (err) {
      problems.push(`feeds[${i}]（${f.name}）: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return problems;
}

/**
 * Refuses URLs the configured guard forbids (private addresses unless ALLOW_PRIVATE_FEEDS=1). A
 * host that does not resolve right now is accepted: DNS may be down for a moment, and every poll
 * checks again and records the failure on the feed.
 */
async function checkFeedUrl(ctx: AppContext, url: string): Promise<void> {
  try {
    await ctx.urlGuard?.(url);
  } catch (err) {
    if (err instanceof UnsafeUrlError) throw new AppError(400, 'unsafe_url', `url: ${err.message}`);
  }
}

/**
 * When a feed is next polled: its interval after a success; after errors, the interval doubled for
 * each error in a row, at most MAX_BACKOFF_MS. SQL reading the interval as the statement runs, so
 * that an interval changed while a poll was in flight counts rather than the one it began with.
 */
function nextPollSql(from: number, consecutiveErrors: number) {
  if (consecutiveErrors === 0) return sql`${from} + ${feeds.intervalMinutes} * 60000`;
  return sql`${from} + MIN(${feeds.intervalMinutes} * ${60_000 * 2 ** Math.min(consecutiveErrors, 10)}, ${MAX_BACKOFF_MS})`;
}

const polling = new Set<number>();

/**
 * One poll of one feed. Every failure — network, HTTP status, size, charset, XML — is recorded
 * on the feed (lastError, consecutiveErrors, backoff) and returned, never thrown: a broken feed
 * must not stop the poller. Items, hits, incidents and the new cursor commit in one batch.
 */
export async function pollFeed(ctx: AppContext, actor: Actor, id: number): Promise<PollResult> {
  const [feed] = await ctx.db.orm.select().from(feeds).where(eq(feeds.id, id));
  if (!feed) throw notFound('订阅源', id);
  const empty = { feedId: id, fetched: 0, new: 0, matched: 0, notModified: false };
  if (polling.has(id)) {
    return { ...empty, error: { code: 'busy', message: '该订阅源正在抓取中，请稍后再试' } };
  }
  polling.add(id);
  try {
    return await pollOnce(ctx, actor, feed);
  } finally {
    polling.delete(id);
  }
}

async function pollOnce(ctx: AppContext, actor: Actor, feed: FeedRow): Promise<PollResult> {
  const started = ctx.now();
  const empty = { feedId: feed.id, fetched: 0, new: 0, matched: 0, notModified: false };
  const success = {
    lastPolledAt: started,
    lastSuccessAt: started,
    lastError: null,
    consecutiveErrors: 0,
    nextPollAt: nextPollSql(started, 0),
    updatedAt: nextUpdatedAt(feeds.updatedAt, started),
  };
  try {
    const fetched = await fetchFeed(feed.url, {
      ...ctx.config.feedFetch,
      etag: feed.etag,
      lastModified: feed.lastModified,
      ...(ctx.urlGuard ? { checkUrl: ctx.urlGuard } : {}),
      ...(ctx.fetch ? { fetchImpl: ctx.fetch } : {}),
    });
    if (fetched.kind === 'not_modified') {
      await ctx.db.orm.update(feeds).set(success).where(eq(feeds.id, feed.id));
      return { ...empty, notModified: true };
    }
    const parsed = await parseFeed(fetched.text, fetched.finalUrl);
    const fetchedAt = ctx.now();
    const plan = await planIngest(ctx, actor, feed.id, parsed.items, fetchedAt);
    await ctx.db.batch([
      ...plan.statements,
      ctx.db.orm
        .update(feeds)
        .set({ ...success, etag: fetched.etag, lastModified: fetched.lastModified })
        .where(eq(feeds.id, feed.id)),
    ]);
    if (plan.alerts > 0) ctx.afterAlerts?.();
    return { ...empty, fetched: plan.fetched, new: plan.newItems, matched: plan.matched };
  } catch (err) {
    const error = describePollError(err);
    const errors = feed.consecutiveErrors + 1;
    const failing = errors >= FAILING_AFTER_ERRORS;
    await ctx.db.batch([
      ctx.db.orm
        .update(feeds)
        .set({
          lastPolledAt: started,
          lastError: error.message,
          consecutiveErrors: errors,
          nextPollAt: nextPollSql(ctx.now(), errors),
          updatedAt: nextUpdatedAt(feeds.updatedAt, ctx.now()),
        })
        .where(eq(feeds.id, feed.id)),
      // `feed_failing` once per failing spell: keyed by the last success, so it fires again only
      // after the feed has recovered in between.
      ...(failing
        ? [
            ctx.db.orm
              .insert(alerts)
              .values({
                type: 'feed_failing',
                feedId: feed.id,
                dedupeKey: `feed_failing:${feed.id}:${feed.lastSuccessAt ?? 'never'}`,
                message: `订阅源「${feed.name}」已连续 ${errors} 次抓取失败：${error.message}`,
                subject: feed.name,
                createdAt: ctx.now(),
              })
              .onConflictDoNothing(),
          ]
        : []),
    ]);
    if (failing) ctx.afterAlerts?.();
    return { ...empty, error };
  }
}

function describePollError(err: unknown): { code: string; message: string } {
  if (err instanceof FeedFetchError || err instanceof FeedParseError) return { code: err.code, message: err.message };
  if (err instanceof AppError) return { code: err.code, message: err.message };
  return { code: 'internal', message: `抓取失败：${err instanceof Error ? err.message : String(err)}` };
}

/**
 * Polls every enabled feed whose next poll is due: at most `pollConcurrency` at once and never two
 * requests to the same host at a time (a host's feeds are polled one after another).
 */
export async function pollDueFeeds(ctx: AppContext, actor: Actor): Promise<{ feeds: number; new: number; matched: number; errors: number }> {
  const due = await ctx.db.orm
    .select({ id: feeds.id, url: feeds.url })
    .from(feeds)
    .where(and(eq(feeds.enabled, true), lte(feeds.nextPollAt, ctx.now())))
    .orderBy(asc(feeds.nextPollAt));
  const byHost = new Map<string, number[]>();
  for (const f of due) {
    const host = hostOf(f.url);
    byHost.set(host, [...(byHost.get(host) ?? []), f.id]);
  }
  const queues = [...byHost.values()];
  const totals = { feeds: 0, new: 0, matched: 0, errors: 0 };
  const worker = async () => {
    for (let queue = queues.shift(); queue; queue = queues.shift()) {
      for (const id of queue) {
        // Shutting down: the polls in progress finish, no new one starts (the rest stay due).
        if (ctx.stopping?.()) return;
        const r = await pollFeed(ctx, actor, id);
        totals.feeds++;
        totals.new += r.new;
        totals.matched += r.matched;
        if (r.error) totals.errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, ctx.config.pollConcurrency) }, worker));
  return totals;
}

/**
 * The enabled feeds whose poll is due, each moved an interval on in the same statement: handed to
 * a queue, a feed is not handed out again before its poll has had its chance (a lost message
 * costs one interval, never a flood of duplicates). The poll itself sets the next time again.
 */
export async function claimDueFeeds(ctx: AppContext): Promise<number[]> {
  const now = ctx.now();
  const rows = await ctx.db.orm
    .update(feeds)
    .set({ nextPollAt: sql`${now} + ${feeds.intervalMinutes} * 60000` })
    .where(and(eq(feeds.enabled, true), lte(feeds.nextPollAt, now)))
    .returning({ id: feeds.id });
  return rows.map((r) => r.id);
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
