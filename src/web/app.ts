import type { Context } from 'hono';
import { Hono } from 'hono';
import type { AppContext } from '../app/context.js';
import type { AuthEnv } from '../http/auth.js';
import { auditPages } from './pages/audit.js';
import { boardPages } from './pages/board.js';
import { calendarPages } from './pages/calendar.js';
import { documentPages } from './pages/documents.js';
import { incidentPages } from './pages/incidents.js';
import { feedPages } from './pages/feeds.js';
import { loginPages } from './pages/login.js';
import { mePages } from './pages/me/index.js';
import { notificationPages } from './pages/notifications/index.js';
import { pageSession } from './session.js';

/**
 * The server-rendered pages (hono/jsx, no build step), in Simplified Chinese. Sign-in is open;
 * every other page needs the session cookie and is listed here with its path, so the session
 * check never reaches the JSON API's paths.
 */
export function webPages(ctx: AppContext, clientAddress: (c: Context) => string) {
  const session = pageSession(ctx);
  const web = new Hono<AuthEnv>().route('/', loginPages(ctx, clientAddress)).use('/', session);
  for (const area of ['documents', 'incidents', 'feeds', 'rules', 'calendar', 'audit', 'notifications', 'me']) web.use(`/${area}`, session).use(`/${area}/*`, session);
  return web
    .route('/', boardPages(ctx))
    .route('/', documentPages(ctx))
    .route('/', incidentPages(ctx))
    .route('/', calendarPages(ctx))
    .route('/', auditPages(ctx))
    .route('/', feedPages(ctx))
    .route('/', notificationPages(ctx))
    .route('/', mePages(ctx));
}
