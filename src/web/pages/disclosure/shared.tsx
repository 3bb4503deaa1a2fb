import { raw } from 'hono/html';
import type { DepartmentView } from '../../../app/departments.js';
import type { DisclosureRequestView } from '../../../app/disclosure/records.js';
import { DISCLOSURE_STATUS_LABELS } from '../../../domain/disclosure/vocabulary.js';

// What the /disclosure pages share: their styles, the status badge, select options.

export const PAGE_SIZE = 50;

// The ROUTE_POLICY entries each form stands for.
export const ROUTES = {
  register: 'POST /api/disclosure-requests',
  event: 'POST /api/disclosure-requests/:id/events',
} as const;

const CSS = `
.filters{display:flex;flex-wrap:wrap;gap:.6rem;align-items:end;margin-bottom:1rem}.filters label{flex:1 1 8rem}
.filters button{font:inherit;padding:.45rem 1rem}
.st-open{background:#e6f0fb;color:#0b5cad}.st-overdue{background:#fde8e7;color:#b42318}.st-answered{background:#e3f4ea;color:#276749}
.st-closed{background:#eef0f3;color:#52606d}.st-awaiting_correction,.st-in_consultation{background:#fdf0e2;color:#9c4221}
.left{display:block;font-size:.85em;color:#52606d}.left.urgent{color:#9c4221;font-weight:600}.left.late{color:#b42318;font-weight:600}
.tag{display:inline-block;margin-left:.3rem;padding:0 .35rem;border:1px solid #f6ad55;border-radius:4px;font-size:.8em;color:#9c4221;white-space:nowrap}
dl.facts{display:grid;grid-template-columns:minmax(6rem,9rem) minmax(0,1fr);gap:.45rem 1rem;background:#fff;border-radius:8px;padding:.8rem 1rem;margin:0;box-shadow:0 1px 2px #0001}
dl.facts dt{color:#52606d}dl.facts dd{margin:0}
ol.timeline{list-style:none;margin:0;padding:0 0 0 1.1rem;border-left:3px solid #d9dee4;display:grid;gap:.7rem}
ol.timeline li{position:relative;background:#fff;border-radius:8px;padding:.55rem .8rem;box-shadow:0 1px 2px #0001}
ol.timeline li::before{content:"";position:absolute;left:-1.55rem;top:.85rem;width:.7rem;height:.7rem;border-radius:50%;background:#8b1a1a}
ol.timeline .when{font-weight:600;margin-right:.6rem}ol.timeline .what{font-weight:600}ol.timeline .by{display:block;font-size:.85em;color:#52606d}
.event-forms{display:grid;grid-template-columns:repeat(auto-fit,minmax(17rem,1fr));gap:.8rem;align-items:start}
.event-forms details{background:#fff;border-radius:8px;padding:.5rem .9rem;box-shadow:0 1px 2px #0001}
.event-forms summary{cursor:pointer;font-weight:600;color:#8b1a1a}.event-forms form{margin-top:.6rem}
.desc{max-width:22rem}td.nowrap{white-space:nowrap}
`;

export const PageStyle = () => <style>{raw(CSS)}</style>;

export function Options(props: { options: [string, string][]; selected: string }) {
  return (
    <>
      {props.options.map(([value, label]) => (
        <option value={value} selected={value === props.selected}>
          {label}
        </option>
      ))}
    </>
  );
}

export const deptName = (departments: DepartmentView[], code: string) => departments.find((d) => d.code === code)?.name ?? code;

/** Working days left in words, coloured by urgency. */
export function TimeLeft(props: { request: DisclosureRequestView }) {
  const r = props.request;
  if (r.status === 'overdue') return <span class="left late">已逾期 {r.workingDaysOverdue} 个工作日</span>;
  if (r.status === 'awaiting_correction') return <span class="left">等待补正，暂不计时</span>;
  if (r.status === 'in_consultation') return <span class="left">暂停计时，剩余 {r.workingDaysLeft ?? '—'} 个工作日</span>;
  if (r.status === 'answered') return <span class="left">{r.closedOn} 答复{r.answeredLate ? '' : '，未超期'}</span>;
  if (r.status === 'closed') return <span class="left">{r.closedOn} {r.closedBy === 'withdrawn' ? '撤回' : '终止'}</span>;
  if (r.status !== 'open' || r.workingDaysLeft === null) return null;
  const urgent = r.workingDaysLeft <= 3;
  return <span class={`left${urgent ? ' urgent' : ''}`}>{r.workingDaysLeft === 0 ? '今日到期' : `剩余 ${r.workingDaysLeft} 个工作日`}</span>;
}

export function StatusBadge(props: { request: DisclosureRequestView }) {
  const r = props.request;
  return (
    <span class={`st st-${r.status}`} data-status={r.status}>
      {DISCLOSURE_STATUS_LABELS[r.status]}
      {r.answeredLate && '（超期答复）'}
    </span>
  );
}

/** A positive integer id from a path or a query, else null. */
export const idOf = (value: string | undefined): number | null =>
  value !== undefined && /^[1-9]\d{0,14}$/.test(value.trim()) && Number.isSafeInteger(Number(value.trim())) ? Number(value.trim()) : null;
