import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerDocument, seedDepartment, startTestApp, type TestApp } from '../support/app.js';

// The calendar covers 1970-01-01 … 2199-12-31 (Shanghai dates). Every date the API takes is
// tried at and just past both ends, on every route that takes one: the answer is a success or a
// 4xx that names the field, never a 500.
const EDGES = [
  '1970-01-01',
  '1970-01-01T00:00:00+08:00',
  '1969-12-31T23:59:59+08:00',
  '1969-12-31',
  '2199-12-26',
  '2199-12-30',
  '2199-12-31',
  '2199-12-31T23:59:59+08:00',
  '2200-01-01',
  '2200-01-01T00:00:00+08:00',
];

let t: TestApp;
let documentId: number;
let incidentId: number;
let commitmentId: number;
beforeAll(async () => {
  t = await startTestApp();
  await seedDepartment(t);
  documentId = (await registerDocument(t)).id;
  const incident = (await t.call('POST', '/api/incidents', { title: '某事件', severity: 'general' })).body;
  incidentId = incident.id;
  commitmentId = (await t.call('GET', `/api/incidents/${incidentId}`)).body.commitments[0].id;
});
afterAll(() => t.close());

function expectNamedOrOk(res: { status: number; body: any }, field: string, label: string) {
  expect(res.status, `${label}: ${JSON.stringify(res.body)}`).toBeLessThan(500);
  // Other refusals (409: that commitment is already fulfilled) are fine; bad input names its field.
  if (res.status === 400) expect(res.body.error.message, label).toMatch(new RegExp(`^${field}`));
}

describe('dates at the ends of the supported range', () => {
  it('when a document is published in the last days of 2199, then its due date would fall past the calendar: 400 on publishedAt, nothing written', async () => {
    const before = (await t.call('GET', '/api/documents?limit=500')).body.items.length;
    const res = await t.call('POST', '/api/documents', { title: '年末文件', departmentCode: 'fgw', publishedAt: '2199-12-31' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^publishedAt: .*超出/);
    expect((await t.call('GET', '/api/documents?limit=500')).body.items.length).toBe(before);

    const patched = await t.call('PATCH', `/api/documents/${documentId}`, { publishedAt: '2199-12-31T10:00:00+08:00' });
    expect(patched.status).toBe(400);
    expect(patched.body.error.message).toMatch(/^publishedAt: /);
    expect((await t.call('GET', `/api/documents/${documentId}`)).body.publishedAt).toBe('2025-09-30T02:00:00.000Z');

    // 2199-12-26 (a Thursday) still has three working days before the end: accepted.
    expect((await t.call('POST', '/api/documents', { title: '年末文件', departmentCode: 'fgw', publishedAt: '2199-12-26' })).status).toBe(201);
  });

  it('when any route takes a date at or past either end, then it answers without a 500, naming the field', async () => {
    for (const d of EDGES) {
      const q = encodeURIComponent(d);
      expectNamedOrOk(await t.call('POST', '/api/documents', { title: `边界 ${d}`, departmentCode: 'fgw', publishedAt: d }), 'publishedAt', `POST documents ${d}`);
      expectNamedOrOk(await t.call('PATCH', `/api/documents/${documentId}`, { publishedAt: d }), 'publishedAt', `PATCH document ${d}`);
      expectNamedOrOk(
        await t.call('POST', '/api/interpretations', { title: `解读 ${d}`, form: 'text', publishedAt: d, documentIds: [documentId] }),
        'publishedAt',
        `POST interpretations ${d}`,
      );
      expectNamedOrOk(await t.call('POST', '/api/incidents', { title: `事件 ${d}`, severity: 'major', startedAt: d }), 'startedAt', `POST incidents ${d}`);
      expectNamedOrOk(await t.call('PATCH', `/api/incidents/${incidentId}`, { startedAt: d }), 'startedAt', `PATCH incident ${d}`);
      expectNamedOrOk(await t.call('POST', `/api/commitments/${commitmentId}/fulfil`, { at: d }), 'at', `fulfil ${d}`);
      expectNamedOrOk(await t.call('POST', '/api/jobs/sweep', { asOf: d }), 'asOf', `sweep ${d}`);
      for (const path of ['/api/documents', `/api/documents/${documentId}`, '/api/incidents', `/api/incidents/${incidentId}`, '/api/timers', '/api/dashboard']) {
        expectNamedOrOk(await t.call('GET', `${path}?asOf=${q}`), 'asOf', `GET ${path} ${d}`);
      }
      expectNamedOrOk(await t.call('GET', `/api/audit?from=${q}&to=${q}`), 'from', `audit ${d}`);
      expectNamedOrOk(await t.call('GET', `/api/calendar/days/${q}`), 'date', `day ${d}`);
      expectNamedOrOk(await t.call('PUT', `/api/calendar/days/${q}`, { kind: 'holiday', name: '测试' }), 'date', `PUT day ${d}`);
      expectNamedOrOk(await t.call('GET', `/api/calendar/add-working-days?date=${q}&days=3`), '(date|days)', `add ${d}`);
    }
  });
});
