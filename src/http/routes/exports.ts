import { createRoute, z } from '@hono/zod-openapi';
import type { AppContext } from '../../app/context.js';
import { invalidField } from '../../app/errors.js';
import { auditExport } from '../../app/exports/audit.js';
import { documentsExport } from '../../app/exports/documents.js';
import { incidentsExport } from '../../app/exports/incidents.js';
import { CONTENT_TYPES, exportStream, type ExportFormat, type ExportTable } from '../../app/exports/table.js';
import type { IncidentStatus } from '../../domain/deadlines/commitments.js';
import { parseInstant } from '../../domain/time.js';
import { createRouter } from '../router.js';
import { errorResponses, ErrorSchema, ExportFormatQuery, jsonResponse } from '../schemas.js';
import { AuditListQuery } from './accounts.js';
import { DocumentListQuery, documentQuery } from './documents.js';
import { IncidentListQuery } from './incidents.js';

/** What every export answers: the file, or the usual errors (422: XLSX where it cannot be written). */
export const fileResponses = {
  200: {
    description: '文件（流式输出）：CSV 为 UTF-8 带 BOM、中文表头；XLSX 为 Excel 工作簿',
    content: {
      [CONTENT_TYPES.csv]: { schema: z.string().openapi({ format: 'binary' }) },
      [CONTENT_TYPES.xlsx]: { schema: z.string().openapi({ format: 'binary' }) },
    },
  },
  422: jsonResponse(ErrorSchema, '当前运行环境不支持该格式（Workers 上的 XLSX）'),
  ...errorResponses,
};

/**
 * The download: the file streamed as it is written, under its Chinese name (RFC 6266
 * filename*, with the ASCII name as the plain filename for clients that read only that). Refusals come before the first byte.
 */
export function download(ctx: AppContext, format: ExportFormat, table: ExportTable): Response {
  const body = exportStream(ctx, format, table);
  return new Response(body, {
    status: 200,
    headers: {
      'Content-Type': CONTENT_TYPES[format],
      'Content-Disposition': `attachment; filename="${table.asciiName}.${format}"; filename*=UTF-8''${encodeURIComponent(`${table.fileName}.${format}`)}`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}

const instant = (ctx: AppContext, value: string | undefined) => (value === undefined ? ctx.now() : parseInstant(value)!);

/**
 * GET /api/documents/export, /api/incidents/export and /api/audit/export: every row the list's
 * filters select, not one page. Mounted before the resources' `/{id}` routes, which would
 * otherwise take `export` for an id.
 */
export function exportRoutes(ctx: AppContext) {
  return createRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/documents/export',
        operationId: 'exportDocuments',
        tags: ['文件'],
        summary: '导出文件列表（CSV 或 XLSX，筛选条件与列表相同，全部符合条件的文件）',
        request: { query: z.object({ format: ExportFormatQuery, ...DocumentListQuery }) },
        responses: fileResponses,
      }),
      async (c) => {
        const q = c.req.valid('query');
        return download(ctx, q.format, await documentsExport(ctx, documentQuery(ctx, q)));
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/incidents/export',
        operationId: 'exportIncidents',
        tags: ['舆情事件与回应承诺'],
        summary: '导出舆情事件及其回应承诺（每项承诺一行）',
        request: { query: z.object({ format: ExportFormatQuery, ...IncidentListQuery }) },
        responses: fileResponses,
      }),
      async (c) => {
        const q = c.req.valid('query');
        const table = await incidentsExport(ctx, { status: q.status as IncidentStatus | undefined, q: q.q, asOf: instant(ctx, q.asOf) });
        return download(ctx, q.format, table);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/audit/export',
        operationId: 'exportAudit',
        tags: ['账户与审计'],
        summary: '导出审计日志（筛选条件与列表相同）',
        request: { query: z.object({ format: ExportFormatQuery, ...AuditListQuery }) },
        responses: fileResponses,
      }),
      async (c) => {
        const { format, ...filter } = c.req.valid('query');
        if (filter.from && filter.to && filter.to < filter.from) throw invalidField('to', '截止日期不能早于起始日期');
        return download(ctx, format, await auditExport(ctx, filter));
      },
    );
}
