// Import (SPEC §9): 100,000 document rows from a CSV file — read and decoded (streamed through
// csv-parse), checked, due dates computed on the official calendar, looked up by 文号 and stored
// with one audit entry each, as `POST /api/imports` does it — vs inserting the very same rows
// (values precomputed) with one prepared statement in one transaction. Realistic data: 40
// departments, publication times spread over 2020–2026, some exempt or major documents.
import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ADMIN_TOKEN_ACTOR } from '../src/app/accounts/actor.js';
import { applyInterpretationRule, createAppContext } from '../src/app/create-context.js';
import { documentSearchText } from '../src/app/documents.js';
import { getImportJob, startImport } from '../src/app/imports/jobs.js';
import { readUpload } from '../src/app/imports/upload.js';
import { WorkingDayCalendar } from '../src/domain/calendar/calendar.js';
import { OFFICIAL_SCHEDULES } from '../src/domain/calendar/official-schedules.js';
import { interpretationDeadline } from '../src/domain/deadlines/interpretation.js';
import { departments } from '../src/db/schema.js';
import { scryptPasswords } from '../src/runtime/scrypt-passwords.js';
import { openSqlite } from '../src/runtime/node/sqlite.js';

const ROWS = 100_000;
const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 2 });

const DEPARTMENTS = Array.from({ length: 40 }, (_, i) => ({ code: `d${String(i + 1).padStart(2, '0')}`, name: `市第${i + 1}委办局` }));
const SUBJECTS = ['促进民营经济发展', '优化营商环境', '加强安全生产', '推进城市更新', '支持科技创新', '做好稳就业工作', '规范行政执法', '加快数字政府建设'];
const KINDS = ['若干措施', '实施意见', '管理办法', '工作方案', '通知'];

interface Row {
  docNumber: string;
  title: string;
  department: string;
  publishedAt: number;
  url: string;
  requires: boolean;
  reason: string;
  major: boolean;
}

function rows(): Row[] {
  const from = Date.parse('2020-01-01T00:00:00+08:00');
  const span = Date.parse('2027-01-01T00:00:00+08:00') - from;
  let seed = 42;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  return Array.from({ length: ROWS }, (_, i) => {
    const d = DEPARTMENTS[i % 40]!;
    // Minutes only, as a person types them.
    const publishedAt = from + Math.floor((random() * span) / 60_000) * 60_000;
    const year = new Date(publishedAt + 8 * 3_600_000).getUTCFullYear();
    const requires = random() > 0.05;
    return {
      docNumber: `沪${d.code}规〔${year}〕${i + 1}号`,
      title: `关于${SUBJECTS[i % SUBJECTS.length]}的${KINDS[i % KINDS.length]}（第${i + 1}号）`,
      department: d.name,
      publishedAt,
      url: `https://${d.code}.example.gov.cn/zcwj/${i + 1}.html`,
      requires,
      reason: requires ? '' : '内部管理事项，不涉及公众权利义务',
      major: random() < 0.1,
    };
  });
}

