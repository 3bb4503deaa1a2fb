// Tables 三 and 四 of the annual report on government information disclosure (条例 art. 50, format
// of 国办公开办函〔2021〕30号), counted from the request register. Pure: requests in, tables out.

import {
  APPLICANT_TYPE_LABELS,
  APPLICANT_TYPES,
  OUTCOME_REASONS,
  OUTCOME_ROW_LABELS,
  OUTCOMES,
  REASON_ROW_LABELS,
  REVIEW_KINDS,
  REVIEW_RESULTS,
  type ApplicantType,
  type Outcome,
  type ReviewKind,
  type ReviewResult,
} from './vocabulary.js';

/** One request as the report reads it. */
export interface ReportRequest {
  receivedDate: string;
  applicantType: ApplicantType;
  /** How and when it ended (the first answering or closing event), if it has. */
  closing: { type: 'answered' | 'withdrawn' | 'abandoned'; date: string; outcome?: Outcome | null; reason?: string | null } | null;
  /** Its review events (行政复议、行政诉讼), in date order. */
  reviews: { kind: ReviewKind; result: ReviewResult; date: string }[];
}

export const TABLE3_COLUMNS = [...APPLICANT_TYPES, 'total'] as const;
export type Table3Column = (typeof TABLE3_COLUMNS)[number];
export const TABLE3_COLUMN_LABELS: Record<Table3Column, string> = { ...APPLICANT_TYPE_LABELS, total: '总计' };

export interface Table3Row {
  /** 'received', 'carried_over', an outcome ('disclosed'), an outcome and reason ('withheld.state_secret'), 'results_total', 'carried_forward'. */
  key: string;
  /** The row's words as printed (for item rows, the item's). */
  label: string;
  /** For item rows of （三）–（六）: the group's words. */
  group?: string;
  values: Record<Table3Column, number>;
}

/** Every row of table 三, in the printed order. */
export const TABLE3_ROWS: readonly Omit<Table3Row, 'values'>[] = [
  { key: 'received', label: '一、本年新收政府信息公开申请数量' },
  { key: 'carried_over', label: '二、上年结转政府信息公开申请数量' },
  ...OUTCOMES.flatMap((outcome): Omit<Table3Row, 'values'>[] => {
    const reasons: readonly string[] = OUTCOME_REASONS[outcome];
    if (reasons.length === 0) return [{ key: outcome, label: OUTCOME_ROW_LABELS[outcome] }];
    return reasons.map((reason) => ({ key: `${outcome}.${reason}`, label: REASON_ROW_LABELS[outcome]![reason]!, group: OUTCOME_ROW_LABELS[outcome] }));
  }),
  { key: 'results_total', label: '（七）总计' },
  { key: 'carried_forward', label: '四、结转下年度继续办理' },
];

/** The result row of a closed request: the answer's outcome, or （六） for withdrawals and abandonment (SPEC §13). */
export function resultRowKey(closing: NonNullable<ReportRequest['closing']>): string {
  if (closing.type === 'withdrawn') return 'other.other';
  if (closing.type === 'abandoned') return `other.${closing.reason === 'fee_unpaid' ? 'fee_unpaid' : 'no_correction'}`;
  const outcome = closing.outcome ?? 'other';
  return OUTCOME_REASONS[outcome].length === 0 ? outcome : `${outcome}.${closing.reason ?? 'other'}`;
}

const emptyValues = (): Record<Table3Column, number> => Object.fromEntries(TABLE3_COLUMNS.map((c) => [c, 0])) as Record<Table3Column, number>;

/**
 * Table 三 for `year`:
 *  一 received in the year; 二 received before it and neither answered nor closed by its start;
 *  三 answered or closed in the year, by outcome (（七） their sum); 四 received by the year's end
 *  and still open at its end.
 */
export function table3(requests: readonly ReportRequest[], year: number): Table3Row[] {
  const start = `${year}-01-01`;
  const end = `${year}-12-31`;
  const rows = new Map(TABLE3_ROWS.map((r) => [r.key, { ...r, values: emptyValues() }]));
  const count = (key: string, type: ApplicantType) => {
    const values = rows.get(key)!.values;
    values[type]++;
    values.total++;
  };
  for (const req of requests) {
    if (req.receivedDate > end) continue;
    const closedOn = req.closing?.date ?? null;
    if (req.receivedDate >= start) count('received', req.applicantType);
    else if (closedOn === null || closedOn >= start) count('carried_over', req.applicantType);
    if (req.closing && closedOn! >= start && closedOn! <= end) {
      count(resultRowKey(req.closing), req.applicantType);
      count('results_total', req.applicantType);
    }
    if (closedOn === null || closedOn > end) count('carried_forward', req.applicantType);
  }
  return [...rows.values()];
}

export interface Table3Check {
  /** 一 + 二 = （七） + 四 in every column, and （七） is the sum of （一）–（六）. */
  passed: boolean;
  columns: { column: Table3Column; label: string; left: number; right: number; passed: boolean }[];
  /** Columns whose （七） is not the sum of the rows above it. */
  totalMismatches: Table3Column[];
}

/** The table's own check (本列数据的勾稽关系): 一 + 二 = （七） + 四, column by column. */
export function checkTable3(rows: readonly Table3Row[]): Table3Check {
  const byKey = new Map(rows.map((r) => [r.key, r.values]));
  const value = (key: string, c: Table3Column) => byKey.get(key)?.[c] ?? 0;
  const resultKeys = rows.filter((r) => !['received', 'carried_over', 'results_total', 'carried_forward'].includes(r.key)).map((r) => r.key);
  const columns = TABLE3_COLUMNS.map((column) => {
    const left = value('received', column) + value('carried_over', column);
    const right = value('results_total', column) + value('carried_forward', column);
    return { column, label: TABLE3_COLUMN_LABELS[column], left, right, passed: left === right };
  });
  const totalMismatches = TABLE3_COLUMNS.filter((c) => resultKeys.reduce((sum, k) => sum + value(k, c), 0) !== value('results_total', c));
  return { passed: columns.every((c) => c.passed) && totalMismatches.length === 0, columns, totalMismatches };
}

export type Table4Group = Record<ReviewResult | 'total', number>;
export type Table4 = Record<ReviewKind, Table4Group>;

/**
 * Table 四: one case per request and kind of review, counted in the year it was brought (its first
 * event), with its result as known at the year's end (尚未审结 if still pending then).
 */
export function table4(requests: readonly ReportRequest[], year: number): Table4 {
  const end = `${year}-12-31`;
  const table = Object.fromEntries(
    REVIEW_KINDS.map((k) => [k, Object.fromEntries([...REVIEW_RESULTS, 'total'].map((r) => [r, 0]))]),
  ) as Table4;
  for (const req of requests) {
    for (const kind of REVIEW_KINDS) {
      const events = req.reviews.filter((r) => r.kind === kind && r.date <= end);
      if (events.length === 0 || !events[0]!.date.startsWith(`${year}-`)) continue;
      table[kind][events.at(-1)!.result]++;
      table[kind].total++;
    }
  }
  return table;
}
