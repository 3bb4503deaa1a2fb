import type { MiddlewareHandler } from 'hono';
import { constantTimeEqual, sha256Hex } from '../app/admin-token.js';
import { errorBody } from './errors.js';

/** Checks a presented bearer token; resolves true when it grants access. */
export type TokenVerifier = (token: string) => Promise<boolean>;

/** A verifier for one token known by its SHA-256 digest (the plain token is never kept). */
export function verifierForDigest(expectedSha256Hex: string): TokenVerifier {
  return async (token) => constantTimeEqual(await sha256Hex(token), expectedSha256Hex);
}

export function bearerAuth(verify: TokenVerifier): MiddlewareHandler {
  return async (c, next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('Authorization') ?? '');
    if (!match || !(await verify(match[1]!))) {
      c.header('WWW-Authenticate', 'Bearer');
      return c.json(errorBody('unauthorized', '需要有效的访问令牌（Authorization: Bearer …）'), 401);
    }
    await next();
  };
}
