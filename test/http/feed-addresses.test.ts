import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp({ allowPrivateFeeds: false });
});
afterEach(() => t.close());

// Only address checks: nothing here connects anywhere (the refusals come before any request, and
// IP literals need no DNS). Refusal at a redirect hop: test/runtime/node/url-guard.test.ts.
describe('feed addresses (ALLOW_PRIVATE_FEEDS off, the default)', () => {
  it.each([
    ['loopback', 'http://127.0.0.1:8080/rss.xml'],
    ['a host name resolving to 127.0.0.1', 'http://localhost:8080/rss.xml'],
    ['a private network', 'http://192.168.1.10/rss.xml'],
    ['cloud metadata', 'http://169.254.169.254/latest/meta-data/'],
    ['IPv6 loopback', 'http://[::1]/rss.xml'],
    ['IPv4-mapped IPv6', 'http://[::ffff:10.0.0.1]/rss.xml'],
    ['credentials in the URL', 'https://user:pass@www.example.gov.cn/rss.xml'],
  ])('when a feed points at %s, then 400 and nothing is written', async (_case, url) => {
    const res = await t.call('POST', '/api/feeds', { name: '内网', url });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^url: /);
    expect((await t.call('GET', '/api/feeds')).body.items).toEqual([]);
  });
});
