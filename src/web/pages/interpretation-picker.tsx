import { raw } from 'hono/html';
import type { Context } from 'hono';
import type { DepartmentView } from '../../app/departments.js';
import type { AppContext } from '../../app/context.js';
import { searchInterpretations, type InterpretationSummary } from '../../app/interpretation-search.js';
import { MAX_QUERY_LENGTH } from '../../app/search.js';
import { beijing, FieldError } from '../components.js';
import type { FormState } from '../forms.js';
import { FORM_LABELS } from '../labels.js';

// 关联已有解读材料 on a document's page: the drafter finds the interpretation by a few words of its
// title (a GET form: the results are part of the page, no script needed) and links it with one
// button per result. The link itself is posted to /documents/:id/links as before.

const RESULTS = 20;

const CSS = `.picker form[role=search]{display:flex;gap:.5rem;align-items:end}.picker form[role=search] label{flex:1}
.picker form[role=search] button{font:inherit;padding:.45rem 1rem}
.picks{list-style:none;margin:0;padding:0;display:grid;gap:.5rem}
.picks li{background:#fff;border:1px solid #e4e7eb;border-radius:6px;padding:.5rem .7rem;display:flex;flex-wrap:wrap;gap:.3rem .8rem;align-items:center}
.picks .what{flex:1 1 14rem}.picks .linked{color:#276749;font-size:.9em;white-space:nowrap}`;

export interface PickerSearch {
  q: string;
  results: InterpretationSummary[];
}

/** The search the page's address (or a refused post) asks for, if any. */
export async function pickerSearch(ctx: AppContext, q: string | undefined): Promise<PickerSearch | undefined> {
  const text = (q ?? '').trim().slice(0, MAX_QUERY_LENGTH);
  if (text === '') return undefined;
  return { q: text, results: await searchInterpretations(ctx, { q: text, limit: RESULTS, offset: 0 }) };
}

export const linkQueryOf = (c: Context) => c.req.query('linkQ');

export function InterpretationPicker(props: {
  docId: number;
  linkedIds: number[];
  departments: DepartmentView[];
  search?: PickerSearch;
  state?: FormState;
}) {
  const { docId, search } = props;
  const deptName = (code: string | null) => (code === null ? '' : (props.departments.find((d) => d.code === code)?.name ?? code));
  return (
    <section class="stack picker" id="link-interpretation" aria-labelledby="link-heading">
      <style>{raw(CSS)}</style>
      <h2 id="link-heading">关联已有解读材料</h2>
      <p class="muted">一份解读材料可以同时解读多份文件：按标题检索已登记的解读材料，再点“关联”。</p>
      <form method="get" action={`/documents/${docId}#link-interpretation`} role="search" aria-label="检索解读材料">
        <label>
          解读材料标题
          <input type="search" name="linkQ" value={search?.q ?? props.state?.values.linkQ ?? ''} maxlength={MAX_QUERY_LENGTH} placeholder="如：一图读懂" />
        </label>
        <button type="submit">检索</button>
      </form>
      <FieldError errors={props.state?.errors} name="interpretationId" />
      {search &&
        (search.results.length === 0 ? (
          <p class="empty" id="no-interpretations">
            没有标题包含“{search.q}”的解读材料。
          </p>
        ) : (
          <ul class="picks" id="interpretation-results">
            {search.results.map((r) => (
              <li data-id={String(r.id)}>
                <span class="what">
                  <strong>{r.title}</strong>
                  <br />
                  <span class="muted">
                    {FORM_LABELS[r.form] ?? r.form} · {beijing(r.publishedAt)}
                    {r.departmentCode ? ` · ${deptName(r.departmentCode)}` : ''} · 已关联 {r.documentCount} 份文件
                  </span>
                </span>
                {props.linkedIds.includes(r.id) ? (
                  <span class="linked">已关联本文件</span>
                ) : (
                  <form class="inline" method="post" action={`/documents/${docId}/links`}>
                    <input type="hidden" name="interpretationId" value={String(r.id)} />
                    <input type="hidden" name="linkQ" value={search.q} />
                    <button type="submit">关联</button>
                  </form>
                )}
              </li>
            ))}
          </ul>
        ))}
    </section>
  );
}
