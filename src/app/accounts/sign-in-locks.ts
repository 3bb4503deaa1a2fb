import { inArray } from 'drizzle-orm';
import { shanghaiDate } from '../../domain/time.js';
import { loginFailures } from '../../db/schema.js';
import type { AppContext } from '../context.js';
import { addressFailureKey, LOCK_MS, MAX_FAILURES, userFailureKey, WINDOW_MS } from './sessions.js';

// What the sign-in page tells a person about throttling (sessions.ts does the throttling): that
// the user name or the address is locked, until when, and how many tries are left before a lock.

export interface SignInThrottle {
  /** Until when the user name is locked (epoch ms), or null. */
  userLockedUntil: number | null;
  /** Until when the client address is locked, or null. */
  addressLockedUntil: number | null;
  /** Failures of this user name still allowed before it is locked. */
  userTriesLeft: number;
}

export async function signInThrottle(ctx: AppContext, username: string, address: string): Promise<SignInThrottle> {
  const now = ctx.now();
  const userKey = userFailureKey(username);
  const addressKey = addressFailureKey(address);
  const rows = await ctx.db.orm.select().from(loginFailures).where(inArray(loginFailures.key, [userKey, addressKey]));
  const row = (key: string) => rows.find((r) => r.key === key);
  const until = (key: string) => {
    const lockedUntil = row(key)?.lockedUntil ?? null;
    return lockedUntil !== null && lockedUntil > now ? lockedUntil : null;
  };
  const user = row(userKey);
  const counted = user && user.windowStart >= now - WINDOW_MS ? user.failures : 0;
  return { userLockedUntil: until(userKey), addressLockedUntil: until(addressKey), userTriesLeft: Math.max(0, MAX_FAILURES.user - counted) };
}

/** 'HH:MM' in Beijing time, with the date when it is not today's. */
function clock(ctx: AppContext, at: number): string {
  const iso = new Date(at + 8 * 3_600_000).toISOString();
  return shanghaiDate(at) === shanghaiDate(ctx.now()) ? iso.slice(11, 16) : `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

const minutesLeft = (ctx: AppContext, until: number) => Math.max(1, Math.ceil((until - ctx.now()) / 60_000));

/** The sign-in page's words for a lock, or null when neither the name nor the address is locked. */
export function lockMessage(ctx: AppContext, username: string, throttle: SignInThrottle): string | null {
  const lockMinutes = LOCK_MS / 60_000;
  const windowMinutes = WINDOW_MS / 60_000;
  if (throttle.userLockedUntil !== null) {
    const until = throttle.userLockedUntil;
    return `用户名“${username}”在 ${windowMinutes} 分钟内登录失败 ${MAX_FAILURES.user} 次，已锁定 ${lockMinutes} 分钟：请于 ${clock(ctx, until)}（北京时间，约 ${minutesLeft(ctx, until)} 分钟后）再试。忘记密码请联系管理员重置。`;
  }
  if (throttle.addressLockedUntil !== null) {
    const until = throttle.addressLockedUntil;
    return `本机所在的网络地址在 ${windowMinutes} 分钟内登录失败 ${MAX_FAILURES.address} 次，已暂停从该地址登录 ${lockMinutes} 分钟：请于 ${clock(ctx, until)}（北京时间，约 ${minutesLeft(ctx, until)} 分钟后）再试。`;
  }
  return null;
}

/** A warning once few tries are left before the user name is locked, or null. */
export function triesLeftMessage(throttle: SignInThrottle): string | null {
  if (throttle.userTriesLeft === 0 || throttle.userTriesLeft > 2) return null;
  return `再失败 ${throttle.userTriesLeft} 次，该用户名将被锁定 ${LOCK_MS / 60_000} 分钟。`;
}
