import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';

// The sign-in page and the throttling of sessions.ts: five failures for one user name, or twenty
// from one address, within 15 minutes lock it for 15 minutes. The page says which is locked and
// until when (Beijing time), from the failure that set the lock on, and warns before it.
// The clock stands at Friday 2026-11-20 10:00 Beijing time.

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
  await t.call('POST', '/api/users', { username: 'leader1', displayName: '分管领导', role: 'leader', password: 'leader1-password-123' });
});
afterEach(() => t.close());

async function signIn(username: string, password: string, address = '10.0.0.1') {
  const res = await t.app.request('/login', {
    method: 'POST',
    headers: { Origin: 'http://localhost', 'Content-Type': 'application/x-www-form-urlencoded', 'X-Test-Address': address },
    body: new URLSearchParams({ username, password, next: '/' }).toString(),
  });
  const html = await res.text();
  const said = /role="alert">([^<]*)</.exec(html)?.[1] ?? null;
  return { status: res.status, said, retryAfter: res.headers.get('retry-after') };
}

describe('the sign-in page when sign-in is throttled', () => {
  it('when one user name fails again and again, then the page warns, then says it is locked and until when, even for the right password', async () => {
    expect(await signIn('leader1', 'wrong-1')).toMatchObject({ status: 401, said: '用户名或密码不正确' });
    expect(await signIn('leader1', 'wrong-2')).toMatchObject({ status: 401, said: '用户名或密码不正确' });
    expect(await signIn('leader1', 'wrong-3')).toMatchObject({ status: 401, said: '用户名或密码不正确。再失败 2 次，该用户名将被锁定 15 分钟。' });
    expect(await signIn('leader1', 'wrong-4')).toMatchObject({ status: 401, said: '用户名或密码不正确。再失败 1 次，该用户名将被锁定 15 分钟。' });
    const locked = '用户名“leader1”在 15 分钟内登录失败 5 次，已锁定 15 分钟：请于 10:15（北京时间，约 15 分钟后）再试。忘记密码请联系管理员重置。';
    // The failure that sets the lock already says so.
    expect(await signIn('leader1', 'wrong-5')).toEqual({ status: 429, said: locked, retryAfter: '900' });

    t.advance(5 * 60_000);
    const right = await signIn('leader1', 'leader1-password-123');
    expect(right).toEqual({ status: 429, said: locked.replace('约 15 分钟后', '约 10 分钟后'), retryAfter: '600' });
    // Another address is locked out of this name too; another name from here is not.
    expect((await signIn('leader1', 'leader1-password-123', '10.0.0.2')).status).toBe(429);

    t.advance(10 * 60_000);
    expect((await signIn('leader1', 'leader1-password-123')).status).toBe(303);
  });

  it('when one address fails for many names, then the page says the address is locked, for any name', async () => {
    for (let i = 1; i <= 19; i++) expect((await signIn(`nobody${i}`, 'wrong-password')).status).toBe(401);
    const locked = await signIn('nobody20', 'wrong-password');
    expect(locked.status).toBe(429);
    expect(locked.said).toBe('本机所在的网络地址在 15 分钟内登录失败 20 次，已暂停从该地址登录 15 分钟：请于 10:15（北京时间，约 15 分钟后）再试。');
    expect((await signIn('leader1', 'leader1-password-123')).said).toBe(locked.said);
    // The same person from another address signs in.
    expect((await signIn('leader1', 'leader1-password-123', '10.0.0.9')).status).toBe(303);
  });
});
