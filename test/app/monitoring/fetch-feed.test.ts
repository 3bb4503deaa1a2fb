import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  decodeBody,
  detectCharset,
  FeedFetchError,
  fetchFeed,
  type FetchFeedResult,
} from '../../../src/app/monitoring/fetch-feed.js';
import {
  fixtureBytes,
  GBK_ONLY_CHAR,
  rss2,
  TITLE_FLOOD,
  TITLE_FLOOD_BIG5,
  TITLE_FOOD,
  TITLE_FOOD_BIG5,
  utf8,
} from '../../fixtures/feeds.js';
import {
  conditional,
  type FeedServer,
  fetchError,
  type Handler,
  hang,
  huge,
  newStreamStats,
  redirect,
  send,
  startFeedServer,
  status,
  trickle,
} from '../../support/feed-server.js';

const SIXTY_MB = 60 * 1024 * 1024;

let server: FeedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(routes: Record<string, Handler>): Promise<FeedServer> {
  server = await startFeedServer(routes);
  return server;
}

function ok(result: FetchFeedResult): Extract<FetchFeedResult, { kind: 'ok' }> {
  if (result.kind !== 'ok') throw new Error(`expected kind ok, got ${result.kind}`);
  return result;
}

async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('fetchFeed: charsets', () => {
  it('when a GBK feed is served with charset=GBK in the header only, then it is decoded as GBK', async () => {
    const bytes = fixtureBytes('gbk-header.xml');
    const s = await serve({ '/feed': send(bytes, { 'Content-Type': 'application/rss+xml; charset=GBK' }) });
    const r = ok(await fetchFeed(s.url('/feed')));
    expect(r.charset).toBe('gbk');
    expect(r.status).toBe(200);
    expect(r.bytes).toBe(bytes.byteLength);
    expect(r.finalUrl).toBe(s.url('/feed'));
    expect(r.text).toContain(`<title>${TITLE_FLOOD}</title>`);
    expect(r.text).toContain(`${TITLE_FOOD}（${GBK_ONLY_CHAR}）`);
    expect(r.text).not.toContain('\uFFFD');
  });

  it('when gb2312 is declared only in the XML prolog (text/xml, no charset), then it is decoded with the GBK decoder', async () => {
    const s = await serve({ '/feed': send(fixtureBytes('gb2312-prolog.xml'), { 'Content-Type': 'text/xml' }) });
    const r = ok(await fetchFeed(s.url('/feed')));
    expect(r.charset).toBe('gbk');
    expect(r.text).toContain(TITLE_FLOOD);
    expect(r.text).toContain(`防汛责任制。${GBK_ONLY_CHAR}`);
    expect(r.text).not.toContain('\uFFFD');
  });

  it('when a Big5 feed declares big5 in its prolog, then it is decoded as Big5', async () => {
    const s = await serve({ '/feed': send(fixtureBytes('big5.xml'), { 'Content-Type': 'application/xml' }) });
    const r = ok(await fetchFeed(s.url('/feed')));
    expect(r.charset).toBe('big5');
    expect(r.text).toContain(TITLE_FLOOD_BIG5);
    expect(r.text).toContain(TITLE_FOOD_BIG5);
    expect(r.text).not.toContain('\uFFFD');
  });

  it('when a UTF-8 body with a BOM is served with a lying charset=GBK header, then the BOM wins and is stripped', async () => {
    const s = await serve({ '/feed': send(fixtureBytes('utf8-bom.xml'), { 'Content-Type': 'text/xml; charset=GBK' }) });
    const r = ok(await fetchFeed(s.url('/feed')));
    expect(r.charset).toBe('utf-8');
    expect(r.text.startsWith('<?xml')).toBe(true);
    expect(r.text).toContain(TITLE_FOOD);
  });

  it('when the header names a charset nobody can decode and nothing else is declared, then unsupported_charset', async () => {
    const s = await serve({ '/feed': send(utf8('<rss version="2.0"/>'), { 'Content-Type': 'text/xml; charset=x-klingon' }) });
    const err = await fetchError(fetchFeed(s.url('/feed')));
    expect(err.code).toBe('unsupported_charset');
    expect(err.message).toBe('不支持的字符编码：x-klingon');
  });
});

