import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import ical, { ICalCalendarMethod } from 'ical-generator';
import { COMMITMENT_LABELS } from '../../domain/deadlines/response-policy.js';
import { pageLink } from '../../domain/notifications/messages.js';
import { DAY_MS, shanghaiDate, startOfShanghaiDay } from '../../domain/time.js';
import { calendarFeeds, commitments, departments, documents, incidents, meta, users } from '../../db/schema.js';
import type { Actor } from '../accounts/actor.js';
import { actorOf } from '../accounts/sessions.js';
import { newToken, sha256Hex } from '../admin-token.js';
import { auditStatement } from '../audit.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { readMeta } from '../meta.js';

// A per-user secret iCalendar address of the user's deadlines (SPEC §10): interpretation due
// dates as all-day events, response commitments as timed events at their due instant. Clients
// (Outlook, Apple Calendar, Thunderbird …) poll it; time-critical alerts go through the channels.

/** At most this many document deadlines in a feed (the latest due dates; a calendar is not an archive). */
export const CALENDAR_FEED_MAX_DOCUMENTS = 2000;

/**
 * Issues (or rotates: the old address stops working) the caller's calendar address. The secret
 * is shown in this answer only; the database keeps its SHA-256.
 */
export async function issueCalendarFeed(ctx: AppContext, actor: Actor, requestOrigin: string): Promise<{ url: string }> {
  if (actor.userId === null) {
    throw new AppError(422, 'no_user', '管理员令牌没有个人日历：请用个人账户登录后再生成日历订阅地址');
  }
  const secret = newToken();
  const now = ctx.now();
  await ctx.db.batch([
    ctx.db.orm
      .insert(calendarFeeds)
      .values({ userId: actor.userId, secretHash: await sha256Hex(secret), createdAt: now })
      .onConflictDoUpdate({ target: calendarFeeds.userId, set: { secretHash: await sha256Hex(secret), createdAt: now, lastFetchedAt: null } }),
    auditStatement(ctx, actor, 'calendar_feed', actor.userId, 'issue', null, { userId: actor.userId }),
  ]);
  return { url: pageLink(ctx.config.publicUrl ?? requestOrigin, `/calendar/${secret}.ics`) };
}

/** A stable, installation-wide namespace for event UIDs (RFC 7986: no host or user in a UID). */
async function installationId(ctx: AppContext): Promise<string> {
  const stored = await readMeta(ctx.db, 'installation_id');
  if (stored) return stored;
  const id = crypto.randomUUID();
  await ctx.db.orm.insert(meta).values({ key: 'installation_id', value: id }).onConflictDoNothing();
  return (await readMeta(ctx.db, 'installation_id'))!;
}

