import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import { ROLE_LABELS, type Actor } from '../app/accounts/actor.js';
import { mayCall } from '../app/accounts/policy.js';

// One small stylesheet, inline: no build step, and pages work from 390 px wide up.
const CSS = `
*{box-sizing:border-box}body{margin:0;font:15px/1.6 system-ui,-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:#1f2933;background:#f4f6f8}
a{color:#0b5cad}header{background:#8b1a1a;color:#fff;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center}
header .brand{font-weight:700;margin-right:auto}header nav{display:flex;flex-wrap:wrap;gap:.25rem .9rem}header a{color:#fff;text-decoration:none}
header a[aria-current]{text-decoration:underline}header form{margin:0}header button{background:none;border:1px solid #fff8;color:#fff;border-radius:4px;padding:.1rem .5rem;cursor:pointer}
.skip{position:absolute;left:.5rem;top:-3rem;background:#fff;color:#1f2933;padding:.4rem .8rem;border-radius:4px;z-index:10}.skip:focus{top:.5rem}
.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
main{max-width:1100px;margin:0 auto;padding:1rem}main:focus{outline:none}h1{font-size:1.35rem;margin:.2rem 0 1rem}h2{font-size:1.1rem;margin:1.5rem 0 .6rem}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:.75rem}.card{background:#fff;border-radius:8px;padding:.75rem 1rem;box-shadow:0 1px 2px #0001}
.card b{display:block;font-size:1.6rem}.card.alert b{color:#b42318}
.table-wrap{overflow-x:auto;background:#fff;border-radius:8px;box-shadow:0 1px 2px #0001}
table{border-collapse:collapse;width:100%}th,td{padding:.5rem .6rem;border-bottom:1px solid #e4e7eb;text-align:left;vertical-align:top}th{background:#f8fafc;font-weight:600;white-space:nowrap}
.timers{list-style:none;padding:0;margin:0;display:grid;gap:.6rem}.timer{background:#fff;border-radius:8px;padding:.7rem 1rem;border-left:6px solid #2f855a;box-shadow:0 1px 2px #0001;display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:baseline}
.timer .what{flex:1 1 14rem}.timer .countdown{font:700 1.5rem/1 ui-monospace,Menlo,Consolas,monospace;letter-spacing:.02em}
.timer.urgent{border-color:#dd6b20}.timer.urgent .countdown{color:#9c4221}.timer.overdue{border-color:#b42318}.timer.overdue .countdown{color:#b42318}
.muted{color:#52606d;font-size:.9em}.empty{color:#52606d;background:#fff;border-radius:8px;padding:1rem}
form.stack{display:grid;gap:.8rem;max-width:24rem}label{display:grid;gap:.2rem}input,select,textarea{font:inherit;padding:.45rem .55rem;border:1px solid #8a96a3;border-radius:6px;width:100%}
button.primary{font:inherit;background:#8b1a1a;color:#fff;border:0;border-radius:6px;padding:.55rem 1rem;cursor:pointer}
.field-error{color:#b42318;font-size:.9em}.notice{background:#fff4e5;border:1px solid #f6ad55;border-radius:6px;padding:.6rem .8rem}
.chart{background:#fff;border-radius:8px;padding:.5rem;box-shadow:0 1px 2px #0001}.chart svg{width:100%;max-width:640px;height:auto;display:block}
/* Shared by the pages: tables that turn into labelled cards on a phone, pagers, inline buttons. */
td,dd{overflow-wrap:anywhere}
.pager{display:flex;gap:1rem;align-items:center;margin:.8rem 0}
.forms{display:grid;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));gap:1rem 2rem}
.inline{margin:0}.inline button{font:inherit;font-size:.9em;padding:.2rem .6rem;border:1px solid #8a96a3;border-radius:6px;background:#fff;cursor:pointer;white-space:nowrap}
.register{background:#fff;border-radius:8px;padding:.6rem 1rem;margin-bottom:1rem;box-shadow:0 1px 2px #0001}
.register summary{cursor:pointer;font-weight:600;color:#8b1a1a}.register form{margin-top:.8rem}
.st{display:inline-block;padding:0 .45rem;border-radius:4px;font-size:.9em;white-space:nowrap}
@media (max-width:640px){
  table.stacked thead{display:none}
  table.stacked,table.stacked tbody,table.stacked tr,table.stacked td{display:block;width:100%}
  table.stacked tr{border-bottom:1px solid #e4e7eb;padding:.4rem 0}
  table.stacked td{border:0;padding:.15rem .8rem;display:grid;grid-template-columns:5.5em minmax(0,1fr);gap:.5rem}
  table.stacked td::before{content:attr(data-label);color:#52606d;white-space:normal}
  table.stacked td>*{grid-column:2}
}
`;