describe('fetchFeed: request headers and conditional GET', () => {
  it('when fetching, then it asks for feeds first, sends the user agent, and sends no validators it was not given', async () => {
    const s = await serve({ '/feed': send(utf8(rss2({ items: [] })), { 'Content-Type': 'application/rss+xml' }) });
    ok(await fetchFeed(s.url('/feed'), { userAgent: 'GovMonitor/1.0' }));
    const headers = s.requests[0]!.headers;
    expect(headers.accept?.startsWith('application/rss+xml, application/atom+xml')).toBe(true);
    expect(headers['user-agent']).toBe('GovMonitor/1.0');
    expect(headers['if-none-match']).toBeUndefined();
    expect(headers['if-modified-since']).toBeUndefined();
  });

  it('when the server sends an ETag and the second request carries it, then the second result is not_modified', async () => {
    const etag = '"v1-abc"';
    const s = await serve({ '/feed': conditional({ body: utf8(rss2({ items: [{ title: TITLE_FOOD }] })), etag }) });
    const first = ok(await fetchFeed(s.url('/feed')));
    expect(first.etag).toBe(etag);
    expect(first.lastModified).toBeNull();
    const second = await fetchFeed(s.url('/feed'), { etag: first.etag });
    expect(second).toEqual({ kind: 'not_modified', status: 304, finalUrl: s.url('/feed') });
    expect(s.requests[1]!.headers['if-none-match']).toBe(etag);
  });

  it('when the server sends Last-Modified and the second request carries it, then the second result is not_modified', async () => {
    const lastModified = 'Sat, 01 Jun 2024 01:30:00 GMT';
    const s = await serve({ '/feed': conditional({ body: utf8(rss2({ items: [] })), lastModified }) });
    const first = ok(await fetchFeed(s.url('/feed')));
    expect(first.lastModified).toBe(lastModified);
    expect(first.etag).toBeNull();
    const second = await fetchFeed(s.url('/feed'), { lastModified: first.lastModified, etag: null });
    expect(second.kind).toBe('not_modified');
    expect(s.requests[1]!.headers['if-modified-since']).toBe(lastModified);
  });

  it('when the stored ETag is stale, then the full body comes back with the new ETag', async () => {
    const s = await serve({ '/feed': conditional({ body: utf8(rss2({ items: [] })), etag: '"v2"' }) });
    const r = ok(await fetchFeed(s.url('/feed'), { etag: '"v1"' }));
    expect(r.etag).toBe('"v2"');
    expect(r.text).toContain('<rss version="2.0">');
  });
});

