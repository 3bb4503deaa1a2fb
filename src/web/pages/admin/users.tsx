import type { Context } from 'hono';
import { ROLE_LABELS, ROLES, type Actor } from '../../../app/accounts/actor.js';
import type { UserView } from '../../../app/accounts/users.js';
import type { DepartmentView } from '../../../app/departments.js';
import type { AuthEnv } from '../../../http/auth.js';
import { UserInput, UserPatchInput } from '../../../http/routes/accounts.js';
import { FieldError, FormError } from '../../components.js';
import { errorsOf, formFields, readableErrors, valuesOf, type FailedForm, type FieldErrors } from '../../forms.js';
import { Cell, departmentNames, departmentOption, invalid, listOf, textOf } from './shared.js';

// /admin/users: every account, the 新建用户 form, and per account 编辑 (name, role, departments),
// 重置密码 and 停用 / 启用. What the forms post becomes the input of POST or PATCH /api/users,
// checked by the same schemas; passwords are never written back into the page.

export interface UsersExtras {
  failed?: FailedForm;
  /** Just after /setup: the first admin, signed in. */
  welcome?: boolean;
  /** What the last post did, said above the list. */
  done?: string;
}

/** Checkbox lists travel in a form's values joined by this; department codes never hold it. */
const SEP = ',';

const WORDS = {
  username: { blank: '请填写用户名', wrong: null }, // the rule's own message: 2–50 位字母、数字 …
  displayName: { blank: '请填写姓名', wrong: '姓名不能超过 100 个字' },
  role: { blank: '请选择角色', wrong: '请从列表中选择角色' },
  departmentCodes: { blank: '', wrong: '请从列表中选择部门' },
  password: { blank: '请设置初始密码', wrong: null }, // the rule's own message: 至少 10 个字符 / 过于常见
};

type Posted = { values: Record<string, string>; errors?: FieldErrors };

/** A checkbox as a form value: 'on' when ticked, '' when not (an unticked box is not posted at all). */
const checked = (field: string | string[] | undefined) => (textOf(field) === 'on' ? 'on' : '');

function SignOffChoice(props: { checked: boolean }) {
  return (
    <label style="display:flex;gap:.4rem;align-items:flex-start;font-weight:normal">
      <input type="checkbox" name="canSignOff" value="on" checked={props.checked} style="width:auto;margin-top:.3rem" />
      可审签本部门文件（同步审签文件及其解读方案；只对起草部门账户有效，管理员和领导本就可以审签）
    </label>
  );
}

/** A posted 新建用户 form: the values to show again, and the POST /api/users input, or its errors. */
export async function postedNewUser(c: Context<AuthEnv>): Promise<Posted & { input?: ReturnType<typeof UserInput.parse> }> {
  const fields = await formFields(c);
  const departmentCodes = listOf(fields.departmentCodes);
  const values = { username: textOf(fields.username).trim(), displayName: textOf(fields.displayName).trim(), role: textOf(fields.role), departmentCodes: departmentCodes.join(SEP), canSignOff: checked(fields.canSignOff) };
  const password = textOf(fields.password);
  const parsed = UserInput.safeParse({ ...values, departmentCodes, password, canSignOff: values.canSignOff === 'on' });
  if (!parsed.success) return { values, errors: readableErrors(parsed.error, { ...values, password }, WORDS) };
  return { values, input: parsed.data };
}

/** A posted 编辑 form: the PATCH of name, role and departments, or its errors. */
export async function postedUserEdit(c: Context<AuthEnv>): Promise<Posted & { patch?: ReturnType<typeof UserPatchInput.parse> }> {
  const fields = await formFields(c);
  const departmentCodes = listOf(fields.departmentCodes);
  const values = { displayName: textOf(fields.displayName).trim(), role: textOf(fields.role), departmentCodes: departmentCodes.join(SEP), canSignOff: checked(fields.canSignOff) };
  const parsed = UserPatchInput.safeParse({ ...values, departmentCodes, canSignOff: values.canSignOff === 'on' });
  if (!parsed.success) return { values, errors: readableErrors(parsed.error, values, WORDS) };
  return { values, patch: parsed.data };
}

/** A posted 重置密码 form: the PATCH of the password, or its errors. */
export async function postedPasswordReset(c: Context<AuthEnv>): Promise<Posted & { patch?: { password: string } }> {
  const password = textOf((await formFields(c)).password);
  const parsed = UserPatchInput.pick({ password: true }).required().safeParse({ password });
  if (!parsed.success) return { values: {}, errors: readableErrors(parsed.error, { password }, { password: { blank: '请填写新密码', wrong: null } }) };
  return { values: {}, patch: parsed.data };
}

