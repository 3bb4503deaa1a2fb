import type { Context } from 'hono';
import { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { ROLE_LABELS } from '../../../app/accounts/actor.js';
import { createDisplayLink, listDisplayLinks, revokeDisplayLink } from '../../../app/accounts/display-links.js';
import { mayCall } from '../../../app/accounts/policy.js';
import { createUser, getUser, listUsers, updateUser, type UserPatch } from '../../../app/accounts/users.js';
import type { AppContext } from '../../../app/context.js';
import { createDepartment, listDepartments, renameDepartment } from '../../../app/departments.js';
import { currentPolicy, listPolicyVersions, setPolicy } from '../../../app/response-policy.js';
import type { AuthEnv } from '../../../http/auth.js';
import { DisplayLinkInput } from '../../../http/routes/display-links.js';
import { forbiddenPage, notFoundPage } from '../../errors.js';
import { attempt, formFields, readableErrors, type FailedForm, type PageStatus } from '../../forms.js';
import { Layout } from '../../layout.js';
import { DepartmentsPage, postedDepartment, postedRename } from './departments.js';
import { HomePage, missingSchedules, type HomeExtras } from './home.js';
import { kindsOf, PolicyPage, postedPolicy, samePolicy } from './policy.js';
import { AdminFrame, idOf, ROUTES, textOf } from './shared.js';
import { postedNewUser, postedPasswordReset, postedUserEdit, UsersPage, type UsersExtras } from './users.js';
import { shanghaiDate } from '../../../domain/time.js';

// The routes of /admin (SPEC §15), for admins; everyone else gets the 403 page. Forms post to these
// pages, never to /api; each post is checked against the same ROUTE_POLICY entry as the API call
// it stands for and runs the same use case with the signed-in actor, which audits the change.
// A post that worked redirects back (a reload does not repeat it), except where a secret is shown once.

type Ctx = Context<AuthEnv>;

const ALL = { limit: 1000, offset: 0 };

/** What a redirect after a user post says, by `?done=<what>-<id>`. */
const USER_DONE: Record<string, (u: { username: string; role: keyof typeof ROLE_LABELS }) => string> = {
  created: (u) => `已创建用户 ${u.username}（${ROLE_LABELS[u.role]}）。`,
  updated: (u) => `已保存用户 ${u.username} 的修改。`,
  password: (u) => `已重置用户 ${u.username} 的密码，其各处登录已退出。`,
  disabled: (u) => `已停用用户 ${u.username}：其登录、个人令牌和日历订阅已立即失效。`,
  enabled: (u) => `已启用用户 ${u.username}。`,
};

export function adminPages(ctx: AppContext) {
  const refuse = (c: Ctx) => forbiddenPage(c, '管理页面或执行此操作');

  function frame(c: Ctx, title: string, tab: string, body: Child, status: PageStatus = 200) {
    return c.html(
      <Layout title={title} actor={c.get('actor')} current="/admin">
        <AdminFrame current={tab}>{body}</AdminFrame>
      </Layout>,
      status,
    );
  }

  async function home(c: Ctx, extras: HomeExtras = {}, status: PageStatus = 200) {
    const body = (
      <HomePage
        missingSchedules={missingSchedules((await ctx.calendars.current()).publishedYears(), shanghaiDate(ctx.now()))}
        users={await listUsers(ctx, ALL)}
        departments={await listDepartments(ctx, ALL)}
        policy={await currentPolicy(ctx)}
        links={await listDisplayLinks(ctx)}
        now={ctx.now()}
        extras={extras}
      />
    );
    return frame(c, '系统管理', '/admin', body, status);
  }

  async function users(c: Ctx, extras: UsersExtras = {}, status: PageStatus = 200) {
    const all = await listUsers(ctx, ALL);
    const done = /^([a-z]+)-(\d+)$/.exec(c.req.query('done') ?? '');
    const doneUser = done ? all.find((u) => u.id === Number(done[2])) : undefined;
    const said = done && doneUser && USER_DONE[done[1]!] ? USER_DONE[done[1]!]!(doneUser) : undefined;
    const body = (
      <UsersPage
        actor={c.get('actor')}
        users={all}
        departments={await listDepartments(ctx, ALL)}
        extras={{ welcome: c.req.query('welcome') === '1', ...(said ? { done: said } : {}), ...extras }}
      />
    );
    return frame(c, '用户管理', '/admin/users', body, status);
  }

  async function departments(c: Ctx, failed?: FailedForm, status: PageStatus = 200) {
    const list = await listDepartments(ctx, ALL);
    const accounts = new Map<string, number>();
    for (const u of await listUsers(ctx, ALL)) for (const code of u.departmentCodes) accounts.set(code, (accounts.get(code) ?? 0) + 1);
    const code = c.req.query('code');
    const named = list.find((d) => d.code === code);
    const done = !named ? undefined : c.req.query('done') === 'created' ? `已登记部门 ${named.name}。` : c.req.query('done') === 'renamed' ? `部门名称已改为 ${named.name}。` : undefined;
    return frame(c, '部门管理', '/admin/departments', <DepartmentsPage departments={list} accounts={accounts} failed={failed} done={done} />, status);
  }

  async function policy(c: Ctx, failed?: FailedForm, status: PageStatus = 200) {
    const current = await currentPolicy(ctx);
    const saved = Number(c.req.query('saved'));
    const body = (
      <PolicyPage
        policy={current}
        versions={await listPolicyVersions(ctx)}
        kinds={kindsOf(current.rules)}
        failed={failed}
        saved={Number.isSafeInteger(saved) && saved === current.version ? saved : undefined}
      />
    );
    return frame(c, '回应时限', '/admin/policy', body, status);
  }

  /** A user of a path's :id, or null. */
  async function existingUser(id: number | null) {
    if (id === null) return null;
    const found = await attempt(() => getUser(ctx, id));
    return found.ok ? found.value : null;
  }

  /** Runs a PATCH of a user from one of its row's forms; back to the list, or the form with its errors. */
  async function patchUser(c: Ctx, id: number, patch: UserPatch, form: string, values: Record<string, string>, done: string) {
    const result = await attempt(() => updateUser(ctx, c.get('actor'), id, patch));
    if (!result.ok) return users(c, { failed: { form, values, errors: result.errors } }, result.status);
    return c.redirect(`/admin/users?done=${done}-${id}#user-${id}`, 303);
  }

  return (
    new Hono<AuthEnv>()
      .get('/admin', (c) => (mayCall(c.get('actor'), ROUTES.users) ? home(c) : refuse(c)))
      .get('/admin/users', (c) => (mayCall(c.get('actor'), ROUTES.users) ? users(c) : refuse(c)))
      .get('/admin/departments', (c) => (mayCall(c.get('actor'), ROUTES.createDepartment) ? departments(c) : refuse(c)))
      .get('/admin/policy', (c) => (mayCall(c.get('actor'), ROUTES.setPolicy) ? policy(c) : refuse(c)))

      // Posts answered in place leave their address in the bar: opened again, it leads to the page.
      .get('/admin/display-links', (c) => c.redirect('/admin#display-links', 303))
      .get('/admin/users/:id/:action', (c) => c.redirect(`/admin/users#user-${idOf(c.req.param('id')) ?? ''}`, 303))
      .get('/admin/departments/:code/rename', (c) => c.redirect('/admin/departments', 303))

      .post('/admin/users', async (c) => {
        const actor = c.get('actor');
        if (!mayCall(actor, ROUTES.createUser)) return refuse(c);
        const { values, input, errors } = await postedNewUser(c);
        if (!input) return users(c, { failed: { form: 'create', values, errors: errors ?? {} } }, 400);
        const result = await attempt(() => createUser(ctx, actor, input));
        if (!result.ok) return users(c, { failed: { form: 'create', values, errors: result.errors } }, result.status);
        return c.redirect(`/admin/users?done=created-${result.value.id}#user-${result.value.id}`, 303);
      })

      .post('/admin/users/:id/edit', async (c) => {
        if (!mayCall(c.get('actor'), ROUTES.updateUser)) return refuse(c);
        const user = await existingUser(idOf(c.req.param('id')));
        if (!user) return notFoundPage(c, '该用户');
        const form = `edit-${user.id}`;
        const { values, patch, errors } = await postedUserEdit(c);
        if (!patch) return users(c, { failed: { form, values, errors: errors ?? {} } }, 400);
        return patchUser(c, user.id, patch, form, values, 'updated');
      })

      .post('/admin/users/:id/password', async (c) => {
        if (!mayCall(c.get('actor'), ROUTES.updateUser)) return refuse(c);
        const user = await existingUser(idOf(c.req.param('id')));
        if (!user) return notFoundPage(c, '该用户');
        const form = `password-${user.id}`;
        const { patch, errors } = await postedPasswordReset(c);
        if (!patch) return users(c, { failed: { form, values: {}, errors: errors ?? {} } }, 400);
        return patchUser(c, user.id, patch, form, {}, 'password');
      })

      .post('/admin/users/:id/disabled', async (c) => {
        if (!mayCall(c.get('actor'), ROUTES.updateUser)) return refuse(c);
        const user = await existingUser(idOf(c.req.param('id')));
        if (!user) return notFoundPage(c, '该用户');
        const disabled = textOf((await formFields(c)).disabled);
        const form = `row-${user.id}`;
        if (disabled !== 'true' && disabled !== 'false') {
          return users(c, { failed: { form, values: {}, errors: { _form: '请求无效：请使用页面上的“停用”或“启用”按钮' } } }, 400);
        }
        return patchUser(c, user.id, { disabled: disabled === 'true' }, form, {}, disabled === 'true' ? 'disabled' : 'enabled');
      })

      .post('/admin/departments', async (c) => {
        const actor = c.get('actor');
        if (!mayCall(actor, ROUTES.createDepartment)) return refuse(c);
        const { values, input, errors } = await postedDepartment(c);
        if (!input) return departments(c, { form: 'create', values, errors: errors ?? {} }, 400);
        const result = await attempt(() => createDepartment(ctx, actor, input));
        if (!result.ok) return departments(c, { form: 'create', values, errors: result.errors }, result.status);
        return c.redirect(`/admin/departments?done=created&code=${encodeURIComponent(input.code)}#department-${input.code}`, 303);
      })

      .post('/admin/departments/:code/rename', async (c) => {
        const actor = c.get('actor');
        if (!mayCall(actor, ROUTES.renameDepartment)) return refuse(c);
        const code = c.req.param('code');
        if (!(await listDepartments(ctx, ALL)).some((d) => d.code === code)) return notFoundPage(c, '该部门');
        const form = `rename-${code}`;
        const { values, name, errors } = await postedRename(c);
        if (name === undefined) return departments(c, { form, values, errors: errors ?? {} }, 400);
        const result = await attempt(() => renameDepartment(ctx, actor, code, name));
        if (!result.ok) return departments(c, { form, values, errors: result.errors }, result.status);
        return c.redirect(`/admin/departments?done=renamed&code=${encodeURIComponent(code)}#department-${code}`, 303);
      })

      .post('/admin/policy', async (c) => {
        const actor = c.get('actor');
        if (!mayCall(actor, ROUTES.setPolicy)) return refuse(c);
        const current = await currentPolicy(ctx);
        const { values, rules, errors } = await postedPolicy(c, kindsOf(current.rules));
        if (!rules) return policy(c, { form: 'policy', values, errors: errors ?? {} }, 400);
        if (samePolicy(rules, current.rules)) return policy(c, { form: 'policy', values, errors: { _form: '没有修改任何时限，未生成新版本。' } }, 400);
        const result = await attempt(() => setPolicy(ctx, actor, rules));
        if (!result.ok) return policy(c, { form: 'policy', values, errors: result.errors }, result.status);
        return c.redirect(`/admin/policy?saved=${result.value.version}#saved`, 303);
      })

      .post('/admin/display-links', async (c) => {
        const actor = c.get('actor');
        if (!mayCall(actor, ROUTES.createDisplayLink)) return refuse(c);
        const values = { name: textOf((await formFields(c)).name) };
        const parsed = DisplayLinkInput.safeParse(values);
        if (!parsed.success) {
          const errors = readableErrors(parsed.error, values, { name: { blank: '请填写名称，如 值班室大屏', wrong: '名称不能超过 100 个字' } });
          return home(c, { failed: { form: 'display-link', values, errors } }, 400);
        }
        const result = await attempt(() => createDisplayLink(ctx, actor, parsed.data.name, new URL(c.req.url).origin));
        if (!result.ok) return home(c, { failed: { form: 'display-link', values, errors: result.errors } }, result.status);
        // The address exists in this answer only: show it now, once.
        c.header('Cache-Control', 'no-store');
        return home(c, { created: { id: result.value.id, name: result.value.name, url: result.value.url } });
      })

      .post('/admin/display-links/:id/revoke', async (c) => {
        const actor = c.get('actor');
        if (!mayCall(actor, ROUTES.revokeDisplayLink)) return refuse(c);
        const id = idOf(c.req.param('id'));
        if (id === null) return notFoundPage(c, '该大屏链接');
        const result = await attempt(() => revokeDisplayLink(ctx, actor, id));
        if (!result.ok) return result.status === 404 ? notFoundPage(c, '该大屏链接') : home(c, { failed: { form: 'display-link', values: {}, errors: result.errors } }, result.status);
        return c.redirect(`/admin#display-link-${id}`, 303);
      })
  );
}