describe('fetchFeed: HTTP errors and redirects', () => {
  it('when the server answers 500, then http_status with status 500', async () => {
    const s = await serve({ '/feed': status(500) });
    const err = await fetchError(fetchFeed(s.url('/feed')));
    expect(err.code).toBe('http_status');
    expect(err.status).toBe(500);
    expect(err.message).toBe('服务器返回 HTTP 500');
  });

  it('when the server answers 404, then http_status with status 404', async () => {
    const s = await serve({});
    const err = await fetchError(fetchFeed(s.url('/missing.xml')));
    expect(err.code).toBe('http_status');
    expect(err.status).toBe(404);
    expect(err.message).toBe('服务器返回 HTTP 404');
  });

  it('when a chain of 301/302/303/307/308 with relative and absolute Locations is followed, then the final URL is the last hop', async () => {
    const s = await serve({
      '/a/start': redirect('next', 301), // relative to /a/start → /a/next
      '/a/next': redirect('/b', 302),
      '/b': redirect('../c?x=1', 303), // → /c?x=1
      '/c': (req, res) => redirect(`http://127.0.0.1:${req.socket.localPort}/d`, 307)(req, res), // absolute
      '/d': redirect('/feed.xml', 308),
      '/feed.xml': send(utf8(rss2({ items: [{ title: TITLE_FLOOD }] })), { 'Content-Type': 'application/rss+xml' }),
    });
    const r = ok(await fetchFeed(s.url('/a/start')));
    expect(r.finalUrl).toBe(s.url('/feed.xml'));
    expect(r.text).toContain(TITLE_FLOOD);
    expect(s.requests.map((q) => q.path)).toEqual(['/a/start', '/a/next', '/b', '/c', '/d', '/feed.xml']);
  });

  it('when conditional headers are given and the feed redirects, then every hop carries them and a 304 at the end is not_modified', async () => {
    const s = await serve({
      '/old': redirect('/new', 301),
      '/new': conditional({ body: utf8(rss2({ items: [] })), etag: '"e"' }),
    });
    const r = await fetchFeed(s.url('/old'), { etag: '"e"' });
    expect(r).toEqual({ kind: 'not_modified', status: 304, finalUrl: s.url('/new') });
    expect(s.requests.map((q) => q.headers['if-none-match'])).toEqual(['"e"', '"e"']);
  });

  it('when a redirect loops, then too_many_redirects after maxRedirects hops', async () => {
    const s = await serve({ '/loop': redirect('/loop', 302) });
    const err = await fetchError(fetchFeed(s.url('/loop')));
    expect(err.code).toBe('too_many_redirects');
    expect(err.message).toBe('重定向超过 5 次');
    expect(s.requests).toHaveLength(6);
  });

  it('when a chain is exactly maxRedirects long, then it is followed, and one hop longer is refused', async () => {
    const s = await serve({
      '/r1': redirect('/r2'),
      '/r2': redirect('/r3'),
      '/r3': send(utf8(rss2({ items: [] }))),
    });
    expect(ok(await fetchFeed(s.url('/r1'), { maxRedirects: 2 })).finalUrl).toBe(s.url('/r3'));
    const err = await fetchError(fetchFeed(s.url('/r1'), { maxRedirects: 1 }));
    expect(err.code).toBe('too_many_redirects');
    expect(err.message).toBe('重定向超过 1 次');
  });

  it('when a redirect points to a non-http scheme, then bad_redirect', async () => {
    const s = await serve({ '/ftp': redirect('ftp://ftp.example.gov.cn/feed.xml'), '/js': redirect('javascript:alert(1)') });
    for (const path of ['/ftp', '/js']) {
      const err = await fetchError(fetchFeed(s.url(path)));
      expect(err.code).toBe('bad_redirect');
    }
  });

  it('when a redirect has no Location, then bad_redirect', async () => {
    const s = await serve({ '/r': (_req, res) => void res.writeHead(302, { 'Content-Length': '0' }).end() });
    const err = await fetchError(fetchFeed(s.url('/r')));
    expect(err.code).toBe('bad_redirect');
  });
});

