// Export (SPEC §9): 1,000,000 documents as CSV, streamed — GET /api/documents/export's own code
// (keyset pages of the list's query, status as of asOf, department names, formula-safe cells,
// UTF-8 with BOM) read to the end — vs a plain SELECT reading the same columns of the same rows
// with one prepared statement. Then the real service (`npm start`, its own process) serves the
// export over HTTP while its peak resident memory is read from /proc: streamed, it stays flat.
// Realistic data: 40 departments, publication times spread over 2020–2026, about 1 % overdue,
// 2 % pending, 3 % exempt, the rest interpreted (a few late).
import BetterSqlite3 from 'better-sqlite3';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createAppContext } from '../src/app/create-context.js';
import { documentSearchText } from '../src/app/documents.js';
import { csvStream } from '../src/app/exports/csv.js';
import { documentsExport } from '../src/app/exports/documents.js';
import { WorkingDayCalendar } from '../src/domain/calendar/calendar.js';
import { OFFICIAL_SCHEDULES } from '../src/domain/calendar/official-schedules.js';
import { interpretationDeadline } from '../src/domain/deadlines/interpretation.js';
import { parseInstant } from '../src/domain/time.js';
import { scryptPasswords } from '../src/runtime/scrypt-passwords.js';
import { openSqlite } from '../src/runtime/node/sqlite.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TOKEN = 'bench-admin-token-0123456789';
const AS_OF = parseInstant('2026-11-20T10:00:00+08:00')!;
const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 2 });

const SUBJECTS = ['促进民营经济发展', '优化营商环境', '加强安全生产', '推进城市更新', '支持科技创新', '做好稳就业工作', '规范行政执法', '加快数字政府建设'];
const KINDS = ['若干措施', '实施意见', '管理办法', '工作方案', '通知'];

/** The seeded database, built with one prepared statement in one transaction. */
function seed(path: string, total: number): void {
  openSqlite(path).close(); // creates and migrates
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = OFF');
  const calendar = WorkingDayCalendar.build(OFFICIAL_SCHEDULES);
  const insertDepartment = sqlite.prepare('INSERT INTO departments (code, name, created_at) VALUES (?, ?, 0)');
  const insert = sqlite.prepare(`INSERT INTO documents (doc_number, title, department_code, published_at, url, requires_interpretation,
    exempt_reason, importance, interpretation_due_date, due_provisional, first_interpretation_at, search_text, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const from = Date.parse('2020-01-02T00:00:00+08:00');
  const until = AS_OF - 7 * 86_400_000; // the last week is for the pending ones
  let state = 7;
  const random = () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  sqlite.transaction(() => {
    for (let d = 1; d <= 40; d++) insertDepartment.run(`d${String(d).padStart(2, '0')}`, `市第${d}委办局`);
    for (let i = 0; i < total; i++) {
      const r = random();
      const pending = r < 0.02;
      const overdue = !pending && r < 0.03;
      const exempt = !pending && !overdue && r < 0.06;
      const minute = 60_000;
      const publishedAt = pending
        ? AS_OF - Math.floor((random() * 2 * 86_400_000) / minute) * minute // the last two days: still within three working days
        : from + Math.floor((random() * (until - from)) / minute) * minute;
      const due = interpretationDeadline(calendar, publishedAt, 3);
      const first = pending || overdue || exempt ? null : publishedAt + Math.floor(random() * (r < 0.1 ? 12 : 3) * 86_400_000);
      const dept = `d${String((i % 40) + 1).padStart(2, '0')}`;
      const year = new Date(publishedAt + 8 * 3_600_000).getUTCFullYear();
      const docNumber = `沪${dept}规〔${year}〕${i + 1}号`;
      const title = `关于${SUBJECTS[i % SUBJECTS.length]}的${KINDS[i % KINDS.length]}（第${i + 1}号）`;
      insert.run(
        docNumber, title, dept, publishedAt, `https://${dept}.example.gov.cn/zcwj/${i + 1}.html`, exempt ? 0 : 1,
        exempt ? '内部管理事项，不涉及公众权利义务' : null, random() < 0.1 ? 'major' : 'normal', due.dueDate, due.provisional ? 1 : 0,
        first, documentSearchText(docNumber, title), publishedAt, publishedAt,
      );
    }
  })();
  sqlite.prepare("INSERT INTO meta (key, value) VALUES ('search_text_v1', '0')").run();
  sqlite.exec('ANALYZE');
  sqlite.close();
}

async function drain(stream: ReadableStream<Uint8Array>): Promise<number> {
  let bytes = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return bytes;
    bytes += value.byteLength;
  }
}

function procStatus(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null; // not Linux
  }
}

