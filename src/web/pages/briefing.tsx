import { Hono } from 'hono';
import { raw } from 'hono/html';
import { mayCall } from '../../app/accounts/policy.js';
import type { AppContext } from '../../app/context.js';
import { listDepartments } from '../../app/departments.js';
import { AppError } from '../../app/errors.js';
import { briefingDate, briefingDocxFile, dailyBriefing } from '../../app/monitoring/briefing.js';
import { briefingText, type BriefingText } from '../../app/monitoring/briefing-text.js';
import { shanghaiDate } from '../../domain/time.js';
import type { AuthEnv } from '../../http/auth.js';
import { forbiddenPage } from '../errors.js';
import { Layout } from '../layout.js';

// /briefings/daily: the daily briefing (舆情日报, SPEC §14) of one Shanghai date, printable on A4
// (the print stylesheet drops the header and the form) and readable at 390 px (its tables turn
// into labelled cards); ?format=docx downloads the same briefing as a Word file.

const ROUTE = 'GET /api/briefings/daily';

const BRIEFING_CSS = `
.briefing{overflow-wrap:anywhere}.briefing h1{text-align:center;margin-bottom:.2rem}.briefing .subtitle{text-align:center;margin:0 0 1rem}
.briefing-tools{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin:0 0 1rem}.briefing-tools label{display:grid;gap:.2rem}
.briefing-tools input{width:auto}.briefing-tools a,.briefing-tools button{font:inherit;padding:.45rem .9rem;border:1px solid #8a96a3;border-radius:6px;background:#fff;cursor:pointer;text-decoration:none;color:#0b5cad;white-space:nowrap}
.briefing .summary{background:#fff;border-radius:8px;padding:.75rem 1rem;box-shadow:0 1px 2px #0001}
@page{size:A4;margin:15mm}
@media print{
  header,.briefing-tools,.no-print{display:none!important}
  body{background:#fff;font-size:10.5pt}main{max-width:none;padding:0}
  .table-wrap,.briefing .summary{box-shadow:none;border-radius:0;overflow:visible}.briefing .summary{padding:0}
  table{font-size:9.5pt}th{background:#eee!important;-webkit-print-color-adjust:exact;print-color-adjust:exact}
  th,td{border:1px solid #999;padding:.2rem .35rem}tr{break-inside:avoid}h2{break-after:avoid}
  a{color:inherit;text-decoration:none}
}
`;

function BriefingPage(props: { date: string; today: string; text: BriefingText | null; error?: string }) {
  const t = props.text;
  return (
    <div class="briefing">
      <style>{raw(BRIEFING_CSS)}</style>
      <form class="briefing-tools" method="get" action="/briefings/daily">
        <label>
          日期（北京时间）
          <input type="date" name="date" value={props.date} max={props.today} required />
        </label>
        <button type="submit">查看</button>
        {t && (
          <>
            <button type="button" id="print-briefing">
              打印
            </button>
            <a href={`/briefings/daily?date=${props.date}&format=docx`} id="briefing-docx">
              下载 Word（DOCX）
            </a>
          </>
        )}
      </form>
      {props.error && (
        <p class="notice" role="alert">
          {props.error}
        </p>
      )}
      {t && (
        <>
          <h1>{t.title}</h1>
          <p class="muted subtitle">{t.subtitle}</p>
          <p class="summary">{t.summary}</p>
          {t.sections.map((s) => (
            <section id={`briefing-${s.id}`}>
              <h2>{s.title}</h2>
              {s.rows.length === 0 ? (
                <p class="empty">{s.empty}</p>
              ) : (
                <div class="table-wrap">
                  <table class="stacked">
                    <thead>
                      <tr>
                        {s.head.map((h) => (
                          <th>{h}</th>
                        ))}
                      </tr>
                    </thead>
                    <tbody>
                      {s.rows.map((r) => (
                        <tr>
                          {r.map((v, i) => (
                            <td data-label={s.head[i]}>{v}</td>
                          ))}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </section>
          ))}
        </>
      )}
    </div>
  );
}

const PRINT_SCRIPT = `document.getElementById('print-briefing')?.addEventListener('click',()=>window.print());`;

export function briefingPages(ctx: AppContext) {
  return new Hono<AuthEnv>().get('/briefings/daily', async (c) => {
    const actor = c.get('actor');
    if (!mayCall(actor, ROUTE)) return forbiddenPage(c, '舆情日报');
    const today = shanghaiDate(ctx.now());
    const asked = c.req.query('date');
    let date: string;
    try {
      date = briefingDate(ctx, asked);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return c.html(
        <Layout title="舆情日报" actor={actor} current="/briefings/daily">
          <BriefingPage date={today} today={today} text={null} error={error.message.replace(/^date: /, '')} />
        </Layout>,
        400,
      );
    }
    const briefing = await dailyBriefing(ctx, date);
    const format = c.req.query('format');
    if (format === 'docx') return briefingDocxFile(ctx, briefing);
    const names = new Map((await listDepartments(ctx, { limit: 1000, offset: 0 })).map((d) => [d.code, d.name]));
    return c.html(
      <Layout title={`舆情日报 ${date}`} actor={actor} current="/briefings/daily" script={PRINT_SCRIPT}>
        <BriefingPage date={date} today={today} text={briefingText(briefing, names)} />
      </Layout>,
    );
  });
}
