// Fetches one feed over HTTP with Web-standard APIs only (fetch, AbortController, ReadableStream,
// TextDecoder), so that the same code runs on Node and on Cloudflare Workers. It never trusts the
// server: every wait is bounded, bodies are counted as they stream in, redirects are followed by
// hand, and the bytes are decoded with the charset the body or the server declares (many Chinese
// government sites serve GBK). An optional UrlGuard vets the URL before the first request and
// before every redirect hop, so that a public feed cannot redirect us into the internal network.

import { UnsafeUrlError, type UrlGuard } from '../security/addresses.js';

export interface FetchFeedOptions {
  /** The ETag of the last successful fetch, sent as If-None-Match. */
  etag?: string | null;
  /** The Last-Modified of the last successful fetch, sent as If-Modified-Since. */
  lastModified?: string | null;
  /** Total time for the whole operation, redirects and body included; default 30 s. */
  timeoutMs?: number;
  /** Time to receive the response headers of each request (connect + server think time); default 10 s, never more than timeoutMs. */
  headersTimeoutMs?: number;
  /** Largest body accepted, counted after content decoding; default 10 MiB. */
  maxBytes?: number;
  /** Redirects followed before giving up; default 5. */
  maxRedirects?: number;
  userAgent?: string;
  fetchImpl?: typeof fetch;
  /**
   * Called with the URL before the first request and before following each redirect; an
   * UnsafeUrlError from it ends the fetch with code unsafe_url (its message kept), any other
   * rejection with network. Its time counts against timeoutMs.
   */
  checkUrl?: UrlGuard;
}

export type FetchFeedResult =
  | { kind: 'not_modified'; status: 304; finalUrl: string }
  | {
      kind: 'ok';
      status: number;
      finalUrl: string;
      text: string;
      charset: string;
      etag: string | null;
      lastModified: string | null;
      bytes: number;
    };

export type FeedFetchErrorCode =
  | 'timeout'
  | 'too_large'
  | 'http_status'
  | 'too_many_redirects'
  | 'bad_redirect'
  | 'network'
  | 'unsupported_charset'
  | 'unsafe_url';

export class FeedFetchError extends Error {
  override readonly name = 'FeedFetchError';
  readonly status?: number;

  constructor(
    readonly code: FeedFetchErrorCode,
    message: string,
    options: { status?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    if (options.status !== undefined) this.status = options.status;
  }
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
export const DEFAULT_MAX_REDIRECTS = 5;
export const DEFAULT_USER_AGENT = 'Mozilla/5.0 (compatible; PolicyMonitor/0.1; +feed-monitor)';

const ACCEPT =
  'application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

function seconds(ms: number): string {
  return String(Number((ms / 1000).toFixed(3)));
}

function megabytes(bytes: number): string {
  return String(Number((bytes / (1024 * 1024)).toFixed(2)));
}

function tooLarge(maxBytes: number): FeedFetchError {
  return new FeedFetchError('too_large', `响应超过 ${megabytes(maxBytes)} MB 上限`);
}

function describeNetworkError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause;
  const causeText =
    cause instanceof Error ? cause.message : typeof cause === 'string' ? cause : '';
  return causeText && causeText !== err.message ? `${err.message}（${causeText}）` : err.message;
}

function unsafeCause(err: unknown): UnsafeUrlError | null {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) if (e instanceof UnsafeUrlError) return e;
  return null;
}

function isHttpUrl(url: URL): boolean {
  return url.protocol === 'http:' || url.protocol === 'https:';
}

/** Fire-and-forget: a body we do not want must be released, but its cancellation must never block us. */
function discard(body: ReadableStream<Uint8Array> | null): void {
  if (body && !body.locked) body.cancel().catch(() => {});
}

/**
 * Settles with p, or rejects as soon as the signal aborts, even if p never settles (a fetchImpl or
 * a stream that ignores the signal must not stretch the timeout). onLate receives a value that
 * arrives after the abort, so that it can be released.
 */
function abortable<T>(p: Promise<T>, signal: AbortSignal, onLate?: (value: T) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) onLate?.(value);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

