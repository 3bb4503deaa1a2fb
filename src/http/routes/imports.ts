import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppContext } from '../../app/context.js';
import { IMPORT_KINDS } from '../../app/imports/columns.js';
import { getImportJob, startImport } from '../../app/imports/jobs.js';
import { MAX_UPLOAD_BYTES, readUpload, UploadError, XLSX_TYPE } from '../../app/imports/upload.js';
import { errorBody } from '../errors.js';
import { createRouter } from '../router.js';
import { errorResponses, ErrorSchema, IdParam, jsonResponse } from '../schemas.js';

const TAG = ['导入'];

/** The import route takes its own body limit (the API's 1 MB does not apply to it). */
export const IMPORT_PATH = '/api/imports';

const DryRun = z
  .enum(['1', '0', 'true', 'false'], { message: 'dryRun 应为 1 或 0（也可写 true/false）' })
  .optional()
  .openapi({ description: '1：试导入，只检查、不写入；默认 0（正式导入）' });

export const ImportJobSchema = z
  .object({
    id: z.number(),
    kind: z.enum(IMPORT_KINDS),
    dryRun: z.boolean(),
    status: z.enum(['running', 'done', 'failed']).openapi({ description: 'running 进行中；done 完成（试导入即使有错误也是 done）；failed 正式导入因错误未写入任何数据' }),
    fileName: z.string().nullable(),
    rowsTotal: z.number().openapi({ description: '数据行数（不含表头和空行）' }),
    rowsDone: z.number().openapi({ description: '已检查的行数' }),
    created: z.number(),
    updated: z.number(),
    skipped: z.number().openapi({ description: '与已登记内容完全相同、无需更改的行' }),
    errors: z
      .array(
        z.object({
          row: z.number().nullable().openapi({ description: '表格中的行号（表头为第 1 行）' }),
          field: z.string().nullable().openapi({ description: '列名（按文件中的写法）' }),
          message: z.string(),
        }),
      )
      .openapi({ description: `每一处错误（超过 1000 处时列出前 1000 处并注明总数）` }),
    createdBy: z.string(),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .openapi('ImportJob');

/** The upload as OpenAPI describes it; read by hand (streamed), so no schema validates it. */
const UPLOAD_CONTENT = {
  'text/csv': { schema: { type: 'string' as const, description: 'CSV：UTF-8（可带 BOM）或 GBK/GB18030，自动识别' } },
  [XLSX_TYPE]: { schema: { type: 'string' as const, format: 'binary' } },
  'multipart/form-data': {
    schema: {
      type: 'object' as const,
      properties: { file: { type: 'string' as const, format: 'binary', description: 'CSV 或 XLSX 文件' } },
      required: ['file'],
    },
  },
};

export function uploadErrorResponse(c: Context, err: UploadError) {
  return c.json(errorBody(err.code, err.message), err.status);
}

export function importRoutes(ctx: AppContext) {
  return createRouter()
    .openapi(
      createRoute({
        method: 'post',
        path: IMPORT_PATH,
        operationId: 'startImport',
        tags: TAG,
        summary: '导入政策文件或解读材料（CSV / XLSX），作为任务在后台运行',
        description:
          `请求体为文件本身（text/csv 或 XLSX 类型），或 multipart/form-data 的 file 字段；上限 ${MAX_UPLOAD_BYTES / 1024 / 1024} MB（XLSX 10 MB）。` +
          '先全部检查：有任何错误则不写入；否则在一个事务中全部写入。已登记的文号更新原文件，相同内容跳过。',
        request: {
          query: z.object({
            kind: z.enum(IMPORT_KINDS, { message: 'kind 应为 documents（政策文件）或 interpretations（解读材料）' }),
            dryRun: DryRun,
          }),
          body: { content: UPLOAD_CONTENT, required: true },
        },
        responses: {
          202: jsonResponse(z.object({ id: z.number() }).openapi('ImportStarted'), '已受理：用 GET /api/imports/{id} 查看进度与结果'),
          413: jsonResponse(ErrorSchema, '文件过大'),
          415: jsonResponse(ErrorSchema, '不支持的内容类型或文件格式'),
          ...errorResponses,
        },
      }),
      async (c) => {
        const query = c.req.valid('query');
        try {
          const { sheet } = await readUpload(c.req.raw);
          const job = await startImport(ctx, c.get('actor'), { kind: query.kind, dryRun: query.dryRun === '1' || query.dryRun === 'true', sheet });
          keepAlive(c, ctx, job.finished);
          return c.json({ id: job.id }, 202);
        } catch (err) {
          if (err instanceof UploadError) return uploadErrorResponse(c, err) as never;
          throw err;
        }
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/imports/{id}',
        operationId: 'getImport',
        tags: TAG,
        summary: '导入任务的进度与结果（逐行逐列的错误）',
        request: { params: IdParam },
        responses: {
          200: jsonResponse(ImportJobSchema, '导入任务'),
          404: jsonResponse(ErrorSchema, '没有这个导入任务（或不是您发起的）'),
          ...errorResponses,
        },
      }),
      async (c) => c.json(await getImportJob(ctx, c.get('actor'), c.req.valid('param').id), 200),
    );
}

/**
 * Lets the job run on after the answer: on Workers through the request's waitUntil (else the
 * isolate may stop with the response); on Node the promise simply runs on.
 */
export function keepAlive(c: Context, ctx: AppContext, work: Promise<void>): void {
  ctx.background?.(work);
  let execution: { waitUntil(p: Promise<unknown>): void } | undefined;
  try {
    execution = c.executionCtx;
  } catch {
    execution = undefined; // Node: no ExecutionContext
  }
  execution?.waitUntil(work);
}
