import { execFileSync, spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../../support/app.js';

// `npm start` runs the bundle `npm run build` writes to dist/ under plain node (no TypeScript
// loader in the running service: about 40 MB less resident). This checks that the bundle finds
// its migrations and feeds/ from dist/ and serves.
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const TOKEN = 'start-test-admin-token-0123456789';

describe('npm start (dist/main.mjs)', () => {
  it('when built and started on a fresh database, then it migrates it, loads feeds/ and answers', async () => {
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'pipe' });
    const { dir, cleanup } = tempDir();
    const child = spawn(process.execPath, ['dist/main.mjs'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DB_PATH: `${dir}/app.sqlite`, ADMIN_TOKEN: TOKEN, SCHEDULER: 'off' },
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    try {
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no start line within 15 s:\n${out}`)), 15_000);
        child.stdout!.on('data', () => {
          const m = /http:\/\/localhost:(\d+)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(Number(m[1]));
          }
        });
        child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${out}`)));
      });
      expect(out).toMatch(/已载入 feeds\/：0 个订阅源，6 条监测规则/);
      const health = await fetch(`http://127.0.0.1:${port}/health`);
      expect(health.status).toBe(200);
      const rules = await fetch(`http://127.0.0.1:${port}/api/rules`, { headers: { Authorization: `Bearer ${TOKEN}` } });
      expect(rules.status).toBe(200);
      expect(((await rules.json()) as { items: unknown[] }).items).toHaveLength(6);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      cleanup();
    }
  }, 30_000);
});
