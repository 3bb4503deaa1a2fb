import { Hono } from 'hono';
import { raw } from 'hono/html';
import { openDisplayLink } from '../../app/accounts/display-links.js';
import type { AppContext } from '../../app/context.js';
import { dashboard, type Dashboard } from '../../app/dashboard.js';
import { SEVERITY_LABELS } from '../../domain/deadlines/response-policy.js';
import type { AuthEnv } from '../../http/auth.js';
import { beijing } from '../components.js';
import { hms } from '../countdown.js';
import { Layout } from '../layout.js';

// The wall screen (大屏, SPEC §15): /display/<secret> shows the board full-screen in large type,
// with no navigation and nothing to click. The countdowns tick every second from the server's
// clock; every minute the page fetches itself again and swaps in the fresh board, so the screen
// runs for weeks without anyone signing in. A revoked link turns into the 404 page at that
// fetch. The secret opens this page only: it is not a session or a token, and no /api route takes it.

/** What fits a 1920×1080 screen in large type; the rest is counted, not shown. */
const MAX_TIMERS = 8;
const MAX_DOCUMENTS = 6;
const MAX_DEPARTMENTS = 10;
const RELOAD_MS = 60_000;

const CSS = `
*{box-sizing:border-box}
html,body{margin:0;height:100%}
body{background:#0b1a2e;color:#e8eef5;font:clamp(16px,1.25vw,40px)/1.45 system-ui,-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;overflow-x:hidden}
.screen{min-height:100vh;display:flex;flex-direction:column;gap:1.1vh;padding:1.6vh 1.6vw}
.top{display:flex;flex-wrap:wrap;align-items:baseline;gap:.3em 1.2em;border-bottom:2px solid #8b1a1a;padding-bottom:.6vh}
.top h1{margin:0;font-size:1.75em;letter-spacing:.06em;margin-right:auto}
.top .clock{font:700 1.75em/1 ui-monospace,Menlo,Consolas,monospace;letter-spacing:.04em}
.top .date,.top .fresh{color:#9fb3c8}
.offline{color:#ffb4a8;font-weight:600}
.counts{display:grid;grid-template-columns:repeat(5,minmax(0,1fr));gap:1vw}
.count{background:#12263f;border-radius:.5em;padding:.5em .8em}
.count span{color:#9fb3c8;display:block}
.count b{font-size:2.6em;line-height:1.1}
.count.alert b{color:#ff6b5e}
.main{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:1.4vw;flex:1;min-height:0}
h2{font-size:1.2em;margin:.2em 0 .5em;color:#f6d58e;letter-spacing:.05em}
.timers{list-style:none;margin:0;padding:0;display:grid;gap:.55em}
.timer{background:#12263f;border-left:.45em solid #38a169;border-radius:.4em;padding:.45em .8em;display:flex;flex-wrap:wrap;align-items:center;gap:.1em 1em}
.timer .what{flex:1 1 14em;min-width:0}
.timer .title{font-size:1.2em;font-weight:600;overflow-wrap:anywhere}
.timer .meta{color:#9fb3c8}
.timer .countdown{font:700 2.2em/1.1 ui-monospace,Menlo,Consolas,monospace;letter-spacing:.02em;color:#7ee2a8;white-space:nowrap}
.timer.urgent{border-color:#ed8936}.timer.urgent .countdown{color:#fbb36b}
.timer.overdue{border-color:#e53e3e;background:#2a1620}.timer.overdue .countdown{color:#ff6b5e}
.more{color:#9fb3c8;margin:.4em 0 0}
.empty{color:#9fb3c8;background:#12263f;border-radius:.4em;padding:.6em .8em;margin:0}
.side{display:flex;flex-direction:column;gap:1.2vh;min-width:0}
.docs{list-style:none;margin:0;padding:0;display:grid;gap:.4em}
.docs li{background:#12263f;border-radius:.4em;padding:.35em .7em;border-left:.35em solid #e53e3e}
.docs .title{overflow-wrap:anywhere}
.docs .meta{color:#9fb3c8}
.rates{display:grid;gap:.35em}
.rate{display:grid;grid-template-columns:minmax(0,8em) minmax(0,1fr) 3.6em;gap:.6em;align-items:center}
.rate .name{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.rate .bar{height:.9em;background:#1f3a5c;border-radius:.45em;overflow:hidden}
.rate .bar i{display:block;height:100%;border-radius:.45em}
.rate .pct{text-align:right;font-variant-numeric:tabular-nums}
@media (max-width:900px){
  .counts{grid-template-columns:repeat(2,minmax(0,1fr))}
  .main{grid-template-columns:minmax(0,1fr)}
  .timer .countdown{font-size:1.8em}
  .top h1{font-size:1.3em}.top .clock{font-size:1.4em}
}
`;

