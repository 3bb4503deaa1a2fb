import BetterSqlite3 from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readEnv } from '../../../src/runtime/node/env.js';
import { startService } from '../../../src/runtime/node/service.js';
import { backupSqlite } from '../../../src/runtime/node/sqlite.js';
import { rss2, utf8 } from '../../fixtures/feeds.js';
import { tempDir } from '../../support/app.js';
import { startFeedServer } from '../../support/feed-server.js';
import { spawnService } from '../../support/service-process.js';

const TOKEN = 'shutdown-test-admin-token-0123456789';
const auth = { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' };

describe('SIGTERM', () => {
  it('when the service is told to stop during a request, then the request finishes, the process exits 0 and the database is closed with an empty WAL', async () => {
    // A feed that takes a second to answer: the poll is in flight when SIGTERM arrives.
    const feeds = await startFeedServer({
      '/slow.xml': (_req, res) => {
        setTimeout(() => res.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(utf8(rss2({ items: [{ guid: 's1', title: '慢速条目', link: 'https://e.example/1' }] }))), 1000);
      },
    });
    const { dir, cleanup } = tempDir();
    const db = `${dir}/app.sqlite`;
    const { child, port: started } = spawnService({ PORT: '0', HOST: '127.0.0.1', DB_PATH: db, ADMIN_TOKEN: TOKEN, SCHEDULER: 'on', ALLOW_PRIVATE_URLS: '1' });
    try {
      const port = await started;
      const feed = (await (await fetch(`http://127.0.0.1:${port}/api/feeds`, { method: 'POST', headers: auth, body: JSON.stringify({ name: '慢', url: feeds.url('/slow.xml') }) })).json()) as { id: number };
      const poll = fetch(`http://127.0.0.1:${port}/api/feeds/${feed.id}/poll`, { method: 'POST', headers: auth });
      await new Promise((r) => setTimeout(r, 300));
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const res = await poll;
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ fetched: 1, new: 1 });
      expect(await exited).toBe(0);
      // Checkpointed and closed: the WAL is gone or empty, and the item is in the database itself.
      expect(!existsSync(`${db}-wal`) || statSync(`${db}-wal`).size === 0).toBe(true);
      const sqlite = new BetterSqlite3(db, { readonly: true });
      expect(sqlite.prepare('SELECT title FROM items').all()).toEqual([{ title: '慢速条目' }]);
      sqlite.close();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await feeds.close();
      cleanup();
    }
  }, 60_000);
});

