import { and, desc, lt } from 'drizzle-orm';
import { beijingMinute } from '../../domain/notifications/messages.js';
import { shanghaiDate } from '../../domain/time.js';
import { auditLog } from '../../db/schema.js';
import { AUDIT_ACTION_LABELS, AUDIT_ENTITY_LABELS, auditConditions, type AuditEntity, type AuditQuery } from '../audit.js';
import type { AppContext } from '../context.js';
import { compactDate } from './labels.js';
import { keysetPages, type Cell, type ExportTable } from './table.js';

const CHUNK = 500;

const COLUMNS = [
  { header: '编号', width: 8 },
  { header: '时间（北京时间）', width: 20 },
  { header: '操作人', width: 14 },
  { header: '操作', width: 12 },
  { header: '对象类型', width: 12 },
  { header: '对象编号', width: 10 },
  { header: '修改前', width: 50 },
  { header: '修改后', width: 50 },
];

/** `2026-11-20 10:00:05`: the audit log is read to the second. */
const beijingSecond = (ms: number) => `${beijingMinute(ms)}${new Date(ms).toISOString().slice(16, 19)}`;

/** The audit log as the list filters it, newest first (as the page shows it), before and after as JSON. */
export async function auditExport(ctx: AppContext, query: AuditQuery): Promise<ExportTable> {
  const condition = auditConditions(query);
  const page = (before: number | null) =>
    ctx.db.orm
      .select()
      .from(auditLog)
      .where(and(condition, before === null ? undefined : lt(auditLog.id, before)))
      .orderBy(desc(auditLog.id))
      .limit(CHUNK);
  const today = compactDate(shanghaiDate(ctx.now()));
  return {
    fileName: `审计日志-导出于${today}`,
    asciiName: `audit-log-${today}`,
    sheetName: '审计日志',
    columns: COLUMNS,
    async *chunks() {
      for await (const rows of keysetPages(CHUNK, page, (r) => r.id)) {
        yield rows.map((r): Cell[] => [
          r.id,
          beijingSecond(r.at),
          r.actor,
          AUDIT_ACTION_LABELS[r.action] ?? r.action,
          AUDIT_ENTITY_LABELS[r.entity as AuditEntity] ?? r.entity,
          r.entityId,
          r.before,
          r.after,
        ]);
      }
    },
  };
}
