import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { departmentTable, departmentTableByPublishedQuery, departmentTableQuery } from '../../src/app/dashboard.js';
import { refreshFirstInterpretation } from '../../src/app/documents.js';
import { registerDocument, seedDepartment, startTestApp, type TestApp } from '../support/app.js';

// The leaders' board reads per-department counts that triggers keep (migration 0009) and corrects
// them for a past asOf from indexed reads. Here it is compared, after a random sequence of every
// kind of change, with the board computed from scratch over every document — the query the board
// ran before issue 15 — at moments before, during and after the documents' lives.

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp({ now: '2026-11-20T10:00:00+08:00' });
  for (const [code, name] of [['fgw', '市发展改革委'], ['jyj', '市教育局'], ['wjw', '市卫生健康委']]) await seedDepartment(t, code, name);
});
afterEach(() => t.close());

/** The per-department table as the board computed it before 0009: one aggregate over every document. */
function fromScratch(asOf: number) {
  const today = new Date(asOf + 8 * 3600_000).toISOString().slice(0, 10);
  const waiting = `(d.first_interpretation_at IS NULL OR d.first_interpretation_at > ${asOf})`;
  const onTime = `strftime('%Y-%m-%d', d.first_interpretation_at / 1000, 'unixepoch', '+8 hours') <= d.interpretation_due_date`;
  const n = (c: string) => `COALESCE(SUM(CASE WHEN ${c} THEN 1 ELSE 0 END), 0)`;
  const req = 'd.requires_interpretation = 1';
  const leaderLed = `EXISTS (SELECT 1 FROM interpretation_documents l JOIN interpretations i ON i.id = l.interpretation_id
    WHERE l.document_id = d.id AND i.published_at <= ${asOf} AND (i.leader_led = 1 OR i.form IN ('press_conference', 'interview')))`;
  return t.db.orm.all(
    sql.raw(`SELECT p.code AS code, p.name AS name,
      ${n(`${req} AND ${waiting} AND d.interpretation_due_date >= '${today}'`)} AS pending,
      ${n(`${req} AND ${waiting} AND d.interpretation_due_date < '${today}'`)} AS overdue,
      ${n(`${req} AND NOT ${waiting} AND ${onTime}`)} AS onTime,
      ${n(`${req} AND NOT ${waiting} AND NOT ${onTime}`)} AS late,
      ${n('d.requires_interpretation = 0')} AS exempt,
      ${n(req)} AS requiringInterpretation,
      ${n(`${req} AND d.plan_at_sign_off = 1 AND d.signed_off_at <= d.published_at`)} AS plannedAndSigned,
      ${n(`${req} AND d.importance = 'major'`)} AS majorDocuments,
      ${n(`${req} AND d.importance = 'major' AND ${leaderLed}`)} AS leaderLedMajor
    FROM departments p LEFT JOIN documents d ON d.department_code = p.code AND d.published_at <= ${asOf} AND d.drafting = 0
    GROUP BY p.code, p.name ORDER BY p.code`),
  ) as unknown as Record<string, number | string>[];
}

/** The stored counts against the same aggregates over every document, at the end of time. */
function storedCountsMatchScratch() {
  const stored = t.db.orm.all(sql.raw(`SELECT department_code, published, exempt, required, waiting, on_time, late, planned_and_signed, major, leader_led_major
    FROM department_document_counts WHERE published <> 0 OR exempt <> 0 OR required <> 0 ORDER BY department_code`));
  const scratch = t.db.orm.all(sql.raw(`SELECT department_code, COUNT(*) AS published,
      SUM(requires_interpretation = 0) AS exempt, SUM(requires_interpretation = 1) AS required,
      SUM(requires_interpretation = 1 AND first_interpretation_at IS NULL) AS waiting,
      SUM(requires_interpretation = 1 AND first_interpretation_at IS NOT NULL AND strftime('%Y-%m-%d', first_interpretation_at / 1000, 'unixepoch', '+8 hours') <= interpretation_due_date) AS on_time,
      SUM(requires_interpretation = 1 AND first_interpretation_at IS NOT NULL AND strftime('%Y-%m-%d', first_interpretation_at / 1000, 'unixepoch', '+8 hours') > interpretation_due_date) AS late,
      SUM(COALESCE(requires_interpretation = 1 AND plan_at_sign_off = 1 AND signed_off_at <= published_at, 0)) AS planned_and_signed,
      SUM(requires_interpretation = 1 AND importance = 'major') AS major,
      SUM(requires_interpretation = 1 AND importance = 'major' AND EXISTS (SELECT 1 FROM interpretation_documents l JOIN interpretations i ON i.id = l.interpretation_id
        WHERE l.document_id = documents.id AND (i.leader_led = 1 OR i.form IN ('press_conference', 'interview')))) AS leader_led_major
    FROM documents WHERE drafting = 0 GROUP BY department_code ORDER BY department_code`));
  expect(stored).toEqual(scratch);
  const waitingStored = t.db.orm.all(sql.raw('SELECT due_date, department_code, n FROM waiting_due_counts ORDER BY 1, 2'));
  const waitingScratch = t.db.orm.all(sql.raw(`SELECT interpretation_due_date AS due_date, department_code, COUNT(*) AS n FROM documents
    WHERE drafting = 0 AND requires_interpretation = 1 AND first_interpretation_at IS NULL GROUP BY 1, 2 ORDER BY 1, 2`));
  expect(waitingStored).toEqual(waitingScratch);
}

