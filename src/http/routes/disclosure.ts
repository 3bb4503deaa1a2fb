import { createRoute, z } from '@hono/zod-openapi';
import type { AppContext } from '../../app/context.js';
import { annualReport, readReportInputs, saveReportInputs } from '../../app/disclosure/annual-report.js';
import { etagHeader, IfMatchHeader, ifMatchVersions, preconditionFailed, versionTag } from '../etag.js';
import { annualReportXlsx } from '../../app/disclosure/annual-report-xlsx.js';
import { recordEvent } from '../../app/disclosure/events.js';
import { getRequest, listRequests, numberPrefix, registerRequest, setNumberPrefix, updateRequest } from '../../app/disclosure/requests.js';
import { parseInstant, shanghaiDate } from '../../domain/time.js';
import { createRouter } from '../router.js';
import {
  AnnualReportInputsSchema,
  AnnualReportInputsView,
  AnnualReportSchema,
  DisclosureEventInput,
  DisclosureRequestInput,
  DisclosureRequestPatch,
  DisclosureRequestSchema,
  DisclosureSettings,
  DisclosureStatusEnum,
} from '../disclosure-schemas.js';
import { AsOfQuery, DepartmentCode, errorResponses, ErrorSchema, IdParam, itemsOf, jsonBody, jsonResponse, Pagination, Year } from '../schemas.js';

