import type { AssessmentRow } from '../../../app/reports/assessment.js';

// Each department's documents as one bar of 100 %: on time, late, overdue and pending shares,
// with the on-time rate beside it. Server-rendered SVG, like the board's chart: no script, and it
// prints as sharply as the text around it.

const SEGMENTS = [
  { key: 'onTime', label: '按时', colour: '#2f855a' },
  { key: 'late', label: '迟发', colour: '#dd6b20' },
  { key: 'overdue', label: '逾期', colour: '#b42318' },
  { key: 'pending', label: '待解读', colour: '#6b9bd1' },
] as const;

const LABEL_W = 150;
const BAR_W = 380;
const BAR_H = 22;
const GAP = 10;
const TOP = 34;

export function AssessmentChart(props: { rows: AssessmentRow[] }) {
  const rows = props.rows;
  const height = TOP + rows.length * (BAR_H + GAP) + 4;
  return (
    <div class="chart" id="assessment-chart">
      <svg viewBox={`0 0 600 ${height}`} role="img" aria-label="各部门政策解读情况（按时、迟发、逾期、待解读所占比例）与按时率">
        {SEGMENTS.map((s, i) => (
          <g>
            <rect x={LABEL_W + i * 90} y="6" width="14" height="14" fill={s.colour} rx="2" />
            <text x={LABEL_W + i * 90 + 20} y="18" font-size="13" fill="#1f2933">
              {s.label}
            </text>
          </g>
        ))}
        <text x="548" y="18" font-size="13" fill="#52606d">
          按时率
        </text>
        {rows.map((r, i) => {
          const y = TOP + i * (BAR_H + GAP);
          const total = r.onTime + r.late + r.overdue + r.pending;
          let x = LABEL_W;
          return (
            <g data-department={r.departmentCode ?? ''}>
              <text x="0" y={y + 16} font-size="13" fill="#1f2933">
                {r.departmentName.length > 10 ? `${r.departmentName.slice(0, 10)}…` : r.departmentName}
              </text>
              <rect x={LABEL_W} y={y} width={BAR_W} height={BAR_H} fill="#e4e7eb" rx="3" />
              {total > 0 &&
                SEGMENTS.map((s) => {
                  const w = (BAR_W * r[s.key]) / total;
                  const rect = w > 0 ? <rect x={x.toFixed(1)} y={y} width={w.toFixed(1)} height={BAR_H} fill={s.colour}><title>{`${r.departmentName}：${s.label} ${r[s.key]} 份`}</title></rect> : null;
                  x += w;
                  return rect;
                })}
              <text x="548" y={y + 16} font-size="13" fill="#1f2933">
                {r.onTimeRate === null ? '—' : `${Math.round(r.onTimeRate * 100)}%`}
              </text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}
