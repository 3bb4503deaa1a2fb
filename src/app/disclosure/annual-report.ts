import { asc, eq, sql } from 'drizzle-orm';
import {
  checkTable3,
  table3,
  table4,
  TABLE3_COLUMN_LABELS,
  TABLE3_COLUMNS,
  type ReportRequest,
  type Table3Check,
  type Table3Row,
  type Table4,
} from '../../domain/disclosure/annual-report.js';
import type { ReviewKind, ReviewResult } from '../../domain/disclosure/vocabulary.js';
import { startOfShanghaiDay, toIsoUtc } from '../../domain/time.js';
import { annualReportInputs, disclosureEvents, disclosureRequests, documents } from '../../db/schema.js';
import type { Actor } from '../accounts/actor.js';
import { auditStatement } from '../audit.js';
import { keptWhile, nextUpdatedAt } from '../../db/guard.js';
import { changedMeanwhile, modifiedSince, retriedOnChange } from '../errors.js';
import { DOC_TYPE_LABELS, DOCUMENT_TYPES } from '../documents.js';
import type { AppContext } from '../context.js';
import type { EventDetails } from './records.js';

// The annual report on government information disclosure (条例 arts. 49–50, format of
// 国办公开办函〔2021〕30号) for one year: tables 三 and 四 from the request register, table 二 from
// documents with a docType plus the rows entered by hand, and the free-text parts.

/** What is entered by hand for a year; every field may be left empty. */
export interface AnnualReportInputs {
  /** The office's name, for the title ("某某局2026年政府信息公开工作年度报告"). */
  agencyName?: string | null;
  regulationRepealed?: number | null;
  /** Overrides the count of regulations in force (the register does not know repeals). */
  regulationInForce?: number | null;
  normativeRepealed?: number | null;
  normativeInForce?: number | null;
  /** 本年处理决定数量 of 行政许可, 行政处罚, 行政强制. */
  licensingDecisions?: number | null;
  punishmentDecisions?: number | null;
  enforcementDecisions?: number | null;
  /** 行政事业性收费 本年收费金额, in 万元. */
  feesAmount?: number | null;
  /** Parts 一, 五 and 六 of the report (free text). */
  overview?: string | null;
  problems?: string | null;
  otherMatters?: string | null;
}

export interface Table2Row {
  key: 'regulation' | 'normative';
  label: string;
  /** 本年制发件数: documents of the type published in the year. */
  made: number;
  /** 本年废止件数 (entered by hand). */
  repealed: number | null;
  /** 现行有效件数: entered by hand, else documents of the type published by the year's end. */
  inForce: number;
  inForceEnteredByHand: boolean;
}

export interface AnnualReport {
  year: number;
  title: string;
  agencyName: string | null;
  table2: {
    documents: Table2Row[];
    licensing: number | null;
    punishment: number | null;
    enforcement: number | null;
    /** 万元. */
    fees: number | null;
  };
  table3: { columns: { key: string; label: string }[]; rows: Table3Row[]; check: Table3Check };
  table4: Table4;
  /** 信息处理费 paid in the year (元), from fee_paid events. */
  processingFeesCollected: number;
  sections: { overview: string | null; problems: string | null; otherMatters: string | null };
  inputs: AnnualReportInputs;
  generatedAt: string;
}

export async function getReportInputs(ctx: AppContext, year: number): Promise<AnnualReportInputs> {
  return (await readReportInputs(ctx, year)).inputs;
}

/** The year's hand-entered rows with their version (updatedAt in ms; 0 before they are first saved). */
export async function readReportInputs(ctx: AppContext, year: number): Promise<{ inputs: AnnualReportInputs; version: number }> {
  const rows = await ctx.db.orm.select().from(annualReportInputs).where(eq(annualReportInputs.year, year));
  return rows[0] ? { inputs: JSON.parse(rows[0].inputs) as AnnualReportInputs, version: rows[0].updatedAt } : { inputs: {}, version: 0 };
}

const WHAT = '年度报告的填报内容';

/**
 * Replaces the year's hand-entered rows. With `ifVersion` (HTTP If-Match, the form's hidden field)
 * it is refused (412) unless they are still at one of those versions: two people filling in the
 * form at once would otherwise each replace the other's entries unseen. Without it, the last
 * save replaces what is there, as before.
 */
export async function saveReportInputs(
  ctx: AppContext,
  actor: Actor,
  year: number,
  inputs: AnnualReportInputs,
  ifVersion?: readonly number[],
): Promise<{ inputs: AnnualReportInputs; version: number }> {
  return retriedOnChange(
    () => saveReportInputsOnce(ctx, actor, year, inputs, ifVersion),
    () => changedMeanwhile(WHAT, year),
    ifVersion,
    async () => {
      const { version } = await readReportInputs(ctx, year);
      if (!ifVersion?.includes(version)) throw modifiedSince(WHAT, year, version);
    },
  );
}

async function saveReportInputsOnce(ctx: AppContext, actor: Actor, year: number, inputs: AnnualReportInputs, ifVersion?: readonly number[]) {
  const before = await readReportInputs(ctx, year);
  if (ifVersion && !ifVersion.includes(before.version)) throw modifiedSince(WHAT, year, before.version);
  const now = ctx.now();
  const t = annualReportInputs;
  const value = { inputs: JSON.stringify(inputs), updatedBy: actor.username };
  await ctx.db.batch([
    // A guard (db/guard.ts): fails if they were saved since the read (or first saved, from 0).
    ctx.db.orm
      .update(t)
      .set({ updatedAt: keptWhile(t.updatedAt, sql`${t.updatedAt} = ${before.version}`) })
      .where(eq(t.year, year)),
    ctx.db.orm
      .insert(t)
      .values({ year, ...value, updatedAt: now })
      .onConflictDoUpdate({ target: t.year, set: { ...value, updatedAt: nextUpdatedAt(t.updatedAt, now) } }),
    auditStatement(ctx, actor, 'annual_report', String(year), 'update', before.inputs, inputs),
  ]);
  // The version written (the guard held: the row was at before.version, or there was none).
  return { inputs, version: before.version === 0 ? now : Math.max(now, before.version + 1) };
}