/** What one outbound exchange sends: the feed fetcher's GET, or a channel's POST. */
interface ExchangeSpec {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /** Follow 3xx (feeds), or take a 3xx as the answer (webhooks: a redirect is a failure there). */
  followRedirects: boolean;
  /** Whether the body of an answer with this status is read (the rest are released unread). */
  wantsBody: (status: number) => boolean;
}

interface ExchangeResult {
  status: number;
  finalUrl: string;
  headers: Headers;
  /** The body, read to its end under maxBytes; null when wantsBody declined it. */
  bytes: Uint8Array | null;
}

/**
 * One HTTP exchange under the fetcher's rules: the URL guard before every request, a headers
 * timeout per request and a total timeout over everything (body included), manual redirects, and
 * a body counted as it streams in. Shared by feeds and notification channels: one outbound path.
 */
async function exchange(url: string, spec: ExchangeSpec, options: FetchFeedOptions): Promise<ExchangeResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const headersTimeoutMs = Math.min(options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS, timeoutMs);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const doFetch: typeof fetch =
    options.fetchImpl ?? ((input: Parameters<typeof fetch>[0], init?: RequestInit) => globalThis.fetch(input, init));

  let current: URL;
  try {
    current = new URL(url);
  } catch (err) {
    throw new FeedFetchError('network', `网络错误：无效的地址 ${url}`, { cause: err });
  }
  if (!isHttpUrl(current)) throw new FeedFetchError('network', `网络错误：只支持 http/https 地址（${current.protocol}）`);

  const headers: Record<string, string> = { 'User-Agent': options.userAgent ?? DEFAULT_USER_AGENT, ...spec.headers };

  // One controller for the whole operation; `expired` records which timer fired, so that the
  // resulting AbortError (from fetch or from the body reader) is reported as a timeout.
  const controller = new AbortController();
  let expired: 'total' | 'headers' | null = null;
  const totalTimer = setTimeout(() => {
    expired ??= 'total';
    controller.abort();
  }, timeoutMs);
  let headersTimer: ReturnType<typeof setTimeout> | undefined;

  try {
    let response: Response;
    for (let redirects = 0; ; redirects++) {
      // Vets the first URL and every redirect target before any byte is sent to it.
      if (options.checkUrl) await abortable(options.checkUrl(current.href), controller.signal);
      headersTimer = setTimeout(() => {
        expired ??= 'headers';
        controller.abort();
      }, headersTimeoutMs);
      response = await abortable(
        doFetch(current.href, {
          method: spec.method,
          headers,
          ...(spec.body !== undefined ? { body: spec.body } : {}),
          redirect: 'manual',
          signal: controller.signal,
        }),
        controller.signal,
        (late) => discard(late.body),
      );
      clearTimeout(headersTimer);
      headersTimer = undefined;

      if (response.type === 'opaqueredirect') {
        // A browser-style fetch hides the Location of a manual redirect: nothing we can follow.
        throw new FeedFetchError('bad_redirect', '重定向目标不可读取');
      }
      if (!spec.followRedirects || !REDIRECT_STATUSES.has(response.status)) break;

      discard(response.body);
      const location = response.headers.get('location');
      if (!location) throw new FeedFetchError('bad_redirect', `HTTP ${response.status} 重定向缺少 Location`, { status: response.status });
      if (redirects >= maxRedirects) throw new FeedFetchError('too_many_redirects', `重定向超过 ${maxRedirects} 次`);
      let next: URL;
      try {
        next = new URL(location, current);
      } catch (err) {
        throw new FeedFetchError('bad_redirect', `重定向地址无效：${location}`, { cause: err });
      }
      if (!isHttpUrl(next)) throw new FeedFetchError('bad_redirect', `重定向到不支持的地址：${location}`);
      current = next;
    }

    const result = { status: response.status, finalUrl: current.href, headers: response.headers };
    if (!spec.wantsBody(response.status)) {
      discard(response.body);
      return { ...result, bytes: null };
    }
    const declaredLength = Number(response.headers.get('content-length') ?? NaN);
    if (Number.isFinite(declaredLength) && declaredLength > maxBytes) {
      controller.abort();
      discard(response.body);
      throw tooLarge(maxBytes);
    }
    return { ...result, bytes: await readCapped(response.body, maxBytes, controller) };
  } catch (err) {
    if (expired === 'headers') {
      throw new FeedFetchError('timeout', `请求超时（${seconds(headersTimeoutMs)} 秒内未收到响应头）`, { cause: err });
    }
    if (expired === 'total') throw new FeedFetchError('timeout', `请求超时（${seconds(timeoutMs)} 秒）`, { cause: err });
    if (err instanceof FeedFetchError) throw err;
    // The guard's refusal, or the connection's own lookup refusing (fetch wraps it as a cause).
    const unsafe = unsafeCause(err);
    if (unsafe) throw new FeedFetchError('unsafe_url', unsafe.message, { cause: err });
    throw new FeedFetchError('network', `网络错误：${describeNetworkError(err)}`, { cause: err });
  } finally {
    clearTimeout(totalTimer);
    if (headersTimer !== undefined) clearTimeout(headersTimer);
  }
}