/** As Excel on Chinese Windows would show it: `2026/9/30 10:00`, Beijing time. */
function excelTime(ms: number): string {
  const d = new Date(ms + 8 * 3_600_000);
  return `${d.getUTCFullYear()}/${d.getUTCMonth() + 1}/${d.getUTCDate()} ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

function csvOf(data: Row[]): Uint8Array {
  const lines = ['文号,标题,起草部门,发布时间,链接,是否需要解读,免于解读理由,重要程度'];
  for (const r of data) lines.push([r.docNumber, r.title, r.department, excelTime(r.publishedAt), r.url, r.requires ? '是' : '否', r.reason, r.major ? '重大' : '普通'].join(','));
  return new TextEncoder().encode(`\ufeff${lines.join('\r\n')}\r\n`);
}

async function freshDatabase(path: string) {
  const db = openSqlite(path);
  const ctx = createAppContext({ db, now: () => Date.parse('2026-11-20T02:00:00Z'), passwords: scryptPasswords({ N: 2 ** 10 }) });
  await applyInterpretationRule(ctx);
  await db.orm.insert(departments).values(DEPARTMENTS.map((d) => ({ ...d, createdAt: 0 })));
  return { db, ctx };
}

export async function benchImports() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-imports-'));
  try {
    const data = rows();
    const csv = csvOf(data);
    const calendar = WorkingDayCalendar.build(OFFICIAL_SCHEDULES);
    const code = new Map(DEPARTMENTS.map((d) => [d.name, d.code]));
    const stored = data.map((r) => {
      const due = interpretationDeadline(calendar, r.publishedAt, 3);
      return [r.docNumber, r.title, code.get(r.department)!, r.publishedAt, r.url, r.requires ? 1 : 0, r.requires ? null : r.reason, r.major ? 'major' : 'normal', due.dueDate, due.provisional ? 1 : 0, documentSearchText(r.docNumber, r.title)] as const;
    });

    // Baseline: the same rows, values ready, one prepared statement, one transaction.
    async function baselineRun(run: number) {
      const path = join(dir, `baseline-${run}.sqlite`);
      (await freshDatabase(path)).db.close();
      const raw = new BetterSqlite3(path);
      raw.pragma('journal_mode = WAL');
      raw.pragma('synchronous = NORMAL');
      raw.pragma('foreign_keys = ON');
      const insert = raw.prepare(`INSERT INTO documents (doc_number, title, department_code, published_at, url, requires_interpretation, exempt_reason, importance,
        interpretation_due_date, due_provisional, search_text, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0)`);
      const start = performance.now();
      raw.transaction(() => {
        for (const r of stored) insert.run(...r);
      })();
      const ms = performance.now() - start;
      raw.close();
      return ms;
    }

    // The import, as the API runs it (less HTTP): read the upload, check, plan, one batch.
    async function importRun(run: number, bytes: Uint8Array, rowCount: number) {
      const { db, ctx } = await freshDatabase(join(dir, `import-${run}.sqlite`));
      const start = performance.now();
      const request = new Request('http://bench/api/imports?kind=documents', {
        method: 'POST',
        headers: { 'Content-Type': 'text/csv' },
        body: new ReadableStream({
          start(controller) {
            for (let i = 0; i < bytes.length; i += 64 * 1024) controller.enqueue(bytes.subarray(i, i + 64 * 1024));
            controller.close();
          },
        }),
        duplex: 'half',
      } as RequestInit);
      const { sheet } = await readUpload(request);
      const read = performance.now() - start;
      const job = await startImport(ctx, ADMIN_TOKEN_ACTOR, { kind: 'documents', dryRun: false, sheet });
      await job.finished;
      const ms = performance.now() - start;
      const result = await getImportJob(ctx, ADMIN_TOKEN_ACTOR, job.id);
      if (result.status !== 'done' || result.created !== rowCount) throw new Error(`import failed: ${JSON.stringify(result).slice(0, 500)}`);
      db.close();
      return { ms, read };
    }

    // A running service has its code warmed up: one small import first.
    await importRun(0, csvOf(data.slice(0, 5_000)), 5_000);
    const rssBefore = process.memoryUsage().rss;
    // Each measured three times, interleaved, the fastest kept (the machine is shared and noisy).
    const imports: { ms: number; read: number }[] = [];
    const baselines: number[] = [];
    for (let run = 1; run <= 3; run++) {
      imports.push(await importRun(run, csv, ROWS));
      baselines.push(await baselineRun(run));
    }
    imports.sort((a, b) => a.ms - b.ms);
    const peak = process.memoryUsage().rss;
    const baseline = Math.min(...baselines);
    const imported = imports[0]!.ms;
    const parsed = imports[0]!.read;

    console.log(`Import (${fmt(ROWS)} document rows from a ${fmt(csv.length / 1024 / 1024)} MB CSV: parse, check, due dates, store with audit entries)`);
    console.log(`  import                 : ${fmt(imported)} ms (${fmt((ROWS / imported) * 1000)} rows/s; reading the CSV ${fmt(parsed)} ms)`);
    console.log(`  one prepared statement : ${fmt(baseline)} ms (${fmt((ROWS / baseline) * 1000)} rows/s)`);
    console.log(`  ratio                  : ${fmt(baseline / imported)}× (target ≥ 0.25×)`);
    console.log(`  resident memory        : ${fmt(rssBefore / 1024 / 1024)} MB before, ${fmt(peak / 1024 / 1024)} MB after (the bench holds the file and the rows too)`);
    return { ratio: baseline / imported };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchImports();