describe('backup and restore', () => {
  it('when a backup is taken while the service writes, then the copy is consistent, and the service restored from it serves its data', async () => {
    const { dir, cleanup } = tempDir();
    const env = { PORT: '0', HOST: '127.0.0.1', ADMIN_TOKEN: TOKEN, SCHEDULER: 'off' };
    const live = await startService(readEnv({ ...env, DB_PATH: `${dir}/live.sqlite` }));
    let restored: Awaited<ReturnType<typeof startService>> | undefined;
    try {
      const api = (port: number, method: string, path: string, body?: unknown) =>
        fetch(`http://127.0.0.1:${port}${path}`, { method, headers: auth, body: body === undefined ? undefined : JSON.stringify(body) });
      await api(live.port, 'POST', '/api/departments', { code: 'fgw', name: '市发展改革委' });
      for (let i = 0; i < 200; i++) await api(live.port, 'POST', '/api/documents', { title: `文件${i}`, departmentCode: 'fgw', publishedAt: '2026-11-02' });
      // Writes go on during the backup.
      let writing = true;
      const writer = (async () => {
        let n = 0;
        while (writing) await api(live.port, 'POST', '/api/documents', { title: `并发文件${n++}`, departmentCode: 'fgw', publishedAt: '2026-11-03' });
        return n;
      })();
      const progress: number[] = [];
      const result = await backupSqlite(`${dir}/live.sqlite`, `${dir}/backup.sqlite`, (done) => progress.push(done));
      writing = false;
      await writer;
      expect(result.integrity).toBe('ok');
      expect(progress.at(-1)).toBe(1);

      // Restore: the backup file becomes a database of its own (the live one stays as it is).
      copyFileSync(`${dir}/backup.sqlite`, `${dir}/restored.sqlite`);
      restored = await startService(readEnv({ ...env, DB_PATH: `${dir}/restored.sqlite` }));
      const docs = (await (await api(restored.port, 'GET', '/api/documents?limit=500')).json()) as { items: { title: string }[] };
      expect(docs.items.length).toBeGreaterThanOrEqual(200);
      expect(docs.items.filter((d) => /^文件\d+$/.test(d.title))).toHaveLength(200);
      const audit = (await (await api(restored.port, 'GET', '/api/audit?entity=document&limit=500')).json()) as { items: unknown[] };
      expect(audit.items).toHaveLength(docs.items.length); // each document with its audit entry: a consistent cut
    } finally {
      await restored?.close();
      await live.close();
      cleanup();
    }
  }, 60_000);

  it('when the service is told to stop while an accepted import runs, then the import finishes first', async () => {
    const { dir, cleanup } = tempDir();
    const service = await startService(readEnv({ PORT: '0', HOST: '127.0.0.1', ADMIN_TOKEN: TOKEN, SCHEDULER: 'off', DB_PATH: `${dir}/import.sqlite` }));
    try {
      const api = (method: string, path: string, body: string, type = 'application/json') =>
        fetch(`http://127.0.0.1:${service.port}${path}`, { method, headers: { ...auth, 'Content-Type': type }, body });
      await api('POST', '/api/departments', JSON.stringify({ code: 'fgw', name: '市发展改革委' }));
      const csv = ['文号,标题,起草部门,发布时间', ...Array.from({ length: 20_000 }, (_, i) => `停机〔2026〕${i + 1}号,停机测试通知${i + 1},fgw,2026-11-02`)].join('\r\n');
      const accepted = await api('POST', '/api/imports?kind=documents', csv, 'text/csv');
      expect(accepted.status).toBe(202);
      await service.close();
      const db = new BetterSqlite3(`${dir}/import.sqlite`, { readonly: true });
      const job = db.prepare('SELECT status, created FROM import_jobs').get();
      const documents = (db.prepare('SELECT COUNT(*) AS n FROM documents').get() as { n: number }).n;
      db.close();
      expect(job).toEqual({ status: 'done', created: 20_000 });
      expect(documents).toBe(20_000);
    } finally {
      cleanup();
    }
  }, 60_000);

  it('when another connection writes all the time, then the backup still finishes, with a consistent copy', async () => {
    const { dir, cleanup } = tempDir();
    const live = new BetterSqlite3(`${dir}/busy.sqlite`);
    live.pragma('journal_mode = WAL');
    try {
      // About 40 MB, and a write every 2 ms for at most 20 s from another connection.
      live.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL);
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40000)
        INSERT INTO t (body) SELECT printf('%.1000c', 'x') FROM n;`);
      const insert = live.prepare("INSERT INTO t (body) VALUES ('written during the backup')");
      let writes = 0;
      const writer = setInterval(() => {
        insert.run();
        writes++;
      }, 2);
      let stopped = false;
      const stop = setTimeout(() => {
        clearInterval(writer);
        stopped = true;
      }, 20_000);
      const result = await backupSqlite(`${dir}/busy.sqlite`, `${dir}/busy-backup.sqlite`);
      const writing = !stopped;
      clearInterval(writer);
      clearTimeout(stop);
      expect(writing, 'the backup finished while the writes went on').toBe(true);
      expect(result.integrity).toBe('ok');
      const copy = new BetterSqlite3(`${dir}/busy-backup.sqlite`, { readonly: true });
      const rows = copy.prepare('SELECT COUNT(*) AS n FROM t').get() as { n: number };
      copy.close();
      expect(rows.n).toBeGreaterThanOrEqual(40_000);
    } finally {
      live.close();
      cleanup();
    }
  }, 60_000);

  it('when a backup is killed midway (kill -9), then no file is left at the target; the next run replaces the leftover and completes', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const live = new BetterSqlite3(`${dir}/live.sqlite`);
      live.exec('CREATE TABLE t (x TEXT)');
      live.prepare('WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) INSERT INTO t SELECT hex(randomblob(200)) FROM n').run();
      live.close();
      const target = `${dir}/copy.sqlite`;
      // A process that dies as kill -9 would kill it, once the copy has begun.
      const script = `
        import { backupSqlite } from './src/runtime/node/sqlite.ts';
        let calls = 0;
        await backupSqlite(${JSON.stringify(`${dir}/live.sqlite`)}, ${JSON.stringify(target)}, () => {
          if (++calls === 1) process.kill(process.pid, 'SIGKILL');
        });`;
      const killed = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
      expect(killed.signal, killed.stderr).toBe('SIGKILL');
      expect(existsSync(target)).toBe(false);
      const again = await backupSqlite(`${dir}/live.sqlite`, target);
      expect(again.integrity).toBe('ok');
      expect(existsSync(`${target}.partial`)).toBe(false);
      const copy = new BetterSqlite3(target, { readonly: true });
      expect(copy.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 5000 });
      copy.close();
    } finally {
      cleanup();
    }
  }, 30_000);

  it('npm run backup -- <file> copies DB_PATH, refuses to overwrite, and says how to use it', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const service = await startService(readEnv({ PORT: '0', HOST: '127.0.0.1', DB_PATH: `${dir}/app.sqlite`, ADMIN_TOKEN: TOKEN, SCHEDULER: 'off' }));
      await fetch(`http://127.0.0.1:${service.port}/api/departments`, { method: 'POST', headers: auth, body: JSON.stringify({ code: 'fgw', name: '市发展改革委' }) });
      const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/runtime/node/backup.ts', ...args], { env: { ...process.env, DB_PATH: `${dir}/app.sqlite` }, encoding: 'utf8' });
      const ok = run([`${dir}/copy.sqlite`]);
      expect(ok.status, ok.stderr).toBe(0);
      expect(ok.stdout).toMatch(/已备份 .*完整性检查通过/);
      await service.close();
      const copy = new BetterSqlite3(`${dir}/copy.sqlite`, { readonly: true });
      expect(copy.prepare('SELECT name FROM departments').all()).toEqual([{ name: '市发展改革委' }]);
      copy.close();
      expect(run([`${dir}/copy.sqlite`]).stderr).toContain('目标文件已存在');
      expect(run([]).stderr).toContain('用法：npm run backup -- <备份文件路径>');
    } finally {
      cleanup();
    }
  }, 60_000);
});