/** Each page, shown to the roles that may read what it shows (ROUTE_POLICY decides). */
const NAV: { href: string; label: string; route: string }[] = [
  { href: '/', label: '看板', route: 'GET /api/dashboard' },
  { href: '/documents', label: '文件', route: 'GET /api/documents' },
  { href: '/import', label: '导入', route: 'POST /api/imports' },
  { href: '/incidents', label: '舆情事件', route: 'GET /api/incidents' },
  { href: '/briefings/daily', label: '舆情日报', route: 'GET /api/briefings/daily' },
  { href: '/disclosure', label: '依申请公开', route: 'GET /api/disclosure-requests' },
  { href: '/reports', label: '考核报表', route: 'GET /api/reports/assessment' },
  { href: '/feeds', label: '订阅源', route: 'GET /api/feeds' },
  { href: '/rules', label: '监测规则', route: 'GET /api/rules' },
  { href: '/calendar', label: '工作日历', route: 'GET /api/calendar/years/:year' },
  { href: '/notifications', label: '通知', route: 'GET /api/channels' },
  { href: '/audit', label: '审计日志', route: 'GET /api/audit' },
  // Users, departments, the response policy and wall-screen links (SPEC §15).
  { href: '/admin', label: '管理', route: 'GET /api/users' },
];

/**
 * Ties each field's error to its field, on every page with a form that came back with errors: the
 * error becomes the control's description (aria-describedby) rather than part of its label's
 * name, the control is marked invalid, a summary saying how many fields need changing is announced
 * at the top of the first such form (unless the form already says why, as role=alert), and focus
 * moves to the first field to change — which may be far down the page, where nothing would
 * otherwise show that the submit failed.
 */
const FIELD_ERRORS_SCRIPT = `(() => {
  const spans = [...document.querySelectorAll('.field-error[data-field]')];
  if (spans.length === 0) return;
  let first = null, firstForm = null, n = 0;
  for (const span of spans) {
    const form = span.closest('form');
    const label = span.closest('label');
    const name = span.dataset.field;
    const control = (label && label.querySelector('input,select,textarea')) || (form && [...form.elements].find((e) => e.name === name)) || null;
    span.id = span.id || 'field-error-' + ++n;
    if (!control) continue;
    span.setAttribute('aria-hidden', 'true');
    control.setAttribute('aria-invalid', 'true');
    const described = (control.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
    if (!described.includes(span.id)) control.setAttribute('aria-describedby', described.concat(span.id).join(' '));
    if (!first) { first = control; firstForm = form; }
  }
  if (firstForm && !firstForm.querySelector('[role=alert]')) {
    const count = spans.filter((s) => s.closest('form') === firstForm).length;
    const summary = document.createElement('p');
    summary.className = 'notice';
    summary.setAttribute('role', 'alert');
    summary.textContent = '提交未成功：有 ' + count + ' 处需要修改，见各项下方的说明。';
    firstForm.prepend(summary);
  }
  if (first) {
    const details = first.closest('details');
    if (details) details.open = true;
    first.focus({ preventScroll: true });
    first.scrollIntoView({ block: 'center' });
  }
})();`;

export function Layout(props: { title: string; actor?: Actor; current?: string; children?: Child; script?: string; serverNow?: number }) {
  return (
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <title>{`${props.title} · 政策解读与舆情回应平台`}</title>
        <style>{raw(CSS)}</style>
      </head>
      <body data-server-now={props.serverNow === undefined ? undefined : String(props.serverNow)}>
        <a class="skip" href="#main">跳到正文</a>
        <header>
          <span class="brand">政策解读与舆情回应平台</span>
          {props.actor && (
            <>
              <nav>
                {NAV.filter((n) => mayCall(props.actor!, n.route)).map((n) => (
                  <a href={n.href} aria-current={props.current === n.href ? 'page' : undefined}>
                    {n.label}
                  </a>
                ))}
              </nav>
              <a
                href="/me"
                class="muted me-link"
                style="color:#fff"
                title="我的账户：密码、个人令牌、日历订阅"
                aria-current={props.current === '/me' ? 'page' : undefined}
              >
                {props.actor.username}（{ROLE_LABELS[props.actor.role]}）
              </a>
              <form method="post" action="/logout">
                <button type="submit">退出</button>
              </form>
            </>
          )}
        </header>
        <main id="main" tabindex={-1}>
          {props.children}
        </main>
        <script>{raw(FIELD_ERRORS_SCRIPT)}</script>
        {props.script && <script>{raw(props.script)}</script>}
      </body>
    </html>
  );
}
