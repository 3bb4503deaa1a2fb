// Notification delivery (SPEC §9): 1,000 due deliveries sent by the outbox sender (deliverDue:
// claim, compose, sign, POST through the outbound guard, record) vs bare `fetch` POSTs of the very
// same requests (URL, headers, body, as the receiver saw them) to the same local server, with the
// same number of parallel workers, each sequential. 50 channels × 20 deliveries: the 20-a-minute
// rule is reached but not broken, so no digest is involved.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { ADMIN_TOKEN_ACTOR } from '../src/app/accounts/actor.js';
import { createAppContext, DEFAULT_CONFIG } from '../src/app/create-context.js';
import { createIncident } from '../src/app/incidents.js';
import { createChannel } from '../src/app/notifications/channels.js';
import { deliverDue } from '../src/app/notifications/sender.js';
import type { Severity } from '../src/domain/deadlines/response-policy.js';
import type { Database } from '../src/db/database.js';
import { departments } from '../src/db/schema.js';
import { scryptPasswords } from '../src/runtime/scrypt-passwords.js';
import { openSqlite } from '../src/runtime/node/sqlite.js';
import { nodeUrlGuard } from '../src/runtime/node/url-guard.js';

const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 2 });
const PUBLIC_URL = 'https://zwgk.example.gov.cn';
const PER_CHANNEL = 20; // the most a channel may take in a minute (SPEC §10)
const SEVERITIES: Severity[] = ['general', 'large', 'major', 'especially_major'];

/** A request as the receiver saw it, replayable by bare fetch. */
interface Captured {
  path: string;
  headers: Record<string, string>;
  body: string;
}

interface Robot {
  kind: 'dingtalk' | 'webhook';
  secret: string;
  /** Every request that reached this robot, accepted or not. */
  requests: number;
  /** Those that passed its checks. */
  accepted: number;
}

const hmac = (key: Buffer | string, message: string) => createHmac('sha256', key).update(message, 'utf8').digest('base64');
const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * A local receiver on 127.0.0.1 that answers as the platforms do: DingTalk robots at
 * /robot/send?access_token=… checking 加签 and answering {"errcode":0,"errmsg":"ok"}; Standard
 * Webhooks receivers at /hooks/<token> checking the v1 signature and answering 200. Every request
 * is read in full and parsed, whoever sends it.
 */
async function startReceiver() {
  const robots = new Map<string, Robot>();
  const sockets = new Set<Socket>();
  let capture: Captured[] | null = null;
  let badSignatures = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const answer = (status: number, body: string) => res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' }).end(body);
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        return answer(400, '{"error":"invalid json"}');
      }
      if (capture) capture.push({ path: `${url.pathname}${url.search}`, headers: pick(req.headers), body: raw });
      if (url.pathname === '/robot/send') {
        const robot = robots.get(url.searchParams.get('access_token') ?? '');
        if (!robot) return answer(200, '{"errcode":300001,"errmsg":"token is not exist"}');
        robot.requests++;
        const ts = url.searchParams.get('timestamp') ?? '';
        if (!same(url.searchParams.get('sign') ?? '', hmac(robot.secret, `${ts}\n${robot.secret}`))) {
          badSignatures++;
          return answer(200, '{"errcode":310000,"errmsg":"sign not match"}');
        }
        if (typeof (parsed as { markdown?: { text?: unknown } }).markdown?.text !== 'string') return answer(200, '{"errcode":40035,"errmsg":"缺少参数 json"}');
        robot.accepted++;
        return answer(200, '{"errcode":0,"errmsg":"ok"}');
      }
      const robot = url.pathname.startsWith('/hooks/') ? robots.get(url.pathname.slice('/hooks/'.length)) : undefined;
      if (!robot) return answer(404, '{"error":"not found"}');
      robot.requests++;
      const key = Buffer.from(robot.secret.slice('whsec_'.length), 'base64');
      const expected = `v1,${hmac(key, `${req.headers['webhook-id']}.${req.headers['webhook-timestamp']}.${raw}`)}`;
      if (!String(req.headers['webhook-signature'] ?? '').split(' ').some((s) => same(s, expected))) {
        badSignatures++;
        return answer(401, '{"error":"invalid signature"}');
      }
      robot.accepted++;
      return answer(200, '{"ok":true}');
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    robots,
    get badSignatures() {
      return badSignatures;
    },
    /** Starts keeping every request, for bare fetch to replay; returns what was kept. */
    capture(): Captured[] {
      capture = [];
      return capture;
    },
    stopCapture() {
      capture = null;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function pick(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ['content-type', 'accept', 'user-agent', 'webhook-id', 'webhook-timestamp', 'webhook-signature']) {
    const v = headers[name];
    if (typeof v === 'string') out[name] = v;
  }
  return out;
}

