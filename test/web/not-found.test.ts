import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startTestApp, type TestApp } from '../support/app.js';

// SPEC §15: /favicon.ico exists; an unknown page path gets the HTML 404 page (signed out: the
// sign-in page), an unknown /api path the JSON error.
let t: TestApp;
let cookie: string;
beforeAll(async () => {
  t = await startTestApp();
  await t.call('POST', '/api/users', { username: 'press1', displayName: '新闻办', role: 'press', password: 'press-password-123' });
  cookie = await signIn(t, 'press1', 'press-password-123');
});
afterAll(() => t.close());

describe('unknown paths and the icon', () => {
  it('under /api: the JSON error (401 before anything else when signed out)', async () => {
    for (const [headers, status, code] of [[{ Cookie: cookie }, 404, 'not_found'], [{}, 401, 'unauthorized']] as const) {
      const res = await t.app.request('/api/no-such-thing', { headers });
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
    }
  });

  it('a page path, signed in: the HTML 404 page in Chinese with the navigation', async () => {
    const res = await t.app.request('/no-such-page?x=1', { headers: { Cookie: cookie } });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<h1>未找到</h1>');
    expect(html).toContain('href="/incidents"');
  });

  it('a page path, signed out: to the sign-in page, and back after', async () => {
    const res = await t.app.request('/no-such-page?x=1');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login?next=%2Fno-such-page%3Fx%3D1');
  });

  it('/favicon.ico answers with the icon, and pages link it', async () => {
    const res = await t.app.request('/favicon.ico');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml');
    expect(await res.text()).toMatch(/^<svg /);
    const login = await (await t.app.request('/login')).text();
    expect(login).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml"/>');
  });
});
