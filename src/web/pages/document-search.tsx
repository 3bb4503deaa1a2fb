import type { Context } from 'hono';
import { isSupportedDate } from '../../domain/calendar/calendar.js';
import type { DocumentStatus } from '../../app/documents.js';
import { MAX_QUERY_LENGTH } from '../../app/search.js';

// The document list's search box and publication-date range: read from the page's address,
// shown in the filter form, and handed on to paging links and the 导出 links.

export interface ListFilters {
  status?: DocumentStatus;
  departmentCode?: string;
  q?: string;
  publishedFrom?: string;
  publishedTo?: string;
  /** Why a date of the range given was not applied (shown next to the fields; never an address parameter). */
  dateProblem?: string;
}

/** The filters as address parameters (the list's and the export's names are the same). */
export function filterParams(f: ListFilters): Record<string, string | undefined> {
  return { status: f.status, departmentCode: f.departmentCode, q: f.q, publishedFrom: f.publishedFrom, publishedTo: f.publishedTo };
}

/**
 * `q` and the date range from the address; what the API would refuse is left out rather than
 * failing the page, and `dateProblem` says what was left out.
 */
export function searchFilters(c: Context): Pick<ListFilters, 'q' | 'publishedFrom' | 'publishedTo' | 'dateProblem'> {
  const q = (c.req.query('q') ?? '').trim().slice(0, MAX_QUERY_LENGTH) || undefined;
  const problems: string[] = [];
  const date = (name: string, label: string) => {
    const v = (c.req.query(name) ?? '').trim();
    if (v === '' || isSupportedDate(v)) return v || undefined;
    problems.push(`${label}「${v.slice(0, 20)}」不是有效日期，未按它筛选`);
    return undefined;
  };
  const publishedFrom = date('publishedFrom', '发布日期“从”');
  let publishedTo = date('publishedTo', '发布日期“至”');
  if (publishedFrom && publishedTo && publishedTo < publishedFrom) {
    problems.push(`截止日期 ${publishedTo} 早于起始日期 ${publishedFrom}，未按截止日期筛选`);
    publishedTo = undefined;
  }
  return { q, publishedFrom, publishedTo, dateProblem: problems.length > 0 ? problems.join('；') : undefined };
}

export function SearchFields(props: { query: ListFilters }) {
  return (
    <>
      <label>
        检索
        <input type="search" name="q" value={props.query.q ?? ''} maxlength={MAX_QUERY_LENGTH} placeholder="文号或标题中的文字" />
      </label>
      <label>
        发布日期从
        <input type="date" name="publishedFrom" value={props.query.publishedFrom ?? ''} />
      </label>
      <label>
        至
        <input type="date" name="publishedTo" value={props.query.publishedTo ?? ''} />
      </label>
      {props.query.dateProblem && (
        <p class="field-error" role="alert" id="date-problem">
          {props.query.dateProblem}
        </p>
      )}
    </>
  );
}