function RoleSelect(props: { value: string; errors?: FieldErrors; disabled?: boolean }) {
  return (
    <label>
      角色
      <select name="role" required aria-invalid={invalid(props.errors, 'role')} disabled={props.disabled}>
        {props.value === '' && <option value="">请选择</option>}
        {ROLES.map((r) => (
          <option value={r} selected={props.value === r}>
            {ROLE_LABELS[r]}
          </option>
        ))}
      </select>
      <FieldError errors={props.errors} name="role" />
    </label>
  );
}

function DepartmentChoices(props: { departments: DepartmentView[]; selected: string[]; errors?: FieldErrors }) {
  return (
    <fieldset class="choices" aria-invalid={invalid(props.errors, 'departmentCodes')}>
      <legend>部门</legend>
      {props.departments.length === 0 ? (
        <p class="muted">
          还没有部门，请先在<a href="/admin/departments">部门</a>中登记。
        </p>
      ) : (
        <div class="choice-list">
          {props.departments.map((d) => (
            <label>
              <input type="checkbox" name="departmentCodes" value={d.code} checked={props.selected.includes(d.code)} />
              {departmentOption(d)}
            </label>
          ))}
        </div>
      )}
      <FieldError errors={props.errors} name="departmentCodes" />
      <span class="muted">起草部门账户至少选择一个部门，只能登记、修改这些部门的文件；其他角色不限部门，可不选。</span>
    </fieldset>
  );
}

function NewUserForm(props: { departments: DepartmentView[]; failed?: FailedForm }) {
  const e = errorsOf(props.failed, 'create');
  const v = valuesOf(props.failed, 'create');
  return (
    <section class="panel" aria-labelledby="new-user">
      <h2 id="new-user">新建用户</h2>
      <form class="stack" id="user-form" method="post" action="/admin/users#new-user" novalidate aria-label="新建用户">
        <FormError errors={e} />
        <label>
          用户名
          <input name="username" autocomplete="off" value={v.username ?? ''} required maxlength={50} aria-invalid={invalid(e, 'username')} />
          <FieldError errors={e} name="username" />
          {!e?.username && <span class="muted">登录用，2–50 位字母、数字、下划线、点或连字符，如 fgw01。</span>}
        </label>
        <label>
          姓名
          <input name="displayName" autocomplete="off" value={v.displayName ?? ''} required maxlength={100} aria-invalid={invalid(e, 'displayName')} />
          <FieldError errors={e} name="displayName" />
        </label>
        <RoleSelect value={v.role ?? ''} errors={e} />
        <DepartmentChoices departments={props.departments} selected={(v.departmentCodes ?? '').split(SEP)} errors={e} />
        <SignOffChoice checked={v.canSignOff === 'on'} />
        <label>
          初始密码
          <input name="password" type="password" autocomplete="new-password" required minlength={10} maxlength={200} aria-invalid={invalid(e, 'password')} />
          <FieldError errors={e} name="password" />
          {!e?.password && <span class="muted">至少 10 个字符，不能是常见密码或用户名。请当面或电话告知本人，登录后可在“我的账户”中修改。</span>}
        </label>
        <button class="primary" type="submit">
          创建用户
        </button>
      </form>
    </section>
  );
}

function EditForm(props: { user: UserView; departments: DepartmentView[]; self: boolean; failed?: FailedForm }) {
  const u = props.user;
  const form = `edit-${u.id}`;
  const e = errorsOf(props.failed, form);
  const v =
    props.failed?.form === form
      ? valuesOf(props.failed, form)
      : { displayName: u.displayName, role: u.role, departmentCodes: u.departmentCodes.join(SEP), canSignOff: u.canSignOff ? 'on' : '' };
  return (
    <details class="more" open={e !== undefined}>
      <summary aria-label={`编辑用户 ${u.username}`}>编辑</summary>
      <form class="stack" method="post" action={`/admin/users/${u.id}/edit#user-${u.id}`} novalidate aria-label={`编辑用户 ${u.username}`}>
        <FormError errors={e} />
        <label>
          姓名
          <input name="displayName" value={v.displayName ?? ''} required maxlength={100} aria-invalid={invalid(e, 'displayName')} />
          <FieldError errors={e} name="displayName" />
        </label>
        {props.self ? (
          <>
            <input type="hidden" name="role" value={u.role} />
            <p class="muted">角色：{ROLE_LABELS[u.role]}（不能取消自己的管理员角色）</p>
          </>
        ) : (
          <RoleSelect value={v.role ?? ''} errors={e} />
        )}
        <DepartmentChoices departments={props.departments} selected={(v.departmentCodes ?? '').split(SEP)} errors={e} />
        <SignOffChoice checked={v.canSignOff === 'on'} />
        <button class="primary" type="submit">
          保存
        </button>
      </form>
    </details>
  );
}

