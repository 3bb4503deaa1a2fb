import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LIKE_USERNAME, passwordWeakness } from '../../src/app/accounts/password-rules.js';
import { callAs, seedDepartment, signIn, startTestApp, type TestApp } from '../support/app.js';

// The password rule of every account (issue 11): at least 10 characters, not one of the commonest
// passwords or their shapes, and not the user name — the same when an admin creates an account or
// resets its password and when its owner changes it.

describe('which passwords are too easy to guess', () => {
  it.each([
    '1234567890', '0987654321', '12345678910', '123456789a', 'qwertyuiop', 'asdfghjkl;', '1qaz2wsx3edc', '1q2w3e4r5t',
    'password123', 'Password@2024', 'P@ssw0rd!!', 'passw0rd2026', 'admin123456', 'Admin@12345', 'administrator',
    'qwerty123456', 'zxcvbnm123', 'iloveyou123', 'woaini1314', '5201314520', 'a123456789', 'abc1234567',
    '1111111111', 'aaaaaaaaaaaa', '1212121212', 'abcabcabcabc', 'adminadmin', '13812345678', '19900101ab', '1990-01-01!',
  ])('refuses %s as too common', (password) => {
    expect(passwordWeakness(password)).toMatch(/^密码(过于常见|不能由)|^密码过于常见/);
  });

  it.each([
    ['zhangwei', 'zhangwei'],
    ['ZhangWei2026', 'zhangwei'],
    ['zhangwei!!!!', 'zhangwei'],
    ['2026zhangwei', 'zhangwei'],
    ['iewgnahz', 'zhangwei'],
    ['fgw01123456', 'fgw01'],
  ])('refuses %s for user %s as the user name', (password, username) => {
    expect(passwordWeakness(password, username)).toBe(LIKE_USERNAME);
  });

  it.each([
    ['fgw01-password-123', 'fgw01'],
    ['a-long-secret-1', 'admin'],
    ['Zhengwu-Gongkai-2026', 'admin'],
    ['correct horse battery staple', 'leader'],
    ['Tr0ub4dor&3x', 'xwb01'],
    ['8305716294', 'leader'],
    ['市政府办公厅2026', 'admin'],
  ])('accepts %s for user %s', (password, username) => {
    expect(passwordWeakness(password, username)).toBeNull();
  });
});

describe('passwords over the length limit', () => {
  // The shapes take time that grows with the square of the length: a 100,000-character password
  // held the service for seconds. Past the limit only the length rule speaks.
  it('when a password is longer than 200 characters, then only the length rule judges it, however weak its shape', () => {
    expect(passwordWeakness('a'.repeat(200))).not.toBeNull();
    expect(passwordWeakness('a'.repeat(201))).toBeNull();
    expect(passwordWeakness(`fgw01${'1'.repeat(196)}`, 'fgw01')).toBeNull();
  });
});

describe('the rule in every place a password is set', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
    await seedDepartment(t);
  });
  afterEach(() => t.close());

  const create = (username: string, password: string) =>
    t.call('POST', '/api/users', { username, displayName: username, role: 'drafter', departmentCodes: ['fgw'], password });

  it('when an admin creates an account with a short, common or name-like password, then 400 says why and nothing is made', async () => {
    const short = await create('fgw01', 'short-1');
    expect(short.status).toBe(400);
    expect(short.body.error.message).toBe('password: 密码至少 10 个字符');
    const common = await create('fgw01', 'Password@2024');
    expect(common.status).toBe(400);
    expect(common.body.error.message).toMatch(/^password: 密码过于常见，容易被猜到/);
    const named = await create('fgw01', 'fgw01123456');
    expect(named.status).toBe(400);
    expect(named.body.error.message).toBe(`password: ${LIKE_USERNAME}`);
    // A password of 100,000 characters (that no shape of it is judged is tested above).
    const huge = await create('fgw01', Array.from({ length: 100_000 }, (_, i) => String.fromCharCode(33 + ((i * 7919) % 90))).join(''));
    expect(huge.status).toBe(400);
    expect(huge.body.error.message).toBe('password: 密码不能超过 200 个字符');
    expect((await t.call('GET', '/api/users')).body.items).toEqual([]);
    expect((await create('fgw01', 'fgw01-password-123')).status).toBe(201);
  });

  it('when an admin resets a password to a common or name-like one, then 400 and the old password still works', async () => {
    const { id } = (await create('fgw01', 'fgw01-password-123')).body;
    for (const password of ['qwertyuiop', 'FGW01!!!!!!']) {
      const res = await t.call('PATCH', `/api/users/${id}`, { password });
      expect(res.status, password).toBe(400);
      expect(res.body.error.message).toMatch(/^password: /);
    }
    await expect(signIn(t, 'fgw01', 'fgw01-password-123')).resolves.toMatch(/^sid=/);
  });

  it('when a person changes their own password to a common or name-like one, then 400 on the new password', async () => {
    await create('fgw01', 'fgw01-password-123');
    const cookie = await signIn(t, 'fgw01', 'fgw01-password-123');
    const change = (newPassword: string) =>
      callAs(t, { cookie, origin: 'http://localhost' }, 'POST', '/api/me/password', { currentPassword: 'fgw01-password-123', newPassword });
    const common = await change('woaini1314');
    expect(common.status).toBe(400);
    expect(common.body.error.message).toMatch(/^newPassword: 密码过于常见/);
    const named = await change('fgw01-2026');
    expect(named.status).toBe(400);
    expect(named.body.error.message).toBe(`newPassword: ${LIKE_USERNAME}`);
    expect((await change('Liangshi-Yiyou-77')).status).toBe(200);
  });

  it('says the rule in the OpenAPI document', async () => {
    const doc = (await (await t.app.request('/openapi.json')).json()) as { paths: Record<string, any> };
    const schema = doc.paths['/api/users'].post.requestBody.content['application/json'].schema;
    const password = schema.properties?.password ?? schema;
    expect(JSON.stringify(password)).toContain('常见密码');
  });
});
