import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ZodError } from 'zod';
import { AppError } from '../app/errors.js';

export function errorBody(code: string, message: string) {
  return { error: { code, message } };
}

/** `field.path: message` for every problem, so a 400 says which field and why. */
export function describeZodError(error: ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
      return `${path || '请求体'}: ${issue.message}`;
    })
    .join('；');
}

export function validationHook(result: { success: boolean; error?: unknown; target?: string }, c: Context) {
  if (!result.success) {
    return c.json(errorBody('invalid_input', describeZodError(result.error as ZodError)), 400);
  }
}

export function handleError(err: Error, c: Context) {
  if (err instanceof AppError) return c.json(errorBody(err.code, err.message), err.status);
  if (err instanceof HTTPException) {
    const status = err.status;
    if (status === 400 && /JSON/i.test(err.message)) {
      return c.json(errorBody('invalid_json', '请求体不是有效的 JSON'), 400);
    }
    if (status === 415) {
      return c.json(errorBody('unsupported_media_type', '请求体应为 JSON（Content-Type: application/json）'), 415);
    }
    if (status === 401) return c.json(errorBody('unauthorized', '需要有效的访问令牌（Authorization: Bearer …）'), 401);
    return c.json(errorBody('http_error', err.message), status);
  }
  console.error('unhandled error', c.req.method, c.req.path, err);
  return c.json(errorBody('internal', '服务器内部错误，请稍后重试'), 500);
}
