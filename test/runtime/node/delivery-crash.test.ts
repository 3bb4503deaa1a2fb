import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { readEnv } from '../../../src/runtime/node/env.js';
import { startService } from '../../../src/runtime/node/service.js';
import { tempDir } from '../../support/app.js';
import { spawnService } from '../../support/service-process.js';

// kill -9 in the middle of a send, then a restart on the same database: the message in flight is
// shown as interrupted (not sent again on its own), the ones queued behind it go out once each.
const TOKEN = 'crash-test-admin-token-0123456789';

describe('notifications across kill -9', () => {
  it('when the service dies while a message is being sent, then after a restart nothing is lost or sent twice', async () => {
    await crashWhileSending({ held: 1 });
  }, 60_000);

  it('when the service dies while a later message of the same run is being sent, then the earlier one stays sent and the rest go out once', async () => {
    // The first answer is recorded in the same commit that claims the second: killed while the
    // second is in flight, the first is sent, the second interrupted, the third still pending.
    await crashWhileSending({ held: 2 });
  }, 60_000);
});

async function crashWhileSending({ held: heldRequest }: { held: 1 | 2 }) {
  // A webhook receiver that holds the `heldRequest`-th request without answering (those before it
  // are answered 200), then, after the restart, answers 200.
  const received: string[] = [];
  let hold = true;
  let firstArrived!: () => void;
  const arrived = new Promise<void>((resolve) => (firstArrived = resolve));
  const held: ServerResponse[] = [];
  const sockets = new Set<Socket>();
  const receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received.push(String(req.headers['webhook-id']));
      if (hold && received.length === heldRequest) {
        held.push(res);
        firstArrived();
        return;
      }
      res.writeHead(200).end('{}');
    });
  });
  receiver.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

  const { dir, cleanup } = tempDir();
  const env = { PORT: '0', HOST: '127.0.0.1', DB_PATH: `${dir}/app.sqlite`, ADMIN_TOKEN: TOKEN, ALLOW_PRIVATE_URLS: '1' };
  const { child, output, port: started } = spawnService({ ...env, SCHEDULER: heldRequest === 1 ? 'on' : 'off' });
  let restarted: Awaited<ReturnType<typeof startService>> | undefined;
  try {
    const port = await started;
    const api = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`http://127.0.0.1:${port}${path}`, {
        method,
        headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return res.json() as Promise<any>;
    };
    await api('POST', '/api/channels', { name: '业务系统', kind: 'webhook', url: hookUrl });
    // Each incident records an alert; with SCHEDULER=on the service starts sending at once, with
    // it off the three go out in one run (which never answers: it is killed).
    for (const title of ['事件一', '事件二', '事件三']) await api('POST', '/api/incidents', { title, severity: 'general' });
    if (heldRequest === 2) void api('POST', '/api/jobs/deliver').catch(() => undefined);
    await arrived;
    const ids = (await api('GET', '/api/deliveries')).items.map((d: any) => [d.id, d.status]);
    expect(ids.map((x: any) => x[1]).sort()).toEqual(heldRequest === 1 ? ['pending', 'pending', 'sending'] : ['pending', 'sending', 'sent']);

    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;

    hold = false;
    restarted = await startService(readEnv({ ...env, SCHEDULER: 'off' }));
    const res = await fetch(`http://127.0.0.1:${restarted.port}/api/jobs/deliver`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(await res.json()).toEqual({ sent: 3 - heldRequest, failed: 0, merged: 0 });
    const after = await fetch(`http://127.0.0.1:${restarted.port}/api/deliveries`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    const list = ((await after.json()) as { items: any[] }).items;
    const interrupted = list.find((d) => d.status === 'dead')!;
    expect(list.map((d) => d.status).sort()).toEqual(['dead', 'sent', 'sent']);
    expect(interrupted.lastError).toContain('服务中断');
    // Each delivery reached the receiver exactly once, the interrupted one included.
    expect(received.sort()).toEqual(list.map((d) => String(d.id)).sort());
  } catch (err) {
    throw new Error(`${String(err)}\n${output()}`);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await restarted?.close();
    for (const r of held) r.destroy();
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => receiver.close(resolve));
    cleanup();
  }
}
