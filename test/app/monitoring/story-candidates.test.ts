import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CANDIDATES_PER_KEY, CandidateCache, PollStories, probeFor, StoryCandidates, type StoryProbe } from '../../../src/app/monitoring/stories.js';
import { items } from '../../../src/db/schema.js';
import { startTestApp, tempDir, type TestApp } from '../../support/app.js';

// A new item is compared with at most CANDIDATES_PER_KEY items per key, the latest filed, in the
// table (StoryCandidates) as in its own poll (PollStories), and across both as if the poll's
// earlier items had been stored by a poll of their own. Real SQLite; keys chosen by hand.

const HOUR = 3_600_000;
const START = Date.parse('2026-11-20T00:00:00Z');
/** One key every item here is filed under (any value below 2^31 names some bucket). */
const KEY = 0x1234567;
const STORY_TITLE = '某区化工厂发生爆炸 已致3人死亡';

let t: TestApp;
let feedId: number;
beforeEach(async () => {
  t = await startTestApp({ now: '2026-11-20T12:00:00+08:00' });
  feedId = (await t.call('POST', '/api/feeds', { name: '甲', url: 'http://127.0.0.1:8/a.xml' })).body.id;
});
afterEach(() => t.close());

let serial = 0;
/** A probe of a title, at a time, looked up (or filed) under KEY alone. */
function probe(title: string, at: number): StoryProbe {
  return { ...probeFor(t.ctx, { title, normalizedBody: '', link: `https://news.example.cn/${++serial}.html` }, at), keys: [KEY] };
}
/** Titles like each other and unlike STORY_TITLE. */
const filler = (n: number) => `市图书馆延长周末开放时间 第${n}期读书会`;

/** Stores items of these titles, in this order (ascending ids), filed under KEY. */
async function store(titles: string[]): Promise<number[]> {
  const ids: number[] = [];
  for (const [i, title] of titles.entries()) {
    const [row] = await t.db.orm
      .insert(items)
      .values({ feedId, identity: `s-${++serial}`, title, normalizedTitle: title, link: `https://news.example.cn/s${serial}.html`, summary: '', publishedAt: START + i * 60_000, fetchedAt: START + i * 60_000 })
      .returning({ id: items.id });
    ids.push(row!.id);
    await t.db.orm.run(sql`INSERT INTO reprint_keys (k) VALUES (${sql.raw(`${KEY} * 4294967296 + ${row!.id}`)})`);
  }
  return ids;
}

describe('candidates per key', () => {
  it(`when a key holds the story's item and ${CANDIDATES_PER_KEY - 1} later unlike items in the table, then the item is found; with one more, not`, async () => {
    const [first] = await store([STORY_TITLE, ...Array.from({ length: CANDIDATES_PER_KEY - 1 }, (_, i) => filler(i))]);
    const x = probe(STORY_TITLE, START + HOUR);
    expect((await StoryCandidates.load(t.ctx, [x])).find(x)?.story).toBe(first);
    await store([filler(99)]);
    expect((await StoryCandidates.load(t.ctx, [x])).find(x)).toBeNull();
  });

  it(`when a poll has filed ${CANDIDATES_PER_KEY - 1} unlike items after the story's first, then the first is found; with one more, not`, () => {
    const poll = new PollStories(t.ctx.config.reprints);
    const first = probe(STORY_TITLE, START);
    poll.add(first, 'first', [KEY]);
    for (let i = 0; i < CANDIDATES_PER_KEY - 1; i++) poll.add(probe(filler(i), START + i * 60_000), `f${i}`, [KEY]);
    const x = probe(STORY_TITLE, START + HOUR);
    expect(poll.find(x)?.story).toBe('first');
    poll.add(probe(filler(99), START + 40 * 60_000), 'f99', [KEY]);
    expect(poll.find(x)).toBeNull();
    expect(poll.filedUnder(KEY)).toBe(CANDIDATES_PER_KEY + 1);
  });

  it('when a key holds stored items and items of this poll, then the poll’s count first and the latest stored make up the rest', async () => {
    const stored = 10;
    const [first] = await store([STORY_TITLE, ...Array.from({ length: stored - 1 }, (_, i) => filler(i))]);
    const x = probe(STORY_TITLE, START + HOUR);
    const candidates = await StoryCandidates.load(t.ctx, [x]);
    const poll = new PollStories(t.ctx.config.reprints);
    for (let i = 0; i < CANDIDATES_PER_KEY - stored; i++) poll.add(probe(filler(100 + i), START + i * 60_000), `p${i}`, [KEY]);
    // 10 stored + 22 of the poll: the story's first item is the oldest of the 32 latest.
    expect(candidates.find(x, poll)?.story).toBe(first);
    poll.add(probe(filler(200), START + 50 * 60_000), 'p-last', [KEY]);
    expect(candidates.find(x, poll)).toBeNull();
    // Without the poll, the same stored items are all within the bound.
    expect(candidates.find(x)?.story).toBe(first);
  });
});

describe('stored candidates kept between polls', () => {
  it('when an item found by one poll is read again by the next, then it is the same story; once another connection deletes it, it is found no more', async () => {
    t.close();
    const { dir, cleanup } = tempDir();
    try {
      const path = join(dir, 'app.sqlite');
      t = await startTestApp({ path, now: '2026-11-20T12:00:00+08:00' });
      feedId = (await t.call('POST', '/api/feeds', { name: '甲', url: 'http://127.0.0.1:8/a.xml' })).body.id;
      const [first] = await store([STORY_TITLE]);
      const x = probe(STORY_TITLE, START + HOUR);
      expect((await StoryCandidates.load(t.ctx, [x])).find(x)?.story).toBe(first);
      expect((await StoryCandidates.load(t.ctx, [x])).find(x)?.story).toBe(first);
      // Deleted by hand (its key in the index is left behind, as a deleted feed leaves its items').
      const other = new BetterSqlite3(path);
      other.prepare('DELETE FROM items WHERE id = ?').run(first);
      other.close();
      expect((await StoryCandidates.load(t.ctx, [x])).find(x)).toBeNull();
    } finally {
      t.close();
      cleanup();
      t = await startTestApp();
    }
  });

  it('when more items are kept than it holds, then the least recently used goes first', () => {
    const cache = new CandidateCache(() => 1, 2);
    const candidate = (id: number) => ({ id, story: id, feedId: 1, at: 0, fp: probe(filler(id), START).fp });
    cache.set(1, candidate(1));
    cache.set(2, candidate(2));
    expect(cache.get(1)?.id).toBe(1);
    cache.set(3, candidate(3));
    expect([cache.get(1)?.id, cache.get(2)?.id, cache.get(3)?.id]).toEqual([1, undefined, 3]);
  });

  it('when another connection has written, then everything kept is dropped', () => {
    let version = 1;
    const cache = new CandidateCache(() => version, 10);
    cache.set(1, { id: 1, story: 1, feedId: 1, at: 0, fp: probe(filler(1), START).fp });
    cache.checkVersion();
    expect(cache.get(1)?.id).toBe(1);
    version = 2;
    cache.checkVersion();
    expect(cache.get(1)).toBeUndefined();
  });
});
