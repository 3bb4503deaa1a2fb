import { Hono } from 'hono';
import type { AppContext } from '../../app/context.js';
import { dashboard, type Dashboard } from '../../app/dashboard.js';
import { listIncidents, type IncidentView } from '../../app/incidents.js';
import { SEVERITY_LABELS } from '../../domain/deadlines/response-policy.js';
import { SHANGHAI_OFFSET_MS } from '../../domain/time.js';
import type { AuthEnv } from '../../http/auth.js';
import { COUNTDOWN_SCRIPT, hms } from '../countdown.js';
import { Layout } from '../layout.js';
import { raw } from 'hono/html';
import { DEPTH_CSS } from './incident-depth.js';

const shanghai = (iso: string) => new Date(Date.parse(iso) + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');

/** The same classes the script keeps up to date: overdue once due, urgent in the last fifth. */
function urgency(t: Dashboard['timers'][number], now: number): string {
  const due = Date.parse(t.dueAt);
  if (now > due) return ' overdue';
  return due - now <= (due - Date.parse(t.startedAt)) * 0.2 ? ' urgent' : '';
}

function DepartmentChart(props: { rows: Dashboard['departments'] }) {
  const rows = props.rows;
  const barHeight = 26;
  const height = rows.length * (barHeight + 8) + 8;
  return (
    <div class="chart">
      <svg viewBox={`0 0 600 ${height}`} role="img" aria-label="各部门按时解读率">
        {rows.map((r, i) => {
          const y = 8 + i * (barHeight + 8);
          const rate = r.onTimeRate ?? 0;
          return (
            <g>
              <text x="0" y={y + 18} font-size="14" fill="#1f2933">
                {r.name}
              </text>
              <rect x="160" y={y} width="380" height={barHeight} fill="#e4e7eb" rx="4" />
              <rect x="160" y={y} width={Math.round(380 * rate)} height={barHeight} fill={rate >= 0.9 ? '#2f855a' : rate >= 0.6 ? '#dd6b20' : '#b42318'} rx="4" />
              <text x="548" y={y + 18} font-size="14" fill="#1f2933">
                {r.onTimeRate === null ? '—' : `${Math.round(rate * 100)}%`}
              </text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}

/** Open incidents by heat, then negative signal (SPEC §14): the hottest first. */
function IncidentHeat(props: { incidents: IncidentView[] }) {
  if (props.incidents.length === 0) return <p class="empty">当前没有进行中的舆情事件。</p>;
  return (
    <div class="table-wrap">
      <table class="stacked" id="incident-heat">
        <thead>
          <tr>
            <th>事件</th>
            <th title="近 1 小时内不同报道（转载归并后）的篇数">热度</th>
            <th title="事件各条目中出现的不同负面信号词个数">负面信号</th>
          </tr>
        </thead>
        <tbody>
          {props.incidents.map((i) => (
            <tr data-incident={String(i.id)}>
              <td data-label="事件">
                <a href={`/incidents/${i.id}`}>{i.title}</a> <span class="muted">{SEVERITY_LABELS[i.severity]}</span>
              </td>
              <td data-label="热度" data-heat={String(i.heat)}>
                {i.heat}
              </td>
              <td data-label="负面信号" data-signal={String(i.signal)}>
                {i.signal}
                {i.signalWords.length > 0 ? <span class="muted">（{i.signalWords.join('、')}）</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** How many open incidents the board's heat table shows. */
const HEAT_ROWS = 10;

/** How often an open board fetches itself again (as the wall screen does). */
export const BOARD_RELOAD_MS = 60_000;

// The board left open on a leader's desk: the countdowns tick each second (COUNTDOWN_SCRIPT), and
// every minute the page is fetched again and its board swapped in, so that a new incident's
// clocks, a clock that ran out and every count show without a reload. When the fetch fails, or
// answers something else (the sign-in page, once the session has ended), the board stays as it
// is and says since when; the next minute tries again.
const RELOAD_SCRIPT = `
(function(){
  function beijing(ms){ return new Date(ms + 8*3600000).toISOString().slice(11,16); }
  function reload(){
    fetch('/', {cache:'no-store', headers:{Accept:'text/html'}, credentials:'same-origin'}).then(function(r){
      return r.ok ? r.text() : Promise.reject(r.status);
    }).then(function(html){
      var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('board');
      if (!fresh) return Promise.reject('no board');
      document.getElementById('board').replaceWith(fresh);
      document.getElementById('board-stale').hidden = true;
    }).catch(function(){
      var note = document.getElementById('board-stale'), board = document.getElementById('board');
      note.textContent = '看板未能更新，显示的是 ' + beijing(Number(board.dataset.serverNow)) + ' 的数据；稍后自动重试，也可刷新页面。';
      note.hidden = false;
    });
  }
  setInterval(reload, ${BOARD_RELOAD_MS});
})();`;

function BoardPage(props: { data: Dashboard; incidents?: IncidentView[] }) {
  const d = props.data;
  // People read department names, never codes (the table lists every department).
  const names = new Map(d.departments.map((r) => [r.code, r.name]));
  return (
    <>
      <h1>领导看板</h1>
      <p class="muted">截至 {shanghai(d.asOf)}（北京时间）</p>
      <section class="cards" aria-label="概况">
        <div class="card">
          <span>进行中的回应计时</span>
          <b>{d.counts.runningCommitments}</b>
        </div>
        <div class={`card${d.counts.missedCommitments > 0 ? ' alert' : ''}`}>
          <span>已超时未回应</span>
          <b>{d.counts.missedCommitments}</b>
        </div>
        <a class={`card${d.counts.documents.overdue > 0 ? ' alert' : ''}`} href="/documents?status=overdue" style="text-decoration:none;color:inherit">
          <span>逾期未解读文件</span>
          <b>{d.counts.documents.overdue}</b>
        </a>
        <a class="card" href="/documents?status=pending" style="text-decoration:none;color:inherit">
          <span>待解读文件</span>
          <b>{d.counts.documents.pending}</b>
        </a>
        <a class="card" href="/documents?status=drafting" style="text-decoration:none;color:inherit">
          <span>起草中文件</span>
          <b>{d.counts.documents.drafting}</b>
        </a>
        <div class="card">
          <span>进行中的舆情事件</span>
          <b>{d.counts.openIncidents}</b>
        </div>
      </section>

      <h2>回应时限计时</h2>
      <p id="no-timers" class="empty" hidden={d.timers.length > 0}>
        当前没有进行中的回应承诺。
      </p>
      <ul class="timers" id="timers">
        {d.timers.map((t) => (
          <li class={`timer${urgency(t, Date.parse(d.asOf))}`} data-id={String(t.id)}>
            <span class="what">
              <strong>{t.incidentTitle}</strong>
              <br />
              <span class="muted">
                {SEVERITY_LABELS[t.severity]} · {t.label} · 时限 {shanghai(t.dueAt)}
                {t.departmentCode ? ` · ${names.get(t.departmentCode) ?? t.departmentCode}` : ''}
              </span>
            </span>
            <span class="countdown" role="timer" data-due={t.dueAt} data-start={t.startedAt} aria-label="剩余时间">
              {t.remainingSeconds === null ? `超时 ${hms((Date.parse(d.asOf) - Date.parse(t.dueAt)) / 1000)}` : hms(t.remainingSeconds)}
            </span>
          </li>
        ))}
      </ul>

      <h2>舆情事件热度</h2>
      <IncidentHeat incidents={props.incidents ?? []} />

      <h2>逾期未解读的文件</h2>
      {d.overdueDocuments.length === 0 ? (
        <p class="empty">没有逾期未解读的文件。</p>
      ) : (
        <>
        <p class="muted" id="overdue-note">
          {d.counts.documents.overdue > d.overdueDocuments.length
            ? `共 ${d.counts.documents.overdue} 份，下表列出最早到期的 ${d.overdueDocuments.length} 份。`
            : `共 ${d.counts.documents.overdue} 份。`}
          <a href="/documents?status=overdue">查看全部逾期文件</a>
        </p>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>文号</th>
                <th>标题</th>
                <th>部门</th>
                <th>解读截止</th>
              </tr>
            </thead>
            <tbody>
              {d.overdueDocuments.map((doc) => (
                <tr>
                  <td>{doc.docNumber ?? '—'}</td>
                  <td>
                    <a href={`/documents/${doc.id}`}>{doc.title}</a>
                  </td>
                  <td>{names.get(doc.departmentCode) ?? doc.departmentCode}</td>
                  <td>{doc.interpretationDueDate}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        </>
      )}

      <h2>各部门按时解读情况</h2>
      <div class="table-wrap">
        <table class="stacked" id="department-records">
          <thead>
            <tr>
              <th>部门</th>
              <th>按时</th>
              <th>迟发</th>
              <th>逾期</th>
              <th>待解读</th>
              <th>按时率</th>
              <th title="需解读的文件中，发布前与解读方案一并审签的">同步审签</th>
              <th title="需解读的重大文件中，已有主要负责人解读的">重大文件主要负责人解读</th>
            </tr>
          </thead>
          <tbody>
            {d.departments.map((r) => (
              <tr data-department={r.code}>
                <td data-label="部门">{r.name}</td>
                <td data-label="按时">{r.onTime}</td>
                <td data-label="迟发">{r.late}</td>
                <td data-label="逾期">{r.overdue}</td>
                <td data-label="待解读">{r.pending}</td>
                <td data-label="按时率">{r.onTimeRate === null ? '—' : `${Math.round(r.onTimeRate * 100)}%`}</td>
                <td data-label="同步审签" data-count="planned-and-signed">
                  {r.requiringInterpretation === 0 ? '—' : `${r.plannedAndSigned} / ${r.requiringInterpretation}`}
                </td>
                <td data-label="负责人解读" data-count="leader-led-major">
                  {r.majorDocuments === 0 ? '—' : `${r.leaderLedMajor} / ${r.majorDocuments}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <DepartmentChart rows={d.departments} />
    </>
  );
}

export function boardPages(ctx: AppContext) {
  return new Hono<AuthEnv>().get('/', async (c) => {
    const now = ctx.now();
    const data = await dashboard(ctx, now);
    // The latest open incidents with their heat and signal, the hottest first (SPEC §14).
    const open = await listIncidents(ctx, { status: 'open', asOf: now, limit: 50, offset: 0 });
    const hottest = open.sort((a, b) => b.heat - a.heat || b.signal - a.signal).slice(0, HEAT_ROWS);
    return c.html(
      <Layout title="领导看板" actor={c.get('actor')} current="/" script={COUNTDOWN_SCRIPT + RELOAD_SCRIPT} serverNow={now}>
        <style>{raw(DEPTH_CSS)}</style>
        <p id="board-stale" class="notice" role="status" hidden></p>
        <div id="board" data-server-now={String(now)}>
          <BoardPage data={data} incidents={hottest} />
        </div>
      </Layout>,
    );
  });
}
