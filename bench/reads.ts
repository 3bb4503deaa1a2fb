// Reads at a million documents under load, and writes beside them (SPEC §9, issue 15).
// 1,000,000 documents of a realistic shape — 40 departments, published over 2020–2026, ~1 %
// overdue, ~2 % pending, ~5 % exempt, ~10 % interpreted late — and 10,000 incidents, built with
// bulk SQL (INSERT … SELECT over a generated series, the triggers of migration 0009 keeping the
// board's counts as they would). The real service (createApp on @hono/node-server) is loaded by
// autocannon in its own process with 50 connections, one route after the other; every figure is a
// ratio against the bare route GET /health of the same server, measured in the same run.
// A write's p99 (POST /api/documents from another process, 20 a second) is measured alone and
// while 50 connections read.
//
//   npm run bench -- --only reads [--docs 1000000] [--seconds 5]
import { serve } from '@hono/node-server';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import { Hono } from 'hono';
import { departmentTableQuery } from '../src/app/dashboard.js';
import { documentListQuery } from '../src/app/documents.js';
import { sha256Hex } from '../src/app/admin-token.js';
import { createAppContext } from '../src/app/create-context.js';
import { WorkingDayCalendar } from '../src/domain/calendar/calendar.js';
import { OFFICIAL_SCHEDULES } from '../src/domain/calendar/official-schedules.js';
import { interpretationDeadline } from '../src/domain/deadlines/interpretation.js';
import { parseInstant } from '../src/domain/time.js';
import { createApp } from '../src/http/app.js';
import { scryptPasswords } from '../src/runtime/scrypt-passwords.js';
import { readTurns } from '../src/runtime/node/read-turns.js';
import { openSqlite } from '../src/runtime/node/sqlite.js';

const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 2 });
const TOKEN = 'bench-admin-token-0123456789';
const AUTH = { Authorization: `Bearer ${TOKEN}` };
const AUTOCANNON = createRequire(import.meta.url).resolve('autocannon/autocannon.js');
const DAY = 86_400_000;
const HOUR = 3_600_000;
export const READS_NOW = parseInstant('2026-11-20T10:00:00+08:00')!;
const START = parseInstant('2020-01-01T00:00:00+08:00')!;
export const DEPARTMENTS = 40;
const INCIDENTS = 10_000;
const OPEN_INCIDENTS = 25;

/**
 * Seeds `total` documents of the realistic shape and 10,000 incidents into a migrated database.
 * Per hundred documents (i % 100): 0–1 pending (published in the last two days, no interpretation),
 * 2 overdue (none, due long ago), 3–7 exempt, 8–17 interpreted 12 days after publication (late), the
 * rest the next day (on time); one in 23 is major; blocks of a hundred go to one department each.
 */
/** An integer written into the statement: bound numbers would be compared as reals. */
const int = (n: number) => sql.raw(String(Math.trunc(n)));

