import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/app/accounts/actor.js';
import { planIngest } from '../../src/app/monitoring/ingest.js';
import type { ParsedItem } from '../../src/app/monitoring/parse-feed.js';
import { parseSignalWords } from '../../src/domain/monitoring/signals.js';
import { SHOTS, startBrowserApp, submit, type BrowserApp } from '../support/browser.js';

// Public-opinion depth in a real browser (SPEC §14): the incident page shows each story once with
// "N 家转载" and the chart of stories per hour; the board carries heat and signal; the daily
// briefing reads at 390 px without sideways scrolling and prints without the site's header.
// The app clock stands at 2026-11-20 10:00 Beijing time.

let app: BrowserApp;
let incidentId: number;
const HOUR = 3_600_000;
const NOW = Date.parse('2026-11-20T02:00:00Z');
const STORY = '某区化工厂发生爆炸 已致3人死亡';

let serial = 0;
const item = (title: string, publishedAt: number, summary = ''): ParsedItem => {
  serial++;
  return { guid: `g-${serial}`, link: `https://news.example.cn/2026/11/20/${serial}.html`, title, summary, publishedAt };
};

beforeAll(async () => {
  app = await startBrowserApp();
  const t = app.t;
  // The shipped word list, as the service loads it from feeds/.
  t.ctx.config.signalWords = parseSignalWords(readFileSync(new URL('../../feeds/signals.txt', import.meta.url), 'utf8'));
  await t.call('POST', '/api/rules', { name: '化工事故', query: '化工厂', severity: 'major', departmentCode: 'jyj' });
  const feedIds: number[] = [];
  for (const name of ['新华网', '人民网', '澎湃新闻', '市政府网站']) {
    const res = await t.call('POST', '/api/feeds', { name, url: `http://127.0.0.1:8/${serial++}.xml` });
    feedIds.push(res.body.id);
  }
  const polls: [number, ParsedItem[]][] = [
    [feedIds[0]!, [item(STORY, NOW - 5 * HOUR, '化工厂爆炸事故造成人员伤亡。'), item('某区化工厂周边道路临时封闭', NOW - 3 * HOUR)]],
    [feedIds[1]!, [item(`【关注】某区化工厂发生爆炸，已致三人死亡`, NOW - 4 * HOUR)]],
    [feedIds[2]!, [item(`${STORY} - 澎湃新闻`, NOW - 2 * HOUR), item('化工厂事故现场附近空气质量监测结果公布', NOW - 30 * 60_000)]],
    [feedIds[3]!, [item('市应急管理局通报某区化工厂事故救援进展', NOW - 20 * 60_000)]],
  ];
  for (const [feedId, batch] of polls) {
    const plan = await planIngest(t.ctx, SYSTEM_ACTOR, feedId, batch, NOW);
    await t.db.batch(plan.statements);
  }
  incidentId = (await t.call('GET', '/api/incidents')).body.items[0].id;
}, 60_000);

afterAll(async () => {
  await app?.close();
});

describe('incident page: stories and heat', () => {
  it('shows each story once with its reprint count and sources, and a chart of stories per hour', async () => {
    const page = await app.pageAs('leader1', `/incidents/${incidentId}`);
    const stories = page.locator('.stories > .story');
    expect(await stories.count()).toBe(4);
    const top = stories.first();
    expect(await top.getAttribute('data-reprints')).toBe('3');
    expect(await top.locator('.reprints').textContent()).toBe('3 家转载');
    expect(await top.locator('.story-title').textContent()).toBe(STORY);
    await top.locator('summary').click();
    expect(await top.locator('details li').allTextContents()).toEqual([
      `新华网：${STORY}`,
      '人民网：【关注】某区化工厂发生爆炸，已致三人死亡',
      `澎湃新闻：${STORY} - 澎湃新闻`,
    ]);
    expect(await stories.nth(1).locator('.reprints').textContent()).toBe('1 家转载');

    // 24 hourly slots; the bars sit in the hours the stories came in (Beijing 05:00–09:00).
    const chart = page.locator('#heat-chart svg');
    expect(await chart.count()).toBe(1);
    expect(await chart.locator('g[data-hour]').count()).toBe(24);
    const bars = await chart.locator('g[data-hour]').evaluateAll((gs) => gs.map((g) => Number(g.getAttribute('data-stories'))));
    // Distinct stories per hour: the reprinted story counts in each of its three hours.
    expect(bars.reduce((a, b) => a + b, 0)).toBe(6);
    expect(await chart.locator('rect').count()).toBe(bars.filter((n) => n > 0).length);
    // Heat: the stories of the last hour (two), and the signal words of its items.
    expect(await page.locator('.depth-facts .heat').getAttribute('data-heat')).toBe('2');
    expect(await page.locator('.depth-facts .signal').textContent()).toContain('伤亡');
    await page.screenshot({ path: `${SHOTS}/incident-depth.png`, fullPage: true });
    expect(app.problems).toEqual([]);
  });

  it('the board lists open incidents with heat and negative signal', async () => {
    const page = await app.pageAs('leader1', '/');
    const row = page.locator(`#incident-heat tr[data-incident="${incidentId}"]`);
    expect(await row.locator('td[data-heat]').getAttribute('data-heat')).toBe('2');
    expect(Number(await row.locator('td[data-signal]').getAttribute('data-signal'))).toBeGreaterThanOrEqual(2);
  });
});

