import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { composeDigest, composeMessage, formatSpan, type AlertFacts, type Message } from '../../../src/domain/notifications/messages.js';
import {
  buildRequests,
  cutUtf8,
  judgeAnswer,
  nextAttemptAt,
  RETRY_DELAYS_MS,
} from '../../../src/domain/notifications/platforms.js';
import {
  dingtalkSignedUrl,
  feishuSignature,
  isWebhookSecret,
  newWebhookSecret,
  standardWebhookHeaders,
} from '../../../src/domain/notifications/signing.js';
import { parseInstant } from '../../../src/domain/time.js';

const at = (iso: string) => parseInstant(iso)!;

describe('signatures, against node:crypto computed from the platforms’ descriptions', () => {
  it('DingTalk: HMAC-SHA256 keyed by the secret over "timestamp\\nsecret", base64, URL-encoded, ms timestamp in the query', async () => {
    const secret = 'SECabc+/=';
    const ts = 1_763_600_000_123;
    const url = await dingtalkSignedUrl('https://oapi.dingtalk.com/robot/send?access_token=t0', secret, ts);
    const expected = createHmac('sha256', secret).update(`${ts}\n${secret}`).digest('base64');
    expect(url).toBe(`https://oapi.dingtalk.com/robot/send?access_token=t0&timestamp=${ts}&sign=${encodeURIComponent(expected)}`);
    expect(new URL(url).searchParams.get('sign')).toBe(expected);
    expect(await dingtalkSignedUrl('https://x.example/send', 's', 1)).toMatch(/^https:\/\/x\.example\/send\?timestamp=1&sign=/);
  });

  it('Feishu: HMAC-SHA256 keyed by "timestamp\\nsecret" over an empty message, base64, seconds', async () => {
    const signed = await feishuSignature('demo-secret', 1_763_600_000);
    expect(signed).toEqual({ timestamp: '1763600000', sign: createHmac('sha256', '1763600000\ndemo-secret').update('').digest('base64') });
  });

  it('Standard Webhooks: v1,base64(HMAC-SHA256(base64-decoded key, id.timestamp.body))', async () => {
    const key = Buffer.alloc(32, 9);
    const secret = `whsec_${key.toString('base64')}`;
    const headers = await standardWebhookHeaders(secret, '42', 1_763_600_000, '{"a":1}');
    expect(headers).toEqual({
      'webhook-id': '42',
      'webhook-timestamp': '1763600000',
      'webhook-signature': `v1,${createHmac('sha256', key).update('42.1763600000.{"a":1}').digest('base64')}`,
    });
  });

  it('webhook secrets: whsec_ + base64 of 24–64 bytes', () => {
    expect(isWebhookSecret(newWebhookSecret(new Uint8Array(32)))).toBe(true);
    expect(isWebhookSecret(`whsec_${Buffer.alloc(23).toString('base64')}`)).toBe(false);
    expect(isWebhookSecret(`whsec_${Buffer.alloc(65).toString('base64')}`)).toBe(false);
    expect(isWebhookSecret('whsec_!!!')).toBe(false);
    expect(isWebhookSecret(Buffer.alloc(32).toString('base64'))).toBe(false);
  });
});

describe('reading answers', () => {
  it.each([
    ['dingtalk', 200, '{"errcode":0,"errmsg":"ok"}', 'sent'],
    ['dingtalk', 200, '{"errcode":310000,"errmsg":"sign not match"}', 'misconfigured'],
    ['dingtalk', 200, '{"errcode":300001,"errmsg":"token is not exist"}', 'misconfigured'],
    ['dingtalk', 200, '{"errcode":130101,"errmsg":"send too fast"}', 'rate_limited'],
    ['dingtalk', 200, '{"errcode":460101,"errmsg":"message too long"}', 'retry'],
    ['dingtalk', 200, 'not json', 'retry'],
    ['dingtalk', 200, '{"ok":true}', 'retry'],
    ['wecom', 200, '{"errcode":0,"errmsg":"ok"}', 'sent'],
    ['wecom', 200, '{"errcode":93000,"errmsg":"invalid webhook url"}', 'misconfigured'],
    ['wecom', 200, '{"errcode":45009,"errmsg":"api freq out of limit"}', 'retry'],
    ['feishu', 200, '{"code":0,"msg":"success","data":{}}', 'sent'],
    ['feishu', 200, '{"StatusCode":0,"StatusMessage":"success"}', 'sent'],
    ['feishu', 200, '{"code":19021,"msg":"sign match fail"}', 'misconfigured'],
    ['feishu', 200, '{"code":19024,"msg":"Key Words Not Found"}', 'misconfigured'],
    ['feishu', 200, '{"code":11232,"msg":"frequency limited"}', 'retry'],
    ['webhook', 204, '', 'sent'],
    ['webhook', 200, 'anything', 'sent'],
    ['webhook', 302, '', 'retry'],
    ['webhook', 401, '', 'misconfigured'],
    ['webhook', 403, '', 'misconfigured'],
    ['webhook', 404, '', 'misconfigured'],
    ['webhook', 410, '', 'misconfigured'],
    ['webhook', 429, '', 'retry'],
    ['webhook', 500, '', 'retry'],
    ['dingtalk', 502, '{"errcode":0}', 'retry'],
  ] as const)('%s answering HTTP %i %s is %s', (kind, status, text, outcome) => {
    expect(judgeAnswer(kind, status, text).outcome).toBe(outcome);
  });

  it('retries at 1, 5, 30, 120 and 360 minutes after the 1st … 5th failure; the 6th is final', () => {
    expect(RETRY_DELAYS_MS.map((ms) => ms / 60_000)).toEqual([1, 5, 30, 120, 360]);
    expect([1, 2, 3, 4, 5].map((n) => nextAttemptAt(n, 1000)! - 1000)).toEqual([...RETRY_DELAYS_MS]);
    expect(nextAttemptAt(6, 1000)).toBeNull();
  });
});

