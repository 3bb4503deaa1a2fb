import { describe, expect, it } from 'vitest';
import {
  CHANNEL_LABELS,
  PLAN_CHANNELS,
  distinct,
  isLeaderLed,
  leaderLedMissing,
  planGaps,
  type InterpretationPlan,
} from '../../../src/domain/deadlines/interpretation-plan.js';
import { parseInstant } from '../../../src/domain/time.js';

// SPEC §12: what a plan promised and no interpretation delivered, once the due date has ended.

const at = (iso: string) => parseInstant(iso)!;
const PLAN: InterpretationPlan = { forms: ['text', 'press_conference'], channels: ['gov_website', 'wechat'], leaderLed: true, responsibleUserId: null, responsibleName: null, note: null };
const DUE = '2026-11-05';

describe('planGaps', () => {
  it('when the due date has not ended (Shanghai date), then there are no gaps yet; from the next day every promise not kept is one', () => {
    expect(planGaps(PLAN, DUE, [], at('2026-11-05T23:59:59+08:00'))).toBeNull();
    expect(planGaps(PLAN, DUE, [], at('2026-11-06T00:00:00+08:00'))).toEqual({ forms: ['text', 'press_conference'], channels: ['gov_website', 'wechat'], leaderLed: true });
  });

  it('when interpretations came, then each counts from its publication: its form, its channels, and a leader if it was led by one', () => {
    const delivered = [
      { form: 'text', channels: ['gov_website'], leaderLed: false, publishedAt: at('2026-11-04T10:00:00+08:00') },
      { form: 'video', channels: ['wechat'], leaderLed: true, publishedAt: at('2026-11-12T10:00:00+08:00') },
    ];
    expect(planGaps(PLAN, DUE, delivered, at('2026-11-10T00:00:00+08:00'))).toEqual({ forms: ['press_conference'], channels: ['wechat'], leaderLed: true });
    expect(planGaps(PLAN, DUE, delivered, at('2026-11-12T10:00:00+08:00'))).toEqual({ forms: ['press_conference'], channels: [], leaderLed: false });
  });

  it('when there is no plan, or it promised no leader, then nothing of it is missing', () => {
    expect(planGaps(null, DUE, [], at('2026-12-01'))).toBeNull();
    expect(planGaps({ ...PLAN, leaderLed: false, channels: [] }, DUE, [], at('2026-12-01'))).toEqual({ forms: ['text', 'press_conference'], channels: [], leaderLed: false });
  });
});

describe('leader-led', () => {
  it('when an interpretation is a press conference or an interview, or marked so, then it is leader-led', () => {
    expect(['text', 'qa', 'graphic', 'video', 'expert', 'media', 'interview', 'press_conference'].filter((form) => isLeaderLed({ form, leaderLed: false }))).toEqual(['interview', 'press_conference']);
    expect(isLeaderLed({ form: 'text', leaderLed: true })).toBe(true);
  });

  it('when a major document has none published by asOf, then its leader is missing; a normal one never misses one', () => {
    const interview = [{ form: 'interview', channels: [], leaderLed: false, publishedAt: at('2026-11-10T10:00:00+08:00') }];
    expect(leaderLedMissing('major', interview, at('2026-11-10T09:59:59+08:00'))).toBe(true);
    expect(leaderLedMissing('major', interview, at('2026-11-10T10:00:00+08:00'))).toBe(false);
    expect(leaderLedMissing('normal', [], at('2026-11-10'))).toBe(false);
  });
});

describe('channels and lists', () => {
  it('when a channel is shown, then it has its Chinese name (SPEC §12), one for each channel', () => {
    expect(CHANNEL_LABELS).toEqual({
      gov_website: '政府网站',
      wechat: '政务微信',
      weibo: '政务微博',
      app: '客户端',
      newspaper: '报纸',
      tv: '广播电视',
      other: '其他',
    });
    expect(Object.keys(CHANNEL_LABELS)).toEqual([...PLAN_CHANNELS]);
  });

  it('when a plan or an interpretation names a form or channel twice, then distinct keeps each once, in first-seen order', () => {
    expect(distinct(['wechat', 'gov_website', 'wechat', 'weibo', 'gov_website'])).toEqual(['wechat', 'gov_website', 'weibo']);
    expect(distinct([])).toEqual([]);
  });
});
