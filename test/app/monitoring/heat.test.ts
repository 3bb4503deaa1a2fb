import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../../src/app/accounts/actor.js';
import { planIngest } from '../../../src/app/monitoring/ingest.js';
import type { ParsedItem } from '../../../src/app/monitoring/parse-feed.js';
import { alerts, deliveries } from '../../../src/db/schema.js';
import { seedDepartment, startTestApp, type TestApp } from '../../support/app.js';

// Heat on a synthetic stream through the real ingest (SPEC §14): a quiet baseline and then a
// burst of distinct stories raises incident_heating once, routed like other incident alerts;
// steady traffic, however busy, and a flood of reprints of one story never do.

const HOUR = 3_600_000;
const MINUTE = 60_000;
const T0 = Date.parse('2026-11-20T00:00:00Z');

let t: TestApp;
let feedId: number;
let channelId: number;
beforeEach(async () => {
  t = await startTestApp({ now: '2026-11-20T08:00:00+08:00' });
  await seedDepartment(t, 'yjj', '市应急管理局');
  expect((await t.call('POST', '/api/rules', { name: '化工厂', query: '化工厂', severity: 'major', departmentCode: 'yjj' })).status).toBe(201);
  feedId = (await t.call('POST', '/api/feeds', { name: '新闻源', url: 'http://127.0.0.1:8/news.xml' })).body.id;
  const channel = await t.call('POST', '/api/channels', {
    name: '应急局值班群', kind: 'webhook', url: 'http://127.0.0.1:8/hook', alertTypes: ['incident_heating'], departmentCodes: ['yjj'],
  });
  expect(channel.status).toBe(201);
  channelId = channel.body.id;
});
afterEach(() => t.close());

// Distinct stories: titles that share only the rule's word (never near-duplicates of each other).
const POOL = [...'春夏秋冬东南西北山川河湖江海风雨雷电花草树木金银铜铁车船桥路城乡村镇街巷楼馆'];
let serial = 0;
function story(at: number): ParsedItem {
  serial++;
  let seed = serial * 2654435761;
  const words = Array.from({ length: 12 }, () => POOL[((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) >>> 8) % POOL.length]).join('');
  return { guid: `s-${serial}`, link: `https://news.example.cn/${serial}.html`, title: `化工厂${serial}${words}`, summary: '', publishedAt: at };
}

/** One poll at `at`, committed as pollFeed commits it. */
async function poll(batch: ParsedItem[], at: number) {
  t.setNow(new Date(at).toISOString());
  const plan = await planIngest(t.ctx, SYSTEM_ACTOR, feedId, batch, at);
  await t.db.batch(plan.statements);
}

const heatingAlerts = () => t.db.orm.select().from(alerts).where(eq(alerts.type, 'incident_heating'));