describe('fetchFeed: timeouts', () => {
  it('when the server accepts but never answers, then timeout after headersTimeoutMs, well within bounds', async () => {
    const s = await serve({ '/hang': hang() });
    const started = Date.now();
    const err = await fetchError(fetchFeed(s.url('/hang'), { headersTimeoutMs: 300, timeoutMs: 10_000 }));
    const elapsed = Date.now() - started;
    expect(err.code).toBe('timeout');
    expect(err.message).toBe('请求超时（0.3 秒内未收到响应头）');
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(3000);
  });

  it('when the server never answers and the total timeout is the shorter one, then timeout after timeoutMs', async () => {
    const s = await serve({ '/hang': hang() });
    const started = Date.now();
    const err = await fetchError(fetchFeed(s.url('/hang'), { timeoutMs: 300 }));
    expect(err.code).toBe('timeout');
    expect(err.message).toBe('请求超时（0.3 秒）');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('when the headers come at once but the body trickles on forever, then the total timeout ends it', async () => {
    const s = await serve({ '/slow': trickle(50) });
    const started = Date.now();
    const err = await fetchError(fetchFeed(s.url('/slow'), { timeoutMs: 400, headersTimeoutMs: 300 }));
    const elapsed = Date.now() - started;
    expect(err.code).toBe('timeout');
    expect(err.message).toBe('请求超时（0.4 秒）');
    expect(elapsed).toBeGreaterThanOrEqual(350);
    expect(elapsed).toBeLessThan(3000);
  });

  it('when nothing listens on the port, then network', async () => {
    const port = await closedPort();
    const err = await fetchError(fetchFeed(`http://127.0.0.1:${port}/feed`, { timeoutMs: 2000 }));
    expect(err.code).toBe('network');
    expect(err.message.startsWith('网络错误：')).toBe(true);
  });

  it('when the URL is not http(s), then network without any request', async () => {
    const err = await fetchError(fetchFeed('file:///etc/passwd'));
    expect(err.code).toBe('network');
    expect((await fetchError(fetchFeed('not a url'))).code).toBe('network');
  });
});

describe('fetchFeed: size limits', () => {
  it('when a 60 MB body streams without Content-Length, then too_large at the default 10 MB, quickly, and the server never finishes', async () => {
    const stats = newStreamStats();
    const s = await serve({ '/huge': huge({ totalBytes: SIXTY_MB, stats }) });
    const started = Date.now();
    const err = await fetchError(fetchFeed(s.url('/huge')));
    expect(err.code).toBe('too_large');
    expect(err.message).toBe('响应超过 10 MB 上限');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await waitFor(() => stats.aborted)).toBe(true);
    expect(stats.finished).toBe(false);
    expect(stats.bytesWritten).toBeLessThan(SIXTY_MB / 2);
  });

  it('when Content-Length declares 60 MB, then too_large from the headers alone, without waiting for the body', async () => {
    let closed = false;
    const s = await serve({
      // Declares 60 MB, sends 1 KB, then stalls: only the Content-Length check can answer quickly.
      '/huge': (_req, res) => {
        res.on('close', () => (closed = true));
        res.writeHead(200, { 'Content-Type': 'application/rss+xml', 'Content-Length': String(SIXTY_MB) });
        res.write(Buffer.alloc(1024, 'x'));
      },
    });
    const started = Date.now();
    const err = await fetchError(fetchFeed(s.url('/huge'), { timeoutMs: 2000 }));
    expect(err.code).toBe('too_large');
    expect(err.message).toBe('响应超过 10 MB 上限');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await waitFor(() => closed)).toBe(true);
  });

  it('when a body without Content-Length exceeds a small maxBytes, then too_large', async () => {
    const stats = newStreamStats();
    const s = await serve({ '/big': huge({ totalBytes: 20 * 1024 * 1024, chunkBytes: 16 * 1024, stats }) });
    const err = await fetchError(fetchFeed(s.url('/big'), { maxBytes: 64 * 1024 }));
    expect(err.code).toBe('too_large');
    expect(err.message).toBe('响应超过 0.06 MB 上限');
    expect(await waitFor(() => stats.aborted)).toBe(true);
    expect(stats.finished).toBe(false);
  });

  it('when a chunked body is exactly maxBytes, then it is accepted; one byte more is refused', async () => {
    const exact = newStreamStats();
    const over = newStreamStats();
    const s = await serve({
      '/exact': huge({ totalBytes: 50_000, chunkBytes: 7_000, stats: exact }),
      '/over': huge({ totalBytes: 50_001, chunkBytes: 7_000, stats: over }),
    });
    const r = ok(await fetchFeed(s.url('/exact'), { maxBytes: 50_000 }));
    expect(r.bytes).toBe(50_000);
    expect(r.text).toBe('x'.repeat(50_000));
    expect((await fetchError(fetchFeed(s.url('/over'), { maxBytes: 50_000 }))).code).toBe('too_large');
  });
});

