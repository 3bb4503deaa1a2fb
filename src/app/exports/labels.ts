import type { CommitmentStatus, IncidentStatus } from '../../domain/deadlines/commitments.js';
import type { InterpretationStatus } from '../../domain/deadlines/interpretation.js';

// The words people read in exports and reports (the pages use the same words).

export const INTERPRETATION_STATUS_LABELS: Record<InterpretationStatus, string> = {
  pending: '待解读',
  overdue: '逾期',
  on_time: '按时',
  late: '迟发',
  exempt: '免于解读',
};

/** A document not yet published (SPEC §12). */
export const DRAFTING_LABEL = '起草中';

export const INCIDENT_STATUS_LABELS: Record<IncidentStatus, string> = { open: '进行中', closed: '已关闭', dismissed: '已排除' };

export const COMMITMENT_STATUS_LABELS: Record<CommitmentStatus, string> = {
  open: '进行中',
  met: '已按时完成',
  late: '超时完成',
  missed: '已超时',
  cancelled: '已取消',
};

export const IMPORTANCE_LABELS = { normal: '普通', major: '重大' } as const;

/** `2026-11-20` → `20261120`, for file names. */
export const compactDate = (date: string) => date.replace(/-/g, '');