describe('writing messages', () => {
  const facts = (over: Partial<AlertFacts> = {}): AlertFacts => ({
    id: 1,
    type: 'interpretation_overdue',
    message: '《某文件》的政策解读应于 2026-11-19（含）前发布，现已逾期',
    subject: '某文件',
    departmentName: '市发展改革委',
    severity: null,
    deadlineAt: at('2026-11-20'), // the midnight ending 11-19
    documentId: 7,
    incidentId: null,
    feedId: null,
    ...over,
  });

  it('an overdue interpretation: what, whose, the deadline as 24:00 of the due date, how late, a link', () => {
    expect(composeMessage(facts(), at('2026-11-21T10:30:00+08:00'), 'https://zwgk.example.gov.cn/')).toEqual({
      title: '【解读逾期】某文件',
      lines: [
        '《某文件》的政策解读应于 2026-11-19（含）前发布，现已逾期',
        '起草部门：市发展改革委',
        '时限：2026-11-19 24:00（北京时间）',
        '状态：已超时 1 天 10 小时',
      ],
      link: 'https://zwgk.example.gov.cn/documents/7',
    });
  });

  it('a commitment: the due minute in Beijing time and the time left; without PUBLIC_URL the bare path', () => {
    const m = composeMessage(
      facts({ type: 'commitment_due_soon', subject: '某事件', severity: 'major', deadlineAt: at('2026-11-20T15:00:00+08:00'), documentId: null, incidentId: 3, message: '…' }),
      at('2026-11-20T14:00:00+08:00'),
      null,
    );
    expect(m.lines).toEqual(['…', '责任部门：市发展改革委', '级别：重大', '时限：2026-11-20 15:00（北京时间）', '状态：剩余 1 小时']);
    expect(m.link).toBe('/incidents/3');
  });

  it('spans read as people say them', () => {
    expect(formatSpan(30_000)).toBe('不到 1 分钟');
    expect(formatSpan(12 * 60_000 + 59_000)).toBe('12 分钟');
    expect(formatSpan(3 * 3_600_000)).toBe('3 小时');
    expect(formatSpan(4 * 3_600_000 + 5 * 60_000)).toBe('4 小时 5 分');
    expect(formatSpan(2 * 86_400_000)).toBe('2 天');
    expect(formatSpan(-(86_400_000 + 3 * 3_600_000))).toBe('1 天 3 小时');
  });

  it('a digest lists ten titles and counts the rest', () => {
    const many: Message[] = Array.from({ length: 13 }, (_, i) => ({ title: `【回应超时】事件${i}`, lines: [], link: '/' }));
    const d = composeDigest(many, 'https://a.example');
    expect(d.title).toBe('【提醒汇总】共 13 条');
    expect(d.lines.filter((l) => l.startsWith('【回应超时】'))).toHaveLength(10);
    expect(d.lines.at(-1)).toBe('另有 3 条提醒，请登录平台查看');
    expect(composeDigest(many.slice(0, 2), null).lines.at(-1)).toBe('【回应超时】事件1');
  });

  it('cuts UTF-8 on a character boundary, ending in …', () => {
    expect(cutUtf8('短', 10)).toBe('短');
    const cut = cutUtf8('汉'.repeat(10), 10); // 3 bytes each; "…" is 3
    expect(cut).toBe('汉汉…');
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(10);
    expect(cutUtf8('a😀b', 6)).toBe('a😀b'); // exactly 6 bytes: fits
    expect(cutUtf8('a😀b', 5)).toBe('a…'); // never half an emoji
    expect(Buffer.byteLength(cutUtf8('x'.repeat(5000), 4096))).toBe(4096);
  });

  it('a keyword missing from the text is added; present, nothing changes', async () => {
    const message: Message = { title: '【解读逾期】某文件', lines: ['某行'], link: 'https://a.example/d/1' };
    const target = { kind: 'dingtalk' as const, url: 'https://x.example/send', secret: null, keyword: '提醒', mentionMobiles: [] };
    const [withKeyword] = await buildRequests(target, message, { id: '1', payload: {} }, 0);
    expect(JSON.parse(withKeyword!.body).markdown.text).toContain('（提醒）');
    const [already] = await buildRequests({ ...target, keyword: '逾期' }, message, { id: '1', payload: {} }, 0);
    expect(JSON.parse(already!.body).markdown.text).not.toContain('（逾期）');
    expect(await buildRequests({ ...target, kind: 'email' }, message, { id: '1', payload: {} }, 0)).toEqual([]);
  });
});
