import { Hono } from 'hono';
import type { AppContext } from '../../app/context.js';
import type { AuthEnv } from '../../http/auth.js';

/** /documents and /documents/:id. */
export function documentPages(_ctx: AppContext) {
  return new Hono<AuthEnv>();
}
