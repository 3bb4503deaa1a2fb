import { eq, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROUTE_POLICY } from '../../src/app/accounts/policy.js';
import { sha256Hex } from '../../src/app/admin-token.js';
import { displayLinks } from '../../src/db/schema.js';
import { callAs, registerDocument, seedDepartment, startTestApp, userWithToken, type TestApp } from '../support/app.js';

// Wall-screen links (SPEC §15): an admin makes a link to the board; its secret is shown once and
// stored hashed; /display/<secret> shows the board and nothing else; no /api route accepts the
// secret; a revoked or unknown secret is the 404 page. The clock stands at 2026-11-20 10:00 Beijing time.

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
  await seedDepartment(t, 'fgw', '市发展改革委');
  await seedDepartment(t, 'yjj', '市应急管理局');
  // An overdue document and a running incident: what the board shows.
  await registerDocument(t, { docNumber: '沪发改规〔2026〕5号', title: '关于促进民营经济发展的若干措施', publishedAt: '2026-11-02T10:00:00+08:00' });
  const incident = await t.call('POST', '/api/incidents', { title: '某区化工厂火灾', severity: 'major', departmentCode: 'yjj', startedAt: '2026-11-20T08:00:00+08:00' });
  if (incident.status !== 201) throw new Error(JSON.stringify(incident.body));
});
afterEach(() => t.close());

const secretOf = (url: string) => /\/display\/([A-Za-z0-9_-]+)$/.exec(url)![1]!;

async function createLink(name = '值班室大屏') {
  const res = await t.call('POST', '/api/display-links', { name });
  expect(res.status).toBe(201);
  return res.body as { id: number; name: string; url: string; createdAt: string };
}

const page = (path: string, headers: Record<string, string> = {}) => t.app.request(path, { headers });

