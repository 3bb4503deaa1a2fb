import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../../src/app/accounts/actor.js';
import { planIngest } from '../../../src/app/monitoring/ingest.js';
import type { ParsedItem } from '../../../src/app/monitoring/parse-feed.js';
import { STORY_GROUPS } from '../../fixtures/reprints.js';
import { seedDepartment, startTestApp, type TestApp } from '../../support/app.js';

// The reprint index's in-memory filter (src/app/monitoring/stories.ts) must never hide a filed
// key: not one filed by another connection to the same database file after this one read its
// bits, and not one filed by this connection after that.

const HOUR = 3_600_000;
const START = Date.parse('2026-11-20T00:00:00Z');
const [FIRST, SECOND] = STORY_GROUPS.find((g) => g.some((m) => m.title.startsWith('强降雨')))!;
const UNRELATED = ['市图书馆延长周末开放时间', '市图书馆自本周起延长周末开放时间至晚上九点，方便市民阅读。'] as const;

let dir: string;
let a: TestApp;
let b: TestApp;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'reprint-filter-'));
  const path = join(dir, 'db.sqlite');
  a = await startTestApp({ path, now: '2026-11-20T12:00:00+08:00' });
  b = await startTestApp({ path, now: '2026-11-20T12:00:00+08:00' });
  await seedDepartment(a, 'yjj', '市应急管理局');
  expect((await a.call('POST', '/api/rules', { name: '暴雨', query: '暴雨', severity: 'major', departmentCode: 'yjj' })).status).toBe(201);
});
afterEach(() => {
  a.close();
  b.close();
  rmSync(dir, { recursive: true, force: true });
});

let serial = 0;
function item(title: string, publishedAt: number, body: string): ParsedItem {
  serial++;
  return { guid: `g-${serial}`, link: `https://news.example.cn/${serial}.html`, title, summary: body, publishedAt };
}

async function feed(app: TestApp, name: string): Promise<number> {
  const res = await app.call('POST', '/api/feeds', { name, url: `http://127.0.0.1:8/${encodeURIComponent(name)}.xml` });
  expect(res.status).toBe(201);
  return res.body.id;
}

async function ingest(app: TestApp, feedId: number, batch: ParsedItem[]) {
  const plan = await planIngest(app.ctx, SYSTEM_ACTOR, feedId, batch, app.now());
  await app.db.batch(plan.statements);
  return plan;
}

async function incidentTitles(app: TestApp): Promise<string[][]> {
  const list = (await app.call('GET', '/api/incidents')).body.items;
  return Promise.all(list.map(async (i: { id: number }) => (await app.call('GET', `/api/incidents/${i.id}`)).body.items.map((x: { title: string }) => x.title)));
}

describe('reprint key filter', () => {
  it('when another connection files a story after this one read the index, then a reprint polled here still joins its incident', async () => {
    const [f1, f2, f3] = [await feed(a, '甲'), await feed(a, '乙'), await feed(a, '丙')];
    // Connection a looks up keys of this week (nothing filed yet): it now holds the week's bits.
    expect((await ingest(a, f1, [item(UNRELATED[0], START, UNRELATED[1])])).matched).toBe(0);
    // Connection b (another process on the same file) opens the incident and files the story.
    expect((await ingest(b, f2, [item(FIRST!.title, START + HOUR, FIRST!.body!)])).matched).toBe(1);
    // Back on a: the reprint matches no rule (its title differs entirely); only its body is the same report.
    expect((await ingest(a, f3, [item(SECOND!.title, START + 2 * HOUR, SECOND!.body!)])).matched).toBe(0);
    expect(await incidentTitles(a)).toEqual([[FIRST!.title, SECOND!.title]]);
  });

  it('when this connection files a story after it read the index, then a reprint in a later poll joins', async () => {
    const [f1, f2, f3] = [await feed(a, '甲'), await feed(a, '乙'), await feed(a, '丙')];
    await ingest(a, f1, [item(UNRELATED[0], START, UNRELATED[1])]);
    expect((await ingest(a, f2, [item(FIRST!.title, START + HOUR, FIRST!.body!)])).matched).toBe(1);
    await ingest(a, f3, [item(SECOND!.title, START + 2 * HOUR, SECOND!.body!)]);
    expect(await incidentTitles(a)).toEqual([[FIRST!.title, SECOND!.title]]);
  });

  it('when two polls of this connection are planned before either commits, then the later-committed one still sees the first one filed', async () => {
    const [f1, f2, f3] = [await feed(a, '甲'), await feed(a, '乙'), await feed(a, '丙')];
    await ingest(a, f1, [item(UNRELATED[0], START, UNRELATED[1])]);
    const first = await planIngest(a.ctx, SYSTEM_ACTOR, f2, [item(FIRST!.title, START + HOUR, FIRST!.body!)], a.now());
    // Another connection commits meanwhile, so the next poll planned here reads the bits again,
    // while the first poll has not committed: what it files must not be lost.
    await ingest(b, f3, [item(UNRELATED[0], START + HOUR, UNRELATED[1])]);
    const other = await planIngest(a.ctx, SYSTEM_ACTOR, f1, [item(`${UNRELATED[0]}（续）`, START + HOUR, `${UNRELATED[1]}另有借阅新规。`)], a.now());
    await a.db.batch(first.statements);
    await a.db.batch(other.statements);
    await ingest(a, f3, [item(SECOND!.title, START + 2 * HOUR, SECOND!.body!)]);
    expect(await incidentTitles(a)).toEqual([[FIRST!.title, SECOND!.title]]);
  });
});
