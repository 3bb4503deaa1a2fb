import { OpenAPIHono } from '@hono/zod-openapi';
import type { Env } from 'hono';
import type { AuthEnv } from './auth.js';
import { validationHook } from './errors.js';

/** Every router answers invalid input with the same 400 shape. */
export function createRouter<E extends Env = AuthEnv>() {
  return new OpenAPIHono<E>({ defaultHook: validationHook });
}
