import type { IncidentDetail, IncidentView } from '../../app/incidents.js';
import { SHANGHAI_OFFSET_MS } from '../../domain/time.js';
import { beijing } from '../components.js';

// An incident in depth (SPEC §14) on its page: stories with "N 家转载" and their sources, a small
// chart of distinct stories per hour, the heat and the negative-signal words. Server-rendered
// SVG, no script: it prints as the text around it does.

export const DEPTH_CSS = `
.depth-facts{display:flex;flex-wrap:wrap;gap:.3rem .8rem;margin:.2rem 0 .6rem}
.heat,.signal{display:inline-block;border-radius:4px;padding:0 .45rem;font-size:.9em;background:#e4e7eb;white-space:nowrap}
.heat.heating{background:#fde8e8;color:#9b1c1c;font-weight:600}.signal.has{background:#fff4e5;color:#9c4221}
.stories{list-style:none;padding:0;margin:0;display:grid;gap:.6rem}
.story{background:#fff;border-radius:8px;padding:.6rem 1rem;box-shadow:0 1px 2px #0001}
.story .reprints{display:inline-block;min-width:4.5em;font-weight:700;color:#8b1a1a;margin-right:.4rem;white-space:nowrap}
.story details{margin-top:.2rem}.story ul{padding-left:1.2rem;margin:.3rem 0}
.heat-chart svg{max-width:640px}
`;

/** The heat and signal badges of an incident (board, list and detail pages). */
export function DepthBadges(props: { incident: Pick<IncidentView, 'heat' | 'signal' | 'signalWords'>; heating?: boolean }) {
  const i = props.incident;
  return (
    <>
      <span class={`heat${props.heating ? ' heating' : ''}`} data-heat={String(i.heat)} title="热度：近 1 小时内不同报道（转载归并后）的篇数">
        热度 {i.heat}
        {props.heating ? ' · 升温' : ''}
      </span>{' '}
      <span class={`signal${i.signal > 0 ? ' has' : ''}`} data-signal={String(i.signal)} title={i.signalWords.length > 0 ? `负面信号词：${i.signalWords.join('、')}` : '无负面信号词'}>
        负面信号 {i.signal}
        {i.signalWords.length > 0 ? `（${i.signalWords.join('、')}）` : ''}
      </span>
    </>
  );
}

/** Stories an incident's page lists at most: one story reprinted everywhere can bring thousands. */
export const STORIES_SHOWN = 50;

/** Each story once, the most reprinted first, with "N 家转载" and its sources. */
export function StoryList(props: { stories: IncidentDetail['stories'] }) {
  if (props.stories.length === 0) return <p class="empty">没有关联的报道（手工登记的事件）。</p>;
  const shown = props.stories.slice(0, STORIES_SHOWN);
  return (
    <>
    {shown.length < props.stories.length && (
      <p class="muted" id="stories-cut">
        共 {props.stories.length} 篇报道，列出转载最多的 {shown.length} 篇。
      </p>
    )}
    <ul class="stories">
      {shown.map((s) => (
        <li class="story" data-story={String(s.storyId)} data-reprints={String(s.reprints)}>
          <span class="reprints">{s.reprints} 家转载</span>
          <span class="story-title">{s.title}</span> <span class="muted">首见于 {beijing(s.firstSeenAt)}</span>
          <details>
            <summary>来源（{s.sources.length}）</summary>
            <ul>
              {s.sources.map((src) => (
                <li>
                  {src.feedName}：
                  {src.link ? (
                    <a href={src.link} target="_blank" rel="noopener">
                      {src.title}
                    </a>
                  ) : (
                    src.title
                  )}
                </li>
              ))}
            </ul>
          </details>
        </li>
      ))}
    </ul>
    </>
  );
}

const W = 600;
const H = 150;
const LEFT = 30;
const RIGHT = 8;
const TOP = 12;
const BOTTOM = 26;

/** Distinct stories per clock hour over the last 24 hours, as bars; hours labelled in Beijing time. */
export function HeatChart(props: { series: IncidentDetail['storiesPerHour']; heating: boolean }) {
  const series = props.series;
  const max = Math.max(1, ...series.map((p) => p.stories));
  const plotW = W - LEFT - RIGHT;
  const plotH = H - TOP - BOTTOM;
  const slot = plotW / Math.max(1, series.length);
  const bar = Math.max(2, slot * 0.7);
  const total = series.reduce((n, p) => n + p.stories, 0);
  const hourLabel = (iso: string) => String(new Date(Date.parse(iso) + SHANGHAI_OFFSET_MS).getUTCHours()).padStart(2, '0');
  return (
    <div class="chart heat-chart" id="heat-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`近 24 小时每小时不同报道篇数，共 ${total} 篇`}>
        <line x1={LEFT} y1={TOP + plotH} x2={W - RIGHT} y2={TOP + plotH} stroke="#9aa5b1" />
        <text x={LEFT - 6} y={TOP + 10} font-size="11" fill="#52606d" text-anchor="end">
          {max}
        </text>
        <text x={LEFT - 6} y={TOP + plotH} font-size="11" fill="#52606d" text-anchor="end">
          0
        </text>
        {series.map((p, i) => {
          const h = (plotH * p.stories) / max;
          const x = LEFT + i * slot + (slot - bar) / 2;
          const last = i === series.length - 1;
          return (
            <g data-hour={p.hour} data-stories={String(p.stories)}>
              {p.stories > 0 && (
                <rect x={x.toFixed(1)} y={(TOP + plotH - h).toFixed(1)} width={bar.toFixed(1)} height={h.toFixed(1)} fill={last && props.heating ? '#b42318' : '#8b1a1a'} rx="1.5">
                  <title>{`${beijing(p.hour)} 起 1 小时：${p.stories} 篇不同报道`}</title>
                </rect>
              )}
              {i % 3 === 0 || last ? (
                <text x={(LEFT + i * slot + slot / 2).toFixed(1)} y={H - 8} font-size="11" fill="#52606d" text-anchor="middle">
                  {`${hourLabel(p.hour)}时`}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
    </div>
  );
}