export async function fetchFeed(url: string, options: FetchFeedOptions = {}): Promise<FetchFeedResult> {
  const headers: Record<string, string> = { Accept: ACCEPT };
  if (options.etag) headers['If-None-Match'] = options.etag;
  if (options.lastModified) headers['If-Modified-Since'] = options.lastModified;
  const answer = await exchange(url, { method: 'GET', headers, followRedirects: true, wantsBody: isSuccess }, options);
  const { status, finalUrl } = answer;
  if (status === 304) return { kind: 'not_modified', status: 304, finalUrl };
  if (!answer.bytes) throw new FeedFetchError('http_status', `服务器返回 HTTP ${status}`, { status });
  const charset = detectCharset(answer.headers.get('content-type'), answer.bytes);
  return {
    kind: 'ok',
    status,
    finalUrl,
    text: decodeBody(answer.bytes, charset),
    charset,
    etag: answer.headers.get('etag'),
    lastModified: answer.headers.get('last-modified'),
    bytes: answer.bytes.byteLength,
  };
}

function isSuccess(status: number): boolean {
  return status >= 200 && status <= 299;
}

export interface PostResult {
  status: number;
  /** The answer's body as text (any status), cut at maxBytes. */
  text: string;
}

/**
 * POSTs a body (a notification to a robot or webhook) under the same guard, timeouts and size cap
 * as feeds. Redirects are not followed: a 3xx is returned as the answer, as Standard Webhooks
 * asks. Network failures and timeouts throw FeedFetchError, as for feeds.
 */
export async function postOutbound(
  url: string,
  body: string,
  options: FetchFeedOptions & { headers?: Record<string, string> } = {},
): Promise<PostResult> {
  const headers = { 'Content-Type': 'application/json; charset=utf-8', Accept: 'application/json, */*;q=0.5', ...options.headers };
  const answer = await exchange(url, { method: 'POST', headers, body, followRedirects: false, wantsBody: () => true }, options);
  const bytes = answer.bytes ?? new Uint8Array(0);
  return { status: answer.status, text: decodeBody(bytes, detectCharset(answer.headers.get('content-type'), bytes)) };
}