const TAG = ['依申请公开'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const YearParam = z.object({ year: Year.openapi({ param: { name: 'year', in: 'path' }, example: 2026 }) });

/** A date as the API takes it (YYYY-MM-DD or an instant) as the Shanghai date it names. */
const dateOf = (value: string) => shanghaiDate(parseInstant(value)!);

export function disclosureRoutes(ctx: AppContext) {
  const asOf = (value: string | undefined) => (value === undefined ? ctx.now() : parseInstant(value)!);
  return createRouter()
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/disclosure-requests',
        operationId: 'createDisclosureRequest',
        tags: TAG,
        summary: '登记政府信息公开申请（按收到年份编号）',
        request: { body: jsonBody(DisclosureRequestInput) },
        responses: {
          201: jsonResponse(DisclosureRequestSchema, '已登记，含编号与答复期限'),
          422: jsonResponse(ErrorSchema, '部门不存在，或收到日期晚于今天'),
          ...errorResponses,
        },
      }),
      async (c) => {
        const { receivedAt, ...body } = c.req.valid('json');
        return c.json(await registerRequest(ctx, c.get('actor'), { ...body, receivedDate: dateOf(receivedAt) }), 201);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/disclosure-requests',
        operationId: 'listDisclosureRequests',
        tags: TAG,
        summary: '申请列表（可按状态、部门、收到年份筛选；办理中的按期限先后）',
        request: {
          query: z.object({
            status: DisclosureStatusEnum.optional(),
            departmentCode: DepartmentCode.optional(),
            year: Year.optional().openapi({ description: '收到年份' }),
            asOf: AsOfQuery,
            ...Pagination,
          }),
        },
        responses: { 200: jsonResponse(itemsOf(DisclosureRequestSchema), '申请列表'), ...errorResponses },
      }),
      async (c) => {
        const q = c.req.valid('query');
        const items = await listRequests(ctx, { ...q, asOf: asOf(q.asOf) });
        return c.json({ items }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/disclosure-requests/{id}',
        operationId: 'getDisclosureRequest',
        tags: TAG,
        summary: '申请详情：任意时刻的状态、答复期限、剩余工作日与办理事件',
        request: { params: IdParam, query: z.object({ asOf: AsOfQuery }) },
        responses: {
          200: jsonResponse(DisclosureRequestSchema, '申请'),
          404: jsonResponse(ErrorSchema, '申请不存在'),
          ...errorResponses,
        },
      }),
      async (c) => c.json(await getRequest(ctx, c.req.valid('param').id, asOf(c.req.valid('query').asOf)), 200),
    )
    .openapi(
      createRoute({
        method: 'patch',
        path: '/api/disclosure-requests/{id}',
        operationId: 'updateDisclosureRequest',
        tags: TAG,
        summary: '修改申请登记信息（答复期限随之重算）',
        request: { params: IdParam, body: jsonBody(DisclosureRequestPatch) },
        responses: {
          200: jsonResponse(DisclosureRequestSchema, '已修改'),
          404: jsonResponse(ErrorSchema, '申请不存在'),
          422: jsonResponse(ErrorSchema, '部门不存在，或收到日期不可能'),
          ...errorResponses,
        },
      }),
      async (c) => {
        const { receivedAt, ...body } = c.req.valid('json');
        const patch = { ...body, ...(receivedAt === undefined ? {} : { receivedDate: dateOf(receivedAt) }) };
        return c.json(await updateRequest(ctx, c.get('actor'), c.req.valid('param').id, patch), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/disclosure-requests/{id}/events',
        operationId: 'recordDisclosureEvent',
        tags: TAG,
        summary: '登记办理事件（补正、征求意见、延期、收费、答复、撤回、放弃、复议诉讼）',
        request: { params: IdParam, body: jsonBody(DisclosureEventInput) },
        responses: {
          201: jsonResponse(DisclosureRequestSchema, '已登记，返回申请的新状态'),
          404: jsonResponse(ErrorSchema, '申请不存在'),
          409: jsonResponse(ErrorSchema, '当前办理状态下不能登记该事件（如已延期、已答复）'),
          422: jsonResponse(ErrorSchema, '日期不可能（晚于现在、早于收到申请或上一事件、延期晚于期限）'),
          ...errorResponses,
        },
      }),
      async (c) => {
        const { date, ...body } = c.req.valid('json');
        return c.json(await recordEvent(ctx, c.get('actor'), c.req.valid('param').id, { ...body, at: parseInstant(date)! }), 201);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/disclosure-settings',
        operationId: 'getDisclosureSettings',
        tags: TAG,
        summary: '依申请公开设置（编号前缀）',
        responses: { 200: jsonResponse(DisclosureSettings, '设置'), ...errorResponses },
      }),
      async (c) => c.json({ numberPrefix: await numberPrefix(ctx) }, 200),
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/api/disclosure-settings',
        operationId: 'updateDisclosureSettings',
        tags: TAG,
        summary: '修改编号前缀（此后登记的申请生效）',
        request: { body: jsonBody(DisclosureSettings) },
        responses: { 200: jsonResponse(DisclosureSettings, '已修改'), ...errorResponses },
      }),
      async (c) => c.json(await setNumberPrefix(ctx, c.get('actor'), c.req.valid('json').numberPrefix), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/reports/annual/{year}',
        operationId: 'getAnnualReport',
        tags: ['年度报告'],
        summary: '政府信息公开工作年度报告（表二、表三、表四；?format=xlsx 下载 Excel）',
        request: { params: YearParam, query: z.object({ format: z.enum(['json', 'xlsx']).optional() }) },
        responses: {
          200: {
            description: '年度报告（JSON），或 format=xlsx 时的 Excel 工作簿',
            content: {
              'application/json': { schema: AnnualReportSchema },
              [XLSX]: { schema: z.string().openapi({ format: 'binary' }) },
            },
          },
          422: jsonResponse(ErrorSchema, '当前运行环境不支持 XLSX'),
          ...errorResponses,
        },
      }),
      async (c) => {
        const { year } = c.req.valid('param');
        const report = await annualReport(ctx, year);
        if (c.req.valid('query').format !== 'xlsx') return c.json(report, 200);
        const bytes = await annualReportXlsx(report);
        return c.body(bytes as unknown as ArrayBuffer, 200, {
          'Content-Type': XLSX,
          'Content-Disposition': `attachment; filename="annual-report-${year}.xlsx"; filename*=UTF-8''${encodeURIComponent(`${report.title}.xlsx`)}`,
        });
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/reports/annual/{year}/inputs',
        operationId: 'getAnnualReportInputs',
        tags: ['年度报告'],
        summary: '年度报告中手工填报的内容',
        request: { params: YearParam },
        responses: { 200: { ...jsonResponse(AnnualReportInputsView, '手工填报内容'), headers: etagHeader }, ...errorResponses },
      }),
      async (c) => {
        const { inputs, version } = await readReportInputs(ctx, c.req.valid('param').year);
        return c.json(inputs, 200, { ETag: versionTag(version) });
      },
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/api/reports/annual/{year}/inputs',
        operationId: 'saveAnnualReportInputs',
        tags: ['年度报告'],
        summary: '保存年度报告手工填报的内容（表二其他行、废止件数、正文各部分）',
        request: { params: YearParam, headers: IfMatchHeader, body: jsonBody(AnnualReportInputsSchema) },
        responses: { 200: { ...jsonResponse(AnnualReportInputsView, '已保存'), headers: etagHeader }, ...preconditionFailed, ...errorResponses },
      }),
      async (c) => {
        const saved = await saveReportInputs(ctx, c.get('actor'), c.req.valid('param').year, c.req.valid('json'), ifMatchVersions(c.req.valid('header')['if-match']));
        return c.json(saved.inputs, 200, { ETag: versionTag(saved.version) });
      },
    );
}
