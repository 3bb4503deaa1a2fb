// GET /api/timers under load (SPEC §9): the real route (auth, policy, validation, clocks) vs a
// bare Hono route returning the same 50 rows from one prepared statement, both served by
// @hono/node-server on 127.0.0.1 and loaded by autocannon (its own process) with 50 connections,
// one after the other.
import { serve } from '@hono/node-server';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { Hono } from 'hono';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_TOKEN_ACTOR } from '../src/app/accounts/actor.js';
import { sha256Hex } from '../src/app/admin-token.js';
import { createAppContext } from '../src/app/create-context.js';
import { createIncident } from '../src/app/incidents.js';
import { createApp } from '../src/http/app.js';
import { scryptPasswords } from '../src/runtime/scrypt-passwords.js';
import { openSqlite } from '../src/runtime/node/sqlite.js';

const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 1 });
const TOKEN = 'bench-admin-token-0123456789';

const AUTOCANNON = createRequire(import.meta.url).resolve('autocannon/autocannon.js');

/** autocannon in its own process, so the load does not share the server's event loop. */
async function load(url: string, headers: Record<string, string>, seconds: number) {
  const args = [AUTOCANNON, '--json', '-c', '50', '-d', String(seconds), ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}=${v}`]), url];
  const { stdout } = await promisify(execFile)(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 });
  const result = JSON.parse(stdout) as { non2xx: number; errors: number; requests: { average: number }; latency: { p99: number } };
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p99: result.latency.p99 };
}

function listen(fetch: (req: Request) => Response | Promise<Response>) {
  const server = serve({ fetch, port: 0, hostname: '127.0.0.1' });
  return new Promise<{ url: string; close: () => Promise<void> }>((resolve) =>
    server.once('listening', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => new Promise<void>((r) => server.close(() => r())),
      }),
    ),
  );
}

export async function benchTimers(seconds = 5) {
  const dir = mkdtempSync(join(tmpdir(), 'policy-bench-timers-'));
  try {
    const path = join(dir, 'timers.sqlite');
    const db = openSqlite(path);
    const now = Date.now();
    const ctx = createAppContext({ db, now: () => Date.now(), passwords: scryptPasswords({ N: 2 ** 10 }) });
    // 25 major incidents: 50 open commitments.
    for (let i = 0; i < 25; i++) {
      await createIncident(ctx, ADMIN_TOKEN_ACTOR, { title: `基准事件 ${i}`, severity: 'major', startedAt: now - i * 60_000 });
    }
    const real = await listen(createApp({ ctx, adminTokenSha256: await sha256Hex(TOKEN) }).fetch);

    // The baseline: the same rows, one prepared statement, no auth, no clocks.
    const raw = new BetterSqlite3(path, { readonly: true });
    const statement = raw.prepare(`SELECT c.*, i.title, i.severity, i.department_code, i.started_at FROM commitments c
      JOIN incidents i ON i.id = c.incident_id
      WHERE c.fulfilled_at IS NULL AND c.cancelled_at IS NULL AND i.status = 'open' ORDER BY c.due_at, c.id LIMIT 200`);
    const bare = await listen(new Hono().get('/timers', (c) => c.json({ items: statement.all() })).fetch);

    const rows = ((await (await fetch(`${real.url}/api/timers`, { headers: { Authorization: `Bearer ${TOKEN}` } })).json()) as { items: unknown[] }).items;
    if (rows.length !== 50 || (statement.all() as unknown[]).length !== 50) throw new Error('expected 50 open commitments');

    // One untimed second of load on each first, so that neither is measured while the JIT warms up.
    await load(`${bare.url}/timers`, {}, 1);
    await load(`${real.url}/api/timers`, { Authorization: `Bearer ${TOKEN}` }, 1);
    const baseline = await load(`${bare.url}/timers`, {}, seconds);
    const ours = await load(`${real.url}/api/timers`, { Authorization: `Bearer ${TOKEN}` }, seconds);
    console.log(`GET /api/timers with 50 open commitments (autocannon, 50 connections, ${seconds} s each, 127.0.0.1)`);
    console.log(`  bare Hono route, one prepared statement : ${fmt(baseline.rps)} req/s, p99 ${fmt(baseline.p99)} ms`);
    console.log(`  GET /api/timers (auth, policy, clocks)  : ${fmt(ours.rps)} req/s, p99 ${fmt(ours.p99)} ms`);
    console.log(`  ratio                                   : ${fmt(ours.rps / baseline.rps)}× (target ≥ 0.5×; p99 target ≤ 25 ms)`);
    await real.close();
    await bare.close();
    raw.close();
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
