import type { AppContext } from './context.js';
import { readMeta, writeMeta } from './meta.js';

const KEY = 'admin_token_sha256';

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Equal-length strings compared without an early exit, so timing says nothing about the token. */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

export function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * The admin token's digest. A configured token wins; without one, the first start generates a
 * token, keeps only its SHA-256 in the database and hands the plain token back once to be shown.
 */
export async function resolveAdminToken(
  ctx: AppContext,
  configured: string | undefined,
): Promise<{ sha256: string; generated?: string }> {
  if (configured) return { sha256: await sha256Hex(configured) };
  const stored = await readMeta(ctx.db, KEY);
  if (stored) return { sha256: stored };
  const generated = newToken();
  const sha256 = await sha256Hex(generated);
  await ctx.db.batch([writeMeta(ctx.db, KEY, sha256)]);
  return { sha256, generated };
}
