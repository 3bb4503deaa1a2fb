import { Hono } from 'hono';
import type { AppContext } from '../../app/context.js';
import type { AuthEnv } from '../../http/auth.js';

/** /incidents and /incidents/:id. */
export function incidentPages(_ctx: AppContext) {
  return new Hono<AuthEnv>();
}