describe('fetchFeed: timers and fetchImpl', () => {
  const activeTimeouts = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

  it('when fetchImpl is given, then it is used, and no timer outlives the call whatever the outcome', async () => {
    const seen: string[] = [];
    const answers: Record<string, () => Response> = {
      'http://feeds.example.gov.cn/ok': () =>
        new Response(utf8(rss2({ items: [{ title: TITLE_FOOD }] })), { headers: { 'Content-Type': 'text/xml; charset=utf-8', ETag: '"z"' } }),
      'http://feeds.example.gov.cn/304': () => new Response(null, { status: 304 }),
      'http://feeds.example.gov.cn/500': () => new Response('boom', { status: 500 }),
      'http://feeds.example.gov.cn/big': () => new Response('x', { headers: { 'Content-Length': String(SIXTY_MB) } }),
    };
    const fetchImpl = (async (input: string | URL | Request) => {
      const url = String(input);
      seen.push(url);
      const answer = answers[url];
      if (!answer) throw new TypeError('fetch failed');
      return answer();
    }) as typeof fetch;

    const before = activeTimeouts();
    const r = ok(await fetchFeed('http://feeds.example.gov.cn/ok', { fetchImpl }));
    expect(r.text).toContain(TITLE_FOOD);
    expect(r.etag).toBe('"z"');
    expect((await fetchFeed('http://feeds.example.gov.cn/304', { fetchImpl })).kind).toBe('not_modified');
    expect((await fetchError(fetchFeed('http://feeds.example.gov.cn/500', { fetchImpl }))).status).toBe(500);
    expect((await fetchError(fetchFeed('http://feeds.example.gov.cn/big', { fetchImpl }))).code).toBe('too_large');
    const network = await fetchError(fetchFeed('http://feeds.example.gov.cn/down', { fetchImpl }));
    expect(network.code).toBe('network');
    expect(network.message).toBe('网络错误：fetch failed');
    expect(activeTimeouts()).toBe(before);
    expect(seen).toEqual([
      'http://feeds.example.gov.cn/ok',
      'http://feeds.example.gov.cn/304',
      'http://feeds.example.gov.cn/500',
      'http://feeds.example.gov.cn/big',
      'http://feeds.example.gov.cn/down',
    ]);
  });
});

describe('fetchFeed: a fetchImpl that ignores the abort signal', () => {
  it('when the fetch promise never settles, then timeout all the same', async () => {
    const fetchImpl = (() => new Promise<Response>(() => {})) as typeof fetch;
    const started = Date.now();
    const err = await fetchError(fetchFeed('http://feeds.example.gov.cn/x', { fetchImpl, headersTimeoutMs: 300 }));
    expect(err.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('when the body stream never delivers, then timeout all the same, and the stream is cancelled', async () => {
    let cancelled = false;
    const fetchImpl = (async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(c) {
            c.enqueue(new TextEncoder().encode('<rss'));
          },
          cancel() {
            cancelled = true;
          },
        }),
      )) as typeof fetch;
    const started = Date.now();
    const err = await fetchError(fetchFeed('http://feeds.example.gov.cn/x', { fetchImpl, timeoutMs: 300 }));
    expect(err.code).toBe('timeout');
    expect(err.message).toBe('请求超时（0.3 秒）');
    expect(Date.now() - started).toBeLessThan(3000);
    expect(await waitFor(() => cancelled)).toBe(true);
  });
});

