import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

// Fake DingTalk, WeCom, Feishu and webhook endpoints on 127.0.0.1 for the notification tests.
// Each checks what the real platform checks, written here from the platforms' documentation with
// node:crypto (not with the code under test): DingTalk's 加签 (HMAC-SHA256 keyed by the secret over
// "timestamp\n secret", base64, URL-encoded, timestamp in ms within an hour), Feishu's signature
// (HMAC-SHA256 keyed by "timestamp\n secret" over an empty message, in the body, seconds), the
// robots' keywords, and Standard Webhooks (v1 HMAC over "id.timestamp.body", 5-minute tolerance).
// They answer as the platforms do: HTTP 200 with an error code for most refusals.

export type Kind = 'dingtalk' | 'wecom' | 'feishu' | 'webhook';

/** What a robot does with the next request: answer normally, or one of the failures. */
export type Behaviour =
  | 'ok'
  | 'hang'
  | { http: number; body?: string }
  /** HTTP 200 carrying this platform error code. */
  | { code: number; message: string };

export interface Received {
  kind: Kind;
  token: string;
  headers: IncomingHttpHeaders;
  query: URLSearchParams;
  raw: string;
  body: any;
  /** What this robot answered (after its checks). */
  answered: string;
}

export interface Robot {
  kind: Kind;
  token: string;
  url: string;
  secret?: string;
  keyword?: string;
  /** Feishu before 2021 answered {StatusCode, StatusMessage}. */
  legacy?: boolean;
  /** Answers for the next requests, in order; then `behaviour`. */
  next: Behaviour[];
  behaviour: Behaviour;
  /** Requests that passed every check and were accepted. */
  accepted: Received[];
  /** Every request, accepted or not. */
  all: Received[];
}

export interface Platforms {
  robot(kind: Kind, token: string, options?: { secret?: string; keyword?: string; legacy?: boolean; behaviour?: Behaviour }): Robot;
  /** A URL no robot answers to (an unknown token / key / path). */
  unknownUrl(kind: Kind): string;
  close(): Promise<void>;
}

const HOUR = 3_600_000;

