import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { actorOfSession } from '../app/accounts/sessions.js';
import type { AppContext } from '../app/context.js';
import { SESSION_COOKIE, type AuthEnv } from '../http/auth.js';
import { notFoundPage } from './errors.js';

/** The site's icon: a seal-red square with 政, as SVG (served for /favicon.ico too: browsers read the type). */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="12" fill="#8f1d1d"/><text x="32" y="46" font-size="40" text-anchor="middle" fill="#fff" font-family="sans-serif">政</text></svg>`;

/**
 * A path nothing answers: under /api the JSON error; any other is a page — the HTML 404 for a
 * signed-in person, the sign-in page (and back) for someone signed out.
 */
export function unknownPath(ctx: AppContext) {
  return async (c: Context<AuthEnv>) => {
    if (c.req.path === '/api' || c.req.path.startsWith('/api/')) {
      return c.json({ error: { code: 'not_found', message: `没有这个地址：${c.req.method} ${c.req.path}` } }, 404);
    }
    const token = getCookie(c, SESSION_COOKIE);
    const actor = token ? await actorOfSession(ctx, token) : null;
    if (!actor) {
      const url = new URL(c.req.url);
      return c.redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`, 303);
    }
    c.set('actor', actor);
    return notFoundPage(c, '此页面');
  };
}
