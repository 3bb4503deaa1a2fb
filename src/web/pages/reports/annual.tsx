import type { Context } from 'hono';
import { Hono } from 'hono';
import { mayCall } from '../../../app/accounts/policy.js';
import type { AppContext } from '../../../app/context.js';
import { annualReport, readReportInputs, saveReportInputs, type AnnualReportInputs } from '../../../app/disclosure/annual-report.js';
import { MAX_YEAR, MIN_YEAR } from '../../../domain/calendar/calendar.js';
import { shanghaiDate, yearOf } from '../../../domain/time.js';
import type { AuthEnv } from '../../../http/auth.js';
import { AnnualReportInputsSchema } from '../../../http/disclosure-schemas.js';
import { forbiddenPage, notFoundPage } from '../../errors.js';
import { attempt, formFields, postedVersion, zodFieldErrors, type FormState, type PageStatus } from '../../forms.js';
import { Layout } from '../../layout.js';
import { AnnualReportPage, INPUT_FIELDS } from './annual-view.js';

// /reports/annual/:year — the annual report on government information disclosure (SPEC §13), and
// the form an admin fills in for its hand-entered rows. (/reports itself is the 考核 report.)

type Ctx = Context<AuthEnv>;

const ROUTES = { read: 'GET /api/reports/annual/:year', inputs: 'PUT /api/reports/annual/:year/inputs' } as const;
const NUMERIC = new Set(INPUT_FIELDS.filter((f) => !['agencyName', 'overview', 'problems', 'otherMatters'].includes(f)));

const yearOfPath = (value: string | undefined): number | null => {
  if (!value || !/^\d{4}$/.test(value)) return null;
  const year = Number(value);
  return year >= MIN_YEAR && year < MAX_YEAR ? year : null;
};

/** The stored inputs as the form shows them. */
function formValues(inputs: AnnualReportInputs): Record<string, string> {
  return Object.fromEntries(INPUT_FIELDS.map((f) => [f, inputs[f as keyof AnnualReportInputs] == null ? '' : String(inputs[f as keyof AnnualReportInputs])]));
}

export function annualReportPages(ctx: AppContext) {
  async function render(c: Ctx, year: number, inputs?: FormState, status: PageStatus = 200) {
    const actor = c.get('actor');
    if (!mayCall(actor, ROUTES.read)) return forbiddenPage(c);
    const report = await annualReport(ctx, year);
    const form = mayCall(actor, ROUTES.inputs) ? (inputs ?? { values: formValues(report.inputs), errors: {} }) : undefined;
    // The version the form sends back: saving over entries someone else saved since is refused (412).
    const { version } = await readReportInputs(ctx, year);
    return c.html(
      <Layout title={report.title} actor={actor} current="/disclosure">
        <AnnualReportPage report={report} inputs={form} inputsVersion={version} saved={c.req.query('saved') === '1'} />
      </Layout>,
      status,
    );
  }

  return new Hono<AuthEnv>()
    .get('/reports/annual', (c) => c.redirect(`/reports/annual/${yearOf(shanghaiDate(ctx.now()))}`, 302))
    .get('/reports/annual/:year', async (c) => {
      const year = yearOfPath(c.req.param('year'));
      return year === null ? notFoundPage(c, '该年度的报告') : render(c, year);
    })
    .post('/reports/annual/:year/inputs', async (c) => {
      const actor = c.get('actor');
      if (!mayCall(actor, ROUTES.inputs)) return forbiddenPage(c, '或执行此操作');
      const year = yearOfPath(c.req.param('year'));
      if (year === null) return notFoundPage(c, '该年度的报告');
      const posted = await formFields(c);
      const values = Object.fromEntries(INPUT_FIELDS.map((f) => [f, String(posted[f] ?? '').trim()]));
      const body: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(values)) {
        if (value === '') body[name] = null;
        else body[name] = NUMERIC.has(name) && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
      }
      const parsed = AnnualReportInputsSchema.safeParse(body);
      if (!parsed.success) {
        const errors = zodFieldErrors(parsed.error);
        for (const name of Object.keys(errors)) if (NUMERIC.has(name)) errors[name] = name === 'feesAmount' ? '请填写不小于 0 的金额（万元），最多四位小数' : '请填写不小于 0 的整数';
        return render(c, year, { values, errors }, 400);
      }
      const result = await attempt(() => saveReportInputs(ctx, actor, year, parsed.data, postedVersion(posted)));
      if (!result.ok) return render(c, year, { values, errors: result.errors }, result.status);
      return c.redirect(`/reports/annual/${year}?saved=1`, 303);
    });
}