function hmacBase64(key: Buffer | string, message: string): string {
  return createHmac('sha256', key).update(message, 'utf8').digest('base64');
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `now` is the clock the platforms judge timestamps by (the tests pin the service's clock). */
export async function startPlatforms(now: () => number): Promise<Platforms> {
  const robots = new Map<string, Robot>();
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const raw = Buffer.concat(chunks).toString('utf8');
      const [, kind, ...rest] = url.pathname.split('/') as [string, Kind, ...string[]];
      const token = kind === 'dingtalk' ? url.searchParams.get('access_token') ?? '' : kind === 'wecom' ? url.searchParams.get('key') ?? '' : rest.at(-1) ?? '';
      const robot = robots.get(`${kind}:${token}`);
      let body: any = null;
      try {
        body = JSON.parse(raw);
      } catch {
        /* judged below */
      }
      const received: Received = { kind, token, headers: req.headers, query: url.searchParams, raw, body, answered: '' };
      const answer = (status: number, payload: unknown) => {
        const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
        received.answered = `${status} ${text}`;
        res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' }).end(text);
      };
      robot?.all.push(received);
      handle(kind, robot, received, answer);
    });
  });

  function handle(kind: Kind, robot: Robot | undefined, r: Received, answer: (status: number, payload: unknown) => void) {
    const t = now();
    if (kind === 'dingtalk') {
      if (!robot) return answer(200, { errcode: 300001, errmsg: 'token is not exist' });
      if (robot.secret) {
        const ts = Number(r.query.get('timestamp'));
        const sign = r.query.get('sign') ?? '';
        if (!Number.isFinite(ts) || Math.abs(t - ts) > HOUR) return answer(200, { errcode: 310000, errmsg: 'invalid timestamp' });
        if (!same(sign, hmacBase64(robot.secret, `${ts}\n${robot.secret}`))) return answer(200, { errcode: 310000, errmsg: 'sign not match' });
      }
      const text = `${r.body?.markdown?.title ?? ''}\n${r.body?.markdown?.text ?? r.body?.text?.content ?? ''}`;
      if (robot.keyword && !text.includes(robot.keyword)) return answer(200, { errcode: 310000, errmsg: 'keywords not in content' });
      if (Buffer.byteLength(r.raw) > 20000) return answer(200, { errcode: 460101, errmsg: 'message too long, exceed 20000 bytes' });
      return behave(robot, r, answer, { errcode: 0, errmsg: 'ok' }, (code, message) => ({ errcode: code, errmsg: message }));
    }
    if (kind === 'wecom') {
      if (!robot) return answer(200, { errcode: 93000, errmsg: 'invalid webhook url, hint: [1700000000_1_x]' });
      const content = r.body?.markdown?.content;
      if (typeof content === 'string' && Buffer.byteLength(content) > 4096) {
        return answer(200, { errcode: 40058, errmsg: 'markdown.content exceed max length 4096' });
      }
      return behave(robot, r, answer, { errcode: 0, errmsg: 'ok' }, (code, message) => ({ errcode: code, errmsg: message }));
    }
    if (kind === 'feishu') {
      if (!robot) return answer(200, { code: 19001, msg: 'param invalid: incoming webhook access token invalid', data: {} });
      if (robot.secret) {
        const ts = Number(r.body?.timestamp);
        const expected = hmacBase64(`${ts}\n${robot.secret}`, '');
        if (!Number.isFinite(ts) || Math.abs(t / 1000 - ts) > 3600 || !same(String(r.body?.sign ?? ''), expected)) {
          return answer(200, { code: 19021, msg: 'sign match fail or timestamp is not within one hour from current time', data: {} });
        }
      }
      const post = r.body?.content?.post?.zh_cn;
      const text = `${post?.title ?? ''}\n${JSON.stringify(post?.content ?? [])}`;
      if (robot.keyword && !text.includes(robot.keyword)) return answer(200, { code: 19024, msg: 'Key Words Not Found', data: {} });
      const ok = robot.legacy ? { StatusCode: 0, StatusMessage: 'success' } : { code: 0, msg: 'success', data: {} };
      return behave(robot, r, answer, ok, (code, message) => ({ code, msg: message, data: {} }));
    }
    // Standard Webhooks receiver.
    if (!robot) return answer(404, { error: 'no such endpoint' });
    if (robot.secret) {
      const id = String(r.headers['webhook-id'] ?? '');
      const ts = Number(r.headers['webhook-timestamp']);
      const key = Buffer.from(robot.secret.replace(/^whsec_/, ''), 'base64');
      const expected = hmacBase64(key, `${id}.${ts}.${r.raw}`);
      const offered = String(r.headers['webhook-signature'] ?? '').split(' ').filter((s) => s.startsWith('v1,')).map((s) => s.slice(3));
      if (!id || !Number.isFinite(ts) || Math.abs(t / 1000 - ts) > 300 || !offered.some((sig) => same(sig, expected))) {
        return answer(401, { error: 'invalid signature' });
      }
    }
    return behave(robot, r, answer, { ok: true }, (code, message) => ({ error: message, code }));
  }

  function behave(
    robot: Robot,
    r: Received,
    answer: (status: number, payload: unknown) => void,
    ok: unknown,
    error: (code: number, message: string) => unknown,
  ) {
    const b = robot.next.shift() ?? robot.behaviour;
    if (b === 'hang') return; // never answers; close() ends the socket
    if (b === 'ok') {
      robot.accepted.push(r);
      return answer(200, ok);
    }
    if ('http' in b) return answer(b.http, b.body ?? '{"error":"server error"}');
    return answer(200, error(b.code, b.message));
  }

  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const urlOf = (kind: Kind, token: string) =>
    kind === 'dingtalk'
      ? `${base}/dingtalk/robot/send?access_token=${token}`
      : kind === 'wecom'
        ? `${base}/wecom/cgi-bin/webhook/send?key=${token}`
        : kind === 'feishu'
          ? `${base}/feishu/open-apis/bot/v2/hook/${token}`
          : `${base}/webhook/${token}`;
  return {
    robot(kind, token, options = {}) {
      const robot: Robot = { kind, token, url: urlOf(kind, token), next: [], behaviour: options.behaviour ?? 'ok', accepted: [], all: [], ...options };
      robots.set(`${kind}:${token}`, robot);
      return robot;
    },
    unknownUrl: (kind) => urlOf(kind, 'no-such-robot-0000'),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
