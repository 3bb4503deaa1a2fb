import { describe, expect, it } from 'vitest';
import {
  ALERT_TYPES,
  ALERT_TYPE_LABELS,
  DIGEST_LISTED,
  ESCALATED_TYPES,
  beijingMinute,
  composeDigest,
  composeMessage,
  composeTest,
  formatSpan,
  pageLink,
  type AlertFacts,
  type Message,
} from '../../../src/domain/notifications/messages.js';
import { parseInstant } from '../../../src/domain/time.js';

const at = (iso: string) => parseInstant(iso)!;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function incident(over: Partial<AlertFacts> = {}): AlertFacts {
  return {
    id: 9,
    type: 'incident_opened',
    message: '规则“燃气爆炸”命中 2 条信息，已新建舆情事件',
    subject: '某小区燃气爆炸',
    departmentName: '市应急管理局',
    severity: 'especially_major',
    deadlineAt: at('2026-11-20T15:00:00+08:00'),
    documentId: null,
    incidentId: 4,
    feedId: null,
    ...over,
  };
}

describe('alert types', () => {
  it('when listed, then the types of SPEC §10 are there with their Chinese names, and the missed and overdue ones escalate', () => {
    expect(ALERT_TYPES).toEqual(
      expect.arrayContaining([
        'interpretation_due_soon',
        'interpretation_overdue',
        'incident_opened',
        'commitment_due_soon',
        'commitment_missed',
        'feed_failing',
      ]),
    );
    expect(ALERT_TYPE_LABELS).toMatchObject({
      interpretation_due_soon: '解读今日到期',
      interpretation_overdue: '解读逾期',
      incident_opened: '新舆情事件',
      commitment_due_soon: '回应时限将到',
      commitment_missed: '回应超时',
      feed_failing: '订阅源故障',
    });
    expect(ESCALATED_TYPES).toEqual(['commitment_missed', 'interpretation_overdue']);
  });

  it('when any type is shown, then it has a Chinese name, and no name is given to a type that does not exist', () => {
    expect(Object.keys(ALERT_TYPE_LABELS).sort()).toEqual([...ALERT_TYPES].sort());
    for (const type of ALERT_TYPES) expect(ALERT_TYPE_LABELS[type], type).toMatch(/^\p{Script=Han}{2,}/u);
  });
});

describe('beijingMinute and formatSpan', () => {
  it('when an instant is shown, then it is its Beijing minute, seconds dropped, across the date line', () => {
    expect(beijingMinute(at('2026-11-20T07:05:59Z'))).toBe('2026-11-20 15:05');
    expect(beijingMinute(at('2026-11-20T16:00:00Z'))).toBe('2026-11-21 00:00');
    expect(beijingMinute(at('2026-11-20T15:59:59.999Z'))).toBe('2026-11-20 23:59');
  });

  it.each([
    [0, '不到 1 分钟'],
    [MINUTE - 1, '不到 1 分钟'],
    [MINUTE, '1 分钟'],
    [59 * MINUTE + 59_999, '59 分钟'],
    [HOUR, '1 小时'],
    [HOUR + MINUTE, '1 小时 1 分'],
    [23 * HOUR + 59 * MINUTE, '23 小时 59 分'],
    [DAY, '1 天'],
    [DAY + 59 * MINUTE, '1 天'],
    [DAY + HOUR, '1 天 1 小时'],
    [3 * DAY + 23 * HOUR + 59 * MINUTE, '3 天 23 小时'],
    [-(HOUR + 30 * MINUTE), '1 小时 30 分'],
    [-(MINUTE - 1), '不到 1 分钟'],
  ])('when the span is %i ms, then it reads %s', (ms, text) => {
    expect(formatSpan(ms)).toBe(text);
  });
});

describe('pageLink', () => {
  it('when PUBLIC_URL is set, then the path is appended once, whatever slashes it ends with', () => {
    expect(pageLink('https://zwgk.example.gov.cn', '/incidents/4')).toBe('https://zwgk.example.gov.cn/incidents/4');
    expect(pageLink('https://zwgk.example.gov.cn/', '/incidents/4')).toBe('https://zwgk.example.gov.cn/incidents/4');
    expect(pageLink('https://zwgk.example.gov.cn/zwgk///', '/feeds')).toBe('https://zwgk.example.gov.cn/zwgk/feeds');
  });

  it('when PUBLIC_URL is not set or empty, then it is the bare path', () => {
    expect(pageLink(null, '/incidents/4')).toBe('/incidents/4');
    expect(pageLink('', '/incidents/4')).toBe('/incidents/4');
  });
});

