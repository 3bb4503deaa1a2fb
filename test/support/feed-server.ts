import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { expect } from 'vitest';
import { FeedFetchError } from '../../src/app/monitoring/fetch-feed.js';

/**
 * A real HTTP server on 127.0.0.1 (random port) for the feed fetcher tests. Routes map a path
 * (query string ignored) to a handler; the helpers below build the usual ones. close() destroys
 * every socket, so a handler that never answers cannot keep the test process alive.
 */
export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface RecordedRequest {
  path: string;
  headers: IncomingHttpHeaders;
}

export interface FeedServer {
  url(path: string): string;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startFeedServer(routes: Record<string, Handler>): Promise<FeedServer> {
  const sockets = new Set<Socket>();
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    requests.push({ path, headers: req.headers });
    const handler = routes[path];
    if (!handler) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
      return;
    }
    handler(req, res);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// Handlers

export function send(body: Uint8Array | string, headers: Record<string, string> = {}, status = 200): Handler {
  return (_req, res) => {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
    res.writeHead(status, { 'Content-Length': String(bytes.byteLength), ...headers }).end(bytes);
  };
}

export function status(code: number, body = `HTTP ${code}`): Handler {
  return send(body, { 'Content-Type': 'text/plain; charset=utf-8' }, code);
}

/** Sends the body with its validators, or 304 when the request's If-None-Match / If-Modified-Since matches. */
export function conditional(opts: {
  body: Uint8Array | string;
  headers?: Record<string, string>;
  etag?: string;
  lastModified?: string;
}): Handler {
  const validators: Record<string, string> = {
    ...(opts.etag ? { ETag: opts.etag } : {}),
    ...(opts.lastModified ? { 'Last-Modified': opts.lastModified } : {}),
  };
  const full = send(opts.body, { ...opts.headers, ...validators });
  return (req, res) => {
    const inm = req.headers['if-none-match'];
    const ims = req.headers['if-modified-since'];
    const etagMatches = opts.etag !== undefined && inm !== undefined && inm.split(/\s*,\s*/).includes(opts.etag);
    const dateMatches =
      inm === undefined &&
      opts.lastModified !== undefined &&
      ims !== undefined &&
      Date.parse(ims) >= Date.parse(opts.lastModified);
    if (etagMatches || dateMatches) {
      res.writeHead(304, validators).end();
      return;
    }
    full(req, res);
  };
}

export function redirect(location: string, code = 302): Handler {
  return (_req, res) => {
    res.writeHead(code, { Location: location, 'Content-Length': '0' }).end();
  };
}

/** Accepts the request and never answers. */
export function hang(): Handler {
  return () => {};
}

export interface StreamStats {
  bytesWritten: number;
  /** The whole body was written. */
  finished: boolean;
  /** The connection closed before the body was complete. */
  aborted: boolean;
}

/**
 * Streams totalBytes of XML-ish filler in chunks, respecting back-pressure, and stops writing as
 * soon as the client goes away. Without contentLength the body is chunked (no Content-Length).
 */
export function huge(opts: { totalBytes: number; chunkBytes?: number; contentLength?: boolean; stats: StreamStats }): Handler {
  const chunk = Buffer.alloc(opts.chunkBytes ?? 64 * 1024, 'x');
  return (_req, res) => {
    const stats = opts.stats;
    res.on('close', () => {
      if (!stats.finished) stats.aborted = true;
    });
    res.writeHead(200, {
      'Content-Type': 'application/rss+xml; charset=utf-8',
      ...(opts.contentLength ? { 'Content-Length': String(opts.totalBytes) } : {}),
    });
    const pump = () => {
      while (stats.bytesWritten < opts.totalBytes) {
        if (res.destroyed || stats.aborted) return;
        const n = Math.min(chunk.byteLength, opts.totalBytes - stats.bytesWritten);
        stats.bytesWritten += n;
        if (!res.write(n === chunk.byteLength ? chunk : chunk.subarray(0, n))) {
          res.once('drain', pump);
          return;
        }
      }
      stats.finished = true;
      res.end();
    };
    pump();
  };
}

/** Sends the headers at once, then one small piece of body every intervalMs, forever (until the client leaves). */
export function trickle(intervalMs: number): Handler {
  return (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=utf-8' });
    res.write('<?xml version="1.0"?>\n<rss version="2.0"><channel>');
    const timer = setInterval(() => res.write('<!-- … -->'), intervalMs);
    res.on('close', () => clearInterval(timer));
  };
}

export function newStreamStats(): StreamStats {
  return { bytesWritten: 0, finished: false, aborted: false };
}

/** The FeedFetchError a promise rejects with (fails the test if it resolves or rejects otherwise). */
export async function fetchError(promise: Promise<unknown>): Promise<FeedFetchError> {
  const err = await promise.then(
    (value) => {
      throw new Error(`expected a FeedFetchError, got ${JSON.stringify(value)}`);
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FeedFetchError);
  return err as FeedFetchError;
}
