import { createRoute, z } from '@hono/zod-openapi';
import type { AppContext } from '../../app/context.js';
import { invalidField } from '../../app/errors.js';
import { assessmentExport } from '../../app/reports/assessment-export.js';
import { assessmentReport } from '../../app/reports/assessment.js';
import { parseInstant } from '../../domain/time.js';
import { createRouter } from '../router.js';
import { AsOfQuery, DateString, errorResponses, ExportFormatQuery, jsonResponse } from '../schemas.js';
import { download, fileResponses } from './exports.js';

const TAG = ['考核报表'];

const count = z.number().int();
const AssessmentRowSchema = z
  .object({
    departmentCode: z.string().nullable().openapi({ description: '部门代码；未指定部门的舆情事件与合计行为 null' }),
    departmentName: z.string(),
    published: count.openapi({ description: '期内发布（截至 asOf）的文件数' }),
    requiringInterpretation: count.openapi({ description: '其中需要解读的' }),
    onTime: count,
    late: count,
    overdue: count,
    pending: count,
    exempt: count,
    onTimeRate: z.number().nullable().openapi({ description: 'onTime ÷ (onTime + late + overdue)，三位小数；分母为 0 时为 null' }),
    medianWorkingDays: z.number().nullable().openapi({ description: '从发布日到首份解读发布日的工作日数的中位数（截至 asOf 已解读的文件）；无则 null' }),
    plannedAndSigned: count.openapi({ description: '同步审签的文件数：需解读的文件中，发布前与解读方案一并审签的（审签时无方案、发布后才审签的不计）' }),
    plannedAndSignedRate: z.number().nullable().openapi({ description: 'plannedAndSigned ÷ requiringInterpretation，三位小数；分母为 0 时为 null' }),
    majorDocuments: count.openapi({ description: '需解读的重大文件数' }),
    leaderLedMajor: count.openapi({ description: '其中截至 asOf 已有主要负责人解读（标记为主要负责人解读，或新闻发布会、在线访谈）的' }),
    leaderLedMajorRate: z.number().nullable().openapi({ description: 'leaderLedMajor ÷ majorDocuments，三位小数；分母为 0 时为 null' }),
    incidents: count.openapi({ description: '期内开始的舆情事件数（不含已并入其他事件和已排除的）' }),
    commitmentsMet: count.openapi({ description: '按时完成的回应承诺' }),
    commitmentsLate: count.openapi({ description: '超时完成的回应承诺' }),
    commitmentsMissed: count.openapi({ description: '已超时仍未完成的回应承诺' }),
  })
  .openapi('AssessmentRow');

const AssessmentReportSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    asOf: z.string(),
    departments: z.array(AssessmentRowSchema),
    total: AssessmentRowSchema,
  })
  .openapi('AssessmentReport');

const PeriodQuery = {
  from: DateString.openapi({ description: '统计期间起（发布日期，北京时间，含当日）', example: '2026-01-01' }),
  to: DateString.openapi({ description: '统计期间止（含当日）', example: '2026-03-31' }),
  asOf: AsOfQuery,
};

export function reportRoutes(ctx: AppContext) {
  const period = (q: { from: string; to: string; asOf?: string }) => {
    if (q.to < q.from) throw invalidField('to', '统计期间止不能早于统计期间起');
    return { from: q.from, to: q.to, asOf: q.asOf === undefined ? ctx.now() : parseInstant(q.asOf)! };
  };
  return createRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/reports/assessment',
        operationId: 'getAssessmentReport',
        tags: TAG,
        summary: '考核报表：各部门期内发布文件的解读情况（截至 asOf）与期内舆情事件的回应情况',
        request: { query: z.object(PeriodQuery) },
        responses: { 200: jsonResponse(AssessmentReportSchema, '考核报表'), ...errorResponses },
      }),
      async (c) => c.json(await assessmentReport(ctx, period(c.req.valid('query'))), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/reports/assessment/export',
        operationId: 'exportAssessmentReport',
        tags: TAG,
        summary: '导出考核报表（CSV 或 XLSX）',
        request: { query: z.object({ format: ExportFormatQuery, ...PeriodQuery }) },
        responses: fileResponses,
      }),
      async (c) => {
        const q = c.req.valid('query');
        return download(ctx, q.format, assessmentExport(await assessmentReport(ctx, period(q))));
      },
    );
}
