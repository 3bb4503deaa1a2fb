import { Hono } from 'hono';
import { mayCall } from '../../../app/accounts/policy.js';
import type { AppContext } from '../../../app/context.js';
import { assessmentReport } from '../../../app/reports/assessment.js';
import { beijingMinute } from '../../../domain/notifications/messages.js';
import { shanghaiDate } from '../../../domain/time.js';
import type { AuthEnv } from '../../../http/auth.js';
import { forbiddenPage } from '../../errors.js';
import { Layout } from '../../layout.js';
import { periodOf } from './periods.js';
import { ReportPage } from './view.js';

const ROUTE = 'GET /api/reports/assessment';

/** /reports: the 考核 report as of now, for whoever may read it through the API. */
export function reportPages(ctx: AppContext) {
  return new Hono<AuthEnv>().get('/reports', async (c) => {
    const actor = c.get('actor');
    if (!mayCall(actor, ROUTE)) return forbiddenPage(c, '考核报表');
    const now = ctx.now();
    const { period, errors } = periodOf({ period: c.req.query('period'), from: c.req.query('from'), to: c.req.query('to') }, shanghaiDate(now));
    const valid = Object.keys(errors).length === 0;
    const report = valid ? await assessmentReport(ctx, { from: period.from, to: period.to, asOf: now }) : null;
    return c.html(
      <Layout title="考核报表" actor={actor} current="/reports">
        <ReportPage period={period} errors={errors} report={report} asOfText={beijingMinute(now)} />
      </Layout>,
      valid ? 200 : 400,
    );
  });
}
