import { afterEach, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../../src/app/accounts/actor.js';
import { createAppContext } from '../../../src/app/create-context.js';
import { createFeed } from '../../../src/app/monitoring/feeds.js';
import { planIngest } from '../../../src/app/monitoring/ingest.js';
import type { ParsedItem } from '../../../src/app/monitoring/parse-feed.js';
import { createRule } from '../../../src/app/monitoring/rules.js';
import type { Database } from '../../../src/db/database.js';
import { openSqlite } from '../../../src/runtime/node/sqlite.js';
import { scryptPasswords } from '../../../src/runtime/scrypt-passwords.js';
import { STORY_GROUPS } from '../../fixtures/reprints.js';

// On better-sqlite3, ingest inserts items ten rows to a run of a statement (Database.rowsStatement);
// on D1 with one statement expanding a JSON parameter. Both must store exactly the same rows:
// here the same polls go into one database with rowsStatement and one without it.

const HOUR = 3_600_000;
const START = Date.parse('2026-11-20T00:00:00Z');
const opened: ReturnType<typeof openSqlite>[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

/** Polls of two feeds, each with stories whose reprints arrive in the same poll, some matching a rule. */
function polls(): ParsedItem[][] {
  let serial = 0;
  const item = (title: string, at: number | null, body: string, link: string | null): ParsedItem => {
    serial++;
    return { guid: `g-${serial}`, link, title, summary: body, publishedAt: at };
  };
  const first: ParsedItem[] = [];
  const second: ParsedItem[] = [];
  STORY_GROUPS.forEach((group, g) =>
    group.forEach((member, k) => {
      const at = g % 5 === 0 ? null : START + g * 600_000 + k * HOUR;
      const link = k === 2 ? null : `https://news.example.cn/${g}/${k}.html`;
      (k % 2 === 0 ? first : second).push(item(member.title, at, member.body ?? '', link));
    }),
  );
  return [first, second];
}

async function ingestInto(db: Database) {
  const now = START + 30 * HOUR;
  const ctx = createAppContext({ db, now: () => now, passwords: scryptPasswords() });
  await createRule(ctx, SYSTEM_ACTOR, { name: '全部话题', query: '化工厂 OR 地铁 OR 暴雨 OR 降雨 OR 中考 OR 自来水', severity: 'major' });
  const feeds = [(await createFeed(ctx, SYSTEM_ACTOR, { name: '甲', url: 'https://a.example.cn/rss' })).id, (await createFeed(ctx, SYSTEM_ACTOR, { name: '乙', url: 'https://b.example.cn/rss' })).id];
  const [first, second] = polls();
  for (const [i, batch] of [first!, second!, first!].entries()) {
    const plan = await planIngest(ctx, SYSTEM_ACTOR, feeds[i % 2]!, batch, now + i * 60_000);
    await db.batch(plan.statements);
  }
  const all = (table: string, order: string) => db.orm.all<Record<string, unknown>>(`SELECT * FROM ${table} ORDER BY ${order}` as never);
  return {
    items: await all('items', 'id'),
    hits: await all('item_rule_hits', 'item_id, rule_id'),
    links: await all('incident_items', 'incident_id, item_id'),
    stories: await all('story_incidents', 'story_id, incident_id'),
    keys: await all('reprint_keys', 'k'),
    incidents: await all('incidents', 'id'),
  };
}

describe('items inserted ten rows at a time (better-sqlite3)', () => {
  it('stores exactly what the one-statement JSON insert stores: items, stories, hits, links and index entries', async () => {
    const perRow = openSqlite(':memory:');
    const json = openSqlite(':memory:');
    opened.push(perRow, json);
    expect(perRow.rowsStatement).toBeTypeOf('function');
    // A first poll of more than ten new items, not a multiple of ten: a whole run of ten and a shorter one.
    const size = polls()[0]!.length;
    expect(size > 10 && size % 10 !== 0, `${size} items`).toBe(true);
    const a = await ingestInto(perRow);
    const b = await ingestInto({ orm: json.orm, batch: (s) => json.batch(s), dataVersion: json.dataVersion });
    // The polls did what this test is about: reprints of items of the same poll, and rule matches.
    expect(a.items.length).toBeGreaterThan(20);
    expect(a.items.some((r) => typeof r.story_id === 'number')).toBe(true);
    expect(a.links.length).toBeGreaterThan(0);
    expect(a.items.map((r) => typeof r.published_at)).toContain('object');
    expect(a).toEqual(b);
  });
});
