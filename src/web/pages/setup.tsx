import type { Context } from 'hono';
import { Hono } from 'hono';
import { raw } from 'hono/html';
import { createFirstAdmin, hasAccounts } from '../../app/accounts/first-run.js';
import { login } from '../../app/accounts/sessions.js';
import { constantTimeEqual, sha256Hex } from '../../app/admin-token.js';
import type { AppContext } from '../../app/context.js';
import { sameOrigin, setSessionCookie, type AuthEnv } from '../../http/auth.js';
import { UserInput } from '../../http/routes/accounts.js';
import { FieldError, FormError } from '../components.js';
import { notFoundPage } from '../errors.js';
import { attempt, formFields, readableErrors, type FieldErrors, type PageStatus } from '../forms.js';
import { Layout } from '../layout.js';

// First run (SPEC §15): while no account exists, /setup creates the first admin account. It asks
// for the admin token (the start-up message prints a /setup?token=… link carrying it) and checks
// it before showing the form and again on submit; then it signs the new admin in and goes on to
// /admin/users. Once any account exists, /setup is the 404 page.

type Ctx = Context<AuthEnv>;

const FirstAdmin = UserInput.pick({ username: true, displayName: true, password: true });

const WORDS = {
  username: { blank: '请填写用户名', wrong: null }, // the rule's own message: 2–50 位字母、数字 …
  displayName: { blank: '请填写姓名', wrong: '姓名不能超过 100 个字' },
  password: { blank: '请设置密码', wrong: null }, // the rule's own message: 至少 10 个字符 / 过于常见
};

const PAGE_CSS = `
.setup-page{max-width:34rem}.setup-page .panel{background:#fff;border-radius:8px;padding:1rem 1.2rem;box-shadow:0 1px 2px #0001}
.setup-page ol{padding-left:1.3rem;margin:.4rem 0 1rem}.setup-page li{margin:.2rem 0}
.setup-page code{font:.95em ui-monospace,Menlo,Consolas,monospace;background:#f4f6f8;border-radius:4px;padding:0 .25rem;overflow-wrap:anywhere}
`;

const text = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));

function Steps(props: { step: 1 | 2 }) {
  return (
    <ol class="muted" aria-label="步骤">
      <li>{props.step === 1 ? <strong>核对管理员令牌</strong> : '核对管理员令牌 ✓'}</li>
      <li>{props.step === 2 ? <strong>创建第一个管理员账户</strong> : '创建第一个管理员账户'}</li>
      <li>在“管理 → 用户”中为各部门、新闻办和领导创建账户</li>
    </ol>
  );
}

function TokenForm(props: { errors?: FieldErrors }) {
  const e = props.errors;
  return (
    <section class="panel">
      <p>
        系统还没有任何账户。请输入<strong>管理员令牌</strong>：服务首次启动时在终端里显示（启动信息中的 <code>/setup?token=…</code>{' '}
        链接已带上令牌，直接打开即可），或是启动时用环境变量 <code>ADMIN_TOKEN</code> 设置的令牌。
      </p>
      <form class="stack" id="token-form" method="get" action="/setup" novalidate aria-label="核对管理员令牌">
        <label>
          管理员令牌
          <input name="token" type="password" autocomplete="off" required aria-invalid={e?.token ? 'true' : undefined} />
          <FieldError errors={e} name="token" />
        </label>
        <button class="primary" type="submit">
          下一步
        </button>
      </form>
    </section>
  );
}

