import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('npm run demo', () => {
  it('when started, then it serves a sample with documents in every status and running clocks, and removes its database on exit', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/runtime/node/demo.ts'], {
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += String(d)));
    child.stderr.on('data', (d) => (output += String(d)));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`demo did not start:\n${output}`)), 30_000);
        child.stdout.on('data', () => {
          if (output.includes('按 Ctrl+C 退出')) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.on('exit', (code) => reject(new Error(`demo exited with ${code}:\n${output}`)));
      });
      const port = /http:\/\/localhost:(\d+)\//.exec(output)![1];
      const dir = /临时数据库 (\S+)，退出即删除/.exec(output)![1]!;
      expect(existsSync(dir)).toBe(true);
      const res = await fetch(`http://127.0.0.1:${port}/api/dashboard`, { headers: { Authorization: 'Bearer demo-admin-token-not-for-production' } });
      const board = (await res.json()) as { counts: { documents: Record<string, number>; openIncidents: number; runningCommitments: number } };
      for (const status of ['pending', 'overdue', 'on_time', 'late', 'exempt', 'drafting']) expect(board.counts.documents[status], status).toBeGreaterThan(0);
      expect(board.counts.openIncidents).toBeGreaterThanOrEqual(3);
      expect(board.counts.runningCommitments).toBeGreaterThan(0);
      expect(output).toMatch(/抓取 3 个订阅源，新条目 6 条，命中规则 3 条/);
      const page = await fetch(`http://127.0.0.1:${port}/login`);
      expect(page.status).toBe(200);
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      expect(existsSync(dir)).toBe(false);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 60_000);
});
