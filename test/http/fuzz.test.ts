import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/app/admin-token.js';
import { applyInterpretationRule, createAppContext } from '../../src/app/create-context.js';
import { createApp } from '../../src/http/app.js';
import { scryptPasswords } from '../../src/runtime/scrypt-passwords.js';
import { openSqlite } from '../../src/runtime/node/sqlite.js';
import { nodeUrlGuard } from '../../src/runtime/node/url-guard.js';

// Property-based fuzzing of every write operation in /openapi.json: bodies generated from the
// operation's own schema (often nearly valid: the interesting edge) or arbitrary JSON, plus path
// parameters of every shape. Whatever comes in, the answer is never a 5xx, and a refusal has the
// error shape of SPEC §6. Bounded: a fixed number of runs per operation, a fixed seed per run of
// the suite is printed by fast-check on failure.

const TOKEN = 'fuzz-admin-token-0123456789abcdef';
const RUNS_PER_OPERATION = 200;
// Operations that reach out to the network with stored addresses are left out: fuzzed URLs must
// not be fetched. Their inputs are covered where the addresses are written (feeds, channels).
const OUTBOUND = new Set(['post /api/feeds/{id}/poll', 'post /api/jobs/poll', 'post /api/channels/{id}/test', 'post /api/jobs/deliver']);

type Schema = Record<string, any>;

