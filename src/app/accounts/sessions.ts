import { and, eq, gt, sql } from 'drizzle-orm';
import { apiTokens, loginFailures, sessions, userDepartments, users } from '../../db/schema.js';
import { newToken, sha256Hex } from '../admin-token.js';
import { auditStatement } from '../audit.js';
import type { AppContext } from '../context.js';
import { AppError, notFound } from '../errors.js';
import { toIsoUtc } from '../../domain/time.js';
import type { Actor, Role } from './actor.js';

export const SESSION_TTL_MS = 12 * 3_600_000;
export const WINDOW_MS = 15 * 60_000;
export const LOCK_MS = 15 * 60_000;
/** Failures within the window before a lock: per user name, and per client address. */
export const MAX_FAILURES = { user: 5, address: 20 } as const;

/** The throttling key of a user name (sign-in and the own-password check share it). */
export const userFailureKey = (username: string) => `user:${username.toLowerCase()}`;
/** The throttling key of a client address. */
export const addressFailureKey = (address: string) => `addr:${address}`;

export async function actorOf(ctx: AppContext, userId: number, via: Actor['via']): Promise<Actor | null> {
  const [user] = await ctx.db.orm.select().from(users).where(eq(users.id, userId));
  if (!user || user.disabled) return null;
  const depts = await ctx.db.orm.select().from(userDepartments).where(eq(userDepartments.userId, userId));
  return { username: user.username, userId, role: user.role as Role, departments: depts.map((d) => d.departmentCode).sort(), via };
}

/** The latest time until which any of these keys is locked, or 0. */
export async function lockedFor(ctx: AppContext, keys: string[]): Promise<number> {
  const now = ctx.now();
  let until = 0;
  for (const key of keys) {
    const [row] = await ctx.db.orm.select().from(loginFailures).where(eq(loginFailures.key, key));
    if (row?.lockedUntil && row.lockedUntil > now) until = Math.max(until, row.lockedUntil);
  }
  return until;
}

/** One more failure for a key, as a statement to batch. */
export function recordFailure(ctx: AppContext, key: string, limit: number) {
  const now = ctx.now();
  // One statement: a new window when the old one has passed, else one more failure, and a lock
  // once the count reaches the limit — so concurrent attempts cannot slip past the count.
  return ctx.db.orm
    .insert(loginFailures)
    .values({ key, failures: 1, windowStart: now, lockedUntil: limit <= 1 ? now + LOCK_MS : null })
    .onConflictDoUpdate({
      target: loginFailures.key,
      set: {
        failures: sql`CASE WHEN ${loginFailures.windowStart} < ${now - WINDOW_MS} THEN 1 ELSE ${loginFailures.failures} + 1 END`,
        windowStart: sql`CASE WHEN ${loginFailures.windowStart} < ${now - WINDOW_MS} THEN ${now} ELSE ${loginFailures.windowStart} END`,
        lockedUntil: sql`CASE WHEN ${loginFailures.windowStart} >= ${now - WINDOW_MS} AND ${loginFailures.failures} + 1 >= ${limit}
          THEN ${now + LOCK_MS} ELSE ${loginFailures.lockedUntil} END`,
      },
    });
}

/**
 * Signs a user in. Wrong name and wrong password get the same answer; repeated failures lock the
 * user name and the client address for a while (answered 429 before the password is checked).
 */
export async function login(
  ctx: AppContext,
  input: { username: string; password: string; address: string },
): Promise<{ token: string; actor: Actor; expiresAt: number }> {
  const keys = [userFailureKey(input.username), addressFailureKey(input.address)];
  const locked = await lockedFor(ctx, keys);
  if (locked > 0) {
    const minutes = Math.ceil((locked - ctx.now()) / 60_000);
    throw new AppError(429, 'too_many_attempts', `登录失败次数过多，请 ${minutes} 分钟后再试`);
  }
  const [user] = await ctx.db.orm.select().from(users).where(eq(users.username, input.username));
  const ok = user ? await ctx.passwords.verify(input.password, user.passwordHash) : false;
  if (!user || !ok || user.disabled) {
    await ctx.db.batch([recordFailure(ctx, keys[0]!, MAX_FAILURES.user), recordFailure(ctx, keys[1]!, MAX_FAILURES.address)]);
    throw new AppError(401, 'bad_credentials', user?.disabled && ok ? '该账户已停用' : '用户名或密码不正确');
  }
  const token = newToken();
  const now = ctx.now();
  const expiresAt = now + SESSION_TTL_MS;
  await ctx.db.batch([
    ctx.db.orm.insert(sessions).values({ tokenHash: await sha256Hex(token), userId: user.id, createdAt: now, expiresAt }),
    ctx.db.orm.delete(loginFailures).where(eq(loginFailures.key, keys[0]!)),
  ]);
  return { token, actor: (await actorOf(ctx, user.id, 'session'))!, expiresAt };
}

