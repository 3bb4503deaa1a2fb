// SPEC §4. Sources of the default numbers: 国办发〔2016〕61号 (press conference within 24 hours
// for 特别重大 / 重大 emergencies; other public concerns answered within 48 hours) and its
// implementing rules 国办发〔2016〕80号 (authoritative information within 5 hours).

export const SEVERITIES = ['especially_major', 'major', 'large', 'general'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const SEVERITY_LABELS: Record<Severity, string> = {
  especially_major: '特别重大',
  major: '重大',
  large: '较大',
  general: '一般',
};

/** Higher is stricter. */
export const SEVERITY_RANK: Record<Severity, number> = { especially_major: 4, major: 3, large: 2, general: 1 };

export interface CommitmentRule {
  kind: string;
  hours: number;
}

export type ResponsePolicyRules = Record<Severity, CommitmentRule[]>;

export const COMMITMENT_LABELS: Record<string, string> = {
  authoritative_release: '发布权威信息',
  press_conference: '召开新闻发布会',
  response: '回应关切',
};

export const DEFAULT_RESPONSE_POLICY: ResponsePolicyRules = {
  especially_major: [
    { kind: 'authoritative_release', hours: 5 },
    { kind: 'press_conference', hours: 24 },
  ],
  major: [
    { kind: 'authoritative_release', hours: 5 },
    { kind: 'press_conference', hours: 24 },
  ],
  large: [{ kind: 'response', hours: 48 }],
  general: [{ kind: 'response', hours: 48 }],
};

const HOUR_MS = 3_600_000;

export interface PlannedCommitment {
  kind: string;
  dueAt: number;
}

/** The commitments a severity carries, each due a wall-clock duration after startedAt. */
export function commitmentsFor(policy: ResponsePolicyRules, severity: Severity, startedAt: number): PlannedCommitment[] {
  return policy[severity].map((r) => ({ kind: r.kind, dueAt: startedAt + Math.round(r.hours * HOUR_MS) }));
}

/** Problems with a policy, as `path: message` (empty when it is sound). */
export function policyProblems(policy: ResponsePolicyRules): string[] {
  const problems: string[] = [];
  for (const severity of SEVERITIES) {
    const kinds = new Set<string>();
    policy[severity].forEach((r, i) => {
      if (kinds.has(r.kind)) problems.push(`rules.${severity}[${i}].kind: 同一等级中 ${r.kind} 重复`);
      kinds.add(r.kind);
    });
  }
  return problems;
}
