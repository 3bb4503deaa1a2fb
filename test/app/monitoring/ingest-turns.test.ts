import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../../src/app/accounts/actor.js';
import { planIngest, TURN_ITEMS } from '../../../src/app/monitoring/ingest.js';
import type { ParsedItem } from '../../../src/app/monitoring/parse-feed.js';
import { startTestApp, type TestApp } from '../../support/app.js';

// A poll of thousands of items is planned in chunks, giving the event loop a turn between them
// (other requests are served meanwhile); a poll of a few items is planned in one.

let t: TestApp;
let feedId: number;
beforeEach(async () => {
  t = await startTestApp({ now: '2026-11-20T12:00:00+08:00' });
  feedId = (await t.call('POST', '/api/feeds', { name: '甲', url: 'http://127.0.0.1:8/a.xml' })).body.id;
  await t.call('POST', '/api/rules', { name: '化工', query: '化工厂', severity: 'general' });
});
afterEach(() => t.close());

const items = (n: number): ParsedItem[] =>
  Array.from({ length: n }, (_, i) => ({
    guid: `g-${i}`,
    link: `https://news.example.cn/${i}.html`,
    title: i % 2 === 0 ? `某区化工厂第${i}号车间开展安全生产应急演练` : `市图书馆第${i}期读书会延长开放时间`,
    summary: '记者从有关部门获悉，相关工作正在有序推进，下一步将加强隐患排查，及时发布权威信息。',
    publishedAt: Date.parse('2026-11-20T00:00:00Z') + i * 1000,
  }));

/** Plans one poll of `n` items; how many turns of the event loop other work got meanwhile. */
async function turnsWhilePlanning(n: number): Promise<{ turns: number; newItems: number }> {
  let turns = 0;
  let planning = true;
  const tick = () => {
    if (!planning) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  const plan = await planIngest(t.ctx, SYSTEM_ACTOR, feedId, items(n), t.now());
  planning = false;
  return { turns, newItems: plan.newItems };
}

describe('planning a long poll', () => {
  it(`when a poll brings ${TURN_ITEMS * 4} new items, then other work gets turns of the event loop while it is planned`, async () => {
    const { turns, newItems } = await turnsWhilePlanning(TURN_ITEMS * 4);
    expect(newItems).toBe(TURN_ITEMS * 4);
    // Three between the four chunks of pass 1, three more in pass 2.
    expect(turns).toBeGreaterThanOrEqual(6);
  });

  it(`when a poll brings fewer than ${TURN_ITEMS} items, then it is planned without giving turns away`, async () => {
    const { turns, newItems } = await turnsWhilePlanning(TURN_ITEMS - 1);
    expect(newItems).toBe(TURN_ITEMS - 1);
    expect(turns).toBe(0);
  });
});
