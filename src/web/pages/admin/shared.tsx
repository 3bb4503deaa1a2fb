import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { DepartmentView } from '../../../app/departments.js';
import type { FieldErrors } from '../../forms.js';

// What the /admin pages share: the API call each control stands for (ROUTE_POLICY decides who
// may use it; all of them are the admin's), the tabs between the pages, and their styles.

export const ROUTES = {
  users: 'GET /api/users',
  createUser: 'POST /api/users',
  updateUser: 'PATCH /api/users/:id',
  departments: 'GET /api/departments',
  createDepartment: 'POST /api/departments',
  renameDepartment: 'PATCH /api/departments/:code',
  policy: 'GET /api/response-policy',
  setPolicy: 'PUT /api/response-policy',
  displayLinks: 'GET /api/display-links',
  createDisplayLink: 'POST /api/display-links',
  revokeDisplayLink: 'DELETE /api/display-links/:id',
} as const;

const TABS = [
  { href: '/admin', label: '概览' },
  { href: '/admin/users', label: '用户' },
  { href: '/admin/departments', label: '部门' },
  { href: '/admin/policy', label: '回应时限' },
  { href: '/admin#display-links', label: '大屏链接' },
] as const;

const PAGE_CSS = `
.admin-page .tabs{display:flex;flex-wrap:wrap;gap:.3rem;margin:0 0 1rem;padding:0;list-style:none}
.admin-page .tabs a{display:inline-block;padding:.25rem .8rem;border-radius:999px;background:#fff;border:1px solid #8a96a3;text-decoration:none;color:#1f2933}
.admin-page .tabs a[aria-current]{background:#8b1a1a;border-color:#8b1a1a;color:#fff}
.admin-page .panel{background:#fff;border-radius:8px;padding:.75rem 1rem 1rem;box-shadow:0 1px 2px #0001;margin:0 0 1.2rem;min-width:0}
.admin-page .panel h2{margin:.2rem 0 .6rem}
.admin-page p{margin:.4rem 0}
.admin-page td .cell{min-width:0}
.admin-page .table-wrap{margin-bottom:1rem}
.ok-notice{background:#e3f4ea;border:1px solid #9ae6b4;border-radius:6px;padding:.6rem .8rem}
.once{border:1px solid #9ae6b4;border-left:6px solid #2f855a;border-radius:6px;padding:.6rem .8rem;margin:.6rem 0 1rem;background:#f6fbf8}
.once h3{font-size:1rem;margin:0 0 .3rem}
code.secret{display:block;font:.95rem/1.5 ui-monospace,Menlo,Consolas,monospace;background:#fff;border:1px solid #8a96a3;border-radius:4px;padding:.4rem .6rem;margin:.3rem 0;overflow-wrap:anywhere;user-select:all}
.warn-text{color:#b42318}
.st-active{background:#e3f4ea;color:#276749}.st-off{background:#eef0f3;color:#52606d}
.nowrap{white-space:nowrap}
.row-actions{display:flex;flex-wrap:wrap;gap:.4rem;align-items:flex-start}.row-actions>a{line-height:1.9}
details.more>summary,details.confirm>summary{list-style:none;display:inline-block;font-size:.9em;padding:.2rem .6rem;border:1px solid #8a96a3;border-radius:6px;background:#fff;cursor:pointer;white-space:nowrap}
details.more>summary::-webkit-details-marker,details.confirm>summary::-webkit-details-marker{display:none}
details.confirm>summary{border-color:#f3b4ae;color:#b42318}
details.confirm p{margin:.4rem 0;font-size:.9em}
details.confirm button.danger{font:inherit;font-size:.9em;padding:.2rem .6rem;border:0;border-radius:6px;background:#b42318;color:#fff;cursor:pointer}
details[open]>summary{margin-bottom:.4rem}
details.more[open]{flex-basis:100%}
details.more form.stack{background:#f8fafc;border:1px solid #e4e7eb;border-radius:6px;padding:.7rem;max-width:24rem}
@media (min-width:641px){.admin-page td.wide{min-width:7rem}}
fieldset.choices{border:1px solid #8a96a3;border-radius:6px;padding:.4rem .7rem;margin:0;min-width:0}
fieldset.choices legend{padding:0 .3rem}
fieldset.choices label{display:flex;gap:.4rem;align-items:center;font-weight:normal}
fieldset.choices input{width:auto}
.choice-list{display:grid;grid-template-columns:repeat(auto-fill,minmax(11rem,1fr));gap:.1rem .8rem}
form.row{display:flex;flex-wrap:wrap;gap:.6rem;align-items:end;max-width:40rem}form.row label{flex:1 1 12rem}form.row button{flex:0 0 auto}
.links{display:grid;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));gap:.8rem;margin-bottom:1.2rem}
.links a.card{text-decoration:none;color:inherit;display:block}.links a.card strong{color:#8b1a1a;font-size:1.1rem}
.links a.card:hover{box-shadow:0 2px 6px #0002}
`;

/** An /admin page: its tabs and styles around the content. */
export function AdminFrame(props: { current: string; children?: Child }) {
  return (
    <div class="admin-page">
      <style>{raw(PAGE_CSS)}</style>
      <nav aria-label="管理">
        <ul class="tabs">
          {TABS.map((t) => (
            <li>
              <a href={t.href} aria-current={props.current === t.href ? 'page' : undefined}>
                {t.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {props.children}
    </div>
  );
}

/** One table cell, labelled for the stacked phone layout. */
export function Cell(props: { label: string; class?: string; children?: Child }) {
  return (
    <td data-label={props.label} class={props.class}>
      <div class="cell">{props.children}</div>
    </td>
  );
}

export const invalid = (e: FieldErrors | undefined, name: string) => (e?.[name] ? 'true' : undefined);

/** "市发展改革委（fgw）": a name first, the code only beside it where someone picks a department. */
export const departmentOption = (d: DepartmentView) => `${d.name}（${d.code}）`;

/** Department names for codes (a code no longer known is shown as it is). */
export const departmentNames = (departments: DepartmentView[], codes: string[]) =>
  codes.map((c) => departments.find((d) => d.code === c)?.name ?? c);

/** A positive integer id from a path, else null. */
export const idOf = (value: string | undefined): number | null =>
  value !== undefined && /^[1-9]\d{0,14}$/.test(value) && Number.isSafeInteger(Number(value)) ? Number(value) : null;

export const textOf = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));
export const listOf = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter((s) => s !== '');
