import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeApiContract } from './api-contract.js';

// The API contract against the Workers build: `npm run worker:dev` (the local D1 migrated from
// db/migrations, then `wrangler dev` — workerd, offline — on 127.0.0.1), with Cron Triggers fired
// through wrangler's /__scheduled?cron=… exactly as the crons in wrangler.toml would.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// The every-minute trigger polls, sweeps the commitment clocks and sends due notifications.
const CRON = { sweep: '*/10 * * * *', monitor: '* * * * *', deliver: '* * * * *' } as const;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    // The whole group: npm/tsx, wrangler and workerd.
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      resolve();
    }
    setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 5_000).unref();
  });
}

describeApiContract('Cloudflare Workers (npm run worker:dev)', async () => {
  const state = mkdtempSync(join(tmpdir(), 'contract-workers-'));
  const port = await freePort();
  const adminToken = 'contract-admin-token-0123456789';
  const base = `http://127.0.0.1:${port}`;
  const child = spawn('npm', ['run', 'worker:dev'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORT: String(port), ADMIN_TOKEN: adminToken, ALLOW_PRIVATE_FEEDS: '1', WORKER_STATE_DIR: state },
  });
  let log = '';
  child.stdout!.on('data', (d) => (log += d));
  child.stderr!.on('data', (d) => (log += d));

  const deadline = Date.now() + 150_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npm run worker:dev exited with ${child.exitCode}:\n${log}`);
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop(child);
      throw new Error(`wrangler dev did not answer /health within 150 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }

  return {
    base,
    adminToken,
    async scheduled(job) {
      const res = await fetch(`${base}/__scheduled?cron=${encodeURIComponent(CRON[job])}`);
      if (!res.ok) throw new Error(`scheduled ${job}: HTTP ${res.status}\n${log}`);
      await res.text();
    },
    queueBatches: () => (log.match(/队列批次：/g) ?? []).length,
    async close() {
      await stop(child);
      rmSync(state, { recursive: true, force: true });
    },
  };
});
