// SPEC §9: resident memory of the service with 1,000,000 documents. The real service (`npm start`:
// dist/main.mjs under node) runs in its own process on the seeded database; after it has answered the heavy reads (overdue listing,
// the dashboard's per-department table (kept counts since migration 0009), timers, a full page of documents,
// an incident's hot words (which load the nodejieba dictionaries) — its peak resident set (VmHWM)
// and current one (VmRSS) are read from /proc.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 1 });
const TOKEN = 'bench-admin-token-0123456789';

function procStatus(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null; // not Linux
  }
}

export async function benchMemory(dbPath: string, documents: number) {
  // Exactly what `npm start` runs: the bundle in dist/ under plain node.
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  const child = spawn(process.execPath, ['--enable-source-maps', 'dist/main.mjs'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DB_PATH: dbPath, ADMIN_TOKEN: TOKEN, SCHEDULER: 'off' },
  });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d) => {
        out += d;
        const m = /http:\/\/localhost:(\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.once('exit', (code) => reject(new Error(`the service exited with ${code}:\n${out}`)));
    });
    const base = `http://127.0.0.1:${port}`;
    const get = async (path: string) => {
      const res = await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${TOKEN}` } });
      if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
      await res.arrayBuffer();
    };
    // An incident to read, so that its hot words load the segmenter's dictionaries too.
    const opened = await fetch(`${base}/api/incidents`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: '某区化工厂发生爆炸事故', severity: 'major', summary: '已致2人受伤，消防部门赶赴现场救援。市应急管理局召开新闻发布会，发布权威信息。' }),
    });
    if (opened.status !== 201) throw new Error(`POST /api/incidents: HTTP ${opened.status}`);
    const incident = (await opened.json()) as { id: number };
    const paths = [
      '/api/documents?status=overdue&limit=50',
      '/api/dashboard',
      '/api/timers',
      '/api/documents?limit=200&offset=500000',
      '/api/alerts',
      `/api/incidents/${incident.id}`,
    ];
    for (let round = 0; round < 5; round++) for (const p of paths) await get(p);
    const rss = procStatus(child.pid!, 'VmRSS');
    const peak = procStatus(child.pid!, 'VmHWM');
    console.log(`Memory of the service (npm start, its own process) on ${fmt(documents)} documents, after 5 rounds of ${paths.length} heavy reads`);
    if (rss === null || peak === null) console.log('  /proc not available: not measured on this system');
    else {
      console.log(`  resident now : ${fmt(rss)} MB`);
      console.log(`  peak resident: ${fmt(peak)} MB (target < 200 MB)`);
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}
