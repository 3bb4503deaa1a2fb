import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import type { AppContext } from '../app/context.js';
import type { Context, MiddlewareHandler } from 'hono';
import { authenticate, authorize, type AuthEnv } from './auth.js';
import { webPages } from '../web/app.js';
import { FAVICON_SVG, unknownPath } from '../web/not-found.js';
import { accountRoutes, loginRoutes } from './routes/accounts.js';
import { errorBody, handleError, validationHook } from './errors.js';
import { alertRoutes } from './routes/alerts.js';
import { briefingRoutes } from './routes/briefings.js';
import { calendarRoutes } from './routes/calendar.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { departmentRoutes } from './routes/departments.js';
import { disclosureRoutes } from './routes/disclosure.js';
import { displayLinkRoutes } from './routes/display-links.js';
import { documentRoutes } from './routes/documents.js';
import { exportRoutes } from './routes/exports.js';
import { incidentRoutes } from './routes/incidents.js';
import { importRoutes, IMPORT_PATH } from './routes/imports.js';
import { interpretationRoutes } from './routes/interpretations.js';
import { interpretationSearchRoutes } from './routes/interpretation-search.js';
import { monitoringRoutes } from './routes/monitoring.js';
import { calendarFeedRoute, notificationRoutes } from './routes/notifications.js';
import { reportRoutes } from './routes/reports.js';

const MAX_BODY_BYTES = 1024 * 1024;

export interface HttpDeps {
  ctx: AppContext;
  /** SHA-256 (hex) of the ADMIN_TOKEN: a bearer token with every right. */
  adminTokenSha256: string;
  /** The client's network address (runtime-specific), for login throttling. */
  clientAddress?: (c: Context) => string;
  /** Runs before every route but /health (Node: reads take turns, see runtime/node/read-turns.ts). */
  before?: MiddlewareHandler;
}

/** The whole HTTP service; runtime entries (Node, Workers) only wrap it. */
export function createApp({ ctx, adminTokenSha256, clientAddress = () => 'unknown', before }: HttpDeps) {
  const app = new OpenAPIHono<AuthEnv>({ defaultHook: validationHook });
  app.onError(handleError);
  app.notFound(unknownPath(ctx));

  app.get('/health', (c) => c.json({ ok: true }));
  if (before) app.use('*', before);
  for (const path of ['/favicon.ico', '/favicon.svg']) {
    app.get(path, (c) => c.body(FAVICON_SVG, 200, { 'Content-Type': 'image/svg+xml', 'Cache-Control': 'public, max-age=86400' }));
  }
  const apiBodyLimit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => c.json(errorBody('payload_too_large', `请求体超过 ${MAX_BODY_BYTES / 1024 / 1024} MB 上限`), 413),
  });
  // An upload to import has its own limit, counted as it streams in (src/app/imports/upload.ts).
  app.use('/api/*', (c, next) => (c.req.method === 'POST' && c.req.path === IMPORT_PATH ? next() : apiBodyLimit(c, next)));
  // Sign-in is the one API route without credentials, so it comes before authentication.
  app.route('/', loginRoutes(ctx, { clientAddress }));
  app.use('/api/*', authenticate(ctx, adminTokenSha256), authorize());
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });

  app
    .route('/', accountRoutes(ctx))
    .route('/', departmentRoutes(ctx))
    // Before the documents', incidents' and audit routes: /{id} would take `export` for an id.
    .route('/', exportRoutes(ctx))
    .route('/', documentRoutes(ctx))
    .route('/', interpretationRoutes(ctx))
    .route('/', interpretationSearchRoutes(ctx))
    .route('/', reportRoutes(ctx))
    .route('/', calendarRoutes(ctx))
    .route('/', alertRoutes(ctx))
    .route('/', incidentRoutes(ctx))
    .route('/', monitoringRoutes(ctx))
    .route('/', briefingRoutes(ctx))
    .route('/', notificationRoutes(ctx))
    .route('/', dashboardRoutes(ctx))
    .route('/', disclosureRoutes(ctx))
    .route('/', displayLinkRoutes(ctx))
    .route('/', importRoutes(ctx));

  // Calendar clients present only the secret in the address, so this sits outside /api and the pages.
  app.route('/', calendarFeedRoute(ctx));
  app.route('/', webPages(ctx, clientAddress, { adminTokenSha256 }));

  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: '政策解读与舆情回应平台 API',
      version: '0.1.0',
      description: '政策文件与解读材料的关联、解读时限（按国务院办公厅公布的节假日安排计算工作日）与逾期提醒。',
    },
    // Relative: the document is served by the service it describes, wherever that runs.
    servers: [{ url: '/', description: '本服务（与本文档同一地址）' }],
    security: [{ bearer: [] }],
  });
  return app;
}
