import { Hono } from 'hono';
import type { AppContext } from '../../app/context.js';
import type { AuthEnv } from '../../http/auth.js';

/** /feeds, /rules, /calendar and /audit. */
export function monitoringPages(_ctx: AppContext) {
  return new Hono<AuthEnv>();
}