function AccountForm(props: { token: string; values?: Record<string, string>; errors?: FieldErrors }) {
  const e = props.errors;
  const v = props.values ?? {};
  const invalid = (name: string) => (e?.[name] ? 'true' : undefined);
  return (
    <section class="panel">
      <p>令牌正确。请创建第一个管理员账户，之后用它登录，不再需要令牌。</p>
      <form class="stack" id="admin-form" method="post" action="/setup" novalidate aria-label="创建管理员账户">
        <FormError errors={e} />
        <input type="hidden" name="token" value={props.token} />
        <label>
          用户名
          <input name="username" autocomplete="username" value={v.username ?? ''} required maxlength={50} aria-invalid={invalid('username')} />
          <FieldError errors={e} name="username" />
          {!e?.username && <span class="muted">登录用，2–50 位字母、数字、下划线、点或连字符，如 admin。</span>}
        </label>
        <label>
          姓名
          <input name="displayName" autocomplete="name" value={v.displayName ?? ''} required maxlength={100} aria-invalid={invalid('displayName')} />
          <FieldError errors={e} name="displayName" />
        </label>
        <label>
          密码
          <input name="password" type="password" autocomplete="new-password" required minlength={10} maxlength={200} aria-invalid={invalid('password')} />
          <FieldError errors={e} name="password" />
          {!e?.password && <span class="muted">至少 10 个字符，不能是常见密码或用户名。</span>}
        </label>
        <label>
          再次输入密码
          <input name="passwordRepeat" type="password" autocomplete="new-password" required aria-invalid={invalid('passwordRepeat')} />
          <FieldError errors={e} name="passwordRepeat" />
        </label>
        <button class="primary" type="submit">
          创建管理员并登录
        </button>
      </form>
    </section>
  );
}

// The token came in the address: take it out of the address bar and the browser's history.
const FORGET_TOKEN = `if (location.search.indexOf('token=') >= 0) history.replaceState(null, '', '/setup');`;

export function setupPages(ctx: AppContext, adminTokenSha256: string, clientAddress: (c: Context) => string) {
  const tokenIsRight = async (token: string) => token !== '' && constantTimeEqual(await sha256Hex(token), adminTokenSha256);

  function page(c: Ctx, step: 1 | 2, form: unknown, status: PageStatus = 200, script?: string) {
    // The page carries the token: kept out of caches, and out of the Referer of any link away.
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'same-origin');
    return c.html(
      <Layout title="首次设置" script={script}>
        <div class="setup-page">
          <style>{raw(PAGE_CSS)}</style>
          <h1>首次设置</h1>
          <Steps step={step} />
          {form}
        </div>
      </Layout>,
      status,
    );
  }

  return new Hono<AuthEnv>()
    .get('/setup', async (c) => {
      if (await hasAccounts(ctx)) return notFoundPage(c, '此页面');
      const token = c.req.query('token');
      if (token === undefined) return page(c, 1, <TokenForm />);
      if (!(await tokenIsRight(token))) {
        return page(c, 1, <TokenForm errors={{ token: token === '' ? '请输入管理员令牌' : '管理员令牌不正确' }} />, token === '' ? 400 : 403);
      }
      return page(c, 2, <AccountForm token={token} />, 200, FORGET_TOKEN);
    })
    .post('/setup', async (c) => {
      if (!sameOrigin(c)) return c.text('拒绝跨站请求：请从本系统页面提交', 403);
      if (await hasAccounts(ctx)) return notFoundPage(c, '此页面');
      const fields = await formFields(c);
      const token = text(fields.token);
      if (!(await tokenIsRight(token))) return page(c, 1, <TokenForm errors={{ token: '管理员令牌不正确，请重新输入' }} />, 403);
      const values = { username: text(fields.username).trim(), displayName: text(fields.displayName).trim() };
      const posted = { ...values, password: text(fields.password) };
      const repeat = text(fields.passwordRepeat);
      const parsed = FirstAdmin.safeParse(posted);
      const errors: FieldErrors = parsed.success ? {} : readableErrors(parsed.error, { ...values, password: posted.password }, WORDS);
      if (posted.password !== '' && repeat === '') errors.passwordRepeat = '请再次输入密码';
      else if (repeat !== posted.password) errors.passwordRepeat = '两次输入的密码不一致';
      // Passwords are never written back into the page.
      if (!parsed.success || Object.keys(errors).length > 0) return page(c, 2, <AccountForm token={token} values={values} errors={errors} />, 400);
      const created = await attempt(() => createFirstAdmin(ctx, parsed.data));
      if (!created.ok) return page(c, 2, <AccountForm token={token} values={values} errors={created.errors} />, created.status);
      const { token: session, expiresAt } = await login(ctx, { username: parsed.data.username, password: parsed.data.password, address: clientAddress(c) });
      setSessionCookie(c, session, expiresAt - ctx.now());
      return c.redirect('/admin/users?welcome=1', 303);
    });
}
