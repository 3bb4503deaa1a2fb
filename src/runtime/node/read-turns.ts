import type { MiddlewareHandler } from 'hono';

/**
 * Reads take turns, writes do not wait for them (Node; SPEC §9, issue 15). better-sqlite3 runs
 * each query on the one event loop, so 50 connections reading at once used to queue a write
 * behind every read that had arrived before it (a write's p99 20× its p99 alone). Here a GET or
 * HEAD waits for the read before it to finish, then for one turn of the event loop
 * (setImmediate), in which the loop polls its sockets again and runs whatever else has arrived
 * — a write at once. A write thus waits for at most the one read being served. A read that
 * awaits something slow gives its turn away after `holdMs` rather than holding the others up.
 */
export function readTurns(holdMs = 50): MiddlewareHandler {
  let tail: Promise<void> = Promise.resolve();
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    const previous = tail;
    let release!: () => void;
    tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    await new Promise<void>((resolve) => setImmediate(resolve));
    const timer = setTimeout(release, holdMs);
    try {
      await next();
    } finally {
      clearTimeout(timer);
      release();
    }
  };
}