let app: ReturnType<typeof createApp>;
let doc: { paths: Record<string, Record<string, any>>; components: { schemas: Record<string, Schema> } };
let close: () => void;
beforeAll(async () => {
  const db = openSqlite(':memory:');
  close = () => db.close();
  const ctx = createAppContext({
    db,
    now: () => Date.parse('2026-11-20T02:00:00Z'),
    passwords: scryptPasswords({ N: 2 ** 10 }),
    // Every host name "resolves" to a public address without asking DNS; literals are still checked.
    urlGuard: nodeUrlGuard({ allowPrivate: false, lookup: async () => ['93.184.216.34'] }),
  });
  await applyInterpretationRule(ctx);
  app = createApp({ ctx, adminTokenSha256: await sha256Hex(TOKEN) });
  const call = (method: string, path: string, body: unknown) =>
    app.request(path, { method, headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  await call('POST', '/api/departments', { code: 'fgw', name: '市发展改革委' });
  await call('POST', '/api/documents', { title: '种子文件', departmentCode: 'fgw', publishedAt: '2026-11-02' });
  await call('POST', '/api/interpretations', { title: '种子解读', form: 'text', publishedAt: '2026-11-03', documentIds: [1] });
  await call('POST', '/api/incidents', { title: '种子事件', severity: 'major', departmentCode: 'fgw' });
  await call('POST', '/api/rules', { name: '种子规则', query: '爆炸 受伤', severity: 'major' });
  doc = (await (await app.request('/openapi.json')).json()) as typeof doc;
});
afterAll(() => close());

const EDGE_STRINGS = [
  '', ' ', '0', '-1', 'null', 'fgw', 'nobody', '2199-12-31', '2199-12-31T23:59:59+08:00', '2200-01-01', '1970-01-01', '1969-12-31T23:00:00Z',
  '2026-02-30', '2026-11-20T10:00:00', 'x2026-11-20T10:00:00Z', '<script>alert(1)</script>', '=HYPERLINK("http://x")', '长'.repeat(2001),
  'http://127.0.0.1/x', 'http://169.254.169.254/latest', 'https://example.gov.cn/feed.xml', 'ftp://x', 'mailto:a@b.cn', 'whsec_AAAA',
  '爆炸 AND (', 'NEAR/5', '"', '\u0000', '\ud800', '🙂'.repeat(300),
];

function resolve(schema: Schema): Schema {
  if (schema.$ref) return resolve(doc.components.schemas[String(schema.$ref).split('/').pop()!]!);
  return schema;
}

// Dates where the calendar's range ends, and times written every way the API meets them.
const DATE_EDGES = [
  '2199-12-31', '2199-12-30', '2199-12-31T23:59:59+08:00', '2199-12-31T16:00:00Z', '2200-01-01', '1970-01-01', '1970-01-01T00:00:00+08:00',
  '1969-12-31T23:59:59+08:00', '2026-02-29', '2024-02-29', '2026-11-20T10:00:00+14:00', '2026-11-20T10:00:00-12:00', '2026-11-20T24:00:00Z',
];
const DATE_KEY = /At$|^at$|[Dd]ate|^asOf$|^from$|^to$/;

function arbitraryOf(input: Schema, depth = 0, key = ''): fc.Arbitrary<unknown> {
  const schema = resolve(input);
  const noise = fc.oneof(fc.constantFrom(...EDGE_STRINGS), fc.integer(), fc.boolean(), fc.constant(null));
  if (depth > 4) return noise;
  const choices: fc.Arbitrary<unknown>[] = [];
  if (DATE_KEY.test(key)) return fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...DATE_EDGES) }, { weight: 1, arbitrary: noise });
  if (schema.anyOf || schema.oneOf) choices.push(...(schema.anyOf ?? schema.oneOf).map((s: Schema) => arbitraryOf(s, depth + 1)));
  if (schema.enum) choices.push(fc.constantFrom(...schema.enum));
  const types: string[] = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  for (const type of types) {
    if (type === 'string') choices.push(fc.oneof(fc.constantFrom(...EDGE_STRINGS), fc.string({ maxLength: schema.maxLength ? schema.maxLength + 2 : 40 })));
    if (type === 'integer' || type === 'number')
      choices.push(fc.oneof(fc.integer({ min: -3, max: 5 }), fc.constantFrom(0, -1, 1.5, 2 ** 53, -(2 ** 31), 1e308)));
    if (type === 'boolean') choices.push(fc.boolean());
    if (type === 'null') choices.push(fc.constant(null));
    if (type === 'array') choices.push(fc.array(arbitraryOf(schema.items ?? {}, depth + 1), { maxLength: 4 }));
    if (type === 'object') {
      const props: Record<string, Schema> = schema.properties ?? {};
      const keys = Object.keys(props);
      const record = fc.record(Object.fromEntries(keys.map((k) => [k, arbitraryOf(props[k]!, depth + 1, k)])), { requiredKeys: [] });
      // Mostly the schema's own keys; sometimes one it does not know.
      choices.push(record, fc.tuple(record, fc.string({ minLength: 1, maxLength: 8 }), noise).map(([r, k, v]) => ({ ...(r as object), [k]: v })));
    }
  }
  if (choices.length === 0) choices.push(fc.jsonValue({ maxDepth: 2 }));
  return fc.oneof(...choices, noise);
}

/** A value the schema would accept for a field named `key`, from the seed data where it matters. */
function plausible(input: Schema, key = ''): unknown {
  const schema = resolve(input);
  if (schema.example !== undefined) return schema.example;
  if (schema.enum) return schema.enum[0];
  const alternatives: Schema[] = schema.anyOf ?? schema.oneOf ?? [];
  if (alternatives.length > 0) return plausible(alternatives.find((s) => resolve(s).type !== 'null') ?? alternatives[0]!, key);
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
  if (type === 'string') {
    if (/department/i.test(key)) return 'fgw';
    if (/At$|date|from|to/i.test(key)) return '2026-11-02';
    if (/url/i.test(key)) return 'https://www.example.gov.cn/a.html';
    if (/password/i.test(key)) return 'a-long-enough-password-1';
    if (/query/i.test(key)) return '爆炸 受伤';
    return `字段${key}`;
  }
  if (type === 'integer' || type === 'number') return /Ids?$|^id$/i.test(key) ? 1 : Math.max(1, schema.minimum ?? 1);
  if (type === 'boolean') return true;
  if (type === 'array') return [plausible(schema.items ?? {}, key.replace(/s$/, ''))];
  if (type === 'object') return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, v]) => [k, plausible(v as Schema, k)]));
  return null;
}

