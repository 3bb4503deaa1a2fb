import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256Hex } from '../../src/app/admin-token.js';
import type { AppConfig } from '../../src/app/context.js';
import { applyInterpretationRule, createAppContext } from '../../src/app/create-context.js';
import { parseInstant } from '../../src/domain/time.js';
import { createApp } from '../../src/http/app.js';
import { verifierForDigest } from '../../src/http/auth.js';
import { jiebaKeywords } from '../../src/runtime/node/keywords.js';
import { openSqlite } from '../../src/runtime/node/sqlite.js';

const USER_DICT = fileURLToPath(new URL('../../feeds/userdict.txt', import.meta.url));

export const TOKEN = 'test-admin-token-0123456789abcdef';

export interface Answer<T = any> {
  status: number;
  body: T;
}

/**
 * The real service in-process: real SQLite (memory or a file), the real Hono app, a pinned clock.
 * `call` sends JSON with the admin token, as a client would.
 */
export async function startTestApp(options: { path?: string; now?: string; config?: Partial<AppConfig> } = {}) {
  const db = openSqlite(options.path ?? ':memory:');
  let now = parseInstant(options.now ?? '2026-11-20T10:00:00+08:00')!;
  const ctx = createAppContext({ db, now: () => now, config: options.config, keywords: jiebaKeywords(USER_DICT) });
  await applyInterpretationRule(ctx);
  const app = createApp({ ctx, verifyToken: verifierForDigest(await sha256Hex(TOKEN)) });

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
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }

  return {
    app,
    ctx,
    db,
    call,
    setNow(iso: string) {
      now = parseInstant(iso)!;
    },
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
