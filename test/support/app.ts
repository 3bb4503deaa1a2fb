import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256Hex } from '../../src/app/admin-token.js';
import type { AppConfig } from '../../src/app/context.js';
import type { Mailer } from '../../src/app/notifications/mailer.js';
import { applyInterpretationRule, createAppContext } from '../../src/app/create-context.js';
import { parseInstant } from '../../src/domain/time.js';
import { createApp } from '../../src/http/app.js';
import { jiebaKeywords } from '../../src/runtime/node/keywords.js';
import { scryptPasswords } from '../../src/runtime/scrypt-passwords.js';
import { openSqlite } from '../../src/runtime/node/sqlite.js';
import { nodeUrlGuard } from '../../src/runtime/node/url-guard.js';
import { briefingDocx } from '../../src/runtime/node/briefing-docx.js';
import { exceljsXlsx } from '../../src/runtime/node/xlsx.js';

const FEEDS_DIR = fileURLToPath(new URL('../../feeds', import.meta.url));

export const TOKEN = 'test-admin-token-0123456789abcdef';

/** JSON answers parsed; a file (an export's CSV, say) kept as text. */
function parseBody(res: Response, text: string): any {
  if (!text) return null;
  return /json/.test(res.headers.get('Content-Type') ?? 'application/json') ? JSON.parse(text) : text;
}

export interface Answer<T = any> {
  status: number;
  body: T;
  headers?: Headers;
}

/**
 * The real service in-process: real SQLite (memory or a file), the real Hono app, a pinned clock.
 * `call` sends JSON with the admin token, as a client would.
 */
export async function startTestApp(
  options: { path?: string; now?: string; config?: Partial<AppConfig>; allowPrivateFeeds?: boolean; mailer?: Mailer } = {},
) {
  const db = openSqlite(options.path ?? ':memory:');
  let now = parseInstant(options.now ?? '2026-11-20T10:00:00+08:00')!;
  // A cheaper scrypt cost than production keeps sign-in tests fast; the algorithm is the same.
  const ctx = createAppContext({
    db,
    now: () => now,
    config: options.config,
    keywords: jiebaKeywords(FEEDS_DIR),
    passwords: scryptPasswords({ N: 2 ** 10 }),
    // Fixture feeds are served on 127.0.0.1, so most tests allow private addresses.
    urlGuard: nodeUrlGuard({ allowPrivate: options.allowPrivateFeeds ?? true }),
    ...(options.mailer ? { mailer: options.mailer } : {}),
    xlsx: exceljsXlsx(),
    docx: briefingDocx(),
  });
  await applyInterpretationRule(ctx);
  const app = createApp({ ctx, adminTokenSha256: await sha256Hex(TOKEN), clientAddress: (c) => c.req.header('X-Test-Address') ?? '127.0.0.1' });

  async function call<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer<T>> {
    const res = await app.request(path, {
      method,
      headers: {
        Authorization: `Bearer ${TOKEN}`,
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: parseBody(res, text), headers: res.headers };
  }

  return {
    app,
    ctx,
    db,
    call,
    setNow(iso: string) {
      now = parseInstant(iso)!;
    },
    /** Moves the pinned clock on by `ms`. */
    advance(ms: number) {
      now += ms;
    },
    now: () => now,
    close: () => db.close(),
  };
}

export type TestApp = Awaited<ReturnType<typeof startTestApp>>;

/** A temp directory removed by the returned cleanup. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'policy-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function seedDepartment(t: TestApp, code = 'fgw', name = '市发展改革委') {
  const res = await t.call('POST', '/api/departments', { code, name });
  if (res.status !== 201) throw new Error(`seed department failed: ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function registerDocument(t: TestApp, fields: Record<string, unknown> = {}) {
  const res = await t.call('POST', '/api/documents', {
    title: '关于进一步优化营商环境的若干措施',
    departmentCode: 'fgw',
    publishedAt: '2025-09-30T10:00:00+08:00',
    ...fields,
  });
  if (res.status !== 201) throw new Error(`register document failed: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Signs in through the API; returns the session cookie ("sid=…"). */
export async function signIn(t: TestApp, username: string, password: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await t.app.request('/api/session', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  return /sid=[^;]+/.exec(res.headers.get('Set-Cookie') ?? '')![0];
}

/** Creates a user (as the admin token), signs in and issues a personal bearer token for it. */
export async function userWithToken(t: TestApp, username: string, role: string, departmentCodes: string[] = []) {
  const password = `${username}-password-123`;
  const created = await t.call('POST', '/api/users', { username, displayName: username, role, departmentCodes, password });
  if (created.status !== 201) throw new Error(`create user failed: ${JSON.stringify(created.body)}`);
  const cookie = await signIn(t, username, password);
  const res = await t.app.request('/api/tokens', {
    method: 'POST',
    headers: { Cookie: cookie, Origin: 'http://localhost', 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'test' }),
  });
  const body = (await res.json()) as { id: number; token: string };
  return { user: created.body, password, cookie, token: body.token, tokenId: body.id };
}

/** A request as someone else than the admin token: a bearer token, or a cookie (with or without Origin). */
export async function callAs<T = any>(
  t: TestApp,
  auth: { token?: string; cookie?: string; origin?: string },
  method: string,
  path: string,
  body?: unknown,
): Promise<Answer<T>> {
  const res = await t.app.request(path, {
    method,
    headers: {
      ...(auth.token ? { Authorization: `Bearer ${auth.token}` } : {}),
      ...(auth.cookie ? { Cookie: auth.cookie } : {}),
      ...(auth.origin ? { Origin: auth.origin } : {}),
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: parseBody(res, text) };
}
