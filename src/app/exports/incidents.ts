import { and, asc, between, gt } from 'drizzle-orm';
import { commitmentClock, type IncidentStatus } from '../../domain/deadlines/commitments.js';
import { COMMITMENT_LABELS, SEVERITY_LABELS } from '../../domain/deadlines/response-policy.js';
import { beijingMinute } from '../../domain/notifications/messages.js';
import { shanghaiDate } from '../../domain/time.js';
import { commitments, departments, incidents } from '../../db/schema.js';
import type { AppContext } from '../context.js';
import { incidentConditions } from '../incidents.js';
import { COMMITMENT_STATUS_LABELS, compactDate, INCIDENT_STATUS_LABELS } from './labels.js';
import { keysetPages, type Cell, type ExportTable } from './table.js';

const CHUNK = 500;

const COLUMNS = [
  { header: '事件编号', width: 8 },
  { header: '事件标题', width: 40 },
  { header: '严重程度', width: 8 },
  { header: '责任部门', width: 18 },
  { header: '部门代码', width: 10 },
  { header: '事件状态', width: 8 },
  { header: '开始时间（北京时间）', width: 18 },
  { header: '并入事件', width: 8 },
  { header: '摘要', width: 40 },
  { header: '回应事项', width: 14 },
  { header: '回应时限（北京时间）', width: 18 },
  { header: '完成时间（北京时间）', width: 18 },
  { header: '回应状态', width: 10 },
  { header: '回应链接', width: 40 },
  { header: '备注', width: 30 },
];

export interface IncidentExportQuery {
  status?: IncidentStatus;
  q?: string;
  /** Commitment statuses as of this instant. */
  asOf: number;
}

/**
 * Incidents as the list filters them, each with its response commitments: one row per
 * commitment (the incident's columns repeated), or one row with the commitment columns empty
 * for an incident that has none.
 */
export async function incidentsExport(ctx: AppContext, query: IncidentExportQuery): Promise<ExportTable> {
  const names = new Map((await ctx.db.orm.select({ code: departments.code, name: departments.name }).from(departments)).map((d) => [d.code, d.name]));
  const condition = incidentConditions(query);
  const page = (after: number | null) =>
    ctx.db.orm
      .select()
      .from(incidents)
      .where(and(condition, after === null ? undefined : gt(incidents.id, after)))
      .orderBy(asc(incidents.id))
      .limit(CHUNK);
  async function* chunks(): AsyncGenerator<Cell[][], void, undefined> {
    for await (const rows of keysetPages(CHUNK, page, (r) => r.id)) {
      // The page's commitments by an id range (not a list of ids: D1 takes at most 100 bound parameters).
      const cs = await ctx.db.orm
        .select()
        .from(commitments)
        .where(between(commitments.incidentId, rows[0]!.id, rows[rows.length - 1]!.id))
        .orderBy(asc(commitments.incidentId), asc(commitments.dueAt), asc(commitments.id));
      const byIncident = new Map<number, typeof cs>();
      for (const c of cs) byIncident.set(c.incidentId, [...(byIncident.get(c.incidentId) ?? []), c]);
      const out: Cell[][] = [];
      for (const i of rows) {
        const incident: Cell[] = [
          i.id,
          i.title,
          SEVERITY_LABELS[i.severity],
          i.departmentCode === null ? null : (names.get(i.departmentCode) ?? i.departmentCode),
          i.departmentCode,
          INCIDENT_STATUS_LABELS[i.status],
          beijingMinute(i.startedAt),
          i.mergedIntoId,
          i.summary,
        ];
        const own = byIncident.get(i.id) ?? [];
        if (own.length === 0) out.push([...incident, null, null, null, null, null, null]);
        for (const c of own) {
          const clock = commitmentClock(c, i, query.asOf);
          out.push([
            ...incident,
            COMMITMENT_LABELS[c.kind] ?? c.kind,
            beijingMinute(c.dueAt),
            c.fulfilledAt === null || c.fulfilledAt > query.asOf ? null : beijingMinute(c.fulfilledAt),
            COMMITMENT_STATUS_LABELS[clock.status],
            c.url,
            c.note,
          ]);
        }
      }
      yield out;
    }
  }
  const date = compactDate(shanghaiDate(query.asOf));
  return { fileName: `舆情事件-截至${date}`, asciiName: `incidents-${date}`, sheetName: '舆情事件与回应', columns: COLUMNS, chunks };
}