type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/**
 * A fresh service database (a temp file, WAL, migrated) with `departmentCount` departments, each
 * followed by a DingTalk group (加签; some with a keyword, some mentioning the duty officer) and a
 * webhook (whsec_ secret), both filtered to that department, and 20 incidents opened in each:
 * every incident_opened alert fans out (DB trigger) to its department's two channels.
 */
async function seed(receiver: Receiver, dir: string, name: string, departmentCount: number) {
  const db = openSqlite(join(dir, `${name}.sqlite`));
  const ctx = createAppContext({
    db,
    now: () => Date.now(),
    config: { publicUrl: PUBLIC_URL },
    passwords: scryptPasswords({ N: 2 ** 10 }),
    urlGuard: nodeUrlGuard({ allowPrivate: true }),
  });
  const codes = Array.from({ length: departmentCount }, (_, i) => `d${String(i).padStart(2, '0')}`);
  await db.orm.insert(departments).values(codes.map((code, i) => ({ code, name: `市第${i + 1}委办局`, createdAt: 0 })));
  const tokens: string[] = [];
  for (const [i, code] of codes.entries()) {
    const dd = `${name}-dd-${i}-${randomBytes(16).toString('hex')}`;
    const ddSecret = `SEC${randomBytes(32).toString('hex')}`;
    receiver.robots.set(dd, { kind: 'dingtalk', secret: ddSecret, requests: 0, accepted: 0 });
    await createChannel(ctx, ADMIN_TOKEN_ACTOR, {
      name: `${name} 钉钉值班群 ${i}`,
      kind: 'dingtalk',
      url: `${receiver.base}/robot/send?access_token=${dd}`,
      secret: ddSecret,
      ...(i % 3 === 0 ? { keyword: '舆情' } : {}),
      ...(i % 4 === 0 ? { mentionMobiles: [`1380000${String(i).padStart(4, '0')}`] } : {}),
      departmentCodes: [code],
    });
    const wh = `${name}-wh-${i}-${randomBytes(12).toString('hex')}`;
    const whSecret = `whsec_${randomBytes(32).toString('base64')}`;
    receiver.robots.set(wh, { kind: 'webhook', secret: whSecret, requests: 0, accepted: 0 });
    await createChannel(ctx, ADMIN_TOKEN_ACTOR, {
      name: `${name} 业务系统 ${i}`,
      kind: 'webhook',
      url: `${receiver.base}/hooks/${wh}`,
      secret: whSecret,
      ...(i % 2 === 0 ? { alertTypes: ['incident_opened', 'commitment_missed'] } : {}),
      departmentCodes: [code],
    });
    tokens.push(dd, wh);
  }
  for (let n = 0; n < PER_CHANNEL; n++) {
    for (const [i, code] of codes.entries()) {
      await createIncident(ctx, ADMIN_TOKEN_ACTOR, {
        title: `某区第${n + 1}起网民反映事项：${code}辖区${['噪声扰民', '学校周边交通拥堵', '小区供暖不达标', '农民工工资拖欠'][(n + i) % 4]}`,
        severity: SEVERITIES[(n + i) % SEVERITIES.length]!,
        departmentCode: code,
      });
    }
  }
  const pending = await countDeliveries(ctx.db, 'pending');
  const expected = departmentCount * 2 * PER_CHANNEL;
  if (pending !== expected) throw new Error(`${name}: ${pending} deliveries due, expected ${expected}`);
  return { db, ctx, tokens, expected };
}

async function countDeliveries(db: Database, status: string): Promise<number> {
  const [row] = await db.orm.all<{ n: number }>(sql`SELECT COUNT(*) AS n FROM deliveries WHERE status = ${status}`);
  return Number(row?.n ?? 0);
}

/** The captured requests again, with bare fetch: `workers` in parallel, each one after another. */
async function replay(base: string, requests: Captured[], workers: number): Promise<number> {
  let next = 0;
  let failures = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let i = next++; i < requests.length; i = next++) {
        const r = requests[i]!;
        const res = await fetch(`${base}${r.path}`, { method: 'POST', headers: r.headers, body: r.body });
        const text = await res.text();
        if (!res.ok || (r.path.startsWith('/robot/send') && !text.includes('"errcode":0'))) failures++;
      }
    }),
  );
  const ms = performance.now() - start;
  if (failures > 0) throw new Error(`bare fetch: ${failures} of ${requests.length} requests refused`);
  return ms;
}