describe('composeMessage', () => {
  it('when an incident is opened, then the heading carries its severity and no separate severity line is added', () => {
    expect(composeMessage(incident(), at('2026-11-20T11:00:00+08:00'), 'https://zwgk.example.gov.cn')).toEqual({
      title: '【新舆情事件·特别重大】某小区燃气爆炸',
      lines: [
        '规则“燃气爆炸”命中 2 条信息，已新建舆情事件',
        '责任部门：市应急管理局',
        '时限：2026-11-20 15:00（北京时间）',
        '状态：剩余 4 小时',
      ],
      link: 'https://zwgk.example.gov.cn/incidents/4',
    });
  });

  it('when an incident without a severity is opened, then the heading is the type alone', () => {
    expect(composeMessage(incident({ severity: null }), 0, null).title).toBe('【新舆情事件】某小区燃气爆炸');
  });

  it('when a commitment is missed, then the severity has its own line and the time is counted as overdue', () => {
    const m = composeMessage(incident({ type: 'commitment_missed', severity: 'general', message: '回应关切已超时' }), at('2026-11-20T17:30:00+08:00'), null);
    expect(m.title).toBe('【回应超时】某小区燃气爆炸');
    expect(m.lines).toEqual(['回应关切已超时', '责任部门：市应急管理局', '级别：一般', '时限：2026-11-20 15:00（北京时间）', '状态：已超时 2 小时 30 分']);
  });

  it('when sent exactly at the deadline, then it is already overdue by less than a minute', () => {
    const deadline = at('2026-11-20T15:00:00+08:00');
    expect(composeMessage(incident({ type: 'commitment_due_soon' }), deadline, null).lines.at(-1)).toBe('状态：已超时 不到 1 分钟');
    expect(composeMessage(incident({ type: 'commitment_due_soon' }), deadline - 1, null).lines.at(-1)).toBe('状态：剩余 不到 1 分钟');
  });

  it('when an interpretation falls due, then the deadline is 24:00 of the due date, not 00:00 of the next', () => {
    const m = composeMessage(
      { ...incident(), type: 'interpretation_due_soon', severity: null, subject: '关于某事项的通知', documentId: 12, incidentId: null, deadlineAt: at('2026-11-21') },
      at('2026-11-20T09:00:00+08:00'),
      null,
    );
    expect(m.title).toBe('【解读今日到期】关于某事项的通知');
    expect(m.lines.slice(1)).toEqual(['起草部门：市应急管理局', '时限：2026-11-20 24:00（北京时间）', '状态：剩余 15 小时']);
    expect(m.link).toBe('/documents/12');
  });

  it('when a request for disclosure falls due, then its deadline is 24:00 of the due date and the link is its page', () => {
    const m = composeMessage(
      { ...incident(), type: 'disclosure_overdue', severity: null, subject: '申请公开某项目环评报告', incidentId: null, disclosureRequestId: 7, deadlineAt: at('2026-11-21') },
      at('2026-11-21T10:00:00+08:00'),
      null,
    );
    expect(m.lines.slice(-2)).toEqual(['时限：2026-11-20 24:00（北京时间）', '状态：已超时 10 小时']);
    expect(m.link).toBe('/disclosure/7');
  });

  it('when a feed fails, then there is no department, deadline or severity line, and the link is the feeds page', () => {
    const m = composeMessage(
      { ...incident(), type: 'feed_failing', message: '订阅源连续 5 次抓取失败', subject: '某市政府网站', departmentName: null, severity: null, deadlineAt: null, incidentId: null, feedId: 3 },
      0,
      'https://zwgk.example.gov.cn',
    );
    expect(m).toEqual({ title: '【订阅源故障】某市政府网站', lines: ['订阅源连续 5 次抓取失败'], link: 'https://zwgk.example.gov.cn/feeds' });
  });

  it('when an alert has no subject and no page, then the title is the heading alone and the link is the home page', () => {
    const m = composeMessage({ ...incident(), type: 'some_future_type', subject: null, severity: null, deadlineAt: null, departmentName: null, incidentId: null }, 0, null);
    expect(m).toEqual({ title: '【some_future_type】', lines: ['规则“燃气爆炸”命中 2 条信息，已新建舆情事件'], link: '/' });
  });

  it('when an alert names both a document and an incident, then the document page wins', () => {
    expect(composeMessage(incident({ documentId: 5 }), 0, null).link).toBe('/documents/5');
    expect(composeMessage(incident({ feedId: 2 }), 0, null).link).toBe('/incidents/4');
  });
});

describe('composeDigest and composeTest', () => {
  const titles = (n: number): Message[] => Array.from({ length: n }, (_, i) => ({ title: `【回应超时】事件${i + 1}`, lines: ['…'], link: `/incidents/${i + 1}` }));

  it('when exactly ten alerts are merged, then all ten are listed and nothing is left over', () => {
    expect(DIGEST_LISTED).toBe(10);
    expect(composeDigest(titles(10), null)).toEqual({
      title: '【提醒汇总】共 10 条',
      lines: ['本分钟内提醒较多（共 10 条），合并发送：', ...titles(10).map((m) => m.title)],
      link: '/',
    });
  });

  it('when eleven are merged, then ten are listed and one is counted', () => {
    const digest = composeDigest(titles(11), 'https://zwgk.example.gov.cn/');
    expect(digest.lines).toHaveLength(12);
    expect(digest.lines.slice(1, 11)).toEqual(titles(10).map((m) => m.title));
    expect(digest.lines.at(-1)).toBe('另有 1 条提醒，请登录平台查看');
    expect(digest.link).toBe('https://zwgk.example.gov.cn/');
  });

  it('when a test message is composed, then it names the channel, the Beijing time and the notifications page', () => {
    expect(composeTest('新闻办值班群', at('2026-11-20T02:03:04Z'), 'https://zwgk.example.gov.cn')).toEqual({
      title: '【测试消息】新闻办值班群',
      lines: ['这是一条测试消息，说明通知渠道「新闻办值班群」配置正确。', '发送时间：2026-11-20 10:03（北京时间）'],
      link: 'https://zwgk.example.gov.cn/notifications',
    });
  });
});
