import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { readTurns } from '../../../src/runtime/node/read-turns.js';

// Reads take turns, writes do not wait for them (issue 15: a write's p99 under 50 reading
// connections). Order of completion only: no timing is asserted.

function gatedApp(holdMs = 60_000) {
  const log: string[] = [];
  const gates = new Map<string, () => void>();
  const app = new Hono();
  app.use('*', readTurns(holdMs));
  app.get('/read/:name', async (c) => {
    const name = c.req.param('name');
    log.push(`start ${name}`);
    await new Promise<void>((resolve) => gates.set(name, resolve));
    log.push(`end ${name}`);
    return c.text(name);
  });
  app.post('/write', (c) => {
    log.push('write');
    return c.text('written');
  });
  return { app, log, open: (name: string) => gates.get(name)?.() };
}

const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((r) => setImmediate(r));
};

describe('readTurns', () => {
  it('when a read is being served, then the next read waits for it and a write does not', async () => {
    const { app, log, open } = gatedApp();
    const first = app.request('/read/a');
    const second = app.request('/read/b');
    await until(() => log.includes('start a'));
    expect(await (await app.request('/write', { method: 'POST' })).text()).toBe('written');
    expect(log).toEqual(['start a', 'write']);
    open('a');
    expect(await (await first).text()).toBe('a');
    await until(() => log.includes('start b'));
    open('b');
    expect(await (await second).text()).toBe('b');
    expect(log).toEqual(['start a', 'write', 'end a', 'start b', 'end b']);
  });

  it('when a read fails, then the next one still gets its turn', async () => {
    const app = new Hono();
    app.use('*', readTurns());
    app.get('/fail', () => {
      throw new Error('boom');
    });
    app.get('/ok', (c) => c.text('ok'));
    app.onError((_err, c) => c.text('failed', 500));
    expect((await app.request('/fail')).status).toBe(500);
    expect(await (await app.request('/ok')).text()).toBe('ok');
  });

  it('when a read holds its turn longer than the limit, then the next read goes ahead', async () => {
    const { app, log, open } = gatedApp(1);
    const first = app.request('/read/a');
    const second = app.request('/read/b');
    await until(() => log.includes('start b'));
    expect(log).toEqual(['start a', 'start b']);
    open('a');
    open('b');
    expect([await (await first).text(), await (await second).text()]).toEqual(['a', 'b']);
  });
});
