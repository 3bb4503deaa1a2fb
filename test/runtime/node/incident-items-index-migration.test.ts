import { asc, eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../../src/app/accounts/actor.js';
import { planIngest } from '../../../src/app/monitoring/ingest.js';
import { createRule } from '../../../src/app/monitoring/rules.js';
import { incidentItems, items } from '../../../src/db/schema.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { databaseBefore } from '../../support/migrations.js';

// Migration 0012: only the items in incidents are indexed by link and normalised title (a partial
// index on items.in_incident = 1), which ingest reads to find the open incident that holds an
// item's link or title. in_incident is backfilled from the stored links, then set by a trigger as
// items are linked to incidents; an item in no incident stays out of both indexes.

const NOW = '2026-11-20T10:00:00+08:00';
const DAY = 86_400_000;
const TITLE = '某区化工厂发生爆炸 已致3人受伤';

let app: TestApp | undefined;
let cleanup = () => {};
afterEach(() => {
  app?.close();
  app = undefined;
  cleanup();
});

describe('migration 0012 (items in incidents, indexed by link and title)', () => {
  it('when a database of the previous release is migrated, then its items in incidents are found by title and link, and new links keep the flag', async () => {
    const { old, path, cleanup: remove } = databaseBefore(12);
    cleanup = remove;
    const stored = Date.parse(NOW) - 10 * DAY;
    // Items stored before stories were tracked (no story, nothing in the reprint index): item 1 is
    // in an open incident of no rule, started ten days ago; item 2, of another story, in none.
    old.exec(`
      INSERT INTO feeds (id, name, url, interval_minutes, source, enabled, consecutive_errors, next_poll_at, created_at, updated_at)
        VALUES (1, '甲', 'https://a.example.cn/rss.xml', 10, 'api', 1, 0, 0, 1, 1);
      INSERT INTO items (id, feed_id, identity, title, normalized_title, link, summary, published_at, fetched_at, story_id, simhash) VALUES
        (1, 1, 'g1', '${TITLE}', '${TITLE}', 'https://a.example.cn/1.html', '', ${stored}, ${stored}, NULL, NULL),
        (2, 1, 'g2', '某地仓库爆炸 2人受伤', '某地仓库爆炸 2人受伤', 'https://a.example.cn/2.html', '', ${stored}, ${stored}, NULL, NULL);
      INSERT INTO incidents (id, title, severity, status, started_at, created_at, updated_at) VALUES (1, '${TITLE}', 'general', 'open', ${stored}, 1, 1);
      INSERT INTO incident_items (incident_id, item_id, linked_at) VALUES (1, 1, 1);`);
    old.close();

    app = await startTestApp({ path, now: NOW });
    const flags = async () =>
      (await app!.db.orm.select({ id: items.id, inIncident: items.inIncident }).from(items).orderBy(asc(items.id))).map((r) => [r.id, r.inIncident]);
    expect(await flags()).toEqual([
      [1, 1],
      [2, 0],
    ]);

    // A rule of these stories, then a poll: the same title as item 1 (another link), the same link
    // as item 1 (another title), the same link as item 2 (not in an incident), and an unrelated item.
    await createRule(app.ctx, SYSTEM_ACTOR, { name: '安全生产事故', query: '爆炸 受伤', severity: 'major' });
    const at = Date.parse(NOW) - 60_000;
    const poll = [
      { guid: 'n1', link: 'https://b.example.cn/9.html', title: TITLE, summary: '', publishedAt: at },
      { guid: 'n2', link: 'https://a.example.cn/1.html', title: '现场：化工厂爆炸多人受伤 消防赶赴', summary: '', publishedAt: at },
      { guid: 'n3', link: 'https://a.example.cn/2.html', title: '又一仓库爆炸 1人受伤', summary: '', publishedAt: at },
      { guid: 'n4', link: 'https://b.example.cn/4.html', title: '市图书馆延长周末开放时间', summary: '', publishedAt: at },
    ];
    const plan = await planIngest(app.ctx, SYSTEM_ACTOR, 1, poll, Date.parse(NOW));
    await app.db.batch(plan.statements);

    const incidentOf = async (guid: string) =>
      (
        await app!.db.orm
          .select({ incident: incidentItems.incidentId })
          .from(incidentItems)
          .innerJoin(items, eq(items.id, incidentItems.itemId))
          .where(eq(items.identity, `guid:${guid}`))
      ).map((r) => r.incident);
    // By title and by link, into the stored incident; item 2's link names no incident: a new one.
    expect(await incidentOf('n1')).toEqual([1]);
    expect(await incidentOf('n2')).toEqual([1]);
    const [opened] = await incidentOf('n3');
    expect(opened).toBeGreaterThan(1);
    expect(await incidentOf('n4')).toEqual([]);
    // The trigger flagged every item linked to an incident, and none other.
    expect(await flags()).toEqual([
      [1, 1],
      [2, 0],
      [3, 1],
      [4, 1],
      [5, 1],
      [6, 0],
    ]);
  });
});
