// npm run bench [-- --docs 100000] (default: 1,000,000 documents, as SPEC §9 asks)
// npm run bench -- --only reads [--docs N] [--seconds S]: only the reads-under-load section (bench/reads.ts)
// Performance targets of SPEC §9, each reported as a ratio against a baseline measured in the
// same run (never as a pass/fail timing: machines here are noisy).
import { sql } from 'drizzle-orm';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { listDocuments } from '../src/app/documents.js';
import { createAppContext } from '../src/app/create-context.js';
import { addWorkingDaysByWalking, WorkingDayCalendar } from '../src/domain/calendar/calendar.js';
import { OFFICIAL_SCHEDULES } from '../src/domain/calendar/official-schedules.js';
import { interpretationDeadline } from '../src/domain/deadlines/interpretation.js';
import { dateOfDayNumber, dayNumber, parseInstant, shanghaiDate } from '../src/domain/time.js';
import { departments, documents } from '../src/db/schema.js';
import { scryptPasswords } from '../src/runtime/scrypt-passwords.js';
import { openSqlite } from '../src/runtime/node/sqlite.js';
import { benchExports } from './exports.js';
import { benchImports } from './imports.js';
import { benchBusyStory, benchIngest, benchMatching } from './monitoring.js';
import { benchMemory } from './memory.js';
import { benchNotifications } from './notifications.js';
import { benchReprints } from './reprints.js';
import { benchReads } from './reads.js';
import { benchTimers } from './timers.js';

const args = process.argv.slice(2);
const docsArg = args.indexOf('--docs');
const LARGE = docsArg >= 0 ? Number(args[docsArg + 1]) : 1_000_000;
const SMALL = 10_000;
const onlyArg = args.indexOf('--only');
const ONLY = onlyArg >= 0 ? args[onlyArg + 1] : undefined;
const secondsArg = args.indexOf('--seconds');
const SECONDS = secondsArg >= 0 ? Number(args[secondsArg + 1]) : 5;
const OVERDUE = 200;

function timeIt(fn: () => unknown, minMs = 300): number {
  // Median of batches of calls, in ms per call.
  const samples: number[] = [];
  const deadline = performance.now() + minMs;
  do {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  } while (performance.now() < deadline || samples.length < 5);
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

async function timeAsync(fn: () => Promise<unknown>, runs = 30): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 1 });

// 1. Due dates ------------------------------------------------------------------------------
function benchDueDates() {
  const calendar = WorkingDayCalendar.build(OFFICIAL_SCHEDULES);
  const dates: string[] = [];
  for (let n = dayNumber('2020-01-01'); n <= dayNumber('2026-12-31'); n++) dates.push(dateOfDayNumber(n));
  const N = 20;
  let sink = 0;
  const fast = timeIt(() => {
    for (const d of dates) sink += calendar.addWorkingDays(d, N).result.length;
  });
  const walk = timeIt(() => {
    for (const d of dates) sink += addWorkingDaysByWalking(calendar, d, N).length;
  });
  const build = timeIt(() => WorkingDayCalendar.build(OFFICIAL_SCHEDULES));
  const perSecond = (ms: number) => (dates.length / ms) * 1000;
  console.log('Due dates (addWorkingDays, n = 20, every start date 2020–2026)');
  console.log(`  precomputed ordinals : ${fmt(perSecond(fast))} per second`);
  console.log(`  day-by-day walk      : ${fmt(perSecond(walk))} per second`);
  console.log(`  ratio                : ${fmt(walk / fast)}× faster (target ≥ 100×)`);
  console.log(`  calendar rebuild     : ${fmt(build)} ms (once per calendar change)`);
  return { ratio: walk / fast, sink };
}

