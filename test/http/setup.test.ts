import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { firstRunMessage } from '../../src/runtime/node/service.js';
import { startTestApp, TOKEN, type TestApp } from '../support/app.js';

// First run (SPEC §15): while no account exists, /setup takes the admin token — checked before the
// form is shown and again on submit — and creates the first admin, signed in and sent on to
// /admin/users; the change is audited as the admin token's. Once any account exists, /setup is 404.

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
});
afterEach(() => t.close());

const ORIGIN = 'http://localhost';
const get = (path: string) => t.app.request(path);
const post = (fields: Record<string, string>, headers: Record<string, string> = { Origin: ORIGIN }) =>
  t.app.request('/setup', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });

const ADMIN = { username: 'admin', displayName: '系统管理员', password: 'Zhengwu-Gongkai-2026', passwordRepeat: 'Zhengwu-Gongkai-2026' };
const fieldError = (html: string, name: string) => new RegExp(`data-field="${name}">([^<]*)<`).exec(html)?.[1];
const userCount = async () => (await t.call('GET', '/api/users')).body.items.length;

describe('/setup before any account exists', () => {
  it('when opened without the token, then it asks for the token and shows no account form', async () => {
    const res = await get('/setup');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('管理员令牌');
    expect(html).toContain('name="token"');
    expect(html).not.toContain('name="username"');
  });

  it('when opened with a wrong token, then 403 says so next to the field and shows no account form', async () => {
    for (const token of ['wrong-token', TOKEN.slice(0, -1), `${TOKEN}x`]) {
      const res = await get(`/setup?token=${encodeURIComponent(token)}`);
      expect(res.status, token).toBe(403);
      const html = await res.text();
      expect(fieldError(html, 'token')).toBe('管理员令牌不正确');
      expect(html).not.toContain('name="username"');
    }
  });

  it('when opened with the right token, then the account form carries it, uncached and out of the history', async () => {
    const res = await get(`/setup?token=${TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
    const html = await res.text();
    expect(html).toContain('name="username"');
    expect(html).toContain(`name="token" value="${TOKEN}"`);
    expect(html).toContain("history.replaceState(null, '', '/setup')");
  });

  it('when the form is submitted with a wrong token, then 403 and no account', async () => {
    const res = await post({ ...ADMIN, token: 'wrong-token' });
    expect(res.status).toBe(403);
    expect(fieldError(await res.text(), 'token')).toBe('管理员令牌不正确，请重新输入');
    expect(await userCount()).toBe(0);
  });

  it('when the form comes from another site, then 403 and no account', async () => {
    expect((await post({ ...ADMIN, token: TOKEN }, { Origin: 'https://evil.example' })).status).toBe(403);
    expect(await userCount()).toBe(0);
  });

  it('when the fields are wrong, then each is said next to it, the password is not written back, and no account', async () => {
    const res = await post({ token: TOKEN, username: 'a b', displayName: '', password: 'admin12345', passwordRepeat: 'admin12345x' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(fieldError(html, 'username')).toBe('用户名为 2–50 位字母、数字、下划线、点或连字符');
    expect(fieldError(html, 'displayName')).toBe('请填写姓名');
    expect(fieldError(html, 'password')).toMatch(/^密码过于常见/);
    expect(fieldError(html, 'passwordRepeat')).toBe('两次输入的密码不一致');
    expect(html).not.toContain('admin12345');
    expect(await userCount()).toBe(0);

    const same = await post({ token: TOKEN, username: 'zhangwei', displayName: '张伟', password: 'zhangwei2026', passwordRepeat: 'zhangwei2026' });
    expect(same.status).toBe(400);
    expect(fieldError(await same.text(), 'password')).toBe('密码不能是用户名本身，也不能只是在用户名前后加数字或符号');
    expect(await userCount()).toBe(0);
  });

  it('when the form is right, then the first admin exists, is signed in and sent to /admin/users, audited as the admin token', async () => {
    const res = await post({ ...ADMIN, token: TOKEN });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/users?welcome=1');
    const cookie = /sid=[^;]+/.exec(res.headers.get('set-cookie') ?? '')![0];

    const users = await t.app.request('/admin/users?welcome=1', { headers: { Cookie: cookie } });
    expect(users.status).toBe(200);
    expect(await users.text()).toContain('管理员账户已创建，您已登录');
    const me = await t.app.request('/api/me', { headers: { Cookie: cookie } });
    expect(await me.json()).toMatchObject({ username: 'admin', role: 'admin', via: 'session', user: { displayName: '系统管理员', disabled: false } });

    const audit = (await t.call('GET', '/api/audit?entity=user')).body.items;
    expect(audit).toMatchObject([{ actor: 'admin-token', action: 'create', after: { username: 'admin', role: 'admin' } }]);
    expect(JSON.stringify(audit)).not.toContain(ADMIN.password);
  });
});

describe('/setup once an account exists', () => {
  it('when the first admin was made, then /setup is the HTML 404 page, with or without the token, and a post makes nothing', async () => {
    expect((await post({ ...ADMIN, token: TOKEN })).status).toBe(303);
    for (const path of ['/setup', `/setup?token=${TOKEN}`]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await res.text();
      expect(html).toContain('<h1>未找到</h1>');
      expect(html).not.toContain('name="token"');
    }
    const again = await post({ ...ADMIN, username: 'admin2', token: TOKEN });
    expect(again.status).toBe(404);
    expect(await userCount()).toBe(1);
  });

  it('when an account was made through the API instead, then /setup is 404 too', async () => {
    await t.call('POST', '/api/users', { username: 'leader', displayName: '分管领导', role: 'leader', password: 'leader-secret-4' });
    expect((await get(`/setup?token=${TOKEN}`)).status).toBe(404);
  });
});

describe('the start-up message', () => {
  it('names the /setup link with the token only when this start generated it', () => {
    expect(firstRunMessage('http://localhost:3000', 'abc_DEF-123', false)).toContain('http://localhost:3000/setup?token=abc_DEF-123');
    const configured = firstRunMessage('https://zwgk.example.gov.cn', undefined, true);
    expect(configured).toContain('https://zwgk.example.gov.cn/setup ');
    expect(configured).toContain('ADMIN_TOKEN 中设置的令牌');
    expect(configured).not.toContain('token=');
    const earlier = firstRunMessage('http://localhost:3000', undefined, false);
    expect(earlier).toContain('首次启动时显示的管理员令牌');
    expect(earlier).not.toContain('token=');
  });
});
