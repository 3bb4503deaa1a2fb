import { request, Agent } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTempService } from '../../support/service-process.js';

// A keep-alive client sends a request that the service answers before reading its body (over the
// 1 MB cap, or refused before the body matters), then a second request on the same agent. The
// second must get its answer: the first either drains the body or says `Connection: close`.
const TOKEN = 'keep-alive-test-token-0123456789';
let service: Awaited<ReturnType<typeof startTempService>>['service'];
let close: () => Promise<void>;
beforeAll(async () => {
  ({ service, close } = await startTempService(TOKEN));
});
afterAll(() => close());

function send(agent: Agent, method: string, path: string, body: Buffer | null, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; connection: string | undefined; text: string }>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: service.port, method, path, agent, headers: { 'Content-Type': 'application/json', ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection, text }));
      },
    );
    // The server may answer and close before the whole body is written: that is not the failure looked for.
    req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' ? undefined : reject(err)));
    if (body) req.write(body);
    req.end();
  });
}

describe('early answers to requests with a body', () => {
  const overCap = Buffer.alloc(5 * 1024 * 1024, 'a');
  const underCap = Buffer.alloc(900 * 1024, 'a');
  const cases: [string, string, string, Buffer, Record<string, string>, number][] = [
    ['a body over the cap', 'POST', '/api/departments', overCap, { Authorization: `Bearer ${TOKEN}` }, 413],
    ['no credentials', 'POST', '/api/departments', underCap, {}, 401],
    ['an unknown path', 'POST', '/api/no-such-thing', underCap, { Authorization: `Bearer ${TOKEN}` }, 404],
  ];
  for (const [name, method, path, big, headers, status] of cases) {
    it(`when a large request gets an early answer (${name}), then the client's next request on the same agent succeeds`, async () => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const first = await send(agent, method, path, big, headers);
        expect(first.status).toBe(status);
        // Either the connection stays usable, or the answer said it would close.
        const second = await send(agent, 'GET', '/health', null);
        expect(second.status).toBe(200);
        expect(JSON.parse(second.text)).toEqual({ ok: true });
        if (first.connection !== 'close') expect(first.connection).toBe('keep-alive');
      } finally {
        agent.destroy();
      }
    });
  }

  it('when a small request is answered after reading its body, then the connection is kept alive', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await send(agent, 'POST', '/api/departments', Buffer.from(JSON.stringify({ code: 'ka', name: '测试部门' })), { Authorization: `Bearer ${TOKEN}` });
      expect(first.status).toBe(201);
      expect(first.connection).toBe('keep-alive');
      expect((await send(agent, 'GET', '/health', null)).status).toBe(200);
    } finally {
      agent.destroy();
    }
  });
});

/** Writes raw bytes to the service and reads until it closes the connection. */
function raw(bytes: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(service.port, '127.0.0.1', () => socket.write(bytes));
    const chunks: Buffer[] = [];
    socket.on('data', (d) => chunks.push(d));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
  });
}

describe('requests the HTTP parser refuses', () => {
  it('when an address carries Chinese typed raw (not percent-encoded), then 400 with a JSON error that says to encode it', async () => {
    const answer = await raw(Buffer.from(`GET /api/documents?q=营商 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\n\r\n`, 'utf8'));
    const [head, body] = answer.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(head).toContain('Content-Type: application/json; charset=utf-8');
    expect(JSON.parse(body!)).toEqual({ error: { code: 'bad_request', message: expect.stringContaining('百分号编码') } });
  });

  it('when a request line or header is malformed, or the headers are too large, then a 4xx with a JSON error', async () => {
    const bad = await raw(Buffer.from('GET / HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n'));
    expect(bad).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(bad.split('\r\n\r\n')[1]!).error.code).toBe('bad_request');
    const huge = await raw(Buffer.from(`GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(70_000)}\r\n\r\n`));
    expect(huge).toMatch(/^HTTP\/1\.1 431 /);
    expect(JSON.parse(huge.split('\r\n\r\n')[1]!)).toEqual({ error: { code: 'bad_request', message: '请求头过大' } });
    // The service goes on answering.
    expect((await fetch(`http://127.0.0.1:${service.port}/health`)).status).toBe(200);
  });
});

