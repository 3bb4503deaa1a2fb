import type { Context } from 'hono';
import { Hono } from 'hono';
import { mayCall } from '../../../app/accounts/policy.js';
import type { AppContext } from '../../../app/context.js';
import { AppError } from '../../../app/errors.js';
import { COLUMNS, IMPORT_KINDS, KIND_LABELS, type ImportKind } from '../../../app/imports/columns.js';
import { getImportJob, startImport, type ImportJobView } from '../../../app/imports/jobs.js';
import { readUpload, UploadError } from '../../../app/imports/upload.js';
import type { AuthEnv } from '../../../http/auth.js';
import { keepAlive } from '../../../http/routes/imports.js';
import { forbiddenPage, notFoundPage } from '../../errors.js';
import type { FieldErrors, PageStatus } from '../../forms.js';
import { Layout } from '../../layout.js';
import { IMPORT_SCRIPT } from './script.js';
import { ImportPage } from './view.js';

// The routes of /import, for admins and drafters (the roles that may call POST /api/imports).
// The form posts here (multipart, kind before the file); the job's page follows. The inline
// script instead calls the API itself and stays on the page.

type Ctx = Context<AuthEnv>;

const ROUTE = 'POST /api/imports';

const kindOf = (value: string | undefined): ImportKind | null => (IMPORT_KINDS as readonly string[]).includes(value ?? '') ? (value as ImportKind) : null;

export function importPages(ctx: AppContext) {
  function page(c: Ctx, props: { kind?: ImportKind; errors?: FieldErrors; job?: ImportJobView }, status: PageStatus | 413 | 415 = 200) {
    return c.html(
      <Layout title="导入" actor={c.get('actor')} current="/import" script={IMPORT_SCRIPT}>
        <ImportPage
          kind={props.kind ?? props.job?.kind ?? 'documents'}
          errors={props.errors}
          job={props.job}
          canReadAudit={mayCall(c.get('actor'), 'GET /api/audit')}
        />
      </Layout>,
      status,
    );
  }

  return new Hono<AuthEnv>()
    .get('/import', (c) => {
      if (!mayCall(c.get('actor'), ROUTE)) return forbiddenPage(c);
      return page(c, { kind: kindOf(c.req.query('kind')) ?? 'documents' });
    })

    .post('/import', async (c) => {
      const actor = c.get('actor');
      if (!mayCall(actor, ROUTE)) return forbiddenPage(c, '或执行此操作');
      let kind: ImportKind = 'documents';
      try {
        const { fields, sheet } = await readUpload(c.req.raw);
        const chosen = kindOf(fields.kind);
        if (!chosen) return page(c, { errors: { kind: '请选择导入内容：政策文件或解读材料' } }, 400);
        kind = chosen;
        const job = await startImport(ctx, actor, { kind, dryRun: fields.mode !== 'run', sheet });
        keepAlive(c, ctx, job.finished);
        return c.redirect(`/import/jobs/${job.id}`, 303);
      } catch (err) {
        if (err instanceof UploadError) return page(c, { kind, errors: { file: err.message } }, err.status);
        throw err;
      }
    })

    .get('/import/jobs/:id', async (c) => {
      const actor = c.get('actor');
      if (!mayCall(actor, ROUTE)) return forbiddenPage(c);
      const id = /^[1-9]\d{0,14}$/.test(c.req.param('id')) ? Number(c.req.param('id')) : null;
      if (id === null) return notFoundPage(c, '该导入任务');
      try {
        return page(c, { job: await getImportJob(ctx, actor, id) });
      } catch (err) {
        if (err instanceof AppError && err.status === 404) return notFoundPage(c, '该导入任务');
        throw err;
      }
    })

    // A header-only file to fill in (UTF-8 with a BOM, which Excel on Chinese Windows opens right).
    .get('/import/template.csv', (c) => {
      if (!mayCall(c.get('actor'), ROUTE)) return forbiddenPage(c);
      const kind = kindOf(c.req.query('kind')) ?? 'documents';
      const name = encodeURIComponent(`${KIND_LABELS[kind]}导入模板.csv`);
      return c.body(`\ufeff${COLUMNS[kind].map((col) => col.zh).join(',')}\r\n`, 200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${kind}-template.csv"; filename*=UTF-8''${name}`,
      });
    });
}