describe('daily briefing page', () => {
  it('at 390 px it has no sideways scroll; printed, it drops the header and tools', async () => {
    const page = await app.pageAs('leader1', '/briefings/daily?date=2026-11-20', 390, 844);
    expect(await page.locator('h1').textContent()).toBe('舆情日报（2026-11-20）');
    expect(await page.locator('#briefing-incidents tbody tr').count()).toBe(1);
    expect(await page.locator('#briefing-stories td', { hasText: '3 家转载' }).count()).toBe(1);
    const widths = (await page.evaluate('({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })')) as { scroll: number; client: number };
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);
    await page.screenshot({ path: `${SHOTS}/briefing-390.png`, fullPage: true });

    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header').isVisible()).toBe(false);
    expect(await page.locator('.briefing-tools').isVisible()).toBe(false);
    expect(await page.locator('#briefing-incidents table').isVisible()).toBe(true);
    expect(app.problems).toEqual([]);
  });

  it('the menu leads to it, and a bad date is explained', async () => {
    const page = await app.pageAs('xwb01', '/');
    await Promise.all([page.waitForURL(/\/briefings\/daily$/), page.click('header nav a[href="/briefings/daily"]')]);
    expect(await page.locator('h1').textContent()).toBe('舆情日报（2026-11-20）');
    const res = await page.goto(`${app.base}/briefings/daily?date=2026-02-30`);
    expect(res!.status()).toBe(400);
    expect(await page.locator('.notice').textContent()).toContain('日期无效');
  });
});

describe('rules page: minSignal', () => {
  it('the press office sets a rule’s negative-signal threshold through the form; a bad one is explained next to the field and nothing is written', async () => {
    const page = await app.pageAs('xwb01', '/rules');
    await page.locator('details.register:has(#rule-form) > summary').click();
    const form = page.locator('#rule-form');
    await form.locator('input[name="name"]').fill('化工安全（信号）');
    await form.locator('input[name="query"]').fill('化工厂');
    await form.locator('input[name="minSignal"]').fill('25');
    expect(await submit(page, form.locator('button[type="submit"]'))).toBe(400);
    expect(await page.locator('#rule-form .field-error[data-field="minSignal"]').textContent()).toContain('0 到 20');
    expect((await app.t.call('GET', '/api/rules')).body.items.some((r: { name: string }) => r.name === '化工安全（信号）')).toBe(false);

    // Two mistakes at once: both are said after one submit.
    await page.locator('#rule-form input[name="query"]').fill('(燃气 OR');
    expect(await submit(page, page.locator('#rule-form button[type="submit"]'))).toBe(400);
    expect(await page.locator('#rule-form .field-error[data-field="minSignal"]').textContent()).toContain('0 到 20');
    expect(await page.locator('#rule-form .field-error[data-field="query"]').textContent()).toMatch(/^第 \d+ 个字符处：/);

    await page.locator('#rule-form input[name="query"]').fill('化工厂');
    await page.locator('#rule-form input[name="minSignal"]').fill('2');
    expect(await submit(page, page.locator('#rule-form button[type="submit"]'))).toBe(303);
    const created = (await app.t.call('GET', '/api/rules')).body.items.find((r: { name: string }) => r.name === '化工安全（信号）');
    expect(created.minSignal).toBe(2);
    expect(await page.locator(`#rule-${created.id} [data-min-signal]`).textContent()).toBe('2');
    // The refused post's 400 is reported by the browser as a failed resource; nothing else.
    expect(app.problems.filter((p) => !/Failed to load resource: the server responded with a status of 400/.test(p))).toEqual([]);
  });
});

describe('incident page: a story reprinted everywhere', () => {
  it('when an incident holds thousands of rows, then the page lists the 50 most reprinted stories and the earliest 100 items, and says how many there are', async () => {
    const feed = (await app.t.call('POST', '/api/feeds', { name: '聚合源', url: 'http://127.0.0.1:8/many.xml' })).body.id;
    // 120 different stories of the same incident (titles share only 化工厂), a minute apart.
    const CHARS = '甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥春夏秋冬东西南北金木水火土日月星辰山川河海风云雷电';
    let seed = 3;
    const pick = () => CHARS[(seed = (seed * 1103515245 + 12345) % 2147483648) % CHARS.length];
    const batch = Array.from({ length: 120 }, (_, i) => item(`化工厂${Array.from({ length: 10 }, pick).join('')}`, NOW - 90 * 60_000 + i * 60_000));
    const plan = await planIngest(app.t.ctx, SYSTEM_ACTOR, feed, batch, NOW);
    await app.t.db.batch(plan.statements);
    const detail = (await app.t.call('GET', `/api/incidents/${incidentId}`)).body;
    expect(detail.items.length).toBeGreaterThan(120);
    expect(detail.stories.length).toBeGreaterThan(120);

    const page = await app.pageAs('leader1', `/incidents/${incidentId}`);
    await expect(page.locator('ul.stories > li.story').count()).resolves.toBe(50);
    await expect(page.locator('#stories-cut').textContent()).resolves.toBe(`共 ${detail.stories.length} 篇报道，列出转载最多的 50 篇。`);
    await expect(page.locator('ul.feed-items > li').count()).resolves.toBe(100);
    await expect(page.locator('#items-cut').textContent()).resolves.toBe(`共 ${detail.items.length} 条，列出最早的 100 条。`);
    // The most reprinted story first, as before.
    await expect(page.locator('li.story').first().getAttribute('data-reprints')).resolves.toBe(String(detail.stories[0].reprints));
    await page.context().close();
  });
});