const CLOSING = new Set(['answered', 'withdrawn', 'abandoned']);

/** Every request received by the year's end, with its closing, reviews and fees, as the report reads it. */
async function reportRequests(ctx: AppContext, year: number): Promise<{ requests: ReportRequest[]; feesPaid: number }> {
  const end = `${year}-12-31`;
  const rows = await ctx.db.orm
    .select({ id: disclosureRequests.id, receivedDate: disclosureRequests.receivedDate, applicantType: disclosureRequests.applicantType })
    .from(disclosureRequests)
    .where(sql`${disclosureRequests.receivedDate} <= ${end}`);
  const events = await ctx.db.orm
    .select({ requestId: disclosureEvents.requestId, type: disclosureEvents.type, date: disclosureEvents.date, details: disclosureEvents.details })
    .from(disclosureEvents)
    .innerJoin(disclosureRequests, eq(disclosureRequests.id, disclosureEvents.requestId))
    .where(sql`${disclosureRequests.receivedDate} <= ${end} AND ${disclosureEvents.type} IN ('answered', 'withdrawn', 'abandoned', 'review', 'fee_notice', 'fee_paid')`)
    .orderBy(asc(disclosureEvents.requestId), asc(disclosureEvents.date), asc(disclosureEvents.id));
  const byId = new Map<number, ReportRequest>(
    rows.map((r) => [r.id, { receivedDate: r.receivedDate, applicantType: r.applicantType, closing: null, reviews: [] }]),
  );
  let feesPaid = 0;
  const pendingFee = new Map<number, number>();
  for (const e of events) {
    const req = byId.get(e.requestId)!;
    const details = JSON.parse(e.details) as EventDetails;
    if (CLOSING.has(e.type)) {
      req.closing ??= { type: e.type as 'answered', date: e.date, outcome: details.outcome ?? null, reason: details.reason ?? null };
    } else if (e.type === 'review') {
      req.reviews.push({ kind: details.kind as ReviewKind, result: details.result as ReviewResult, date: e.date });
    } else if (e.type === 'fee_notice') {
      pendingFee.set(e.requestId, details.amount ?? 0);
    } else if (e.type === 'fee_paid' && e.date.startsWith(`${year}-`)) {
      feesPaid += pendingFee.get(e.requestId) ?? 0;
    }
  }
  return { requests: [...byId.values()], feesPaid };
}

async function documentCounts(ctx: AppContext, year: number) {
  const from = startOfShanghaiDay(`${year}-01-01`);
  const to = startOfShanghaiDay(`${year + 1}-01-01`);
  const rows = await ctx.db.orm
    .select({
      docType: documents.docType,
      made: sql<number>`SUM(CASE WHEN ${documents.publishedAt} >= ${from} THEN 1 ELSE 0 END)`,
      inForce: sql<number>`COUNT(*)`,
    })
    .from(documents)
    // Drafts are not made (制发) until published.
    .where(sql`${documents.docType} IS NOT NULL AND ${documents.drafting} = 0 AND ${documents.publishedAt} < ${to}`)
    .groupBy(documents.docType);
  const of = (type: string) => rows.find((r) => r.docType === type) ?? { made: 0, inForce: 0 };
  return { regulation: of('regulation'), normative: of('normative') };
}

export async function annualReport(ctx: AppContext, year: number): Promise<AnnualReport> {
  const inputs = await getReportInputs(ctx, year);
  const { requests, feesPaid } = await reportRequests(ctx, year);
  const counts = await documentCounts(ctx, year);
  const rows = table3(requests, year);
  const documentRow = (key: 'regulation' | 'normative', label: string): Table2Row => {
    const handInForce = key === 'regulation' ? inputs.regulationInForce : inputs.normativeInForce;
    return {
      key,
      label,
      made: Number(counts[key].made),
      repealed: (key === 'regulation' ? inputs.regulationRepealed : inputs.normativeRepealed) ?? null,
      inForce: handInForce ?? Number(counts[key].inForce),
      inForceEnteredByHand: handInForce !== undefined && handInForce !== null,
    };
  };
  const agencyName = inputs.agencyName?.trim() || null;
  return {
    year,
    title: `${agencyName ?? ''}${year}年政府信息公开工作年度报告`,
    agencyName,
    table2: {
      documents: DOCUMENT_TYPES.map((type) => documentRow(type, DOC_TYPE_LABELS[type])),
      licensing: inputs.licensingDecisions ?? null,
      punishment: inputs.punishmentDecisions ?? null,
      enforcement: inputs.enforcementDecisions ?? null,
      fees: inputs.feesAmount ?? null,
    },
    table3: { columns: TABLE3_COLUMNS.map((key) => ({ key, label: TABLE3_COLUMN_LABELS[key] })), rows, check: checkTable3(rows) },
    table4: table4(requests, year),
    processingFeesCollected: Math.round(feesPaid * 100) / 100,
    sections: { overview: inputs.overview ?? null, problems: inputs.problems ?? null, otherMatters: inputs.otherMatters ?? null },
    inputs,
    generatedAt: toIsoUtc(ctx.now()),
  };
}
