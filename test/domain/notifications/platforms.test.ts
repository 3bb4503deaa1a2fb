import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { composeDigest, composeMessage, formatSpan, type AlertFacts, type Message } from '../../../src/domain/notifications/messages.js';
import {
  buildRequests,
  CHANNEL_KINDS,
  CHANNEL_KIND_LABELS,
  cutUtf8,
  dingtalkBody,
  feishuBody,
  judgeAnswer,
  MESSAGES_PER_MINUTE,
  nextAttemptAt,
  RATE_LIMIT_PAUSE_MS,
  RETRY_DELAYS_MS,
  WECOM_MARKDOWN_MAX_BYTES,
  wecomBodies,
  type ChannelTarget,
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

describe('channel kinds and limits', () => {
  it('when listed, then they are the five kinds of SPEC §10 with their Chinese names', () => {
    expect(CHANNEL_KINDS).toEqual(['dingtalk', 'wecom', 'feishu', 'webhook', 'email']);
    expect(CHANNEL_KIND_LABELS).toEqual({
      dingtalk: '钉钉群机器人',
      wecom: '企业微信群机器人',
      feishu: '飞书群机器人',
      webhook: 'Webhook（Standard Webhooks 签名）',
      email: '电子邮件',
    });
  });

  it('when the limits are read, then they are 20 messages a minute, a 10-minute pause and 4096 bytes of WeCom markdown', () => {
    expect(MESSAGES_PER_MINUTE).toBe(20);
    expect(RATE_LIMIT_PAUSE_MS).toBe(10 * 60_000);
    expect(WECOM_MARKDOWN_MAX_BYTES).toBe(4096);
  });
});

describe('platform bodies', () => {
  const message: Message = {
    title: '【回应超时】某区化工厂爆炸',
    lines: ['发布权威信息已超时', '责任部门：区应急管理局'],
    link: 'https://zwgk.example.gov.cn/incidents/3',
  };
  const relative: Message = { ...message, link: '/incidents/3' };

  it('when DingTalk gets a message with mentions, then it is markdown with a list, the link and the @mobiles', () => {
    expect(dingtalkBody(message, ['13800000000', '13900000000'])).toEqual({
      msgtype: 'markdown',
      markdown: {
        title: '【回应超时】某区化工厂爆炸',
        text: '### 【回应超时】某区化工厂爆炸\n\n- 发布权威信息已超时\n- 责任部门：区应急管理局\n\n[查看详情](https://zwgk.example.gov.cn/incidents/3)\n\n@13800000000 @13900000000',
      },
      at: { atMobiles: ['13800000000', '13900000000'], isAtAll: false },
    });
  });

  it('when DingTalk gets a message with a bare path and no mentions, then the path is shown as text and nobody is mentioned', () => {
    expect(dingtalkBody(relative, [])).toEqual({
      msgtype: 'markdown',
      markdown: { title: message.title, text: '### 【回应超时】某区化工厂爆炸\n\n- 发布权威信息已超时\n- 责任部门：区应急管理局\n\n页面：/incidents/3' },
      at: { atMobiles: [], isAtAll: false },
    });
  });

  it.each([
    ['http://zwgk.example.gov.cn/a', true],
    ['HTTPS://ZWGK.EXAMPLE.GOV.CN/a', true],
    ['/redirect?to=https://zwgk.example.gov.cn/', false],
    ['ftp://zwgk.example.gov.cn/a', false],
  ])('when the link is %s, then it is a clickable link: %s', (link, clickable) => {
    const text = (dingtalkBody({ ...message, link }, []) as { markdown: { text: string } }).markdown.text;
    expect(text.endsWith(clickable ? `[查看详情](${link})` : `页面：${link}`)).toBe(true);
  });

  it('when WeCom gets a message, then it is one markdown body with a bold title, quoted lines and the link', () => {
    expect(wecomBodies(message, [])).toEqual([
      {
        msgtype: 'markdown',
        markdown: { content: '**【回应超时】某区化工厂爆炸**\n> 发布权威信息已超时\n> 责任部门：区应急管理局\n[查看详情](https://zwgk.example.gov.cn/incidents/3)' },
      },
    ]);
    expect(wecomBodies(relative, [])).toEqual([
      { msgtype: 'markdown', markdown: { content: '**【回应超时】某区化工厂爆炸**\n> 发布权威信息已超时\n> 责任部门：区应急管理局\n页面：/incidents/3' } },
    ]);
  });

  it('when WeCom gets mentions, then a short text message follows that mentions them by mobile', () => {
    const bodies = wecomBodies(message, ['13800000000']);
    expect(bodies).toHaveLength(2);
    expect(bodies[1]).toEqual({ msgtype: 'text', text: { content: '请及时处理：【回应超时】某区化工厂爆炸', mentioned_mobile_list: ['13800000000'] } });
  });

  it('when a WeCom message is too long, then the markdown is cut to 4096 bytes and the mention text to 2048', () => {
    const long: Message = { title: '标'.repeat(1000), lines: ['行'.repeat(2000)], link: '/' };
    const [markdown, text] = wecomBodies(long, ['13800000000']) as [{ markdown: { content: string } }, { text: { content: string } }];
    expect(Buffer.byteLength(markdown.markdown.content)).toBeLessThanOrEqual(4096);
    expect(markdown.markdown.content.endsWith('…')).toBe(true);
    expect(Buffer.byteLength(text.text.content)).toBeLessThanOrEqual(2048);
    expect(Buffer.byteLength(text.text.content)).toBeGreaterThan(2040);
    expect(text.text.content.startsWith('请及时处理：标标')).toBe(true);
  });

  it('when Feishu gets a message, then it is a post with one paragraph per line and a link element, or the path as text', () => {
    expect(feishuBody(message)).toEqual({
      msg_type: 'post',
      content: {
        post: {
          zh_cn: {
            title: '【回应超时】某区化工厂爆炸',
            content: [
              [{ tag: 'text', text: '发布权威信息已超时' }],
              [{ tag: 'text', text: '责任部门：区应急管理局' }],
              [{ tag: 'a', text: '查看详情', href: 'https://zwgk.example.gov.cn/incidents/3' }],
            ],
          },
        },
      },
    });
    expect((feishuBody(relative) as { content: { post: { zh_cn: { content: unknown[] } } } }).content.post.zh_cn.content.at(-1)).toEqual([
      { tag: 'text', text: '页面：/incidents/3' },
    ]);
  });
});

describe('buildRequests', () => {
  const message: Message = { title: '【测试消息】值班群', lines: ['这是一条测试消息'], link: '/notifications' };
  const webhook = { id: 'delivery-7', payload: { type: 'test', alert: null } };
  const now = 1_763_600_000_999;
  const target = (over: Partial<ChannelTarget>): ChannelTarget => ({ kind: 'dingtalk', url: 'https://x.example/send', secret: null, keyword: null, mentionMobiles: [], ...over });
  const json = { 'Content-Type': 'application/json; charset=utf-8' };

  it('when DingTalk has a secret, then the URL is signed with the time in milliseconds', async () => {
    const [request] = await buildRequests(target({ secret: 'SECx' }), message, webhook, now);
    const sign = createHmac('sha256', 'SECx').update(`${now}\nSECx`).digest('base64');
    expect(request).toEqual({ url: `https://x.example/send?timestamp=${now}&sign=${encodeURIComponent(sign)}`, headers: json, body: JSON.stringify(dingtalkBody(message, [])) });
  });

  it('when WeCom has mentions, then two requests go to the same URL', async () => {
    const requests = await buildRequests(target({ kind: 'wecom', url: 'https://w.example/hook', mentionMobiles: ['13800000000'] }), message, webhook, now);
    expect(requests).toEqual(wecomBodies(message, ['13800000000']).map((body) => ({ url: 'https://w.example/hook', headers: json, body: JSON.stringify(body) })));
    expect(requests).toHaveLength(2);
  });

  it('when Feishu has a secret, then the body carries the time in seconds and the signature; without one, neither', async () => {
    const [signed] = await buildRequests(target({ kind: 'feishu', secret: 'fs' }), message, webhook, now);
    expect(signed!.url).toBe('https://x.example/send');
    expect(signed!.headers).toEqual(json);
    expect(JSON.parse(signed!.body)).toEqual({
      timestamp: '1763600000',
      sign: createHmac('sha256', '1763600000\nfs').update('').digest('base64'),
      ...feishuBody(message),
    });
    const [plain] = await buildRequests(target({ kind: 'feishu' }), message, webhook, now);
    expect(JSON.parse(plain!.body)).toEqual(feishuBody(message));
  });

  it('when Feishu has a keyword missing from the message, then it is added as a last paragraph', async () => {
    const [request] = await buildRequests(target({ kind: 'feishu', keyword: '值班' }), { ...message, title: '【测试消息】群' }, webhook, now);
    expect(JSON.parse(request!.body).content.post.zh_cn.content.slice(-2)[0]).toEqual([{ tag: 'text', text: '（值班）' }]);
  });

  it('when a webhook has a secret, then the payload is signed with Standard Webhooks headers in seconds; without one, it is not', async () => {
    const key = Buffer.alloc(32, 3);
    const [signed] = await buildRequests(target({ kind: 'webhook', secret: `whsec_${key.toString('base64')}` }), message, webhook, now);
    const body = JSON.stringify(webhook.payload);
    expect(signed).toEqual({
      url: 'https://x.example/send',
      headers: {
        ...json,
        'webhook-id': 'delivery-7',
        'webhook-timestamp': '1763600000',
        'webhook-signature': `v1,${createHmac('sha256', key).update(`delivery-7.1763600000.${body}`).digest('base64')}`,
      },
      body,
    });
    expect(await buildRequests(target({ kind: 'webhook' }), message, webhook, now)).toEqual([{ url: 'https://x.example/send', headers: json, body }]);
  });

  it('when the keyword is empty, or only spans the title and a line together, then it is (not) added accordingly', async () => {
    const text = async (keyword: string | null, m: Message) =>
      (JSON.parse((await buildRequests(target({ keyword }), m, webhook, now))[0]!.body) as { markdown: { text: string } }).markdown.text;
    expect(await text(null, message)).not.toContain('（');
    expect(await text('', message)).not.toContain('（）');
    // Title and first line are separate lines: a keyword made of the end of one and the start of the next is not in the text.
    expect(await text('值班群这是', { ...message, title: '【测试消息】值班群' })).toContain('（值班群这是）');
  });
});

describe('reading answers: what the reason says', () => {
  it.each([
    ['dingtalk', 404, '', 'misconfigured', '钉钉返回 HTTP 404：地址无效或无权访问，请检查渠道地址和密钥'],
    ['wecom', 500, '', 'retry', '企业微信返回 HTTP 500'],
    ['feishu', 199, '', 'retry', '飞书返回 HTTP 199'],
    ['email', 503, '', 'retry', '邮件服务器返回 HTTP 503'],
    ['webhook', 300, '', 'retry', 'Webhook返回 HTTP 300'],
    ['dingtalk', 200, '{"ok":true}', 'retry', '钉钉的应答无法识别（HTTP 200）：{"ok":true}'],
    ['dingtalk', 200, 'null', 'retry', '钉钉的应答无法识别（HTTP 200）：null'],
    ['feishu', 200, '{"data":{}}', 'retry', '飞书的应答无法识别（HTTP 200）：{"data":{}}'],
    ['wecom', 200, '{"code":0}', 'retry', '企业微信的应答无法识别（HTTP 200）：{"code":0}'],
    ['dingtalk', 200, '{"errcode":460101,"errmsg":"message too long"}', 'retry', '钉钉返回错误码 460101：message too long'],
    ['dingtalk', 200, '{"errcode":460101}', 'retry', '钉钉返回错误码 460101'],
    ['feishu', 200, '{"code":11232}', 'retry', '飞书返回错误码 11232'],
    ['feishu', 200, '{"StatusCode":11232}', 'retry', '飞书返回错误码 11232'],
    ['feishu', 200, '{"StatusCode":11232,"StatusMessage":"frequency limited"}', 'retry', '飞书返回错误码 11232：frequency limited'],
    ['wecom', 200, '{"errcode":93000,"errmsg":"invalid webhook url"}', 'misconfigured', '企业微信返回错误码 93000：invalid webhook url（渠道配置有误：请检查 Webhook 地址、加签密钥或自定义关键词）'],
    ['dingtalk', 200, '{"errcode":130101,"errmsg":"send too fast"}', 'rate_limited', '钉钉返回错误码 130101：send too fast（发送过快，平台限流 10 分钟）'],
    ['email', 200, '{"code":5,"msg":"busy"}', 'retry', '邮件服务器返回错误码 5：busy'],
  ] as const)('when %s answers HTTP %i %s, then it is %s: %s', (kind, status, text, outcome, reason) => {
    expect(judgeAnswer(kind, status, text)).toEqual({ outcome, reason });
  });

  it('when HTTP is 200 or 299 with the success code, then it is sent', () => {
    expect(judgeAnswer('webhook', 299, '')).toEqual({ outcome: 'sent' });
    expect(judgeAnswer('feishu', 200, '{"code":0}')).toEqual({ outcome: 'sent' });
  });

  it('when an answer or its message is long, then the reason keeps its first 200 characters', () => {
    const text = 'x'.repeat(500);
    expect(judgeAnswer('dingtalk', 200, text)).toEqual({ outcome: 'retry', reason: `钉钉的应答无法识别（HTTP 200）：${'x'.repeat(200)}` });
    expect(judgeAnswer('dingtalk', 200, JSON.stringify({ errcode: 1, errmsg: text }))).toEqual({ outcome: 'retry', reason: `钉钉返回错误码 1：${'x'.repeat(200)}` });
  });

  it('when a delivery has failed no time yet, then there is no retry delay for it', () => {
    expect(nextAttemptAt(0, 1000)).toBeNull();
  });
});