/** One sender round: seed, then time deliverDue alone; checks every delivery went out singly. */
async function senderRound(receiver: Receiver, dir: string, name: string, departmentCount: number) {
  const { db, ctx, tokens, expected } = await seed(receiver, dir, name, departmentCount);
  const captured = receiver.capture();
  const start = performance.now();
  const report = await deliverDue(ctx);
  const ms = performance.now() - start;
  receiver.stopCapture();
  const sent = await countDeliveries(db, 'sent');
  const merged = await countDeliveries(db, 'merged');
  const robots = tokens.map((t) => receiver.robots.get(t)!);
  const perChannel = robots.map((r) => r.requests);
  if (robots.some((r) => r.accepted !== r.requests)) throw new Error(`${name}: the receiver refused some requests`);
  db.close();
  if (report.sent !== expected || report.failed !== 0 || report.merged !== 0 || sent !== expected || merged !== 0) {
    throw new Error(`${name}: report ${JSON.stringify(report)}, ${sent} sent and ${merged} merged in the database, expected ${expected} sent`);
  }
  if (captured.length !== expected) throw new Error(`${name}: the receiver got ${captured.length} requests, expected ${expected}`);
  return { ms, captured, maxPerChannel: Math.max(...perChannel), minPerChannel: Math.min(...perChannel), channels: tokens.length, expected };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Prints the ratio of SPEC §9 for notification delivery: our rate ÷ bare fetch's rate, each the
 * median of `rounds` rounds of 1,000 (a fresh database each round; the bare round replays the
 * requests the sender's round made), after an untimed warm-up of both.
 */
export async function benchNotifications(rounds = 3) {
  const dir = mkdtempSync(join(tmpdir(), 'policy-bench-notify-'));
  const receiver = await startReceiver();
  const concurrency = DEFAULT_CONFIG.delivery.concurrency;
  try {
    // Warm-up, untimed: 120 deliveries (6 channels × 20) through the sender, then the same 120
    // requests twice with bare fetch.
    const warm = await senderRound(receiver, dir, 'warmup', 3);
    await replay(receiver.base, warm.captured, concurrency);
    await replay(receiver.base, warm.captured, concurrency);

    const ours: number[] = [];
    const bare: number[] = [];
    let maxPerChannel = 0;
    let minPerChannel = Infinity;
    let total = 0;
    let channelCount = 0;
    for (let r = 0; r < rounds; r++) {
      const round = await senderRound(receiver, dir, `round${r}`, 25);
      ours.push(round.ms);
      bare.push(await replay(receiver.base, round.captured, concurrency));
      maxPerChannel = Math.max(maxPerChannel, round.maxPerChannel);
      minPerChannel = Math.min(minPerChannel, round.minPerChannel);
      total = round.expected;
      channelCount = round.channels;
    }
    if (receiver.badSignatures > 0) throw new Error(`${receiver.badSignatures} requests failed signature checks`);
    if (maxPerChannel > PER_CHANNEL) throw new Error(`a channel received ${maxPerChannel} requests (limit ${PER_CHANNEL} a minute)`);

    const oursMs = median(ours);
    const bareMs = median(bare);
    const rate = (ms: number) => Math.round((total / ms) * 1000).toLocaleString('en-US');
    const each = (xs: number[]) => xs.map((x) => Math.round(x)).join(' / ');
    console.log(
      `Notifications (${fmt(total)} due deliveries: ${channelCount} channels, DingTalk 加签 and Standard Webhooks, × ${PER_CHANNEL}; receiver on 127.0.0.1; ${concurrency} workers; median of ${rounds} rounds after a warm-up)`,
    );
    console.log(`  bare fetch of the same requests : ${rate(bareMs)} messages/s (${each(bare)} ms)`);
    console.log(`  deliverDue                      : ${rate(oursMs)} messages/s (${each(ours)} ms)`);
    console.log(`  every round: all ${fmt(total)} sent singly, none merged; ${minPerChannel}–${maxPerChannel} requests per channel (limit ${PER_CHANNEL} a minute)`);
    console.log(`  ratio                           : ${fmt(bareMs / oursMs)}× (target ≥ 0.5×)`);
    return { ratio: bareMs / oursMs, oursMs, bareMs };
  } finally {
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
