import { raw } from 'hono/html';

// 导出 links: the API's export of what the page shows, with the page's filters. A plain link
// (the session cookie authenticates GET /api/*), so the browser downloads it as it streams.

const CSS = `.exports{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:0 0 1rem}
.exports a{display:inline-block;background:#fff;border:1px solid #8a96a3;border-radius:6px;padding:.3rem .8rem;text-decoration:none;white-space:nowrap}
.exports a:hover{border-color:#8b1a1a}`;

export function ExportLinks(props: { path: string; params: Record<string, string | undefined>; note?: string }) {
  const href = (format: 'csv' | 'xlsx') => {
    const params = new URLSearchParams({ format });
    for (const [k, v] of Object.entries(props.params)) if (v) params.set(k, v);
    return `${props.path}?${params.toString()}`;
  };
  return (
    <div class="exports no-print" role="group" aria-label="导出">
      <style>{raw(CSS)}</style>
      <span class="muted">导出{props.note ?? '（按当前筛选条件，全部记录）'}：</span>
      <a href={href('csv')} download data-format="csv">
        导出 CSV
      </a>
      <a href={href('xlsx')} download data-format="xlsx">
        导出 Excel
      </a>
    </div>
  );
}