export async function seedRealistic(path: string, total: number) {
  const db = openSqlite(path);
  const calendar = WorkingDayCalendar.build(OFFICIAL_SCHEDULES);
  const departments = Array.from({ length: DEPARTMENTS }, (_, i) => ({ code: `d${String(i).padStart(2, '0')}`, name: `基准部门${i}` }));
  db.orm.run(sql`INSERT INTO departments (code, name, created_at) SELECT json_extract(value, '$.code'), json_extract(value, '$.name'), 0 FROM json_each(${JSON.stringify(departments)})`);
  // The due date of every publication day (Beijing), computed once by the service's own rule.
  const days: { day: number; due: string; provisional: number }[] = [];
  for (let day = Math.floor((START + 8 * HOUR) / DAY); day <= Math.floor((READS_NOW + 8 * HOUR) / DAY); day++) {
    const { dueDate, provisional } = interpretationDeadline(calendar, day * DAY - 8 * HOUR + 10 * HOUR, 3);
    days.push({ day, due: dueDate, provisional: provisional ? 1 : 0 });
  }
  db.orm.run(sql`CREATE TEMP TABLE bench_days (day INTEGER PRIMARY KEY, due TEXT NOT NULL, provisional INTEGER NOT NULL)`);
  db.orm.run(sql`INSERT INTO bench_days SELECT json_extract(value, '$.day'), json_extract(value, '$.due'), json_extract(value, '$.provisional') FROM json_each(${JSON.stringify(days)})`);
  const span = READS_NOW - 10 * DAY - START;
  const CHUNK = 100_000;
  for (let from = 0; from < total; from += CHUNK) {
    const to = Math.min(total, from + CHUNK);
    db.orm.run(sql`INSERT INTO documents (doc_number, title, department_code, published_at, requires_interpretation, exempt_reason, importance,
        interpretation_due_date, due_provisional, first_interpretation_at, search_text, created_at, updated_at)
      WITH RECURSIVE s(i) AS (SELECT ${int(from)} UNION ALL SELECT i + 1 FROM s WHERE i < ${int(to - 1)}),
        r AS (SELECT i, i % 100 AS k,
          CASE WHEN i % 100 < 2 THEN ${int(READS_NOW - HOUR)} - (i * 7919) % ${int(2 * DAY)}
               ELSE ${int(START)} + (i * ${int(span)}) / ${int(total)} + (i % 7) * ${int(HOUR)} END AS p FROM s)
      SELECT '基准〔' || i || '〕号', '基准测试文件 ' || i, 'd' || printf('%02d', (i / 100) % ${int(DEPARTMENTS)}), p,
        CASE WHEN k BETWEEN 3 AND 7 THEN 0 ELSE 1 END, CASE WHEN k BETWEEN 3 AND 7 THEN '内部事项' END,
        CASE WHEN i % 23 = 0 THEN 'major' ELSE 'normal' END, b.due, b.provisional,
        CASE WHEN k < 3 THEN NULL WHEN k BETWEEN 8 AND 17 THEN p + ${int(12 * DAY)} ELSE p + ${int(DAY)} END,
        '基准〔' || i || '〕号 基准测试文件 ' || i, p, p
      FROM r JOIN bench_days AS b ON b.day = (r.p + ${int(8 * HOUR)}) / ${int(DAY)}`);
  }
  // Incidents over the same years, closed with their response on time; the last few still open
  // (major: two running commitments each, started within the last day).
  const ispan = READS_NOW - START;
  db.orm.run(sql`INSERT INTO incidents (title, summary, severity, department_code, status, started_at, search_text, closed_at, created_at, updated_at)
    WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < ${int(INCIDENTS - 1)}),
      r AS (SELECT i, CASE WHEN i >= ${int(INCIDENTS - OPEN_INCIDENTS)} THEN ${int(READS_NOW)} - (${int(INCIDENTS)} - i) * ${int(30 * 60_000)}
                           ELSE ${int(START)} + (i * ${int(ispan)}) / ${int(INCIDENTS)} END AS t FROM s)
    SELECT '基准舆情事件 ' || i, '摘要', CASE WHEN i >= ${int(INCIDENTS - OPEN_INCIDENTS)} THEN 'major' ELSE 'general' END,
      'd' || printf('%02d', i % ${int(DEPARTMENTS)}), CASE WHEN i >= ${int(INCIDENTS - OPEN_INCIDENTS)} THEN 'open' ELSE 'closed' END, t,
      '基准舆情事件 ' || i, CASE WHEN i >= ${int(INCIDENTS - OPEN_INCIDENTS)} THEN NULL ELSE t + ${int(3 * DAY)} END, t, t FROM r`);
  db.orm.run(sql`INSERT INTO commitments (incident_id, kind, due_at, policy_version, fulfilled_at, created_at)
    SELECT id, 'response', started_at + ${int(48 * HOUR)}, 1, started_at + ${int(10 * HOUR)}, started_at FROM incidents WHERE status = 'closed'`);
  db.orm.run(sql`INSERT INTO commitments (incident_id, kind, due_at, policy_version, created_at)
    SELECT id, 'authoritative_release', started_at + ${int(5 * HOUR)}, 1, started_at FROM incidents WHERE status = 'open'
    UNION ALL SELECT id, 'press_conference', started_at + ${int(24 * HOUR)}, 1, started_at FROM incidents WHERE status = 'open'`);
  return db;
}

interface Loaded {
  rps: number;
  p99: number;
}

