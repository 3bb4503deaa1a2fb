import type { Context } from 'hono';
import { deleteCookie, getCookie } from 'hono/cookie';
import { Hono } from 'hono';
import { login, logout } from '../../app/accounts/sessions.js';
import { lockMessage, signInThrottle, triesLeftMessage } from '../../app/accounts/sign-in-locks.js';
import type { AppContext } from '../../app/context.js';
import { AppError } from '../../app/errors.js';
import { sameOrigin, SESSION_COOKIE, setSessionCookie } from '../../http/auth.js';
import { Layout } from '../layout.js';

/** Only our own paths: never an absolute URL that would send people elsewhere after sign-in. */
function safeNext(next: string | undefined): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

function LoginPage(props: { next: string; username?: string; errors?: { username?: string; password?: string; form?: string } }) {
  const e = props.errors ?? {};
  return (
    <Layout title="登录">
      <h1>登录</h1>
      <form class="stack" method="post" action="/login" novalidate>
        <input type="hidden" name="next" value={props.next} />
        {e.form && (
          <p class="notice" role="alert">
            {e.form}
          </p>
        )}
        <label>
          用户名
          <input name="username" autocomplete="username" value={props.username ?? ''} required aria-invalid={e.username ? 'true' : undefined} />
          {e.username && <span class="field-error">{e.username}</span>}
        </label>
        <label>
          密码
          <input name="password" type="password" autocomplete="current-password" required aria-invalid={e.password ? 'true' : undefined} />
          {e.password && <span class="field-error">{e.password}</span>}
        </label>
        <button class="primary" type="submit">
          登录
        </button>
      </form>
    </Layout>
  );
}

export function loginPages(ctx: AppContext, clientAddress: (c: Context) => string) {
  return new Hono()
    .get('/login', (c) => c.html(<LoginPage next={safeNext(c.req.query('next'))} />))
    .post('/login', async (c) => {
      if (!sameOrigin(c)) return c.text('拒绝跨站请求：请从本系统页面提交', 403);
      const form = await c.req.parseBody();
      const username = String(form.username ?? '').trim();
      const password = String(form.password ?? '');
      const next = safeNext(String(form.next ?? '/'));
      const errors: { username?: string; password?: string; form?: string } = {};
      if (!username) errors.username = '请输入用户名';
      if (!password) errors.password = '请输入密码';
      if (errors.username || errors.password) return c.html(<LoginPage next={next} username={username} errors={errors} />, 400);
      try {
        const { token, expiresAt } = await login(ctx, { username, password, address: clientAddress(c) });
        setSessionCookie(c, token, expiresAt - ctx.now());
        return c.redirect(next, 303);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        // Say which lock holds (the user name or this address) and until when, as soon as it
        // holds — also on the failure that set it — and warn when few tries are left.
        const throttle = await signInThrottle(ctx, username, clientAddress(c));
        const locked = lockMessage(ctx, username, throttle);
        if (locked) {
          const until = Math.max(throttle.userLockedUntil ?? 0, throttle.addressLockedUntil ?? 0);
          c.header('Retry-After', String(Math.max(1, Math.ceil((until - ctx.now()) / 1000))));
          return c.html(<LoginPage next={next} username={username} errors={{ form: locked }} />, 429);
        }
        const warning = err.status === 401 ? triesLeftMessage(throttle) : null;
        return c.html(<LoginPage next={next} username={username} errors={{ form: warning ? `${err.message}。${warning}` : err.message }} />, err.status === 429 ? 429 : 401);
      }
    })
    .post('/logout', async (c) => {
      if (!sameOrigin(c)) return c.text('拒绝跨站请求：请从本系统页面提交', 403);
      const token = getCookie(c, SESSION_COOKIE);
      if (token) await logout(ctx, token);
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.redirect('/login', 303);
    });
}