function PasswordForm(props: { user: UserView; failed?: FailedForm }) {
  const u = props.user;
  const form = `password-${u.id}`;
  const e = errorsOf(props.failed, form);
  return (
    <details class="more" open={e !== undefined}>
      <summary aria-label={`重置密码（用户 ${u.username}）`}>重置密码</summary>
      <form class="stack" method="post" action={`/admin/users/${u.id}/password#user-${u.id}`} novalidate aria-label={`重置密码（用户 ${u.username}）`}>
        <FormError errors={e} />
        <label>
          新密码
          <input name="password" type="password" autocomplete="new-password" required minlength={10} maxlength={200} aria-invalid={invalid(e, 'password')} />
          <FieldError errors={e} name="password" />
        </label>
        <p class="muted">重置后，该用户在各设备上的登录随即退出，需用新密码重新登录。</p>
        <button class="primary" type="submit">
          重置密码
        </button>
      </form>
    </details>
  );
}

function DisableControl(props: { user: UserView }) {
  const u = props.user;
  if (u.disabled) {
    return (
      <form class="inline" method="post" action={`/admin/users/${u.id}/disabled#user-${u.id}`}>
        <input type="hidden" name="disabled" value="false" />
        <button type="submit" aria-label={`启用用户 ${u.username}`}>
          启用
        </button>
      </form>
    );
  }
  return (
    <details class="confirm">
      <summary aria-label={`停用用户 ${u.username}`}>停用</summary>
      <p>停用后，该用户立即退出登录，其个人令牌和日历订阅随即失效；可随时重新启用。</p>
      <form class="inline" method="post" action={`/admin/users/${u.id}/disabled#user-${u.id}`}>
        <input type="hidden" name="disabled" value="true" />
        <button class="danger" type="submit" aria-label={`确认停用用户 ${u.username}`}>
          确认停用
        </button>
      </form>
    </details>
  );
}

function UserTable(props: { actor: Actor; users: UserView[]; departments: DepartmentView[]; failed?: FailedForm }) {
  return (
    <div class="table-wrap">
      <table class="stacked" id="user-list">
        <thead>
          <tr>
            <th>用户名</th>
            <th>姓名</th>
            <th>角色</th>
            <th>部门</th>
            <th>状态</th>
            <th>操作</th>
          </tr>
        </thead>
        <tbody>
          {props.users.map((u) => {
            const self = u.id === props.actor.userId;
            const names = departmentNames(props.departments, u.departmentCodes);
            const rowError = errorsOf(props.failed, `row-${u.id}`);
            return (
              <tr id={`user-${u.id}`} data-username={u.username} data-disabled={String(u.disabled)}>
                <Cell label="用户名" class="nowrap">
                  {u.username}
                  {self && <span class="muted">（本人）</span>}
                </Cell>
                <Cell label="姓名" class="wide">{u.displayName}</Cell>
                <Cell label="角色" class="nowrap">
                  {ROLE_LABELS[u.role]}
                  {u.role === 'drafter' && u.canSignOff && <span class="muted">（可审签）</span>}
                </Cell>
                <Cell label="部门" class="wide">{names.length > 0 ? names.join('、') : u.role === 'drafter' ? '—' : <span class="muted">不限</span>}</Cell>
                <Cell label="状态" class="nowrap">{u.disabled ? <span class="st st-off">已停用</span> : <span class="st st-active">正常</span>}</Cell>
                <Cell label="操作">
                  <FormError errors={rowError} />
                  <div class="row-actions">
                    <EditForm user={u} departments={props.departments} self={self} failed={props.failed} />
                    {self ? (
                      // Resetting here would end this very session: one's own password is changed on /me.
                      <a class="muted" href="/me#password">
                        修改本人密码
                      </a>
                    ) : (
                      <>
                        <PasswordForm user={u} failed={props.failed} />
                        <DisableControl user={u} />
                      </>
                    )}
                  </div>
                </Cell>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function UsersPage(props: { actor: Actor; users: UserView[]; departments: DepartmentView[]; extras: UsersExtras }) {
  const { extras } = props;
  return (
    <>
      <h1>用户管理</h1>
      {extras.welcome && (
        <p class="ok-notice" role="status" id="welcome">
          管理员账户已创建，您已登录。接下来：先在<a href="/admin/departments">部门</a>中登记各起草部门，再在下方为起草部门、新闻办和领导创建账户。
        </p>
      )}
      {extras.done && (
        <p class="ok-notice" role="status" id="done">
          {extras.done}
        </p>
      )}
      <UserTable actor={props.actor} users={props.users} departments={props.departments} failed={extras.failed} />
      <NewUserForm departments={props.departments} failed={extras.failed} />
    </>
  );
}
