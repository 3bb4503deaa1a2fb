import { createConfig, lintFromString } from '@redocly/openapi-core';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnv } from '../../src/runtime/node/env.js';
import { startService } from '../../src/runtime/node/service.js';
import { tempDir } from '../support/app.js';

// A client generated from /openapi.json works: the document lints clean with Redocly's
// recommended rules, openapi-typescript turns it into types, and the README's curl walk-through,
// written against those types with openapi-fetch, type-checks and runs against the real service.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OUT = join(ROOT, 'test-output', 'openapi-client');
const TOKEN = 'openapi-client-test-token-0123456789';

let service: Awaited<ReturnType<typeof startService>>;
let cleanup: () => void;
let doc: string;
beforeAll(async () => {
  const temp = tempDir();
  cleanup = temp.cleanup;
  service = await startService(readEnv({ PORT: '0', HOST: '127.0.0.1', DB_PATH: `${temp.dir}/app.sqlite`, ADMIN_TOKEN: TOKEN, SCHEDULER: 'off' }));
  doc = await (await fetch(`http://127.0.0.1:${service.port}/openapi.json`)).text();
});
afterAll(async () => {
  await service.close();
  cleanup();
});

// The README walk-through ("Walk-through with curl"), step by step, through the typed client.
const WALKTHROUGH = `import createClient from 'openapi-fetch';
import type { paths } from './api.js';

export async function walkThrough(baseUrl: string, token: string) {
  const api = createClient<paths>({ baseUrl, headers: { Authorization: \`Bearer \${token}\` } });
  const department = await api.POST('/api/departments', { body: { code: 'fgw', name: '市发展改革委' } });
  const created = await api.POST('/api/documents', {
    body: {
      docNumber: '沪发改规〔2026〕5号',
      title: '关于促进民营经济发展的若干措施',
      departmentCode: 'fgw',
      publishedAt: '2026-09-30T10:00:00+08:00',
      url: 'https://fgw.example.gov.cn/zcwj/5.html',
    },
  });
  const id: number = created.data!.id;
  // null only for a draft (no publishedAt, SPEC §12): this one is published.
  const dueDate: string | null = created.data!.interpretationDueDate;
  const pending = await api.GET('/api/documents/{id}', { params: { path: { id }, query: { asOf: '2026-10-09T09:00:00+08:00' } } });
  const overdue = await api.GET('/api/documents', { params: { query: { status: 'overdue' } } });
  const sweeps = [(await api.POST('/api/jobs/sweep', { body: {} })).data!.alertsCreated, (await api.POST('/api/jobs/sweep', { body: {} })).data!.alertsCreated];
  const alerts = await api.GET('/api/alerts', { params: { query: { type: 'interpretation_overdue' } } });
  await api.POST('/api/interpretations', {
    body: { title: '一图读懂民营经济若干措施', form: 'graphic', publishedAt: '2026-10-14T16:00:00+08:00', documentIds: [id] },
  });
  const late = await api.GET('/api/documents/{id}', { params: { path: { id } } });
  const refused = await api.POST('/api/documents', { body: { title: '', departmentCode: 'fgw', publishedAt: 'yesterday' } });
  return {
    department: department.response.status,
    dueDate,
    pending: [pending.data!.status, pending.data!.workingDaysLeft],
    overdue: overdue.data!.items.map((d) => d.id),
    sweeps,
    alert: alerts.data!.items[0]!.message,
    late: [late.data!.status, late.data!.interpretations.map((i) => i.form)],
    refused: [refused.response.status, refused.error?.error.message],
  };
}
`;

describe('the OpenAPI document', () => {
  it('when linted with Redocly’s recommended rules, then it reports no error; every operation has an operationId and the document a server', async () => {
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({ source: doc, absoluteRef: 'openapi.json', config });
    const errors = problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId}: ${p.message} ${p.location[0]?.pointer ?? ''}`);
    expect(errors).toEqual([]);
    const parsed = JSON.parse(doc) as { servers?: unknown[]; paths: Record<string, Record<string, { operationId?: string }>> };
    expect(parsed.servers?.length).toBeGreaterThan(0);
    const operations = Object.entries(parsed.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => [`${method} ${path}`, op.operationId]));
    expect(operations.filter(([, id]) => !id)).toEqual([]);
    expect(new Set(operations.map(([, id]) => id)).size).toBe(operations.length);
  });

  it('when a client is generated from it, then the README walk-through type-checks and runs through it', async () => {
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    writeFileSync(join(OUT, 'api.d.ts'), astToString(await openapiTS(JSON.parse(doc))));
    writeFileSync(join(OUT, 'walkthrough.ts'), WALKTHROUGH);
    // The type check a client author would run (strict, as the project's own).
    execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules/typescript/bin/tsc'), '--noEmit', '--strict', '--noUncheckedIndexedAccess', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--skipLibCheck', join(OUT, 'walkthrough.ts')],
      { cwd: ROOT, stdio: 'pipe' },
    );
    const { walkThrough } = (await import(pathToFileURL(join(OUT, 'walkthrough.ts')).href)) as { walkThrough: (b: string, t: string) => Promise<any> };
    const result = await walkThrough(`http://127.0.0.1:${service.port}`, TOKEN);
    expect(result).toMatchObject({
      department: 201,
      dueDate: '2026-10-10',
      pending: ['pending', 1],
      sweeps: [1, 0],
      alert: '《关于促进民营经济发展的若干措施》（沪发改规〔2026〕5号）的政策解读应于 2026-10-10（含）前发布，现已逾期',
      late: ['late', ['graphic']],
      refused: [400, expect.stringMatching(/^title: |publishedAt: /)],
    });
    expect(result.overdue).toHaveLength(1);
  }, 60_000);
});