/** A small seeded generator: the same sequence on every run, a different one per seed. */
function random(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  return {
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    chance: (p: number) => next() < p,
  };
}

const DEPARTMENTS = ['fgw', 'jyj', 'wjw'] as const;
const FORMS = ['text', 'qa', 'graphic', 'press_conference', 'interview'] as const;
const DAY = 86_400_000;
const START = Date.parse('2026-09-01T00:00:00Z');
/** A moment between 2026-09-01 and 2026-12-10, at a random Beijing hour. */
const instant = (r: ReturnType<typeof random>) => new Date(START + r.int(100) * DAY + r.int(24) * 3600_000).toISOString();

async function randomHistory(seed: number, steps: number) {
  const r = random(seed);
  const docs: number[] = [];
  const interpretations: { id: number; documentIds: Set<number> }[] = [];
  const ok = (res: { status: number; body: unknown }, what: string) => {
    if (res.status >= 300) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as any;
  };
  for (let step = 0; step < steps; step++) {
    const action = docs.length < 5 ? 0 : r.int(10);
    if (action <= 1) {
      const requires = r.chance(0.85);
      const doc = await registerDocument(t, {
        title: `文件 ${step}`,
        departmentCode: r.pick(DEPARTMENTS),
        publishedAt: r.chance(0.1) ? null : instant(r),
        requiresInterpretation: requires,
        ...(requires ? {} : { exemptReason: '内部事项' }),
        importance: r.chance(0.4) ? 'major' : 'normal',
        ...(r.chance(0.3) ? { plan: { forms: ['text'] } } : {}),
      });
      docs.push(doc.id);
    } else if (action === 2) {
      const id = r.pick(docs);
      const patch: Record<string, unknown> = {};
      if (r.chance(0.4)) patch.departmentCode = r.pick(DEPARTMENTS);
      if (r.chance(0.4)) patch.publishedAt = instant(r);
      if (r.chance(0.3)) patch.importance = r.pick(['major', 'normal']);
      if (r.chance(0.3)) Object.assign(patch, r.chance(0.5) ? { requiresInterpretation: true } : { requiresInterpretation: false, exemptReason: '依法不公开' });
      ok(await t.call('PATCH', `/api/documents/${id}`, patch), `PATCH ${id} ${JSON.stringify(patch)}`);
    } else if (action === 3) {
      const id = r.pick(docs);
      // Signed off before or after publication; never in the future.
      const at = new Date(Math.min(Date.parse(instant(r)), t.now())).toISOString();
      const res = await t.call('POST', `/api/documents/${id}/sign-off`, { at });
      if (res.status !== 200 && res.status !== 409 && res.status !== 422) throw new Error(`sign-off: ${res.status} ${JSON.stringify(res.body)}`);
    } else if (action === 4) {
      const documentIds = [...new Set([r.pick(docs), r.pick(docs)])];
      const res = await t.call('POST', '/api/interpretations', {
        title: `解读 ${step}`,
        form: r.pick(FORMS),
        publishedAt: instant(r),
        documentIds,
        leaderLed: r.chance(0.2),
      });
      // A draft cannot be interpreted yet (422); anything else must succeed.
      if (res.status !== 422) interpretations.push({ id: ok(res, 'POST /api/interpretations').id, documentIds: new Set(documentIds) });
    } else if (action === 5 && interpretations.length > 0) {
      const i = r.pick(interpretations);
      const id = r.pick(docs);
      if (i.documentIds.has(id)) {
        ok(await t.call('DELETE', `/api/interpretations/${i.id}/documents/${id}`), 'unlink');
        i.documentIds.delete(id);
      } else {
        const res = await t.call('POST', `/api/interpretations/${i.id}/documents`, { documentId: id });
        if (res.status !== 422) {
          ok(res, 'link');
          i.documentIds.add(id);
        }
      }
    } else if (action === 6 && interpretations.length > 0) {
      // No route changes an interpretation's time or form; the triggers must follow such a change all the same.
      const i = r.pick(interpretations);
      t.db.orm.run(sql`UPDATE interpretations SET published_at = ${Date.parse(instant(r))}, leader_led = ${r.chance(0.5) ? 1 : 0}, form = ${r.pick(FORMS)} WHERE id = ${i.id}`);
      await t.db.batch([refreshFirstInterpretation(t.ctx, [...i.documentIds])]);
    } else if (action === 7) {
      const day = new Date(START + r.int(100) * DAY).toISOString().slice(0, 10);
      const res = await t.call('PUT', `/api/calendar/days/${day}`, { kind: r.pick(['holiday', 'makeup_workday', 'default']), name: '调整' });
      if (res.status !== 200 && res.status !== 422) throw new Error(`calendar ${day}: ${res.status} ${JSON.stringify(res.body)}`);
    } else if (action === 8) {
      // No route deletes a document or an interpretation either; a cascade or a cleanup may.
      if (r.chance(0.5) || interpretations.length === 0) {
        const id = docs.splice(r.int(docs.length), 1)[0]!;
        t.db.orm.run(sql`DELETE FROM documents WHERE id = ${id}`);
        for (const i of interpretations) i.documentIds.delete(id);
      } else {
        const [i] = interpretations.splice(r.int(interpretations.length), 1);
        t.db.orm.run(sql`DELETE FROM interpretations WHERE id = ${i!.id}`);
        await t.db.batch([refreshFirstInterpretation(t.ctx, [...i!.documentIds])]);
      }
    } else {
      // A draft published, or a published one registered: either way a create-or-update.
      const drafts = t.db.orm.all(sql`SELECT id FROM documents WHERE drafting = 1`) as unknown as { id: number }[];
      if (drafts.length > 0) ok(await t.call('PATCH', `/api/documents/${r.pick(drafts).id}`, { publishedAt: instant(r) }), 'publish draft');
    }
  }
}