const rateColour = (rate: number) => (rate >= 0.9 ? '#38a169' : rate >= 0.6 ? '#ed8936' : '#e53e3e');

/** The classes the script keeps up to date: overdue once due, urgent in the last fifth. */
function urgency(t: Dashboard['timers'][number], now: number): string {
  const due = Date.parse(t.dueAt);
  if (now > due) return ' overdue';
  return due - now <= (due - Date.parse(t.startedAt)) * 0.2 ? ' urgent' : '';
}

/** The part of the page the script swaps every minute. */
function Board(props: { data: Dashboard; now: number }) {
  const d = props.data;
  const names = new Map(d.departments.map((r) => [r.code, r.name]));
  const timers = d.timers.slice(0, MAX_TIMERS);
  const documents = d.overdueDocuments.slice(0, MAX_DOCUMENTS);
  const rated = d.departments.filter((r) => r.onTimeRate !== null).sort((a, b) => a.onTimeRate! - b.onTimeRate!).slice(0, MAX_DEPARTMENTS);
  return (
    <div id="board" data-server-now={String(props.now)}>
      <section class="counts" aria-label="概况">
        <div class="count">
          <span>进行中的回应计时</span>
          <b>{d.counts.runningCommitments}</b>
        </div>
        <div class={`count${d.counts.missedCommitments > 0 ? ' alert' : ''}`}>
          <span>已超时未回应</span>
          <b>{d.counts.missedCommitments}</b>
        </div>
        <div class={`count${d.counts.documents.overdue > 0 ? ' alert' : ''}`}>
          <span>逾期未解读文件</span>
          <b>{d.counts.documents.overdue}</b>
        </div>
        <div class="count">
          <span>待解读文件</span>
          <b>{d.counts.documents.pending}</b>
        </div>
        <div class="count">
          <span>进行中的舆情事件</span>
          <b>{d.counts.openIncidents}</b>
        </div>
      </section>
      <div class="main">
        <section aria-labelledby="timers-title">
          <h2 id="timers-title">回应时限计时</h2>
          {timers.length === 0 ? (
            <p class="empty">当前没有进行中的回应承诺。</p>
          ) : (
            <ul class="timers" id="timers">
              {timers.map((t) => (
                <li class={`timer${urgency(t, props.now)}`} data-id={String(t.id)}>
                  <span class="what">
                    <span class="title">{t.incidentTitle}</span>
                    <br />
                    <span class="meta">
                      {SEVERITY_LABELS[t.severity]} · {t.label} · 时限 {beijing(t.dueAt).slice(5)}
                      {t.departmentCode ? ` · ${names.get(t.departmentCode) ?? t.departmentCode}` : ''}
                    </span>
                  </span>
                  <span class="countdown" role="timer" data-due={t.dueAt} data-start={t.startedAt} aria-label="剩余时间">
                    {t.remainingSeconds === null ? `超时 ${hms((props.now - Date.parse(t.dueAt)) / 1000)}` : hms(t.remainingSeconds)}
                  </span>
                </li>
              ))}
            </ul>
          )}
          {d.timers.length > timers.length && <p class="more">另有 {d.timers.length - timers.length} 项回应承诺未显示。</p>}
        </section>
        <div class="side">
          <section aria-labelledby="overdue-title">
            <h2 id="overdue-title">逾期未解读的文件</h2>
            {documents.length === 0 ? (
              <p class="empty">没有逾期未解读的文件。</p>
            ) : (
              <ul class="docs" id="overdue-documents">
                {documents.map((doc) => (
                  <li>
                    <span class="title">{doc.title}</span>
                    <br />
                    <span class="meta">
                      {names.get(doc.departmentCode) ?? doc.departmentCode} · 应于 {doc.interpretationDueDate} 前解读
                    </span>
                  </li>
                ))}
              </ul>
            )}
            {d.counts.documents.overdue > documents.length && <p class="more">共 {d.counts.documents.overdue} 份逾期。</p>}
          </section>
          <section aria-labelledby="rates-title">
            <h2 id="rates-title">各部门按时解读率</h2>
            {rated.length === 0 ? (
              <p class="empty">尚无到期的解读。</p>
            ) : (
              <div class="rates" id="rates">
                {rated.map((r) => (
                  <div class="rate">
                    <span class="name">{r.name}</span>
                    <span class="bar">
                      <i style={`width:${Math.round(r.onTimeRate! * 100)}%;background:${rateColour(r.onTimeRate!)}`} />
                    </span>
                    <span class="pct">{Math.round(r.onTimeRate! * 100)}%</span>
                  </div>
                ))}
              </div>
            )}
          </section>
        </div>
      </div>
    </div>
  );
}

