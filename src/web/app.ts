import type { Context } from 'hono';
import { Hono } from 'hono';
import type { AppContext } from '../app/context.js';
import type { AuthEnv } from '../http/auth.js';
import { adminPages } from './pages/admin/index.js';
import { auditPages } from './pages/audit.js';
import { boardPages } from './pages/board.js';
import { briefingPages } from './pages/briefing.js';
import { calendarPages } from './pages/calendar.js';
import { displayPages } from './pages/display.js';
import { disclosurePages } from './pages/disclosure/index.js';
import { documentPages } from './pages/documents.js';
import { incidentPages } from './pages/incidents.js';
import { feedPages } from './pages/feeds.js';
import { loginPages } from './pages/login.js';
import { importPages } from './pages/import/index.js';
import { mePages } from './pages/me/index.js';
import { notificationPages } from './pages/notifications/index.js';
import { reportPages } from './pages/reports/index.js';
import { annualReportPages } from './pages/reports/annual.js';
import { setupPages } from './pages/setup.js';
import { pageSession } from './session.js';

/**
 * The server-rendered pages (hono/jsx, no build step), in Simplified Chinese. Sign-in is open;
 * every other page needs the session cookie and is listed here with its path, so the session
 * check never reaches the JSON API's paths.
 */
export function webPages(ctx: AppContext, clientAddress: (c: Context) => string, options: { adminTokenSha256: string }) {
  const session = pageSession(ctx);
  // First run and wall screens need no session: /setup takes the admin token, /display/<secret> its link's secret.
  const web = new Hono<AuthEnv>()
    .route('/', loginPages(ctx, clientAddress))
    .route('/', setupPages(ctx, options.adminTokenSha256, clientAddress))
    .route('/', displayPages(ctx))
    .use('/', session);
  for (const area of ['documents', 'incidents', 'feeds', 'rules', 'calendar', 'audit', 'notifications', 'me', 'import', 'admin', 'reports', 'disclosure', 'briefings']) web.use(`/${area}`, session).use(`/${area}/*`, session);
  return web
    .route('/', boardPages(ctx))
    .route('/', documentPages(ctx))
    .route('/', incidentPages(ctx))
    .route('/', calendarPages(ctx))
    .route('/', auditPages(ctx))
    .route('/', reportPages(ctx))
    .route('/', briefingPages(ctx))
    .route('/', disclosurePages(ctx))
    .route('/', annualReportPages(ctx))
    .route('/', feedPages(ctx))
    .route('/', notificationPages(ctx))
    .route('/', mePages(ctx))
    .route('/', importPages(ctx))
    .route('/', adminPages(ctx));
}