describe('making a display link', () => {
  it('when an admin makes a link, then its address is answered once and only its hash is kept', async () => {
    const link = await createLink();
    expect(link).toMatchObject({ name: '值班室大屏', createdAt: '2026-11-20T02:00:00.000Z' });
    expect(link.url).toMatch(/^http:\/\/localhost\/display\/[A-Za-z0-9_-]{43}$/);
    const secret = secretOf(link.url);

    const listed = await t.call('GET', '/api/display-links');
    expect(listed.body.items).toEqual([
      { id: link.id, name: '值班室大屏', createdBy: 'admin-token', createdAt: '2026-11-20T02:00:00.000Z', lastSeenAt: null, revokedAt: null },
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(secret);

    const [row] = await t.db.orm.select().from(displayLinks).where(eq(displayLinks.id, link.id));
    expect(row!.secretHash).toBe(await sha256Hex(secret));
    const everything = t.db.orm.all<Record<string, unknown>>(sql`SELECT * FROM display_links`) as unknown as Record<string, unknown>[];
    expect(JSON.stringify(everything)).not.toContain(secret);

    const audit = await t.call('GET', '/api/audit?entity=display_link');
    expect(audit.body.items).toMatchObject([{ actor: 'admin-token', action: 'create', entityId: String(link.id), after: { name: '值班室大屏' } }]);
  });

  it('when PUBLIC_URL is set, then the address is under it', async () => {
    t.ctx.config.publicUrl = 'https://zwgk.example.gov.cn/';
    expect((await createLink()).url).toMatch(/^https:\/\/zwgk\.example\.gov\.cn\/display\/[A-Za-z0-9_-]{43}$/);
  });

  it('when the name is blank, then 400 naming the field', async () => {
    const res = await t.call('POST', '/api/display-links', { name: '  ' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^name: /);
  });

  it('when someone other than an admin tries, then 403 for making, listing and revoking', async () => {
    const link = await createLink();
    for (const role of ['leader', 'press', 'drafter'] as const) {
      const { token } = await userWithToken(t, `u-${role}`, role, role === 'drafter' ? ['fgw'] : []);
      expect((await callAs(t, { token }, 'POST', '/api/display-links', { name: 'x' })).status).toBe(403);
      expect((await callAs(t, { token }, 'GET', '/api/display-links')).status).toBe(403);
      expect((await callAs(t, { token }, 'DELETE', `/api/display-links/${link.id}`)).status).toBe(403);
    }
    expect((await t.call('GET', '/api/display-links')).body.items[0].revokedAt).toBeNull();
  });
});

describe('what the secret opens', () => {
  it('when the screen opens the address, then it shows the board in large type without navigation, uncached', async () => {
    const link = await createLink();
    const res = await page(link.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await res.text();
    expect(html).toContain('值班看板');
    expect(html).toContain('某区化工厂火灾');
    expect(html).toContain('关于促进民营经济发展的若干措施');
    expect(html).toContain('市应急管理局');
    expect(html).toContain('市发展改革委');
    // Counting down: the major incident's 5-hour clock started at 08:00 has 3 hours left.
    expect(html).toMatch(/data-due="2026-11-20T05:00:00(\.000)?Z"[^>]*>03:00:00</);
    // No navigation, no forms, no links to any other page.
    expect(html).not.toMatch(/<nav|<form|href="\/(?!favicon)/);
    // It notes when a screen last loaded it.
    expect((await t.call('GET', '/api/display-links')).body.items[0].lastSeenAt).toBe('2026-11-20T02:00:00.000Z');
  });

  it('when the secret is presented to any /api route, as a bearer token or as a session cookie, then 401', async () => {
    const secret = secretOf((await createLink()).url);
    const sample: Record<string, string> = { id: '1', documentId: '1', date: '2026-11-23', year: '2026', code: 'fgw' };
    const routes = Object.keys(ROUTE_POLICY);
    expect(routes.length).toBeGreaterThan(60);
    for (const route of routes) {
      const [method, path] = route.split(' ') as [string, string];
      const concrete = path.replace(/:(\w+)/g, (_, name: string) => sample[name]!);
      const presented: Record<string, string>[] = [{ Authorization: `Bearer ${secret}` }, { Cookie: `sid=${secret}` }];
      for (const headers of presented) {
        const res = await t.app.request(concrete, { method, headers });
        expect(res.status, `${route} ${Object.keys(headers)[0]}`).toBe(401);
      }
    }
  });

  it('when the secret is used for any other page, then it opens nothing: sign-in for pages, 404 for other secret addresses', async () => {
    const secret = secretOf((await createLink()).url);
    for (const path of ['/', '/documents', '/incidents', '/admin', '/me']) {
      const res = await page(path, { Cookie: `sid=${secret}` });
      expect(res.status, path).toBe(303);
      expect(res.headers.get('location'), path).toMatch(/^\/login\?next=/);
    }
    expect((await page(`/calendar/${secret}.ics`)).status).toBe(404);
    expect((await page(`/display/${secret}/api/dashboard`)).status).not.toBe(200);
    expect((await page(`/display/${secret}x`)).status).toBe(404);
  });

  it('when a link is revoked, then its address is the HTML 404 page, and revoking again changes nothing', async () => {
    const link = await createLink();
    const other = await createLink('新闻办大屏');
    const revoked = await t.call('DELETE', `/api/display-links/${link.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: link.id, revokedAt: '2026-11-20T02:00:00.000Z' });

    const res = await page(link.url);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<h1>未找到</h1>');
    expect(html).not.toContain('某区化工厂火灾');
    // The other link still works.
    expect((await page(other.url)).status).toBe(200);

    t.advance(60_000);
    expect((await t.call('DELETE', `/api/display-links/${link.id}`)).body.revokedAt).toBe('2026-11-20T02:00:00.000Z');
    const audit = await t.call('GET', `/api/audit?entity=display_link&entityId=${link.id}`);
    expect(audit.body.items.map((a: { action: string }) => a.action)).toEqual(['revoke', 'create']);
    expect((await t.call('DELETE', '/api/display-links/999')).status).toBe(404);
  });

  it('when the address carries an unknown or malformed secret, then the HTML 404 page', async () => {
    for (const secret of ['A'.repeat(43), 'short', '..%2F..%2Fapi', 'x'.repeat(200)]) {
      const res = await page(`/display/${secret}`);
      expect(res.status, secret).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    }
  });
});