const MOMENTS = ['2026-08-01T00:00:00+08:00', '2026-09-15T12:00:00+08:00', '2026-10-08T09:30:00+08:00', '2026-11-20T10:00:00+08:00', '2026-12-01T23:59:59+08:00', '2027-06-01T00:00:00+08:00'];

describe("the leaders' board from kept counts (migration 0009)", () => {
  for (const seed of [1, 2, 3]) {
    it(`after a random sequence of creates, updates, deletes, links and calendar changes (seed ${seed}), it equals the board computed from every document, at every moment`, async () => {
      await randomHistory(seed, 120);
      storedCountsMatchScratch();
      // Fixed moments, and moments just around what happened to the documents: published, first
      // interpreted, first interpreted by a leader, due date ended (each ±1 ms, for a few of them).
      const events = t.db.orm.all(sql`SELECT published_at AS p, first_interpretation_at AS f, first_leader_led_at AS l, interpretation_due_date AS d
        FROM documents WHERE drafting = 0 ORDER BY id`) as unknown as { p: number; f: number | null; l: number | null; d: string }[];
      const around = events
        .filter((_, i) => i % 3 === 0)
        .flatMap((e) => [e.p, e.f, e.l, Date.parse(`${e.d}T16:00:00Z`)])
        .filter((x): x is number => x !== null)
        .flatMap((x) => [x - 1, x]);
      const asOfs = [...MOMENTS.map((m) => Date.parse(m)), ...Array.from({ length: 6 }, (_, i) => START + i * 17 * DAY + i * 3_600_000), ...around];
      for (const asOf of asOfs) {
        const res = await t.call('GET', `/api/dashboard?asOf=${encodeURIComponent(new Date(asOf).toISOString())}`);
        expect(res.status).toBe(200);
        const expected = fromScratch(asOf);
        const got = res.body.departments.map(({ onTimeRate: _, ...row }: Record<string, unknown>) => row);
        expect(got, `asOf ${new Date(asOf).toISOString()}`).toEqual(expected);
        const sum = (k: string) => expected.reduce((s, row) => s + Number(row[k]), 0);
        // Both ways of computing it, whichever the board chose.
        for (const how of ['counts', 'published'] as const) {
          const rows = (await departmentTable(t.ctx, asOf, how)).map(({ waiting, ...r }) => ({ ...r, overdue: waiting - r.pending }));
          expect(rows, `${how}, asOf ${new Date(asOf).toISOString()}`).toEqual(expected.map((e) => expect.objectContaining(e)));
        }
        expect(res.body.counts.documents).toMatchObject({ pending: sum('pending'), overdue: sum('overdue'), on_time: sum('onTime'), late: sum('late'), exempt: sum('exempt') });
      }
    });
  }

  it('a database migrated with documents already in it gets its counts backfilled', async () => {
    await randomHistory(7, 120);
    // As if 0009 had just run: the kept counts thrown away and computed again by its backfill.
    t.db.orm.run(sql`UPDATE documents SET first_leader_led_at = NULL`);
    t.db.orm.run(sql`DELETE FROM department_document_counts`);
    t.db.orm.run(sql`DELETE FROM waiting_due_counts`);
    expect((t.db.orm.all(sql`SELECT COUNT(*) AS n FROM documents WHERE drafting = 0`) as unknown as { n: number }[])[0]!.n).toBeGreaterThan(5);
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { MIGRATIONS_DIR } = await import('../../src/runtime/node/sqlite.js');
    const migration = readFileSync(join(MIGRATIONS_DIR, '0009_dashboard_counts.sql'), 'utf8').split('--> statement-breakpoint');
    for (const statement of migration.filter((s) => /^\s*(--[^\n]*\n\s*)*(UPDATE|INSERT)/.test(s))) t.db.orm.run(sql.raw(statement));
    storedCountsMatchScratch();
    const asOf = Date.parse('2026-11-20T10:00:00+08:00');
    const got = (await t.call('GET', '/api/dashboard')).body.departments.map(({ onTimeRate: _, ...row }: Record<string, unknown>) => row);
    expect(got).toEqual(fromScratch(asOf));
  });

  it('adds columns, tables, indexes and triggers only: no rebuilt or dropped table', async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { MIGRATIONS_DIR } = await import('../../src/runtime/node/sqlite.js');
    const text = readFileSync(join(MIGRATIONS_DIR, '0009_dashboard_counts.sql'), 'utf8');
    expect(text).not.toMatch(/DROP TABLE|__new_|RENAME TO|PRAGMA/i);
    for (const statement of text.split('--> statement-breakpoint').map((s) => s.replace(/^(\s*--[^\n]*\n)*/, '').trim()).filter(Boolean)) {
      expect(statement).toMatch(/^(ALTER TABLE `\w+` ADD `\w+`|CREATE (UNIQUE )?(TABLE|INDEX|TRIGGER)|UPDATE `documents` SET `first_leader_led_at`|INSERT INTO `(department_document_counts|waiting_due_counts)`)/);
    }
  });

  it('the board reads no table scan of the documents, for now and for a past moment, either way', () => {
    const planOf = (query: ReturnType<typeof departmentTableQuery>) =>
      (t.db.orm.all(sql`EXPLAIN QUERY PLAN ${query}`) as unknown as { detail: string }[]).map((r) => r.detail);
    for (const asOf of [t.now(), Date.parse('2026-01-01T00:00:00+08:00')]) {
      const counts = planOf(departmentTableQuery(asOf));
      expect(counts.filter((d) => /^SCAN documents/.test(d))).toEqual([]);
      expect(counts).toContain('SEARCH documents USING COVERING INDEX documents_published_idx (published_at>?)');
      expect(counts).toContain('SEARCH documents USING INDEX documents_first_interpretation_idx (first_interpretation_at>?)');
      expect(counts).toContain('SEARCH documents USING INDEX documents_first_leader_led_idx (first_leader_led_at>?)');
      const published = planOf(departmentTableByPublishedQuery(asOf));
      expect(published.filter((d) => /^SCAN documents/.test(d))).toEqual([]);
      expect(published).toContain('SEARCH documents USING COVERING INDEX documents_published_idx (published_at<?)');
    }
  });
});