// 2. Overdue listing ------------------------------------------------------------------------
async function seededDatabase(total: number, dir: string) {
  const db = openSqlite(join(dir, `bench-${total}.sqlite`));
  const calendar = WorkingDayCalendar.build(OFFICIAL_SCHEDULES);
  const ctx = createAppContext({ db, now: () => parseInstant('2026-11-20T10:00:00+08:00')!, passwords: scryptPasswords() });
  await db.orm.insert(departments).values([
    { code: 'fgw', name: '市发展改革委', createdAt: 0 },
    { code: 'jyj', name: '市教育局', createdAt: 0 },
  ]);
  const start = parseInstant('2020-01-02')!;
  const end = parseInstant('2026-10-01')!;
  const CHUNK = 500;
  for (let offset = 0; offset < total; offset += CHUNK) {
    const rows = [];
    for (let i = offset; i < Math.min(total, offset + CHUNK); i++) {
      const publishedAt = start + Math.floor(((end - start) * i) / total);
      const { dueDate, provisional } = interpretationDeadline(calendar, publishedAt, 3);
      // A fixed number are overdue (no interpretation); the rest were interpreted on time.
      const overdue = i % Math.floor(total / OVERDUE) === 0;
      rows.push({
        docNumber: `测〔${shanghaiDate(publishedAt).slice(0, 4)}〕${i}号`,
        title: `基准测试文件 ${i}`,
        departmentCode: i % 2 ? 'fgw' : 'jyj',
        publishedAt,
        requiresInterpretation: true,
        importance: 'normal' as const,
        interpretationDueDate: dueDate,
        dueProvisional: provisional,
        firstInterpretationAt: overdue ? null : publishedAt + 86_400_000,
        createdAt: publishedAt,
        updatedAt: publishedAt,
      });
    }
    await db.batch([db.orm.insert(documents).values(rows)]);
  }
  await db.orm.run(sql`ANALYZE`);
  return { db, ctx };
}

async function benchOverdue() {
  const dir = mkdtempSync(join(tmpdir(), 'policy-bench-'));
  try {
    const asOf = parseInstant('2026-11-20T10:00:00+08:00')!;
    const today = shanghaiDate(asOf);
    const results: Record<number, { indexed: number; scan: number; found: number }> = {};
    let largeDb: string | undefined;
    for (const total of [SMALL, LARGE]) {
      const seedStart = performance.now();
      const { db, ctx } = await seededDatabase(total, dir);
      const seedMs = performance.now() - seedStart;
      const list = () => listDocuments(ctx, { status: 'overdue', asOf, limit: 50, offset: 0 });
      const found = (await list()).length;
      const indexed = await timeAsync(list);
      // Baseline: the same question answered by scanning every document.
      const scan = await timeAsync(
        async () =>
          db.orm.all(sql`SELECT * FROM documents NOT INDEXED
            WHERE requires_interpretation = 1
              AND (first_interpretation_at IS NULL OR first_interpretation_at > ${asOf})
              AND interpretation_due_date < ${today}
            ORDER BY interpretation_due_date, id LIMIT 50`),
        10,
      );
      results[total] = { indexed, scan, found };
      console.log(`  ${fmt(total).padStart(9)} documents (seeded in ${fmt(seedMs / 1000)} s): listing ${found} overdue takes ${fmt(indexed)} ms; a full scan takes ${fmt(scan)} ms`);
      db.close();
      if (total === LARGE) largeDb = join(dir, `bench-${total}.sqlite`);
    }
    const small = results[SMALL]!;
    const large = results[LARGE]!;
    console.log(`  cost among ${fmt(LARGE)} ÷ cost among ${fmt(SMALL)} : ${fmt(large.indexed / small.indexed)}× (target ≤ 2×)`);
    console.log(`  full scan ÷ indexed listing among ${fmt(LARGE)} : ${fmt(large.scan / large.indexed)}×`);
    console.log('');
    await benchMemory(largeDb!, LARGE);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`Benchmarks (Node ${process.version}, ${new Date().toISOString()})\n`);
if (ONLY === 'reads') {
  await benchReads(LARGE, SECONDS);
  process.exit(0);
}
if (ONLY === 'reprints' || ONLY === 'ingest' || ONLY === 'busy-story') {
  // npm run bench -- --only reprints [--docs N]: reprint detection alone; --only ingest: ingest
  // alone; --only busy-story: one story reprinted thousands of times.
  if (ONLY === 'reprints') await benchReprints(LARGE);
  else if (ONLY === 'ingest') await benchIngest();
  else await benchBusyStory();
  process.exit(0);
}
benchDueDates();
console.log(`\nOverdue listing (GET /api/documents?status=overdue, first page of 50; ${OVERDUE} overdue in each set)`);
await benchOverdue();
console.log('');
benchMatching();
console.log('');
await benchIngest();
console.log('');
await benchBusyStory();
console.log('');
// Reprint detection with LARGE stored items vs 10,000 (seeding a million takes several minutes).
await benchReprints(LARGE);
console.log('');
await benchTimers();
console.log('');
await benchNotifications();
console.log('');
await benchImports();
console.log('');
await benchExports(LARGE);
console.log('');
await benchReads(LARGE, SECONDS);
console.log(`\nResident memory at the end of the run: ${fmt(process.memoryUsage().rss / 1024 / 1024)} MB`);
