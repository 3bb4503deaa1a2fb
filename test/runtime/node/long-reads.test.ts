import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTempService } from '../../support/service-process.js';

// A read that has to go through a whole table (searching interpretations for a title nobody gave
// one: their titles are normalised as they are read) gives the event loop away between its chunks,
// so that a request arriving meanwhile is answered before it ends rather than after it.
const TOKEN = 'long-reads-test-token-0123456789';
let service: Awaited<ReturnType<typeof startTempService>>['service'];
let close: () => Promise<void>;
beforeAll(async () => {
  ({ service, close } = await startTempService(TOKEN));
  // 60,000 interpretations, as a province's archive may hold.
  await service.ctx.db.orm.run(sql`
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60000)
    INSERT INTO interpretations (title, form, published_at, created_at, updated_at)
    SELECT '关于第' || i || '号文件的政策解读（ＡＩ教育试点）', 'text', 1700000000000 + i, 1700000000000, 1700000000000 FROM n`);
  // And 60,000 documents of one department over 2020–2026.
  await service.ctx.db.orm.run(sql`INSERT INTO departments (code, name, created_at) VALUES ('lr', '长读局', 1700000000000)`);
  await service.ctx.db.orm.run(sql`
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60000)
    INSERT INTO documents (title, department_code, published_at, requires_interpretation, importance, interpretation_due_date, due_provisional, created_at, updated_at)
    SELECT '第' || i || '号文件', 'lr', 1577836800000 + i * 3600000, 1, 'normal', '2020-01-06', 0, 1700000000000, 1700000000000 FROM n`);
}, 60_000);
afterAll(() => close());

describe('long reads take turns', () => {
  it('when a search reads every interpretation, then a request sent after it starts is answered before it ends', async () => {
    const base = `http://127.0.0.1:${service.port}`;
    const order: string[] = [];
    const search = fetch(`${base}/api/interpretations?q=${encodeURIComponent('没有这个标题')}`, { headers: { Authorization: `Bearer ${TOKEN}` } }).then(async (res) => {
      order.push(`search ${res.status} ${((await res.json()) as { items: unknown[] }).items.length}`);
    });
    // Sent once the search is under way.
    await new Promise((resolve) => setTimeout(resolve, 30));
    const health = fetch(`${base}/health`).then((res) => order.push(`health ${res.status}`));
    await Promise.all([search, health]);
    expect(order).toEqual(['health 200', 'search 200 0']);
  });

  it('when the 考核 report covers seven years of documents, then a request sent after it starts is answered before it ends', async () => {
    const base = `http://127.0.0.1:${service.port}`;
    const order: string[] = [];
    const report = fetch(`${base}/api/reports/assessment?from=2020-01-01&to=2026-12-31`, { headers: { Authorization: `Bearer ${TOKEN}` } }).then(async (res) => {
      const body = (await res.json()) as { departments: { departmentCode: string; published: number }[] };
      order.push(`report ${res.status} ${body.departments.find((d) => d.departmentCode === 'lr')!.published}`);
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    const health = fetch(`${base}/health`).then((res) => order.push(`health ${res.status}`));
    await Promise.all([report, health]);
    expect(order).toEqual(['health 200', 'report 200 60000']);
  });
});
