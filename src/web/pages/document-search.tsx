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
}

/** The filters as address parameters (the list's and the export's names are the same). */
export function filterParams(f: ListFilters): Record<string, string | undefined> {
  return { status: f.status, departmentCode: f.departmentCode, q: f.q, publishedFrom: f.publishedFrom, publishedTo: f.publishedTo };
}

/** `q` and the date range from the address; what the API would refuse is left out rather than failing the page. */
export function searchFilters(c: Context): Pick<ListFilters, 'q' | 'publishedFrom' | 'publishedTo'> {
  const q = (c.req.query('q') ?? '').trim().slice(0, MAX_QUERY_LENGTH) || undefined;
  const date = (name: string) => {
    const v = (c.req.query(name) ?? '').trim();
    return isSupportedDate(v) ? v : undefined;
  };
  const publishedFrom = date('publishedFrom');
  let publishedTo = date('publishedTo');
  if (publishedFrom && publishedTo && publishedTo < publishedFrom) publishedTo = undefined;
  return { q, publishedFrom, publishedTo };
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
    </>
  );
}