/** Reads a body chunk by chunk, giving up (and closing the connection) as soon as it exceeds maxBytes. */
async function readCapped(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
  controller: AbortController,
): Promise<Uint8Array> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await abortable(reader.read(), controller.signal);
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) throw tooLarge(maxBytes);
      chunks.push(value);
    }
  } catch (err) {
    // Too large, timed out or broken: close the connection and release the stream.
    controller.abort();
    reader.cancel().catch(() => {});
    throw err;
  } finally {
    reader.releaseLock();
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Charsets

/** Labels seen in the wild that the WHATWG Encoding Standard (and so TextDecoder) does not know. */
const EXTRA_ALIASES: Record<string, string> = {
  cp936: 'gbk',
  ms936: 'gbk',
  'windows-936': 'gbk',
  'euc-cn': 'gbk',
  'gb-2312': 'gbk',
  gb_2312_80: 'gbk',
  gb2312_80: 'gbk',
  cp950: 'big5',
  ms950: 'big5',
  'windows-950': 'big5',
  big5hkscs: 'big5',
  utf16: 'utf-16le',
  'utf-16-le': 'utf-16le',
  'utf-16-be': 'utf-16be',
  ucs2: 'utf-16le',
  'ucs-2': 'utf-16le',
};

/**
 * The canonical TextDecoder name for a charset label (`GB2312` → `gbk`, `"UTF8"` → `utf-8`), or
 * null when the runtime cannot decode it. The WHATWG label table does most of the work: it maps
 * gb2312, GB_2312-80, x-gbk, csgb2312… to the gbk decoder, and latin1/ascii to windows-1252.
 */
export function normalizeCharset(label: string): string | null {
  let l = label.trim().replace(/^["']+|["']+$/g, '').trim().toLowerCase();
  if (!l) return null;
  l = EXTRA_ALIASES[l] ?? l;
  try {
    const encoding = new TextDecoder(l).encoding;
    // "replacement" (hz-gb-2312, iso-2022-kr…) decodes any input to a single U+FFFD.
    return encoding === 'replacement' ? null : encoding;
  } catch {
    return null;
  }
}

function latin1(bytes: Uint8Array, limit: number): string {
  const end = Math.min(bytes.length, limit);
  let s = '';
  for (let i = 0; i < end; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

const HEADER_CHARSET_RE = /;\s*charset\s*=\s*("[^"]*"|'[^']*'|[^;,\s]+)/i;
const XML_DECL_RE = /^\s*<\?xml\s[^>]*?\bencoding\s*=\s*(["'])([^"']*)\1/i;
const META_CHARSET_RE = /<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([^"'\s;/>]+)/i;

/**
 * The charset to decode a feed body with: a BOM (UTF-8, UTF-16 LE/BE) wins over the HTTP
 * Content-Type charset, which wins over the XML declaration's encoding, then an HTML
 * `<meta charset>`, then UTF-8. A declaration this runtime cannot decode is skipped in favour of
 * the next one; if nothing decodable is declared but something was, that first label is returned
 * as given so that decodeBody reports it as unsupported rather than guessing.
 */
export function detectCharset(contentType: string | null, bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';

  const declared: string[] = [];
  const header = contentType ? HEADER_CHARSET_RE.exec(contentType) : null;
  if (header) declared.push(header[1]!);

  // XML appendix F: UTF-16 without a BOM still starts with "<?" in two-byte units.
  if (!header && bytes[0] === 0x3c && bytes[1] === 0x00 && bytes[2] === 0x3f && bytes[3] === 0x00) return 'utf-16le';
  if (!header && bytes[0] === 0x00 && bytes[1] === 0x3c && bytes[2] === 0x00 && bytes[3] === 0x3f) return 'utf-16be';

  const head = latin1(bytes, 1024);
  const xmlDecl = XML_DECL_RE.exec(head);
  if (xmlDecl) declared.push(xmlDecl[2]!);
  const meta = META_CHARSET_RE.exec(head);
  if (meta) declared.push(meta[1]!);

  for (const label of declared) {
    const normalized = normalizeCharset(label);
    if (normalized) return normalized;
  }
  const first = declared.map((l) => l.trim().replace(/^["']+|["']+$/g, '').trim()).find((l) => l !== '');
  return first ?? 'utf-8';
}

/** Decodes a body with a charset label; a leading BOM is dropped. Unknown label → unsupported_charset. */
export function decodeBody(bytes: Uint8Array, charset: string): string {
  const encoding = normalizeCharset(charset);
  if (!encoding) throw new FeedFetchError('unsupported_charset', `不支持的字符编码：${charset}`);
  // TextDecoder (ignoreBOM: false) drops a BOM of its own encoding; any U+FEFF still leading goes too.
  let text = new TextDecoder(encoding).decode(bytes);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text;
}