export async function logout(ctx: AppContext, token: string): Promise<void> {
  await ctx.db.orm.delete(sessions).where(eq(sessions.tokenHash, await sha256Hex(token)));
}

/** The signed-in user of a session cookie, or null (unknown, expired, or the user disabled). */
export async function actorOfSession(ctx: AppContext, token: string): Promise<Actor | null> {
  const [row] = await ctx.db.orm
    .select({ userId: sessions.userId })
    .from(sessions)
    .where(and(eq(sessions.tokenHash, await sha256Hex(token)), gt(sessions.expiresAt, ctx.now())));
  return row ? actorOf(ctx, row.userId, 'session') : null;
}

/** The owner of a personal bearer token, or null (unknown, revoked, or the user disabled). */
export async function actorOfToken(ctx: AppContext, token: string): Promise<Actor | null> {
  const [row] = await ctx.db.orm
    .select({ id: apiTokens.id, userId: apiTokens.userId, revokedAt: apiTokens.revokedAt, lastUsedAt: apiTokens.lastUsedAt })
    .from(apiTokens)
    .where(eq(apiTokens.tokenHash, await sha256Hex(token)));
  if (!row || row.revokedAt !== null) return null;
  const actor = await actorOf(ctx, row.userId, 'token');
  // Last use is kept to the minute: no write on every request.
  if (actor && (row.lastUsedAt === null || row.lastUsedAt < ctx.now() - 60_000)) {
    await ctx.db.orm.update(apiTokens).set({ lastUsedAt: ctx.now() }).where(eq(apiTokens.id, row.id));
  }
  return actor;
}

export interface TokenView {
  id: number;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const toTokenView = (r: typeof apiTokens.$inferSelect): TokenView => ({
  id: r.id,
  name: r.name,
  createdAt: toIsoUtc(r.createdAt),
  lastUsedAt: r.lastUsedAt === null ? null : toIsoUtc(r.lastUsedAt),
  revokedAt: r.revokedAt === null ? null : toIsoUtc(r.revokedAt),
});

/** A personal bearer token of the caller: the secret is returned this once and stored hashed. */
export async function createToken(ctx: AppContext, actor: Actor, name: string): Promise<{ id: number; name: string; token: string; createdAt: string }> {
  if (actor.userId === null) {
    throw new AppError(422, 'no_user', '管理员令牌不代表某个用户，不能签发个人令牌：请先创建管理员账户，以该账户登录后再签发');
  }
  const token = newToken();
  const tokenHash = await sha256Hex(token);
  const now = ctx.now();
  await ctx.db.batch([
    ctx.db.orm.insert(apiTokens).values({ userId: actor.userId, name, tokenHash, createdAt: now }),
    auditStatement(ctx, actor, 'user', actor.userId, 'token_create', null, { name }),
  ]);
  const [row] = await ctx.db.orm.select().from(apiTokens).where(eq(apiTokens.tokenHash, tokenHash));
  return { id: row!.id, name, token, createdAt: toIsoUtc(now) };
}

export async function listTokens(ctx: AppContext, actor: Actor): Promise<TokenView[]> {
  if (actor.userId === null) return [];
  const rows = await ctx.db.orm.select().from(apiTokens).where(eq(apiTokens.userId, actor.userId));
  return rows.map(toTokenView);
}

/** Revokes one of the caller's tokens (an admin may revoke anyone's). */
export async function revokeToken(ctx: AppContext, actor: Actor, id: number): Promise<TokenView> {
  const [row] = await ctx.db.orm.select().from(apiTokens).where(eq(apiTokens.id, id));
  if (!row || (row.userId !== actor.userId && actor.role !== 'admin')) throw notFound('令牌', id);
  if (row.revokedAt === null) {
    await ctx.db.batch([
      ctx.db.orm.update(apiTokens).set({ revokedAt: ctx.now() }).where(eq(apiTokens.id, id)),
      auditStatement(ctx, actor, 'user', row.userId, 'token_revoke', { tokenId: id, name: row.name }, null),
    ]);
  }
  const [after] = await ctx.db.orm.select().from(apiTokens).where(eq(apiTokens.id, id));
  return toTokenView(after!);
}
