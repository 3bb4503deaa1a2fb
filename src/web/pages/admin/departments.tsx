import type { Context } from 'hono';
import type { DepartmentView } from '../../../app/departments.js';
import type { AuthEnv } from '../../../http/auth.js';
import { DepartmentInput } from '../../../http/schemas.js';
import { FieldError, FormError } from '../../components.js';
import { errorsOf, formFields, readableErrors, valuesOf, type FailedForm, type FieldErrors } from '../../forms.js';
import { Cell, invalid, textOf } from './shared.js';

// /admin/departments: the list (name, code, how many accounts), 登记部门 and 改名 per department.
// The code is what documents and accounts refer to, so it never changes; the name may.

const WORDS = {
  code: { blank: '请填写部门代码', wrong: null }, // the rule's own message: 字母、数字、下划线 …
  name: { blank: '请填写部门名称', wrong: '部门名称不能超过 100 个字' },
};

type Posted = { values: Record<string, string>; errors?: FieldErrors };

export async function postedDepartment(c: Context<AuthEnv>): Promise<Posted & { input?: { code: string; name: string } }> {
  const fields = await formFields(c);
  const values = { code: textOf(fields.code).trim(), name: textOf(fields.name).trim() };
  const parsed = DepartmentInput.safeParse(values);
  if (!parsed.success) return { values, errors: readableErrors(parsed.error, values, WORDS) };
  return { values, input: parsed.data };
}

export async function postedRename(c: Context<AuthEnv>): Promise<Posted & { name?: string }> {
  const values = { name: textOf((await formFields(c)).name).trim() };
  const parsed = DepartmentInput.pick({ name: true }).safeParse(values);
  if (!parsed.success) return { values, errors: readableErrors(parsed.error, values, WORDS) };
  return { values, name: parsed.data.name };
}

function RenameForm(props: { department: DepartmentView; failed?: FailedForm }) {
  const d = props.department;
  const form = `rename-${d.code}`;
  const e = errorsOf(props.failed, form);
  const v = props.failed?.form === form ? valuesOf(props.failed, form) : { name: d.name };
  return (
    <details class="more" open={e !== undefined}>
      <summary aria-label={`改名（部门 ${d.name}）`}>改名</summary>
      <form class="stack" method="post" action={`/admin/departments/${encodeURIComponent(d.code)}/rename#department-${d.code}`} novalidate aria-label={`改名（部门 ${d.name}）`}>
        <FormError errors={e} />
        <label>
          新名称
          <input name="name" value={v.name ?? ''} required maxlength={100} aria-invalid={invalid(e, 'name')} />
          <FieldError errors={e} name="name" />
        </label>
        <p class="muted">部门代码 {d.code} 不变，已登记的文件和账户不受影响。</p>
        <button class="primary" type="submit">
          保存
        </button>
      </form>
    </details>
  );
}

export function DepartmentsPage(props: { departments: DepartmentView[]; accounts: Map<string, number>; failed?: FailedForm; done?: string }) {
  const e = errorsOf(props.failed, 'create');
  const v = valuesOf(props.failed, 'create');
  return (
    <>
      <h1>部门管理</h1>
      {props.done && (
        <p class="ok-notice" role="status" id="done">
          {props.done}
        </p>
      )}
      {props.departments.length === 0 ? (
        <p class="empty">还没有部门。起草部门的账户和文件都要归属某个部门，请先在下方登记。</p>
      ) : (
        <div class="table-wrap">
          <table class="stacked" id="department-list">
            <thead>
              <tr>
                <th>名称</th>
                <th>代码</th>
                <th>账户</th>
                <th>操作</th>
              </tr>
            </thead>
            <tbody>
              {props.departments.map((d) => (
                <tr id={`department-${d.code}`} data-code={d.code}>
                  <Cell label="名称">{d.name}</Cell>
                  <Cell label="代码">
                    <span class="muted">{d.code}</span>
                  </Cell>
                  <Cell label="账户">{props.accounts.get(d.code) ?? 0}</Cell>
                  <Cell label="操作">
                    <RenameForm department={d} failed={props.failed} />
                  </Cell>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <section class="panel" aria-labelledby="new-department">
        <h2 id="new-department">登记部门</h2>
        <form class="stack" id="department-form" method="post" action="/admin/departments#new-department" novalidate aria-label="登记部门">
          <FormError errors={e} />
          <label>
            部门名称
            <input name="name" value={v.name ?? ''} required maxlength={100} placeholder="如 市发展改革委" aria-invalid={invalid(e, 'name')} />
            <FieldError errors={e} name="name" />
          </label>
          <label>
            部门代码
            <input name="code" value={v.code ?? ''} required maxlength={32} placeholder="如 fgw" aria-invalid={invalid(e, 'code')} />
            <FieldError errors={e} name="code" />
            {!e?.code && <span class="muted">字母、数字、下划线或连字符，最长 32 位；登记后不能修改（导入表格和 API 中使用）。</span>}
          </label>
          <button class="primary" type="submit">
            登记部门
          </button>
        </form>
      </section>
    </>
  );
}