/** The iCalendar text for a secret, or null when the secret is unknown, rotated or its user disabled. */
export async function calendarFeedIcs(ctx: AppContext, secret: string): Promise<string | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(secret)) return null;
  const [feed] = await ctx.db.orm.select().from(calendarFeeds).where(eq(calendarFeeds.secretHash, await sha256Hex(secret)));
  if (!feed) return null;
  const actor = await actorOf(ctx, feed.userId, 'token');
  if (!actor) return null;
  const [user] = await ctx.db.orm.select({ displayName: users.displayName }).from(users).where(eq(users.id, feed.userId));
  const now = ctx.now();
  // Noting the fetch is bookkeeping, not worth a write on every poll of every client.
  if (feed.lastFetchedAt === null || now - feed.lastFetchedAt > 10 * 60_000) {
    await ctx.db.orm.update(calendarFeeds).set({ lastFetchedAt: now }).where(eq(calendarFeeds.userId, feed.userId));
  }

  // Drafters see their own departments; every other role sees all (SPEC §10).
  const scoped = actor.role === 'drafter';
  const inScope = (column: typeof documents.departmentCode | typeof incidents.departmentCode) =>
    scoped ? sql`${column} IN (SELECT value FROM json_each(${JSON.stringify(actor.departments)}))` : undefined;
  const uidSpace = await installationId(ctx);
  const publicUrl = ctx.config.publicUrl;
  const today = shanghaiDate(now);

  const docs = await ctx.db.orm
    .select({
      id: documents.id,
      title: documents.title,
      docNumber: documents.docNumber,
      due: documents.interpretationDueDate,
      revision: documents.dueRevision,
      updatedAt: documents.updatedAt,
      department: departments.name,
    })
    .from(documents)
    .innerJoin(departments, eq(departments.code, documents.departmentCode))
    // Drafts have no deadline yet (their stored due date is a placeholder).
    .where(and(sql`${documents.requiresInterpretation} = 1 AND ${documents.drafting} = 0`, isNull(documents.firstInterpretationAt), inScope(documents.departmentCode)))
    .orderBy(sql`${documents.interpretationDueDate} DESC`)
    .limit(CALENDAR_FEED_MAX_DOCUMENTS);

  const clocks = await ctx.db.orm
    .select({
      id: commitments.id,
      kind: commitments.kind,
      dueAt: commitments.dueAt,
      revision: commitments.dueRevision,
      incidentId: incidents.id,
      title: incidents.title,
      department: departments.name,
    })
    .from(commitments)
    .innerJoin(incidents, eq(incidents.id, commitments.incidentId))
    .leftJoin(departments, eq(departments.code, incidents.departmentCode))
    .where(and(isNull(commitments.fulfilledAt), isNull(commitments.cancelledAt), eq(incidents.status, 'open'), inScope(incidents.departmentCode)))
    .orderBy(asc(commitments.dueAt));

  const name = `政策解读与回应时限 · ${user?.displayName ?? actor.username}`;
  const calendar = ical({ name, prodId: { company: 'zwgk', product: 'policy-interpretation-platform', language: 'ZH' }, method: ICalCalendarMethod.PUBLISH });
  calendar.ttl(15 * 60); // REFRESH-INTERVAL;VALUE=DURATION:PT15M and X-PUBLISHED-TTL:PT15M
  // Times are written in UTC; the zone is a display hint (no TZID, so no VTIMEZONE is needed).
  calendar.x([['X-WR-TIMEZONE', 'Asia/Shanghai']]);

  for (const d of docs) {
    const overdue = d.due < today;
    const start = new Date(startOfShanghaiDay(d.due) + 8 * 3_600_000); // UTC midnight of that date: VALUE=DATE
    calendar.createEvent({
      id: `document-${d.id}-interpretation-due.${uidSpace}`,
      sequence: d.revision,
      stamp: new Date(now),
      lastModified: new Date(d.updatedAt),
      allDay: true,
      start,
      end: new Date(start.getTime() + DAY_MS),
      summary: `${overdue ? '【已逾期】' : d.due === today ? '【今日到期】' : ''}解读截止：《${d.title}》`,
      description: [`文件：《${d.title}》${d.docNumber ? `（${d.docNumber}）` : ''}`, `起草部门：${d.department}`, `政策解读应于 ${d.due}（含）前发布`, pageLink(publicUrl, `/documents/${d.id}`)].join('\n'),
      url: /^https?:/.test(publicUrl ?? '') ? pageLink(publicUrl, `/documents/${d.id}`) : null,
    });
  }
  for (const c of clocks) {
    const label = COMMITMENT_LABELS[c.kind] ?? c.kind;
    calendar.createEvent({
      id: `commitment-${c.id}-due.${uidSpace}`,
      sequence: c.revision,
      stamp: new Date(now),
      start: new Date(c.dueAt),
      end: new Date(c.dueAt),
      summary: `${c.dueAt < now ? '【已超时】' : ''}回应时限：${label} · ${c.title}`,
      description: [`舆情事件：${c.title}`, ...(c.department ? [`责任部门：${c.department}`] : []), `须于此时前${label}`, pageLink(publicUrl, `/incidents/${c.incidentId}`)].join('\n'),
      url: /^https?:/.test(publicUrl ?? '') ? pageLink(publicUrl, `/incidents/${c.incidentId}`) : null,
    });
  }
  return calendar.toString();
}
