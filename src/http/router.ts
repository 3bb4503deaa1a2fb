import { OpenAPIHono } from '@hono/zod-openapi';
import { validationHook } from './errors.js';

/** Every router answers invalid input with the same 400 shape. */
export function createRouter() {
  return new OpenAPIHono({ defaultHook: validationHook });
}
