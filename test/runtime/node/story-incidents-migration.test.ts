import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite } from '../../../src/runtime/node/sqlite.js';
import { databaseBefore } from '../../support/migrations.js';

// Migration 0010: story_incidents (which incidents hold an item of which story) is filled from the
// stored links, then kept by triggers — an item linked to an incident (ingest, merge), an item
// deleted with its feed — so that it always says what the items and links say.

let cleanup = () => {};
afterEach(() => cleanup());


type Db = { prepare(sql: string): { all(...a: unknown[]): unknown[]; run(...a: unknown[]): unknown } };

/** story_incidents as the items and links say it should be. */
function expected(db: Db) {
  return db
    .prepare(
      'SELECT DISTINCT COALESCE(i.story_id, i.id) AS story_id, ii.incident_id AS incident_id FROM incident_items ii JOIN items i ON i.id = ii.item_id ORDER BY 1, 2',
    )
    .all();
}
const actual = (db: Db) => db.prepare('SELECT story_id, incident_id FROM story_incidents ORDER BY 1, 2').all();

describe('migration 0010 (story_incidents)', () => {
  it('when a database of the previous release is migrated, then every story is found in the incidents that hold it; links and deletions keep it so', () => {
    const { old, path, cleanup: remove } = databaseBefore(10);
    cleanup = remove;
    const feed = (id: number) =>
      `INSERT INTO feeds (id, name, url, interval_minutes, source, enabled, consecutive_errors, next_poll_at, created_at, updated_at) VALUES (${id}, 'f${id}', 'https://x.example.cn/${id}.xml', 10, 'api', 1, 0, 0, 1, 1);`;
    const item = (id: number, feedId: number, story: number | null) =>
      `INSERT INTO items (id, feed_id, identity, title, normalized_title, link, summary, published_at, fetched_at, story_id, simhash) VALUES (${id}, ${feedId}, 'g${id}', 't${id}', 't${id}', NULL, '', NULL, 1, ${story ?? 'NULL'}, NULL);`;
    const incident = (id: number) =>
      `INSERT INTO incidents (id, title, severity, status, started_at, created_at, updated_at) VALUES (${id}, 'i${id}', 'general', 'open', ${id}, 1, 1);`;
    const link = (incidentId: number, itemId: number) => `INSERT INTO incident_items (incident_id, item_id, linked_at) VALUES (${incidentId}, ${itemId}, 1);`;
    old.exec(
      [
        feed(1),
        feed(2),
        // Story 1: items 1 (its first), 2 and 3 (feed 2); item 4 stored before stories were tracked (its own story).
        item(1, 1, null),
        item(2, 1, 1),
        item(3, 2, 1),
        item(4, 2, null),
        incident(1),
        incident(2),
        link(1, 1),
        link(1, 2),
        link(2, 3),
        link(2, 4),
      ].join('\n'),
    );
    old.close();

    const db = openSqlite(path);
    const raw = new BetterSqlite3(path);
    raw.pragma('foreign_keys = ON');
    try {
      // Filled from the stored links.
      expect(actual(raw)).toEqual([
        { story_id: 1, incident_id: 1 },
        { story_id: 1, incident_id: 2 },
        { story_id: 4, incident_id: 2 },
      ]);
      expect(actual(raw)).toEqual(expected(raw));

      // A link (as ingest and merge write them) adds its story.
      raw.exec(`${item(5, 1, 4)}\n${link(1, 5)}`);
      expect(actual(raw)).toContainEqual({ story_id: 4, incident_id: 1 });
      expect(actual(raw)).toEqual(expected(raw));

      // Item 2 goes: story 1 stays in incident 1 (item 1 is there too).
      raw.prepare('DELETE FROM items WHERE id = 2').run();
      expect(actual(raw)).toContainEqual({ story_id: 1, incident_id: 1 });
      // Feed 2 goes with its items 3 and 4: story 1 leaves incident 2 (item 3 was its last there),
      // story 4 leaves incident 2 but stays in incident 1 (item 5, of feed 1).
      raw.prepare('DELETE FROM feeds WHERE id = 2').run();
      expect(actual(raw)).toEqual([
        { story_id: 1, incident_id: 1 },
        { story_id: 4, incident_id: 1 },
      ]);
      expect(actual(raw)).toEqual(expected(raw));
      // The first item of a story goes while another item of it stays in the incident: the story stays.
      raw.exec(`${item(6, 1, 1)}\n${link(1, 6)}`);
      raw.prepare('DELETE FROM items WHERE id = 1').run();
      expect(actual(raw)).toEqual(expected(raw));
      expect(actual(raw)).toContainEqual({ story_id: 1, incident_id: 1 });
      // An incident deleted takes its rows.
      raw.prepare('DELETE FROM incidents WHERE id = 1').run();
      expect(actual(raw)).toEqual([]);
    } finally {
      raw.close();
      db.close();
    }
  });
});
