import type { Context } from 'hono';
import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { z } from 'zod';
import { calendarFeedStatus, changeOwnPassword } from '../../../app/accounts/own-account.js';
import { mayCall } from '../../../app/accounts/policy.js';
import { createToken, listTokens, revokeToken } from '../../../app/accounts/sessions.js';
import { getUser } from '../../../app/accounts/users.js';
import type { AppContext } from '../../../app/context.js';
import { listDepartments } from '../../../app/departments.js';
import { issueCalendarFeed } from '../../../app/notifications/calendar-feed.js';
import { SESSION_COOKIE, type AuthEnv } from '../../../http/auth.js';
import { PasswordChange } from '../../../http/routes/accounts.js';
import { forbiddenPage, notFoundPage } from '../../errors.js';
import { attempt, formFields, readableErrors, type FieldErrors, type PageStatus } from '../../forms.js';
import { Layout } from '../../layout.js';
import { MePage, type PageExtras } from './view.js';

// The routes of /me, for every signed-in person. Forms post to this page, never to /api; each post
// is checked against the same ROUTE_POLICY entry as the API call it stands for and runs the same
// use case with the signed-in actor (the session check, same-origin included, is pageSession's).

type Ctx = Context<AuthEnv>;

const ROUTES = {
  me: 'GET /api/me',
  changePassword: 'POST /api/me/password',
  tokens: 'GET /api/tokens',
  createToken: 'POST /api/tokens',
  revokeToken: 'DELETE /api/tokens/:id',
  calendarFeed: 'POST /api/me/calendar-feed',
} as const;

/** The name rule of POST /api/tokens. */
const TokenName = z.object({ name: z.string().trim().min(1).max(100) });

const PASSWORD_WORDS = {
  currentPassword: { blank: '请输入当前密码', wrong: '当前密码不能超过 200 个字符' },
  newPassword: { blank: '请输入新密码', wrong: null }, // the rule's own message: 密码至少 10 个字符 …
};
const TOKEN_WORDS = { name: { blank: '请填写令牌名称', wrong: '令牌名称不能超过 100 个字' } };

const idOf = (value: string | undefined): number | null =>
  value !== undefined && /^[1-9]\d{0,14}$/.test(value) && Number.isSafeInteger(Number(value)) ? Number(value) : null;

const text = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));

export function mePages(ctx: AppContext) {
  const refuse = (c: Ctx) => forbiddenPage(c, '或执行此操作');

  async function page(c: Ctx, extras: PageExtras = {}, status: PageStatus = 200) {
    const actor = c.get('actor');
    const user = await getUser(ctx, actor.userId!);
    const departments = new Map((await listDepartments(ctx, { limit: 500, offset: 0 })).map((d) => [d.code, d.name]));
    const tokens = (await listTokens(ctx, actor)).sort((a, b) => b.id - a.id);
    return c.html(
      <Layout title="我的账户" actor={actor} current="/me">
        <MePage user={user} departments={departments} tokens={tokens} calendar={await calendarFeedStatus(ctx, actor)} extras={extras} />
      </Layout>,
      status,
    );
  }

  return (
    new Hono<AuthEnv>()
      .get('/me', (c) => {
        if (!mayCall(c.get('actor'), ROUTES.me)) return refuse(c);
        const changed = c.req.query('changed') === 'password';
        const ended = Number(c.req.query('ended') ?? '0');
        return page(c, changed ? { passwordChanged: { endedSessions: Number.isSafeInteger(ended) && ended > 0 ? ended : 0 } } : {});
      })

      // Posts answered in place leave their address in the bar: opened again, it leads to the page.
      .get('/me/password', (c) => c.redirect('/me#password', 303))
      .get('/me/tokens', (c) => c.redirect('/me#tokens', 303))
      .get('/me/calendar-feed', (c) => c.redirect('/me#calendar-feed', 303))

      .post('/me/password', async (c) => {
        const actor = c.get('actor');
        if (!mayCall(actor, ROUTES.changePassword)) return refuse(c);
        const fields = await formFields(c);
        const posted = { currentPassword: text(fields.currentPassword), newPassword: text(fields.newPassword) };
        const repeat = text(fields.newPasswordRepeat);
        // Passwords are never written back into the page: only which fields were wrong.
        const values = { currentPassword: posted.currentPassword === '' ? '' : 'typed', newPassword: posted.newPassword === '' ? '' : 'typed' };
        const parsed = PasswordChange.safeParse(posted);
        const errors: FieldErrors = parsed.success ? {} : readableErrors(parsed.error, values, PASSWORD_WORDS);
        if (repeat === '') errors.newPasswordRepeat = '请再次输入新密码';
        else if (repeat !== posted.newPassword) errors.newPasswordRepeat = '两次输入的新密码不一致';
        if (!parsed.success || Object.keys(errors).length > 0) return page(c, { failed: { form: 'password', values: {}, errors } }, 400);
        const result = await attempt(() => changeOwnPassword(ctx, actor, parsed.data, getCookie(c, SESSION_COOKIE) ?? null));
        if (!result.ok) return page(c, { failed: { form: 'password', values: {}, errors: result.errors } }, result.status);
        return c.redirect(`/me?changed=password&ended=${result.value.endedSessions}#password`, 303);
      })

      .post('/me/tokens', async (c) => {
        const actor = c.get('actor');
        if (!mayCall(actor, ROUTES.createToken)) return refuse(c);
        const values = { name: text((await formFields(c)).name) };
        const parsed = TokenName.safeParse(values);
        if (!parsed.success) return page(c, { failed: { form: 'token', values, errors: readableErrors(parsed.error, values, TOKEN_WORDS) } }, 400);
        const result = await attempt(() => createToken(ctx, actor, parsed.data.name));
        if (!result.ok) return page(c, { failed: { form: 'token', values, errors: result.errors } }, result.status);
        // The token exists in this answer only: show it now, once.
        return page(c, { createdToken: { id: result.value.id, name: result.value.name, token: result.value.token } });
      })

      .post('/me/tokens/:id/revoke', async (c) => {
        const actor = c.get('actor');
        if (!mayCall(actor, ROUTES.revokeToken)) return refuse(c);
        const id = idOf(c.req.param('id'));
        // Only one's own tokens on this page (the API lets an admin revoke anyone's).
        const own = id !== null && (await listTokens(ctx, actor)).some((t) => t.id === id);
        if (!own) return notFoundPage(c, '该令牌');
        const result = await attempt(() => revokeToken(ctx, actor, id));
        if (!result.ok) return page(c, { failed: { form: 'token', values: {}, errors: result.errors } }, result.status);
        return c.redirect(`/me#token-${id}`, 303);
      })

      .post('/me/calendar-feed', async (c) => {
        const actor = c.get('actor');
        if (!mayCall(actor, ROUTES.calendarFeed)) return refuse(c);
        const result = await attempt(() => issueCalendarFeed(ctx, actor, new URL(c.req.url).origin));
        if (!result.ok) return page(c, { failed: { form: 'calendar', values: {}, errors: { _form: Object.values(result.errors).join('；') } } }, result.status);
        // The address exists in this answer only: show it now, once.
        return page(c, { feedUrl: result.value.url });
      })
  );
}