/** The real service on the seeded database: its resident memory before, and its peak while serving each export. */
async function serviceMemory(dbPath: string) {
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
    const before = procStatus(child.pid!, 'VmRSS');
    const results: { format: string; bytes: number; ms: number; peak: number | null }[] = [];
    for (const format of ['csv', 'xlsx']) {
      const start = performance.now();
      const res = await fetch(`http://127.0.0.1:${port}/api/documents/export?format=${format}&asOf=2026-11-20T10:00:00%2B08:00`, { headers: { Authorization: `Bearer ${TOKEN}` } });
      if (!res.ok) throw new Error(`export ${format}: HTTP ${res.status}`);
      const bytes = await drain(res.body!);
      results.push({ format, bytes, ms: performance.now() - start, peak: procStatus(child.pid!, 'VmHWM') });
    }
    return { before, results };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

export async function benchExports(total = 1_000_000) {
  const dir = mkdtempSync(join(tmpdir(), 'policy-bench-export-'));
  const path = join(dir, 'export.sqlite');
  try {
    console.log(`Export of ${fmt(total)} documents as CSV (GET /api/documents/export, streamed) vs a plain SELECT of the same rows`);
    const seedStart = performance.now();
    seed(path, total);
    console.log(`  seeded in ${fmt((performance.now() - seedStart) / 1000)} s (40 departments, 2020–2026, ~1 % overdue, ~2 % pending)`);

    // Baseline: the same columns of every row, read with one prepared statement.
    const sqlite = new BetterSqlite3(path, { readonly: true });
    const select = sqlite.prepare(`SELECT id, doc_number, title, department_code, published_at, requires_interpretation, exempt_reason, importance,
      interpretation_due_date, due_provisional, first_interpretation_at, url FROM documents ORDER BY id`).raw();
    const cpu = () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    };
    const plain = () => {
      const [start, cpuStart] = [performance.now(), cpu()];
      let n = 0;
      for (const _row of select.iterate()) n++;
      return { ms: performance.now() - start, cpuMs: cpu() - cpuStart, n, bytes: 0 };
    };

    const db = openSqlite(path);
    const ctx = createAppContext({ db, now: () => AS_OF, passwords: scryptPasswords() });
    const exported = async () => {
      const [start, cpuStart] = [performance.now(), cpu()];
      const bytes = await drain(csvStream(await documentsExport(ctx, { asOf: AS_OF })));
      return { ms: performance.now() - start, cpuMs: cpu() - cpuStart, n: total, bytes };
    };
    // Warm both once (page cache, JIT), then alternate three runs of each and take the medians:
    // this machine is shared, and alternating spreads its noise over both sides alike.
    plain();
    await exported();
    const bases: ReturnType<typeof plain>[] = [];
    const runs: Awaited<ReturnType<typeof exported>>[] = [];
    for (let i = 0; i < 3; i++) {
      bases.push(plain());
      runs.push(await exported());
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
    const [baseMs, runMs] = [median(bases.map((b) => b.ms)), median(runs.map((r) => r.ms))];
    const [baseCpu, runCpu] = [median(bases.map((b) => b.cpuMs)), median(runs.map((r) => r.cpuMs))];
    sqlite.close();
    db.close();
    console.log(`  plain SELECT      : ${fmt(baseMs)} ms (${fmt(total)} rows, ${fmt((total / baseMs) * 1000)} rows/s; CPU ${fmt(baseCpu)} ms)`);
    console.log(`  CSV export        : ${fmt(runMs)} ms (${fmt(runs[0]!.bytes / 1024 / 1024)} MB, ${fmt((total / runMs) * 1000)} rows/s; CPU ${fmt(runCpu)} ms)`);
    console.log(`  ratio             : ${fmt(baseMs / runMs)}× the plain SELECT's speed (CPU time: ${fmt(baseCpu / runCpu)}×) (target ≥ 0.5×)`);

    const memory = await serviceMemory(path);
    console.log(`  the service (npm start, its own process), resident before the exports: ${memory.before === null ? 'not measured (no /proc)' : `${fmt(memory.before)} MB`}`);
    for (const r of memory.results) {
      console.log(
        `  ${r.format.toUpperCase().padEnd(4)} over HTTP: ${fmt(r.bytes / 1024 / 1024)} MB in ${fmt(r.ms / 1000)} s; peak resident so far ${r.peak === null ? 'not measured' : `${fmt(r.peak)} MB`}${r.format === 'csv' ? ' (target < 200 MB)' : ''}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// `npx tsx bench/exports.ts [rows]` runs this one alone.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await benchExports(Number(process.argv[2] ?? 1_000_000));