/** A plausible body with one field changed to anything its schema (or nothing) allows, or dropped. */
function oneFieldOff(schema: Schema): fc.Arbitrary<unknown> {
  const base = plausible(schema) as Record<string, unknown> | null;
  const props: Record<string, Schema> = resolve(schema).properties ?? {};
  const keys = Object.keys(props);
  if (!base || typeof base !== 'object' || keys.length === 0) return fc.constant(base);
  return fc.tuple(fc.constantFrom(...keys), fc.boolean()).chain(([key, drop]) =>
    drop
      ? fc.constant(Object.fromEntries(Object.entries(base).filter(([k]) => k !== key)))
      : arbitraryOf(props[key]!, 0, key).map((value) => ({ ...base, [key]: value })),
  );
}

const pathParam = fc.oneof(fc.constantFrom('1', '2', '3', '999999', '0', '-1', '1.5', 'abc', '2026-11-23', '2199-12-31', '1970-01-01', '2026', '99999', '%E4%B8%AD'), fc.string({ maxLength: 12 }).map(encodeURIComponent));

describe('fuzzing every write operation of /openapi.json', () => {
  it('finds the write operations', () => {
    const writes = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).filter((m) => ['post', 'put', 'patch', 'delete'].includes(m)).map((m) => `${m} ${path}`));
    expect(writes.length).toBeGreaterThan(30);
  });

  it('never answers 5xx, and every refusal is {"error":{code,message}}', async () => {
    const failures: string[] = [];
    let sent = 0;
    let requests = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        if (!['post', 'put', 'patch', 'delete'].includes(method) || OUTBOUND.has(`${method} ${path}`)) continue;
        const bodySchema: Schema | undefined = op.requestBody?.content?.['application/json']?.schema;
        const body = fc.oneof(
          { weight: 6, arbitrary: bodySchema ? oneFieldOff(bodySchema) : fc.constant(undefined) },
          { weight: 2, arbitrary: bodySchema ? arbitraryOf(bodySchema) : fc.constant(undefined) },
          { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
          { weight: 1, arbitrary: fc.constantFrom('{', '{"a":', 'not json', '') .map((raw) => ({ raw })) },
        );
        const params = fc.array(pathParam, { minLength: 3, maxLength: 3 });
        await fc.assert(
          fc.asyncProperty(body, params, async (payload, values) => {
            let i = 0;
            const url = path.replace(/\{[^}]+\}/g, () => values[i++]!);
            const raw = typeof payload === 'object' && payload !== null && 'raw' in payload ? String((payload as { raw: string }).raw) : undefined;
            const res = await app.request(url, {
              method: method.toUpperCase(),
              headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
              body: raw ?? (payload === undefined ? undefined : JSON.stringify(payload)),
            });
            const text = await res.text();
            requests++;
            if (res.status >= 500) {
              failures.push(`${method.toUpperCase()} ${url} ${String(raw ?? JSON.stringify(payload)).slice(0, 300)} → ${res.status} ${text.slice(0, 200)}`);
              return false;
            }
            if (res.status >= 400) {
              const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
              if (typeof parsed.error?.code !== 'string' || typeof parsed.error.message !== 'string' || parsed.error.message === '') {
                failures.push(`${method.toUpperCase()} ${url} → ${res.status} without the error shape: ${text.slice(0, 200)}`);
                return false;
              }
            }
            return true;
          }),
          { numRuns: RUNS_PER_OPERATION, endOnFailure: true },
        ).catch((err: unknown) => {
          // A failure already recorded above ends the property; anything else thrown is one too.
          if (!failures.some((f) => f.startsWith(method.toUpperCase()))) failures.push(`${method.toUpperCase()} ${path}: ${String(err).slice(0, 500)}`);
        });
        sent += RUNS_PER_OPERATION;
      }
    }
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(25 * RUNS_PER_OPERATION);
    expect(requests).toBe(sent);
  }, 120_000);
});
