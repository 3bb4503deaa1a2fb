import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { upsertConfiguredFeeds } from '../../../src/app/monitoring/feeds.js';
import { upsertConfiguredRules } from '../../../src/app/monitoring/rules.js';
import { readDeclarativeSources } from '../../../src/runtime/node/declarative.js';
import { startTestApp, tempDir, type TestApp } from '../../support/app.js';

const FEEDS_DIR = fileURLToPath(new URL('../../../feeds', import.meta.url));

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
});
afterEach(() => t.close());

describe('declarative sources under feeds/', () => {
  it('when the shipped feeds/ is loaded, then every rule is valid and created once, also on a second start', async () => {
    const declared = readDeclarativeSources(FEEDS_DIR);
    expect(declared.problems).toEqual([]);
    expect(declared.rules.length).toBeGreaterThan(0);
    expect(await upsertConfiguredRules(t.ctx, declared.rules)).toEqual([]);
    expect(await upsertConfiguredRules(t.ctx, declared.rules)).toEqual([]);
    const rules = (await t.call('GET', '/api/rules')).body.items;
    expect(rules.map((r: any) => r.name)).toEqual(declared.rules.map((r) => r.name));
    expect(rules.every((r: any) => r.source === 'config')).toBe(true);
    const test = await t.call('POST', '/api/rules/test', { query: declared.rules.find((r) => r.name === '燃气安全')!.query, text: '某小区发生天然气泄漏，消防紧急处置' });
    expect(test.body.matched).toBe(true);
  });

  it('when entries are malformed, then each is reported by file and index and the rest load', async () => {
    const { dir, cleanup } = tempDir();
    try {
      writeFileSync(join(dir, 'sources.json'), JSON.stringify({ feeds: [{ name: '好的', url: 'https://a.example.gov.cn/rss' }, { name: '坏的', url: 'ftp://x' }] }));
      writeFileSync(join(dir, 'rules.json'), JSON.stringify({ rules: [{ name: '括号', query: '(爆炸', severity: 'major' }, { name: '欠薪', query: '欠薪', severity: 'general' }] }));
      const declared = readDeclarativeSources(dir);
      expect(declared.feeds.map((f) => f.name)).toEqual(['好的']);
      expect(declared.problems).toEqual([expect.stringMatching(/^sources\.json feeds\[1\]: url: /)]);
      const problems = await upsertConfiguredRules(t.ctx, declared.rules);
      expect(problems).toEqual([expect.stringMatching(/^rules\[0\]（括号）: query: 第 1 个字符处/)]);
      await upsertConfiguredFeeds(t.ctx, declared.feeds);
      await upsertConfiguredFeeds(t.ctx, [{ ...declared.feeds[0]!, name: '改名', intervalMinutes: 5 }]);
      const feeds = (await t.call('GET', '/api/feeds')).body.items;
      expect(feeds).toEqual([expect.objectContaining({ name: '改名', intervalMinutes: 5, source: 'config' })]);
    } finally {
      cleanup();
    }
  });

  it('when a file is missing or not JSON, then nothing is declared from it and the problem is said', () => {
    const { dir, cleanup } = tempDir();
    try {
      mkdirSync(join(dir, 'empty'));
      expect(readDeclarativeSources(join(dir, 'empty'))).toEqual({ feeds: [], rules: [], problems: [] });
      writeFileSync(join(dir, 'rules.json'), '{ not json');
      writeFileSync(join(dir, 'sources.json'), '[]');
      const declared = readDeclarativeSources(dir);
      expect(declared.problems).toHaveLength(2);
      expect(declared.problems[0]).toMatch(/^sources\.json: /);
      expect(declared.problems[1]).toMatch(/^rules\.json: /);
    } finally {
      cleanup();
    }
  });
});
