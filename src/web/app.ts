import type { Context } from 'hono';
import { Hono } from 'hono';
import type { AppContext } from '../app/context.js';
import type { AuthEnv } from '../http/auth.js';
import { boardPages } from './pages/board.js';
import { loginPages } from './pages/login.js';
import { pageSession } from './session.js';

/**
 * The server-rendered pages (hono/jsx, no build step), in Simplified Chinese. Sign-in is open;
 * every other page needs the session cookie and is listed here with its path, so the session
 * check never reaches the JSON API's paths.
 */
export function webPages(ctx: AppContext, clientAddress: (c: Context) => string) {
  const session = pageSession(ctx);
  return new Hono<AuthEnv>()
    .route('/', loginPages(ctx, clientAddress))
    .use('/', session)
    .route('/', boardPages(ctx));
}
