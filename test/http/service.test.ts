import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, TOKEN, type TestApp } from '../support/app.js';

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
});
afterEach(() => t.close());

describe('service basics', () => {
  it('answers /health without credentials', async () => {
    const res = await t.app.request('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it.each([
    ['no header', {}],
    ['wrong token', { Authorization: 'Bearer not-the-token-at-all' }],
    ['token with one character changed', { Authorization: `Bearer ${TOKEN.slice(0, -1)}x` }],
    ['basic auth', { Authorization: `Basic ${btoa(`admin:${TOKEN}`)}` }],
  ])('when the API is called with %s, then 401 and nothing is written', async (_case, headers) => {
    const res = await t.app.request('/api/departments', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify({ code: 'fgw', name: '市发展改革委' }),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    expect((await t.call('GET', '/api/departments')).body.items).toEqual([]);
  });

  it('when a department code is taken, then 409', async () => {
    expect((await t.call('POST', '/api/departments', { code: 'fgw', name: '市发展改革委' })).status).toBe(201);
    const dup = await t.call('POST', '/api/departments', { code: 'fgw', name: '另一个' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.message).toContain('fgw');
    expect((await t.call('POST', '/api/departments', { code: 'x', name: '' })).body.error.message).toMatch(/^name: /);
  });

  it('answers unknown paths with a JSON 404', async () => {
    const res = await t.call('GET', '/api/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it('publishes an OpenAPI document covering every route', async () => {
    const res = await t.app.request('/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { paths: Record<string, unknown>; components: { schemas: Record<string, any> } };
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api/alerts',
      '/api/audit',
      '/api/audit/export',
      '/api/briefings/daily',
      '/api/calendar/add-working-days',
      '/api/calendar/days/{date}',
      '/api/calendar/import',
      '/api/calendar/years/{year}',
      '/api/channels',
      '/api/channels/{id}',
      '/api/channels/{id}/test',
      '/api/commitments/{id}/fulfil',
      '/api/dashboard',
      '/api/deliveries',
      '/api/deliveries/{id}/retry',
      '/api/departments',
      '/api/departments/{code}',
      '/api/disclosure-requests',
      '/api/disclosure-requests/{id}',
      '/api/disclosure-requests/{id}/events',
      '/api/disclosure-settings',
      '/api/display-links',
      '/api/display-links/{id}',
      '/api/documents',
      '/api/documents/export',
      '/api/documents/{id}',
      '/api/documents/{id}/sign-off',
      '/api/feeds',
      '/api/feeds/{id}',
      '/api/feeds/{id}/poll',
      '/api/hotwords',
      '/api/imports',
      '/api/imports/{id}',
      '/api/incidents',
      '/api/incidents/export',
      '/api/incidents/{id}',
      '/api/incidents/{id}/merge',
      '/api/interpretations',
      '/api/interpretations/{id}',
      '/api/interpretations/{id}/documents',
      '/api/interpretations/{id}/documents/{documentId}',
      '/api/items',
      '/api/jobs/deliver',
      '/api/jobs/poll',
      '/api/jobs/sweep',
      '/api/me',
      '/api/me/calendar-feed',
      '/api/me/password',
      '/api/reports/annual/{year}',
      '/api/reports/annual/{year}/inputs',
      '/api/reports/assessment',
      '/api/reports/assessment/export',
      '/api/response-policy',
      '/api/rules',
      '/api/rules/test',
      '/api/rules/{id}',
      '/api/session',
      '/api/timers',
      '/api/tokens',
      '/api/tokens/{id}',
      '/api/users',
      '/api/users/{id}',
    ]);
    expect(doc.components.schemas.Document.properties.status.enum).toContain('overdue');
  });
});
