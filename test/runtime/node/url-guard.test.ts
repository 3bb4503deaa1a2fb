import { afterEach, describe, expect, it } from 'vitest';
import { FeedFetchError, fetchFeed } from '../../../src/app/monitoring/fetch-feed.js';
import { UnsafeUrlError, type UrlGuard } from '../../../src/app/security/addresses.js';
import { nodeOutbound, nodeUrlGuard } from '../../../src/runtime/node/url-guard.js';
import { rss2 } from '../../fixtures/feeds.js';
import { type FeedServer, fetchError, type Handler, redirect, send, startFeedServer } from '../../support/feed-server.js';

/** What a guard rejects with (fails the test when it resolves). */
async function rejection(guard: UrlGuard, url: string): Promise<unknown> {
  return guard(url).then(
    () => {
      throw new Error(`expected ${url} to be refused`);
    },
    (e: unknown) => e,
  );
}

async function refusal(guard: UrlGuard, url: string): Promise<UnsafeUrlError> {
  const err = await rejection(guard, url);
  expect(err).toBeInstanceOf(UnsafeUrlError);
  return err as UnsafeUrlError;
}

/** A lookup that answers from a table and records the names it was asked for. */
function fakeLookup(table: Record<string, string[]>): { lookup: (host: string) => Promise<string[]>; asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    lookup: async (host) => {
      asked.push(host);
      const answer = table[host];
      if (!answer) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
      return answer;
    },
  };
}

describe('nodeUrlGuard: DNS', () => {
  it('when the host is localhost (real lookup), then it is refused and the message names the loopback address', async () => {
    const err = await refusal(nodeUrlGuard({ allowPrivate: false }), 'http://localhost:8080/feed.xml');
    expect(err.code).toBe('unsafe_url');
    expect(err.message).toMatch(/^域名 localhost 解析到内网或本机地址（(127\.0\.0\.1|::1)），已拒绝；如确需访问内网地址，请设置 ALLOW_PRIVATE_URLS=1$/);
  });

  it('when the hostname resolves to a public address, then the URL passes, and the lookup was asked for that hostname', async () => {
    const dns = fakeLookup({ 'feeds.example.gov.cn': ['93.184.216.34'] });
    await expect(nodeUrlGuard({ allowPrivate: false, lookup: dns.lookup })('https://feeds.example.gov.cn/rss')).resolves.toBeUndefined();
    expect(dns.asked).toEqual(['feeds.example.gov.cn']);
  });

  it('when the hostname resolves to public and private addresses, then it is refused naming the private one, whatever the order', async () => {
    for (const answer of [
      ['93.184.216.34', '10.0.0.7'],
      ['10.0.0.7', '93.184.216.34'],
    ]) {
      const dns = fakeLookup({ 'mixed.example.com': answer });
      const err = await refusal(nodeUrlGuard({ allowPrivate: false, lookup: dns.lookup }), 'https://mixed.example.com/rss');
      expect(err.message).toContain('域名 mixed.example.com 解析到内网或本机地址（10.0.0.7）');
    }
    const dns = fakeLookup({ 'v6.example.com': ['2606:4700:4700::1111', '::ffff:169.254.169.254'] });
    expect((await refusal(nodeUrlGuard({ allowPrivate: false, lookup: dns.lookup }), 'http://v6.example.com/')).message).toContain(
      '（::ffff:169.254.169.254）',
    );
  });

  it('when the lookup fails, then a plain Error (not UnsafeUrlError) names the host and the error code', async () => {
    const dns = fakeLookup({});
    const err = await rejection(nodeUrlGuard({ allowPrivate: false, lookup: dns.lookup }), 'https://nowhere.invalid/rss');
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(UnsafeUrlError);
    expect((err as Error).message).toBe('无法解析域名 nowhere.invalid：ENOTFOUND');
  });

  it('when the lookup answers no address at all, then a plain Error as for a failed lookup', async () => {
    const dns = fakeLookup({ 'empty.example.com': [] });
    const err = await rejection(nodeUrlGuard({ allowPrivate: false, lookup: dns.lookup }), 'https://empty.example.com/');
    expect(err).not.toBeInstanceOf(UnsafeUrlError);
    expect((err as Error).message).toMatch(/^无法解析域名 empty\.example\.com：/);
  });

  it('when the host is an IP literal, then no lookup happens: a public one passes, a private one is refused', async () => {
    const dns = fakeLookup({});
    const guard = nodeUrlGuard({ allowPrivate: false, lookup: dns.lookup });
    await expect(guard('http://93.184.216.34/feed')).resolves.toBeUndefined();
    await expect(guard('http://[2606:4700:4700::1111]/feed')).resolves.toBeUndefined();
    expect((await refusal(guard, 'http://0x7f.0.0.1/')).message).toContain('（127.0.0.1）');
    expect((await refusal(guard, 'http://[::1]/')).message).toContain('（::1）');
    expect(dns.asked).toEqual([]);
  });

  it('when the scheme or credentials are wrong, then it is refused before any lookup', async () => {
    const dns = fakeLookup({ 'example.com': ['93.184.216.34'] });
    const guard = nodeUrlGuard({ allowPrivate: false, lookup: dns.lookup });
    expect((await refusal(guard, 'ftp://example.com/feed')).message).toContain('只允许 http:// 或 https://');
    expect((await refusal(guard, 'https://a:b@example.com/feed')).message).toBe('地址不得包含用户名或密码');
    expect(dns.asked).toEqual([]);
  });
});