describe('detectCharset', () => {
  const ascii = (s: string) => new TextEncoder().encode(s);
  const withBom = (bom: number[], s: string) => new Uint8Array([...bom, ...ascii(s)]);

  it('when the body starts with a BOM, then the BOM wins over the header and the prolog', () => {
    expect(detectCharset('text/xml; charset=GBK', withBom([0xef, 0xbb, 0xbf], '<?xml version="1.0" encoding="big5"?>'))).toBe('utf-8');
    expect(detectCharset('text/xml; charset=utf-8', new Uint8Array([0xff, 0xfe, 0x3c, 0x00]))).toBe('utf-16le');
    expect(detectCharset(null, new Uint8Array([0xfe, 0xff, 0x00, 0x3c]))).toBe('utf-16be');
  });

  it('when the header names a charset, then it wins over the prolog, whatever its case and quoting', () => {
    const body = ascii('<?xml version="1.0" encoding="big5"?><rss/>');
    expect(detectCharset('application/rss+xml; charset=GBK', body)).toBe('gbk');
    expect(detectCharset('text/xml;charset="gb2312"', body)).toBe('gbk');
    expect(detectCharset("text/xml; Charset='GB_2312-80'", body)).toBe('gbk');
    expect(detectCharset('text/xml; charset=x-gbk; foo=bar', body)).toBe('gbk');
    expect(detectCharset('text/xml; charset=UTF-8', body)).toBe('utf-8');
    expect(detectCharset('text/xml; charset=GB18030', body)).toBe('gb18030');
    expect(detectCharset('text/xml; charset=CP936', body)).toBe('gbk');
  });

  it('when only the XML prolog declares the encoding, then it is used and normalised', () => {
    expect(detectCharset('text/xml', ascii('<?xml version="1.0" encoding="GB2312"?><rss/>'))).toBe('gbk');
    expect(detectCharset(null, ascii("\n  <?xml version='1.0' encoding='Big5'?><rss/>"))).toBe('big5');
    expect(detectCharset('application/xml', ascii('<?xml version="1.0" encoding="utf8" standalone="yes"?><rss/>'))).toBe('utf-8');
  });

  it('when a charset=… appears elsewhere in the header, then only the charset parameter counts', () => {
    expect(detectCharset('text/xml; boundary=charset=big5', ascii('<rss/>'))).toBe('utf-8');
  });

  it('when only an HTML meta names the charset, then it is the last resort before utf-8', () => {
    expect(detectCharset('text/html', ascii('<!DOCTYPE html><html><head><meta charset="gb2312"></head>'))).toBe('gbk');
    expect(
      detectCharset(null, ascii('<html><head><meta http-equiv="Content-Type" content="text/html; charset=big5"></head>')),
    ).toBe('big5');
    expect(detectCharset(null, ascii('<?xml version="1.0" encoding="gbk"?><html><meta charset="big5"></html>'))).toBe('gbk');
  });

  it('when nothing declares a charset, then utf-8; UTF-16 without a BOM is still recognised from "<?"', () => {
    expect(detectCharset(null, ascii('<rss version="2.0"></rss>'))).toBe('utf-8');
    expect(detectCharset('application/rss+xml', new Uint8Array(0))).toBe('utf-8');
    expect(detectCharset(null, new Uint8Array([0x3c, 0x00, 0x3f, 0x00]))).toBe('utf-16le');
  });

  it('when the prolog declaration lies beyond the first 1024 bytes, then it is not seen', () => {
    expect(detectCharset(null, ascii(`${' '.repeat(1100)}<?xml version="1.0" encoding="gbk"?><rss/>`))).toBe('utf-8');
  });

  it('when the header charset is unknown but the prolog is usable, then the prolog is used; when nothing usable, the label is returned as is', () => {
    expect(detectCharset('text/xml; charset=x-unknown', ascii('<?xml version="1.0" encoding="gbk"?>'))).toBe('gbk');
    expect(detectCharset('text/xml; charset="x-unknown"', ascii('<rss/>'))).toBe('x-unknown');
  });
});

describe('decodeBody', () => {
  it('when the bytes carry a BOM of their encoding, then the BOM is not part of the text', () => {
    expect(decodeBody(new Uint8Array([0xef, 0xbb, 0xbf, 0x3c, 0x61, 0x2f, 0x3e]), 'utf-8')).toBe('<a/>');
    expect(decodeBody(new Uint8Array([0xff, 0xfe, 0x3c, 0x00, 0x61, 0x00]), 'utf-16le')).toBe('<a');
  });

  it('when GBK and Big5 fixture bytes are decoded with their labels, then the Chinese text comes back', () => {
    expect(decodeBody(fixtureBytes('gbk-header.xml'), 'GBK')).toContain(TITLE_FLOOD);
    expect(decodeBody(fixtureBytes('gb2312-prolog.xml'), 'gb2312')).toContain(GBK_ONLY_CHAR);
    expect(decodeBody(fixtureBytes('big5.xml'), 'big5')).toContain(TITLE_FOOD_BIG5);
  });

  it('when the label is unknown or the WHATWG "replacement" encoding, then unsupported_charset', () => {
    for (const label of ['x-klingon', 'hz-gb-2312', '']) {
      let caught: unknown;
      try {
        decodeBody(new Uint8Array([0x61]), label);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(FeedFetchError);
      expect((caught as FeedFetchError).code).toBe('unsupported_charset');
      expect((caught as FeedFetchError).message).toBe(`不支持的字符编码：${label}`);
    }
  });
});
