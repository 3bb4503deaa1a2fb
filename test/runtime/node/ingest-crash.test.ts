import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { readEnv } from '../../../src/runtime/node/env.js';
import { startService } from '../../../src/runtime/node/service.js';
import { rss2, utf8 } from '../../fixtures/feeds.js';
import { tempDir } from '../../support/app.js';
import { startFeedServer } from '../../support/feed-server.js';
import { spawnService } from '../../support/service-process.js';

// kill -9 in the middle of a 3,000-item poll, then a restart on the same database and the poll
// again: the result is the same as one clean poll — nothing lost, nothing doubled.
const TOKEN = 'ingest-crash-admin-token-0123456789';
const auth = { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' };
const ITEMS = 3000;

function feedXml(): string {
  const places = ['甲区', '乙区', '丙区', '丁区', '戊区'];
  return rss2({
    items: Array.from({ length: ITEMS }, (_, i) => ({
      guid: `item-${i}`,
      title: i % 10 === 0 ? `${places[i % 5]}化工厂爆炸 ${i} 人受伤` : `市政新闻第 ${i} 号`,
      link: `https://news.example.cn/${i}.html`,
      description: i % 10 === 0 ? '爆炸事故造成人员受伤' : '日常新闻',
      pubDate: new Date(Date.UTC(2026, 10, 20, 0, 0, 0) - i * 60_000).toUTCString(),
    })),
  });
}

function counts(dbPath: string) {
  const db = new BetterSqlite3(dbPath, { readonly: true });
  try {
    const one = (q: string) => (db.prepare(q).get() as { n: number }).n;
    return {
      items: one('SELECT COUNT(*) AS n FROM items'),
      distinctItems: one('SELECT COUNT(DISTINCT identity) AS n FROM items'),
      hits: one('SELECT COUNT(*) AS n FROM item_rule_hits'),
      incidents: one('SELECT COUNT(*) AS n FROM incidents'),
      links: one('SELECT COUNT(*) AS n FROM incident_items'),
      commitments: one('SELECT COUNT(*) AS n FROM commitments'),
      opened: one("SELECT COUNT(*) AS n FROM alerts WHERE type = 'incident_opened'"),
    };
  } finally {
    db.close();
  }
}

async function setUp(port: number, feedUrl: string) {
  const call = (path: string, body: unknown) => fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', headers: auth, body: JSON.stringify(body) });
  await call('/api/rules', { name: '安全生产事故', query: '爆炸 受伤', severity: 'general' });
  return ((await (await call('/api/feeds', { name: '大批量', url: feedUrl })).json()) as { id: number }).id;
}

describe('ingest across kill -9', () => {
  it('when the service dies during a 3,000-item poll, then after a restart and a new poll the database holds exactly what one clean poll gives', async () => {
    const xml = utf8(feedXml());
    let requests = 0;
    let served!: () => void;
    const firstServed = new Promise<void>((resolve) => (served = resolve));
    const feeds = await startFeedServer({
      '/big.xml': (_req, res) => {
        requests++;
        res.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=utf-8' }).end(xml, () => served());
      },
    });
    const { dir, cleanup } = tempDir();
    const env = { PORT: '0', HOST: '127.0.0.1', ADMIN_TOKEN: TOKEN, ALLOW_PRIVATE_URLS: '1', SCHEDULER: 'off' };
    try {
      // The clean run, for the expected counts.
      const clean = await startService(readEnv({ ...env, DB_PATH: `${dir}/clean.sqlite` }));
      const cleanFeed = await setUp(clean.port, feeds.url('/big.xml'));
      await fetch(`http://127.0.0.1:${clean.port}/api/feeds/${cleanFeed}/poll`, { method: 'POST', headers: auth });
      await clean.close();
      const expected = counts(`${dir}/clean.sqlite`);
      expect(expected.items).toBe(ITEMS);
      expect(expected.incidents).toBeGreaterThan(0);

      // The crash: a separate process, killed while it parses and stores the feed.
      const { child, port: started } = spawnService({ ...env, DB_PATH: `${dir}/crash.sqlite` });
      const port = await started;
      const feed = await setUp(port, feeds.url('/big.xml'));
      const before = requests;
      const poll = fetch(`http://127.0.0.1:${port}/api/feeds/${feed}/poll`, { method: 'POST', headers: auth }).catch(() => null);
      await firstServed;
      while (requests === before) await new Promise((r) => setTimeout(r, 5));
      await new Promise((r) => setTimeout(r, 30)); // into parsing, matching and the write
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      await poll;
      // Killed before the poll's one batch committed: nothing of it is there, not half of it.
      const afterKill = counts(`${dir}/crash.sqlite`);
      expect([afterKill.items, afterKill.hits, afterKill.incidents]).toEqual([0, 0, 0]);

      const restarted = await startService(readEnv({ ...env, DB_PATH: `${dir}/crash.sqlite` }));
      await fetch(`http://127.0.0.1:${restarted.port}/api/feeds/${feed}/poll`, { method: 'POST', headers: auth });
      await fetch(`http://127.0.0.1:${restarted.port}/api/feeds/${feed}/poll`, { method: 'POST', headers: auth });
      await restarted.close();
      expect(counts(`${dir}/crash.sqlite`)).toEqual(expected);
    } finally {
      await feeds.close();
      cleanup();
    }
  }, 120_000);
});