/** autocannon in its own process, so the load does not share the server's event loop. */
async function load(url: string, seconds: number, headers: Record<string, string> = AUTH): Promise<Loaded> {
  const args = [AUTOCANNON, '--json', '-c', '50', '-d', String(seconds), ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}=${v}`]), url];
  const { stdout } = await promisify(execFile)(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 });
  const result = JSON.parse(stdout) as { non2xx: number; errors: number; timeouts: number; requests: { average: number }; latency: { p99: number } };
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
  return { rps: result.requests.average, p99: result.latency.p99 };
}

// The writer: another process posting one document every 50 ms for `seconds`, printing each latency.
const WRITER = `
const [base, token, seconds] = process.argv.slice(1);
const until = Date.now() + Number(seconds) * 1000;
const latencies = [];
let i = 0;
while (Date.now() < until) {
  const started = performance.now();
  const res = await fetch(base + '/api/documents', {
    method: 'POST',
    headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json' },
    body: JSON.stringify({ title: '写入基准文件 ' + process.pid + '-' + i++, departmentCode: 'd07', publishedAt: '2026-11-19T09:00:00+08:00' }),
  });
  await res.arrayBuffer();
  if (res.status !== 201) { console.error('POST /api/documents: HTTP ' + res.status); process.exit(1); }
  latencies.push(performance.now() - started);
  const wait = 50 - (performance.now() - started);
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
}
console.log(JSON.stringify(latencies));`;

async function writes(base: string, seconds: number): Promise<{ p99: number; p95: number; p50: number; n: number }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', WRITER, base, TOKEN, String(seconds)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`the writer exited with ${code}`);
  const latencies = (JSON.parse(out) as number[]).sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { p99: at(0.99), p95: at(0.95), p50: at(0.5), n: latencies.length };
}

/** The same rows as each route, from statements prepared once on a read-only connection, as bare JSON. */
async function bareRoutes(path: string) {
  const raw = new BetterSqlite3(path, { readonly: true });
  const ctx = createAppContext({ db: { orm: drizzle(raw) as never, batch: async () => [] }, now: () => READS_NOW, passwords: scryptPasswords({ N: 2 ** 10 }) });
  const prepare = (query: { sql: string; params: unknown[] }) => {
    const statement = raw.prepare(query.sql);
    return () => statement.all(...query.params);
  };
  const dialect = new SQLiteSyncDialect();
  const list = (status: 'overdue' | 'pending') => prepare(documentListQuery(ctx, { status, asOf: READS_NOW, limit: 50, offset: 0 }).toSQL());
  const overdue = list('overdue');
  const pending = list('pending');
  const table = prepare(dialect.sqlToQuery(departmentTableQuery(READS_NOW)));
  const timers = prepare({ sql: `SELECT c.*, i.title, i.severity, i.department_code, i.started_at FROM commitments c JOIN incidents i ON i.id = c.incident_id
    WHERE c.fulfilled_at IS NULL AND c.cancelled_at IS NULL AND i.status = 'open' ORDER BY c.due_at, c.id LIMIT 200`, params: [] });
  // The incident list carries each incident's commitments, heat (distinct stories in the last
  // hour) and negative-signal words: the same rows here, four statements for a page.
  const incidentPage = raw.prepare('SELECT * FROM incidents ORDER BY started_at DESC, id DESC LIMIT 50');
  const incidentCommitments = raw.prepare('SELECT * FROM commitments WHERE incident_id IN (SELECT value FROM json_each(?))');
  const incidentHeat = raw.prepare(`SELECT ii.incident_id AS incident, COUNT(DISTINCT COALESCE(i.story_id, i.id)) AS heat
    FROM json_each(?) AS x CROSS JOIN incident_items AS ii INDEXED BY incident_items_heat_idx CROSS JOIN items AS i
    WHERE ii.incident_id = x.value AND ii.item_at > ? AND ii.item_at <= ? AND i.id = ii.item_id GROUP BY ii.incident_id`);
  const incidentSignals = raw.prepare('SELECT incident_id AS incident, word FROM incident_signals WHERE incident_id IN (SELECT value FROM json_each(?)) ORDER BY rowid');
  const incidents = () => {
    const rows = incidentPage.all() as { id: number }[];
    const ids = JSON.stringify(rows.map((r) => r.id));
    const cs = incidentCommitments.all(ids) as { incident_id: number }[];
    const heat = new Map((incidentHeat.all(ids, READS_NOW - 3_600_000, READS_NOW) as { incident: number; heat: number }[]).map((h) => [h.incident, h.heat]));
    const words = new Map<number, string[]>();
    for (const w of incidentSignals.all(ids) as { incident: number; word: string }[]) words.set(w.incident, [...(words.get(w.incident) ?? []), w.word]);
    return rows.map((r) => ({ ...r, commitments: cs.filter((c) => c.incident_id === r.id), heat: heat.get(r.id) ?? 0, signalWords: words.get(r.id) ?? [] }));
  };
  const app = new Hono()
    .get('/api/dashboard', (c) => c.json({ departments: table(), timers: timers().slice(0, 50), overdueDocuments: overdue() }))
    .get('/api/documents', (c) => c.json({ items: c.req.query('status') === 'pending' ? pending() : overdue() }))
    .get('/api/incidents', (c) => c.json({ items: incidents() }))
    .get('/api/timers', (c) => c.json({ items: timers() }));
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => (raw.close(), r()))),
  };
}

export async function benchReads(total = 1_000_000, seconds = 5) {
  const dir = mkdtempSync(join(tmpdir(), 'policy-bench-reads-'));
  try {
    const path = join(dir, 'reads.sqlite');
    const seedStart = performance.now();
    const db = seedRealistic(path, total);
    const seeded = await db;
    const seedMs = performance.now() - seedStart;
    const ctx = createAppContext({ db: seeded, now: () => READS_NOW, passwords: scryptPasswords({ N: 2 ** 10 }) });
    // As `npm start` serves it (runtime/node/service.ts): reads take turns, writes do not wait for them.
    const app = createApp({ ctx, adminTokenSha256: await sha256Hex(TOKEN), before: readTurns() });
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      console.log(`Reads at ${fmt(total)} documents (seeded in ${fmt(seedMs / 1000)} s: 40 departments, 2020–2026, ~1 % overdue, ~2 % pending; ${fmt(INCIDENTS)} incidents)`);
      console.log(`  autocannon, 50 connections, ${seconds} s each, 127.0.0.1; ratios against GET /health of the same server in this run`);
      // One request each alone first (and the JIT warmed), so that the table shows warm costs.
      const routes = [
        ['GET /api/dashboard', '/api/dashboard'],
        ['GET /api/documents?status=overdue', '/api/documents?status=overdue'],
        ['GET /api/documents?status=pending', '/api/documents?status=pending'],
        ['GET /api/incidents', '/api/incidents'],
        ['GET /api/timers', '/api/timers'],
      ] as const;
      for (const [, p] of routes) {
        const started = performance.now();
        const res = await fetch(base + p, { headers: AUTH });
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`${p}: HTTP ${res.status}`);
        console.log(`  ${p.padEnd(34)} alone: ${fmt(performance.now() - started)} ms (first call)`);
      }
      await load(`${base}/health`, 1, {});
      for (const [, p] of routes) await load(base + p, 1);
      const health = await load(`${base}/health`, seconds, {});
      console.log(`  ${'GET /health (the bare route)'.padEnd(36)}: ${fmt(health.rps).padStart(9)} req/s, p99 ${fmt(health.p99)} ms`);
      // A second baseline, as SPEC §9 has for the timers: a bare Hono route (no auth, no views)
      // answering the same rows from prepared statements on its own connection.
      const bare = await bareRoutes(path);
      await load(`${bare.url}/api/dashboard`, 1, {});
      for (const [name, p] of routes) {
        const r = await load(base + p, seconds);
        const same = await load(bare.url + p, seconds, {});
        console.log(
          `  ${name.padEnd(36)}: ${fmt(r.rps).padStart(9)} req/s, p99 ${fmt(r.p99)} ms — ${fmt(r.rps / health.rps)}× the bare route (target ≥ 0.5×);` +
            ` same rows bare: ${fmt(same.rps)} req/s, ${fmt(r.rps / same.rps)}×`,
        );
      }
      await bare.close();
      const ws = Math.max(2 * seconds, 10);
      const alone = await writes(base, ws);
      console.log(`  a write (POST /api/documents, 20 a second, another process) alone: p50 ${fmt(alone.p50)} ms, p95 ${fmt(alone.p95)} ms, p99 ${fmt(alone.p99)} ms (${alone.n} writes)`);
      for (const [name, p] of [routes[1], routes[0]] as const) {
        const [during] = await Promise.all([writes(base, ws), load(base + p, ws)]);
        console.log(
          `  … while 50 connections read ${name.padEnd(34)}: p50 ${fmt(during.p50)} ms, p95 ${fmt(during.p95)} ms, p99 ${fmt(during.p99)} ms — p99 ${fmt(during.p99 / alone.p99)}× alone (target ≤ 2×)`,
        );
      }
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
      seeded.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