describe('incident heating', () => {
  it('when a quiet baseline is followed by a burst of distinct stories, then incident_heating fires once, routed to the department’s channel', async () => {
    // A day of one story an hour, arriving in one poll.
    await poll(Array.from({ length: 24 }, (_, h) => story(T0 + h * HOUR)), T0 + 23 * HOUR + 30 * MINUTE);
    expect(await heatingAlerts()).toEqual([]);
    // Then a story every five minutes for an hour, a poll each.
    const burst = T0 + 24 * HOUR;
    const firedAt: number[] = [];
    for (let i = 0; i < 12; i++) {
      const at = burst + i * 5 * MINUTE;
      await poll([story(at)], at);
      if ((await heatingAlerts()).length > 0 && firedAt.length === 0) firedAt.push(i + 1);
    }
    const fired = await heatingAlerts();
    expect(fired).toHaveLength(1);
    // μ = 1: the sixth distinct story in the hour makes z = (6 − 1) / √2 ≥ 3.
    expect(firedAt).toEqual([6]);
    const [incident] = (await t.call('GET', '/api/incidents')).body.items;
    expect(fired[0]).toMatchObject({ incidentId: incident.id, departmentCode: 'yjj', severity: 'major', subject: incident.title });
    expect(fired[0]!.message).toContain('热度上升：近 1 小时有 6 篇不同报道，此前 24 小时平均每小时 1 篇');
    expect(fired[0]!.dedupeKey).toBe(`incident_heating:${incident.id}:${Math.floor((burst + 25 * MINUTE) / (6 * HOUR))}`);
    expect(await t.db.orm.select().from(deliveries).where(eq(deliveries.alertId, fired[0]!.id))).toMatchObject([{ channelId, status: 'pending' }]);
    expect(incident.heat).toBeGreaterThanOrEqual(6);

    // Another burst seven hours later is news again.
    const again = burst + 7 * HOUR;
    for (let i = 0; i < 10; i++) await poll([story(again + i * 5 * MINUTE)], again + i * 5 * MINUTE);
    expect(await heatingAlerts()).toHaveLength(2);
  });

  it('when a second burst comes within six hours, even in the next six-hour slot, then no second alert', async () => {
    await poll(Array.from({ length: 24 }, (_, h) => story(T0 + h * HOUR)), T0 + 23 * HOUR + 30 * MINUTE);
    const burst = T0 + 24 * HOUR; // 00:00Z: the first alert comes at 00:25, in the slot 00:00–06:00
    for (let i = 0; i < 8; i++) await poll([story(burst + i * 5 * MINUTE)], burst + i * 5 * MINUTE);
    expect(await heatingAlerts()).toHaveLength(1);
    const soon = burst + 5 * HOUR + 50 * MINUTE; // heating again from 06:15, 5 h 50 min after the first
    for (let i = 0; i < 7; i++) await poll([story(soon + i * 5 * MINUTE)], soon + i * 5 * MINUTE);
    // Heating up again (the API says so), in a new slot, but 5 h 55 min after the first alert.
    const [incident] = (await t.call('GET', '/api/incidents')).body.items;
    expect((await t.call('GET', `/api/incidents/${incident.id}`)).body.heating).toBe(true);
    expect(await heatingAlerts()).toHaveLength(1);
    // Six hours after the first, the same heat is news again.
    await poll([story(burst + 6 * HOUR + 25 * MINUTE)], burst + 6 * HOUR + 25 * MINUTE);
    expect(await heatingAlerts()).toHaveLength(2);
  });

  it('when traffic is steady, five stories an hour for a day and a half, then it never fires', async () => {
    await poll(Array.from({ length: 24 * 5 }, (_, i) => story(T0 + i * 12 * MINUTE)), T0 + 24 * HOUR);
    for (let i = 0; i < 5 * 12; i++) {
      const at = T0 + 24 * HOUR + (i + 1) * 12 * MINUTE;
      await poll([story(at)], at);
    }
    expect(await heatingAlerts()).toEqual([]);
    const [incident] = (await t.call('GET', '/api/incidents')).body.items;
    expect(incident.heat).toBe(5);
  });

  it('when forty feeds reprint one story within the hour, then it is one story and no alert', async () => {
    await poll(Array.from({ length: 24 }, (_, h) => story(T0 + h * HOUR)), T0 + 23 * HOUR + 30 * MINUTE);
    const original = story(T0 + 24 * HOUR);
    await poll([original], T0 + 24 * HOUR);
    for (let i = 0; i < 40; i++) {
      const id = (await t.call('POST', '/api/feeds', { name: `转载源${i}`, url: `http://127.0.0.1:8/r${i}.xml` })).body.id;
      const at = T0 + 24 * HOUR + (i + 1) * MINUTE;
      const plan = await planIngest(t.ctx, SYSTEM_ACTOR, id, [{ ...original, guid: `r-${i}`, link: `https://r${i}.example.cn/a.html`, title: `【转载】${original.title}`, publishedAt: at }], at);
      await t.db.batch(plan.statements);
    }
    expect(await heatingAlerts()).toEqual([]);
    const [incident] = (await t.call('GET', '/api/incidents')).body.items;
    const detail = (await t.call('GET', `/api/incidents/${incident.id}?asOf=${encodeURIComponent(new Date(T0 + 25 * HOUR).toISOString())}`)).body;
    expect(detail.heat).toBe(1);
    expect(detail.stories[0]).toMatchObject({ reprints: 41, items: 41 });
  });
});
