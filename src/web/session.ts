import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { actorOfSession } from '../app/accounts/sessions.js';
import type { AppContext } from '../app/context.js';
import { sameOrigin, SESSION_COOKIE, type AuthEnv } from '../http/auth.js';

/**
 * Pages are for people: signed in with the session cookie, or sent to /login (and back after).
 * A form post must come from our own pages (same Origin rule as the API).
 */
export function pageSession(ctx: AppContext): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE);
    const actor = token ? await actorOfSession(ctx, token) : null;
    if (!actor) {
      const url = new URL(c.req.url);
      return c.redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`, 303);
    }
    if (c.req.method === 'POST' && !sameOrigin(c)) return c.text('拒绝跨站请求：请从本系统页面提交', 403);
    c.set('actor', actor);
    await next();
  };
}
