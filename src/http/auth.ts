import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { matchedRoutes } from 'hono/route';
import { ADMIN_TOKEN_ACTOR, type Actor } from '../app/accounts/actor.js';
import { mayCall } from '../app/accounts/policy.js';
import { actorOfSession, actorOfToken } from '../app/accounts/sessions.js';
import { constantTimeEqual, sha256Hex } from '../app/admin-token.js';
import type { AppContext } from '../app/context.js';
import { errorBody } from './errors.js';

export const SESSION_COOKIE = 'sid';

/**
 * Sets the session cookie: HttpOnly, SameSite=Lax, Secure over https. Its lifetime is given as
 * Max-Age, relative to the browser's own clock, so it holds even when the two clocks disagree.
 */
export function setSessionCookie(c: Context, token: string, lifetimeMs: number): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: new URL(c.req.url).protocol === 'https:',
    path: '/',
    maxAge: Math.max(0, Math.floor(lifetimeMs / 1000)),
  });
}

export type AuthEnv = { Variables: { actor: Actor } };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function unauthorized(c: Context, message = '需要登录或有效的访问令牌（Authorization: Bearer …）') {
  c.header('WWW-Authenticate', 'Bearer');
  return c.json(errorBody('unauthorized', message), 401);
}

/**
 * A cookie-authenticated write must come from our own pages: the browser's Origin (or, failing
 * that, Referer) must name this very host. Bearer tokens are not sent by browsers on their own,
 * so they need no such check.
 */
export function sameOrigin(c: Context): boolean {
  const source = c.req.header('Origin') ?? c.req.header('Referer');
  if (!source) return c.req.header('Sec-Fetch-Site') === 'same-origin';
  try {
    return new URL(source).host === new URL(c.req.url).host;
  } catch {
    return false;
  }
}

/**
 * Who is calling: the ADMIN_TOKEN, a personal bearer token, or a session cookie — checked on every
 * request against the database, so a disabled user or a revoked token stops working at once.
 */
export function authenticate(ctx: AppContext, adminTokenSha256: string): MiddlewareHandler<AuthEnv> {
  // Scripts and wall screens present the same token again and again: its digest is kept for the
  // most recent few hundred tokens rather than hashed on every request. Whether the token is
  // still valid is checked against the database every time all the same.
  const digests = new Map<string, string>();
  const digestOf = async (token: string) => {
    let digest = digests.get(token);
    if (digest === undefined) {
      digest = await sha256Hex(token);
      if (digests.size >= 500) digests.delete(digests.keys().next().value!);
      digests.set(token, digest);
    }
    return digest;
  };
  return async (c, next) => {
    const header = c.req.header('Authorization');
    let actor: Actor | null = null;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!match) return unauthorized(c);
      const token = match[1]!;
      actor = constantTimeEqual(await digestOf(token), adminTokenSha256) ? ADMIN_TOKEN_ACTOR : await actorOfToken(ctx, token);
      if (!actor) return unauthorized(c, '访问令牌无效、已撤销或其用户已停用');
    } else {
      const session = getCookie(c, SESSION_COOKIE);
      if (!session) return unauthorized(c);
      actor = await actorOfSession(ctx, session);
      if (!actor) return unauthorized(c, '登录已过期或账户已停用，请重新登录');
      if (!SAFE_METHODS.has(c.req.method) && !sameOrigin(c)) {
        return c.json(errorBody('cross_site', '拒绝跨站请求：请从本系统页面提交'), 403);
      }
    }
    c.set('actor', actor);
    await next();
  };
}

/** Every API route is looked up in ROUTE_POLICY; one the table does not name is refused. */
export function authorize(): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    // The route that answers is the first handler matched (registration order): /api/documents/export
    // is answered by the export route even though /api/documents/{id} matches it too.
    const route = matchedRoutes(c).find((r) => r.method !== 'ALL');
    if (!route) return next(); // no such route: the 404 handler answers
    const actor = c.get('actor');
    if (!mayCall(actor, `${route.method} ${route.path}`)) {
      return c.json(errorBody('forbidden', `当前角色（${actor.role}）无权执行此操作`), 403);
    }
    await next();
  };
}
