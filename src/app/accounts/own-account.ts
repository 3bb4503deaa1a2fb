import { and, eq, gt, ne } from 'drizzle-orm';
import { toIsoUtc } from '../../domain/time.js';
import type { Statement } from '../../db/database.js';
import { nextUpdatedAt } from '../../db/guard.js';
import { calendarFeeds, loginFailures, sessions, users } from '../../db/schema.js';
import { sha256Hex } from '../admin-token.js';
import { auditStatement } from '../audit.js';
import type { AppContext } from '../context.js';
import { AppError, invalidField } from '../errors.js';
import type { Actor } from './actor.js';
import { lockedFor, MAX_FAILURES, recordFailure, userFailureKey } from './sessions.js';
import { assertPasswordNotName, getUser } from './users.js';

// What a signed-in person does to their own account (SPEC §15, /me): change their password, and
// see whether they have a calendar address. Tokens are in sessions.ts, the feed itself in
// notifications/calendar-feed.ts.

const noUser = (what: string) =>
  new AppError(422, 'no_user', `管理员令牌不代表某个用户，${what}：请以个人账户登录后再操作`);

/**
 * Changes the caller's own password. The current password is checked first; a wrong one counts as
 * a failed sign-in of that user name (five in 15 minutes lock both for 15 minutes). The caller's
 * other sessions end; `keepSession` (the session cookie of this request, if any) stays signed in.
 * Personal tokens are not touched: they are revoked one by one.
 */
export async function changeOwnPassword(
  ctx: AppContext,
  actor: Actor,
  input: { currentPassword: string; newPassword: string },
  keepSession: string | null,
): Promise<{ endedSessions: number }> {
  if (actor.userId === null) throw noUser('没有可修改的密码');
  const userId = actor.userId;
  const [user] = await ctx.db.orm.select().from(users).where(eq(users.id, userId));
  if (!user) throw noUser('没有可修改的密码');
  assertPasswordNotName(input.newPassword, user.username, 'newPassword');
  const key = userFailureKey(user.username);
  const locked = await lockedFor(ctx, [key]);
  if (locked > 0) {
    const minutes = Math.ceil((locked - ctx.now()) / 60_000);
    throw new AppError(429, 'too_many_attempts', `当前密码错误次数过多，请 ${minutes} 分钟后再试`);
  }
  if (!(await ctx.passwords.verify(input.currentPassword, user.passwordHash))) {
    await ctx.db.batch([recordFailure(ctx, key, MAX_FAILURES.user)]);
    throw invalidField('currentPassword', '当前密码不正确');
  }

  const keepHash = keepSession ? await sha256Hex(keepSession) : null;
  const others = keepHash ? and(eq(sessions.userId, userId), ne(sessions.tokenHash, keepHash)) : eq(sessions.userId, userId);
  const ended = (await ctx.db.orm.select({ tokenHash: sessions.tokenHash }).from(sessions).where(and(others, gt(sessions.expiresAt, ctx.now())))).length;
  const view = await getUser(ctx, userId);
  const { createdAt: _c, updatedAt: _u, ...audited } = view;
  const statements: Statement[] = [
    ctx.db.orm
      .update(users)
      .set({ passwordHash: await ctx.passwords.hash(input.newPassword), updatedAt: nextUpdatedAt(users.updatedAt, ctx.now()) })
      .where(eq(users.id, userId)),
    ctx.db.orm.delete(sessions).where(others),
    // The right password was given: earlier failures of this name no longer count.
    ctx.db.orm.delete(loginFailures).where(eq(loginFailures.key, key)),
    // The same entry as an admin's password reset: who, whose, when; never the password.
    auditStatement(ctx, actor, 'user', userId, 'update_with_password', audited, audited),
  ];
  await ctx.db.batch(statements);
  return { endedSessions: ended };
}

export interface CalendarFeedStatus {
  issuedAt: string;
  /** When a calendar client last read it (noted at most every 10 minutes), or null. */
  lastFetchedAt: string | null;
}

/** Whether the caller has a calendar address, and whether a client reads it; never the address. */
export async function calendarFeedStatus(ctx: AppContext, actor: Actor): Promise<CalendarFeedStatus | null> {
  if (actor.userId === null) return null;
  const [row] = await ctx.db.orm.select().from(calendarFeeds).where(eq(calendarFeeds.userId, actor.userId));
  if (!row) return null;
  return { issuedAt: toIsoUtc(row.createdAt), lastFetchedAt: row.lastFetchedAt === null ? null : toIsoUtc(row.lastFetchedAt) };
}
