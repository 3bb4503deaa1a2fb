import { simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { smtpMailer } from '../../../src/runtime/node/mailer.js';
import { seedDepartment, startTestApp, type TestApp } from '../../support/app.js';

// Email channels through the real nodemailer SMTP client to a real SMTP server on 127.0.0.1
// (smtp-server), which checks the login and can refuse recipients as a mail server does.

interface Received {
  from: string;
  to: string[];
  raw: string;
}

let smtp: SMTPServer;
let port: number;
const inbox: Received[] = [];
beforeAll(async () => {
  smtp = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: false,
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      if (auth.username === 'notifier' && auth.password === 'mail-secret') return callback(null, { user: 'notifier' });
      return callback(new Error('Invalid username or password'));
    },
    onRcptTo(address, _session, callback) {
      if (address.address.endsWith('@nowhere.example.cn')) {
        const err = new Error('No such user here') as Error & { responseCode: number };
        err.responseCode = 550;
        return callback(err);
      }
      return callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        inbox.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  port = (smtp.server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => smtp.close(() => resolve())));

let t: TestApp;
function app(password: string) {
  return startTestApp({
    now: '2026-11-20T10:00:00+08:00',
    config: { publicUrl: 'https://zwgk.example.gov.cn' },
    mailer: smtpMailer({ url: `smtp://notifier:${password}@127.0.0.1:${port}`, from: '政务公开平台 <notify@zwgk.example.gov.cn>', timeoutMs: 2000 }),
  });
}
beforeEach(() => {
  inbox.length = 0;
});
afterEach(() => t.close());

describe('email channels', () => {
  beforeEach(async () => {
    t = await app('mail-secret');
    await seedDepartment(t, 'yjj', '市应急管理局');
  });

  it('when an alert is due, then one mail reaches every address of the channel, in Chinese, with the link', async () => {
    const ch = (await t.call('POST', '/api/channels', { name: '值班邮箱', kind: 'email', url: 'mailto:duty@zwgk.example.gov.cn,leader@zwgk.example.gov.cn' })).body;
    expect(ch).toMatchObject({ kind: 'email', url: 'mailto:duty@zwgk.example.gov.cn,leader@zwgk.example.gov.cn' });
    const incident = (await t.call('POST', '/api/incidents', { title: '某区化工厂火灾', severity: 'major', departmentCode: 'yjj' })).body;
    expect((await t.call('POST', '/api/jobs/deliver')).body).toEqual({ sent: 1, failed: 0, merged: 0 });
    expect(inbox).toHaveLength(1);
    expect(inbox[0]!.from).toBe('notify@zwgk.example.gov.cn');
    expect(inbox[0]!.to.sort()).toEqual(['duty@zwgk.example.gov.cn', 'leader@zwgk.example.gov.cn']);
    const mail = await simpleParser(inbox[0]!.raw);
    expect(mail.subject).toBe('【新舆情事件·重大】某区化工厂火灾');
    expect(mail.text).toContain('责任部门：市应急管理局');
    expect(mail.text).toContain('时限：2026-11-20 15:00（北京时间）');
    expect(mail.text).toContain(`https://zwgk.example.gov.cn/incidents/${incident.id}`);
    const [d] = (await t.call('GET', `/api/deliveries?channelId=${ch.id}`)).body.items;
    expect(d).toMatchObject({ status: 'sent' });
    expect(d.response).toMatch(/^250/);
  });

  it('when every recipient is refused, then the delivery is dead and the channel marked misconfigured', async () => {
    const ch = (await t.call('POST', '/api/channels', { name: '错误邮箱', kind: 'email', url: 'mailto:nobody@nowhere.example.cn' })).body;
    await t.call('POST', '/api/incidents', { title: '某事件', severity: 'general', departmentCode: 'yjj' });
    expect((await t.call('POST', '/api/jobs/deliver')).body).toEqual({ sent: 0, failed: 1, merged: 0 });
    const [d] = (await t.call('GET', `/api/deliveries?channelId=${ch.id}`)).body.items;
    expect(d.status).toBe('dead');
    expect(d.lastError).toMatch(/^邮件发送失败/);
    expect((await t.call('GET', `/api/channels/${ch.id}`)).body.health).toBe('misconfigured');
    expect(inbox).toHaveLength(0);
  });

  it('when a mail address is malformed, then 400 on url; a mailto is required', async () => {
    for (const url of ['mailto:', 'mailto:not-an-address', 'duty@zwgk.example.gov.cn', 'mailto:a@b.cn,bad']) {
      const res = await t.call('POST', '/api/channels', { name: `邮箱 ${url}`, kind: 'email', url });
      expect(res.status, url).toBe(400);
      expect(res.body.error.message, url).toMatch(/^url: /);
    }
  });
});

describe('email with a wrong SMTP password', () => {
  it('when the server refuses the login, then the delivery is dead at once (no retry can help)', async () => {
    t = await app('wrong-password');
    await seedDepartment(t, 'yjj', '市应急管理局');
    const ch = (await t.call('POST', '/api/channels', { name: '值班邮箱', kind: 'email', url: 'mailto:duty@zwgk.example.gov.cn' })).body;
    const test = await t.call('POST', `/api/channels/${ch.id}/test`);
    expect(test.status).toBe(200);
    expect(test.body.ok).toBe(false);
    expect(test.body.error).toMatch(/^邮件发送失败（(EAUTH|SMTP 535)）/);
    expect((await t.call('GET', `/api/channels/${ch.id}`)).body.health).toBe('misconfigured');
  });
});

describe('without SMTP', () => {
  it('when no mailer is configured (Workers, or no SMTP_URL), then creating an email channel is a 422 that says why', async () => {
    t = await startTestApp();
    const res = await t.call('POST', '/api/channels', { name: '邮箱', kind: 'email', url: 'mailto:duty@zwgk.example.gov.cn' });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toContain('SMTP_URL');
  });
});