// Ticks the clock and every countdown each second from the server's clock (the offset is measured
// at each load of the board), and fetches the page again every minute to swap in the new board.
// A 404 means the link was revoked: the page reloads to show it. A network failure keeps the last
// board and says so, until the next fetch succeeds.
const SCRIPT = `
(function(){
  var offset = 0;
  function measure(){ var b = document.getElementById('board'); offset = Number(b.dataset.serverNow) - Date.now(); }
  function pad(n){return String(n).padStart(2,'0')}
  function hms(s){s=Math.abs(Math.trunc(s));return pad(Math.floor(s/3600))+':'+pad(Math.floor(s%3600/60))+':'+pad(s%60)}
  function beijing(ms){ var d = new Date(ms + 8*3600000); return d.toISOString(); }
  function tick(){
    var now = Date.now() + offset, iso = beijing(now);
    document.getElementById('clock').textContent = iso.slice(11,19);
    document.getElementById('date').textContent = iso.slice(0,10);
    document.querySelectorAll('[data-due]').forEach(function(el){
      var due = Date.parse(el.dataset.due), start = Date.parse(el.dataset.start);
      var left = (due - now) / 1000, item = el.closest('.timer');
      el.textContent = left >= 0 ? hms(left) : '超时 ' + hms(-left);
      item.classList.toggle('overdue', left < 0);
      item.classList.toggle('urgent', left >= 0 && left <= (due - start) / 1000 * 0.2);
    });
  }
  function reload(){
    fetch(location.pathname, {cache:'no-store', headers:{Accept:'text/html'}}).then(function(r){
      if (r.status === 404) { location.reload(); return null; }
      return r.ok ? r.text() : Promise.reject(r.status);
    }).then(function(html){
      if (html === null) return;
      var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('board');
      if (!fresh) return;
      document.getElementById('board').replaceWith(fresh);
      document.getElementById('fresh').textContent = '数据更新于 ' + beijing(Number(fresh.dataset.serverNow)).slice(11,16);
      document.getElementById('offline').hidden = true;
      measure(); tick();
    }).catch(function(){ document.getElementById('offline').hidden = false; });
  }
  measure(); tick(); setInterval(tick, 1000); setInterval(reload, ${RELOAD_MS});
})();`;

function DisplayPage(props: { data: Dashboard; now: number; name: string }) {
  const iso = new Date(props.now + 8 * 3_600_000).toISOString();
  return (
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <title>{`值班看板 · ${props.name}`}</title>
        <style>{raw(CSS)}</style>
      </head>
      <body>
        <div class="screen">
          <header class="top">
            <h1>政策解读与舆情回应 · 值班看板</h1>
            <span class="date" id="date">
              {iso.slice(0, 10)}
            </span>
            <span class="clock" id="clock" role="timer" aria-label="北京时间">
              {iso.slice(11, 19)}
            </span>
            <span class="fresh" id="fresh">
              数据更新于 {iso.slice(11, 16)}
            </span>
            <span class="offline" id="offline" role="status" hidden>
              网络中断，显示的是上次的数据
            </span>
          </header>
          <main>
            <Board data={props.data} now={props.now} />
          </main>
        </div>
        <script>{raw(SCRIPT)}</script>
      </body>
    </html>
  );
}

export function displayPages(ctx: AppContext) {
  return new Hono<AuthEnv>().get('/display/:secret', async (c) => {
    const link = await openDisplayLink(ctx, c.req.param('secret'));
    if (!link) {
      return c.html(
        <Layout title="未找到">
          <h1>未找到</h1>
          <p class="notice">该大屏链接无效或已被撤销。如需继续显示看板，请联系管理员在“管理 → 大屏链接”中创建新的链接。</p>
        </Layout>,
        404,
      );
    }
    const now = ctx.now();
    const data = await dashboard(ctx, now);
    // The secret is in the address: no caching, and no Referer carrying it anywhere.
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'no-referrer');
    return c.html(
      <>
        {raw('<!doctype html>')}
        <DisplayPage data={data} now={now} name={link.name} />
      </>,
    );
  });
}