describe('nodeUrlGuard: allowPrivate', () => {
  it('when private feeds are allowed, then loopback literals and localhost pass without a lookup, but ftp: is still refused', async () => {
    const dns = fakeLookup({});
    const guard = nodeUrlGuard({ allowPrivate: true, lookup: dns.lookup });
    await expect(guard('http://127.0.0.1:1234/')).resolves.toBeUndefined();
    await expect(guard('http://localhost:1234/feed')).resolves.toBeUndefined();
    await expect(guard('http://169.254.169.254/latest/meta-data')).resolves.toBeUndefined();
    expect(dns.asked).toEqual([]);
    expect((await refusal(guard, 'ftp://127.0.0.1/')).code).toBe('unsafe_url');
    expect((await refusal(guard, 'http://u:p@localhost/')).code).toBe('unsafe_url');
  });

  it('when private feeds are allowed with the default lookup, then localhost passes', async () => {
    await expect(nodeUrlGuard({ allowPrivate: true })('http://localhost/feed')).resolves.toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------
// fetchFeed with a guard, against a real server on 127.0.0.1

let server: FeedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(routes: Record<string, Handler>): Promise<FeedServer> {
  server = await startFeedServer(routes);
  return server;
}

const FEED = rss2({ items: [{ title: '通知', link: 'https://example.gov.cn/1' }] });

describe('fetchFeed with checkUrl', () => {
  it('when the feed URL is on 127.0.0.1 and private feeds are not allowed, then unsafe_url and no request reaches the server', async () => {
    const s = await serve({ '/feed.xml': send(FEED, { 'Content-Type': 'application/rss+xml; charset=utf-8' }) });
    const url = s.url('/feed.xml');
    const err = await fetchError(fetchFeed(url, { checkUrl: nodeUrlGuard({ allowPrivate: false }) }));
    expect(err.code).toBe('unsafe_url');
    expect(err.message).toBe('地址指向内网或本机地址（127.0.0.1），已拒绝；如确需访问内网地址，请设置 ALLOW_PRIVATE_URLS=1');
    expect(err.cause).toBeInstanceOf(UnsafeUrlError);
    expect(s.requests).toEqual([]);

    // The same feed with private feeds allowed is fetched, so the server was reachable all along.
    const ok = await fetchFeed(url, { checkUrl: nodeUrlGuard({ allowPrivate: true }) });
    expect(ok.kind).toBe('ok');
    expect(s.requests.map((r) => r.path)).toEqual(['/feed.xml']);
  });

  it('when an allowed URL redirects to one the guard refuses, then unsafe_url and the refused target is never requested', async () => {
    const s = await serve({
      '/start': redirect('/hop'),
      '/hop': redirect('/internal', 301),
      '/internal': send(FEED, { 'Content-Type': 'application/rss+xml; charset=utf-8' }),
    });
    const checked: string[] = [];
    const guard: UrlGuard = async (url) => {
      checked.push(new URL(url).pathname);
      if (new URL(url).pathname === '/internal') throw new UnsafeUrlError('重定向目标指向内网地址，已拒绝');
    };
    const err = await fetchError(fetchFeed(s.url('/start'), { checkUrl: guard }));
    expect(err.code).toBe('unsafe_url');
    expect(err.message).toBe('重定向目标指向内网地址，已拒绝');
    expect(checked).toEqual(['/start', '/hop', '/internal']);
    expect(s.requests.map((r) => r.path)).toEqual(['/start', '/hop']);
  });

  it('when a public-looking first hop redirects to http://127.0.0.1/, then the node guard refuses the redirect', async () => {
    const s = await serve({});
    const target = s.url('/feed.xml');
    const hops: string[] = [];
    const fetchImpl: typeof fetch = async (input) => {
      hops.push(String(input));
      return new Response(null, { status: 302, headers: { Location: target } });
    };
    const dns = fakeLookup({ 'feeds.example.gov.cn': ['93.184.216.34'] });
    const err = await fetchError(
      fetchFeed('https://feeds.example.gov.cn/rss', { fetchImpl, checkUrl: nodeUrlGuard({ allowPrivate: false, lookup: dns.lookup }) }),
    );
    expect(err.code).toBe('unsafe_url');
    expect(err.message).toContain('（127.0.0.1）');
    expect(hops).toEqual(['https://feeds.example.gov.cn/rss']);
    expect(s.requests).toEqual([]);
  });

  it('when the guard fails for a reason other than safety (DNS), then network, and nothing is requested', async () => {
    const hops: string[] = [];
    const fetchImpl: typeof fetch = async (input) => {
      hops.push(String(input));
      return new Response(FEED, { status: 200 });
    };
    const dns = fakeLookup({});
    const err = await fetchError(
      fetchFeed('https://nowhere.invalid/rss', { fetchImpl, checkUrl: nodeUrlGuard({ allowPrivate: false, lookup: dns.lookup }) }),
    );
    expect(err.code).toBe('network');
    expect(err.message.startsWith('网络错误：无法解析域名 nowhere.invalid：ENOTFOUND')).toBe(true);
    expect(hops).toEqual([]);
  });

  it('when the guard never settles, then the total timeout still ends the fetch', async () => {
    const started = Date.now();
    const err = await fetchError(
      fetchFeed('https://slow-dns.example.com/rss', { timeoutMs: 200, checkUrl: () => new Promise<void>(() => {}) }),
    );
    expect(err.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('DNS rebinding: the connection’s own lookup is checked (nodeOutbound)', () => {
  it('when DNS answers a public address to the guard and 127.0.0.1 to the connection, then unsafe_url and nothing reaches the server', async () => {
    const s = await serve({ '/feed.xml': send(FEED, { 'Content-Type': 'application/rss+xml; charset=utf-8' }) });
    const port = new URL(s.url('/')).port;
    let calls = 0;
    // A short-TTL record that changes between the check and the connection.
    const rebinding = async (host: string) => {
      expect(host).toBe('rebind.example.com');
      return calls++ === 0 ? ['93.184.216.34'] : ['127.0.0.1'];
    };
    const { guard, fetch } = nodeOutbound({ allowPrivate: false, lookup: rebinding });
    const err = await fetchError(fetchFeed(`http://rebind.example.com:${port}/feed.xml`, { checkUrl: guard, fetchImpl: fetch! }));
    expect(err.code).toBe('unsafe_url');
    expect(err.message).toContain('域名 rebind.example.com 解析到内网或本机地址（127.0.0.1）');
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(s.requests).toEqual([]);
  });

  it('when the connection’s lookup answers an IPv4-mapped loopback, then it is refused as well; with private addresses allowed, the plain fetch is used', async () => {
    const s = await serve({ '/feed.xml': send(FEED, { 'Content-Type': 'application/rss+xml; charset=utf-8' }) });
    const port = new URL(s.url('/')).port;
    const { fetch: pinned } = nodeOutbound({ allowPrivate: false, lookup: async () => ['::ffff:127.0.0.1'] });
    const refused = await fetchError(fetchFeed(`http://anything.example.com:${port}/feed.xml`, { fetchImpl: pinned! }));
    expect(refused.code).toBe('unsafe_url');
    const open = nodeOutbound({ allowPrivate: true });
    expect(open.fetch).toBeUndefined();
    expect((await fetchFeed(s.url('/feed.xml'), { checkUrl: open.guard })).kind).toBe('ok');
  });
});
