// SPEC §12: the interpretation plan (解读方案) drafted with a document, and what its interpretations
// delivered of it once the due date has ended. Pure: interpretations and times are passed in.

import { shanghaiDate } from '../time.js';

/** Where an interpretation is published: 政府网站, 政务微信, 政务微博, 客户端, 报纸, 广播电视, 其他. */
export const PLAN_CHANNELS = ['gov_website', 'wechat', 'weibo', 'app', 'newspaper', 'tv', 'other'] as const;
export type PlanChannel = (typeof PLAN_CHANNELS)[number];

export const CHANNEL_LABELS: Record<PlanChannel, string> = {
  gov_website: '政府网站',
  wechat: '政务微信',
  weibo: '政务微博',
  app: '客户端',
  newspaper: '报纸',
  tv: '广播电视',
  other: '其他',
};

/** Forms in which the principal leader interprets in person, whatever the flag says. */
export const LEADER_FORMS: readonly string[] = ['press_conference', 'interview'];

export interface InterpretationPlan {
  forms: string[];
  responsibleUserId: number | null;
  responsibleName: string | null;
  /** 主要负责人解读 promised: a press conference, an interview or a signed article. */
  leaderLed: boolean;
  channels: PlanChannel[];
  note: string | null;
}

/** What one linked interpretation delivered. */
export interface Delivered {
  form: string;
  channels: readonly string[];
  leaderLed: boolean;
  publishedAt: number;
}

export interface PlanGaps {
  /** Promised forms no interpretation took. */
  forms: string[];
  /** Promised channels no interpretation was published on. */
  channels: PlanChannel[];
  /** A leader-led interpretation was promised and none came. */
  leaderLed: boolean;
}

export const isLeaderLed = (i: { form: string; leaderLed: boolean }): boolean => i.leaderLed || LEADER_FORMS.includes(i.form);

const countedBy = (delivered: readonly Delivered[], asOf: number) => delivered.filter((d) => d.publishedAt <= asOf);

/**
 * The plan's promises that no interpretation published by `asOf` kept, once the due date has
 * ended (asOf on a later Shanghai date); null before that, and when there is no plan.
 */
export function planGaps(plan: InterpretationPlan | null, dueDate: string, delivered: readonly Delivered[], asOf: number): PlanGaps | null {
  if (plan === null || shanghaiDate(asOf) <= dueDate) return null;
  const counted = countedBy(delivered, asOf);
  const forms = new Set(counted.map((d) => d.form));
  const channels = new Set(counted.flatMap((d) => d.channels));
  return {
    forms: plan.forms.filter((f) => !forms.has(f)),
    channels: plan.channels.filter((c) => !channels.has(c)),
    leaderLed: plan.leaderLed && !counted.some(isLeaderLed),
  };
}

/** A major document expects a leader-led interpretation: true until one published by `asOf` exists. */
export function leaderLedMissing(importance: 'normal' | 'major', delivered: readonly Delivered[], asOf: number): boolean {
  return importance === 'major' && !countedBy(delivered, asOf).some(isLeaderLed);
}

/** Duplicates dropped, order kept: a plan or an interpretation names each form or channel once. */
export const distinct = <T>(values: readonly T[]): T[] => [...new Set(values)];
