import { describe, expect, it } from 'vitest';
import {
  COMMITMENT_LABELS,
  DEFAULT_RESPONSE_POLICY,
  SEVERITIES,
  SEVERITY_LABELS,
  SEVERITY_RANK,
  commitmentsFor,
  policyProblems,
  type ResponsePolicyRules,
} from '../../../src/domain/deadlines/response-policy.js';
import { parseInstant } from '../../../src/domain/time.js';

const STARTED = parseInstant('2025-11-20T10:00:00+08:00')!;
const HOUR = 3_600_000;

describe('severities', () => {
  it('when listed, then they run from the strictest down, with their Chinese names and ranks', () => {
    expect(SEVERITIES).toEqual(['especially_major', 'major', 'large', 'general']);
    expect(SEVERITY_LABELS).toEqual({ especially_major: '特别重大', major: '重大', large: '较大', general: '一般' });
    expect(SEVERITIES.map((s) => SEVERITY_RANK[s])).toEqual([4, 3, 2, 1]);
  });

  it('when commitment kinds are shown, then they have their Chinese names', () => {
    expect(COMMITMENT_LABELS).toEqual({
      authoritative_release: '发布权威信息',
      press_conference: '召开新闻发布会',
      response: '回应关切',
    });
  });
});

describe('commitmentsFor with the default policy (国办发〔2016〕61号, 80号)', () => {
  it.each(['especially_major', 'major'] as const)(
    'when the severity is %s, then authoritative information is due in 5 hours and a press conference in 24',
    (severity) => {
      expect(commitmentsFor(DEFAULT_RESPONSE_POLICY, severity, STARTED)).toEqual([
        { kind: 'authoritative_release', dueAt: parseInstant('2025-11-20T15:00:00+08:00') },
        { kind: 'press_conference', dueAt: parseInstant('2025-11-21T10:00:00+08:00') },
      ]);
    },
  );

  it.each(['large', 'general'] as const)('when the severity is %s, then a response is due in 48 hours', (severity) => {
    expect(commitmentsFor(DEFAULT_RESPONSE_POLICY, severity, STARTED)).toEqual([
      { kind: 'response', dueAt: parseInstant('2025-11-22T10:00:00+08:00') },
    ]);
  });

  it('when the clock starts across a date or a month end, then the duration is wall-clock hours, not working days', () => {
    const friday = parseInstant('2025-10-31T20:00:00+08:00')!;
    expect(commitmentsFor(DEFAULT_RESPONSE_POLICY, 'general', friday)).toEqual([
      { kind: 'response', dueAt: parseInstant('2025-11-02T20:00:00+08:00') },
    ]);
  });
});

describe('commitmentsFor with a configured policy', () => {
  const policy: ResponsePolicyRules = {
    especially_major: [{ kind: 'authoritative_release', hours: 2.5 }],
    major: [{ kind: 'authoritative_release', hours: 1 / 3 }],
    large: [],
    general: [{ kind: 'response', hours: 0.0000001 }],
  };

  it('when hours are fractional, then the due instant is rounded to the millisecond', () => {
    expect(commitmentsFor(policy, 'especially_major', STARTED)).toEqual([{ kind: 'authoritative_release', dueAt: STARTED + 2.5 * HOUR }]);
    expect(commitmentsFor(policy, 'major', STARTED)).toEqual([{ kind: 'authoritative_release', dueAt: STARTED + 1_200_000 }]);
    expect(commitmentsFor(policy, 'general', STARTED)).toEqual([{ kind: 'response', dueAt: STARTED }]); // 0.36 ms
  });

  it('when a severity has no rules, then it carries no commitment', () => {
    expect(commitmentsFor(policy, 'large', STARTED)).toEqual([]);
  });
});

describe('policyProblems', () => {
  it('when the default policy is checked, then it is sound', () => {
    expect(policyProblems(DEFAULT_RESPONSE_POLICY)).toEqual([]);
  });

  it('when the same kind appears in two severities, then that is allowed', () => {
    expect(policyProblems({ ...DEFAULT_RESPONSE_POLICY, large: [{ kind: 'press_conference', hours: 24 }] })).toEqual([]);
  });

  it('when a kind appears twice in one severity, then each repetition is named by its path', () => {
    const policy: ResponsePolicyRules = {
      ...DEFAULT_RESPONSE_POLICY,
      major: [
        { kind: 'press_conference', hours: 24 },
        { kind: 'authoritative_release', hours: 5 },
        { kind: 'press_conference', hours: 12 },
      ],
      general: [
        { kind: 'response', hours: 48 },
        { kind: 'response', hours: 24 },
        { kind: 'response', hours: 12 },
      ],
    };
    expect(policyProblems(policy)).toEqual([
      'rules.major[2].kind: 同一等级中 press_conference 重复',
      'rules.general[1].kind: 同一等级中 response 重复',
      'rules.general[2].kind: 同一等级中 response 重复',
    ]);
  });
});
