import type { CommitmentStatus } from '../../domain/deadlines/commitments.js';
import { SEVERITY_LABELS } from '../../domain/deadlines/response-policy.js';
import { SHANGHAI_OFFSET_MS } from '../../domain/time.js';
import type { DailyBriefing } from './briefing.js';

// The daily briefing in words (Simplified Chinese): one set of sections and table rows that the
// printable page and the DOCX file both render, so that they never disagree.

export interface BriefingSection {
  id: string;
  title: string;
  head: string[];
  rows: string[][];
  /** What stands in for an empty table. */
  empty: string;
}

export interface BriefingText {
  title: string;
  subtitle: string;
  summary: string;
  sections: BriefingSection[];
}

const COMMITMENT_STATUS: Record<CommitmentStatus, string> = {
  open: '进行中',
  met: '已按时完成',
  late: '超时完成',
  missed: '已超时',
  cancelled: '已取消',
};

const INCIDENT_STATUS: Record<string, string> = { open: '进行中', closed: '已关闭', dismissed: '已排除' };

/** 'MM-DD HH:mm' (or 'YYYY-MM-DD HH:mm' when `full`) in Beijing time. */
function beijing(iso: string | null, full = false): string {
  if (!iso) return '—';
  const text = new Date(Date.parse(iso) + SHANGHAI_OFFSET_MS).toISOString().replace('T', ' ');
  return full ? text.slice(0, 16) : text.slice(5, 16);
}

export function briefingText(b: DailyBriefing, departmentNames: ReadonlyMap<string, string>): BriefingText {
  const dept = (code: string | null) => (code ? (departmentNames.get(code) ?? code) : '—');
  const { openedOnDate: opened, openAtEnd: open } = b.totals;
  /** ' (the first n of N listed)' when a list is cut short. */
  const cut = (listed: number, total: number, unit: string, which: string) => (listed < total ? `（共 ${total} ${unit}，列出${which} ${listed} ${unit}）` : '');
  const missed = b.commitments.filter((c) => c.status === 'missed').length;
  const heating = b.incidents.filter((i) => i.heat > 0).length;
  return {
    title: `舆情日报（${b.date}）`,
    subtitle: `统计日期 ${b.date}（北京时间）· 数据截至 ${beijing(b.asOf, true)}`,
    summary:
      `当日新发舆情事件 ${opened} 起，日终仍在处置 ${open} 起（其中近 1 小时有报道的 ${heating} 起）；` +
      `当日到期或完成的回应承诺 ${b.commitments.length} 项（已超时 ${missed} 项）；日终逾期未解读的文件 ${b.totals.overdueDocuments} 份。`,
    sections: [
      {
        id: 'incidents',
        title: `一、舆情事件${cut(b.incidents.length, b.totals.incidents, '起', '最近开始的')}`,
        head: ['事件', '级别', '状态', '部门', '开始时间', '热度', '负面信号', '回应时限'],
        rows: b.incidents.map((i) => [
          `${i.openedOnDate ? '【新】' : ''}${i.title}`,
          SEVERITY_LABELS[i.severity],
          INCIDENT_STATUS[i.status] ?? i.status,
          dept(i.departmentCode),
          beijing(i.startedAt, true),
          String(i.heat),
          i.signal > 0 ? `${i.signal}（${i.signalWords.join('、')}）` : '0',
          i.timers.length === 0 ? '—' : i.timers.map((c) => `${c.label} ${beijing(c.dueAt)} ${COMMITMENT_STATUS[c.status]}`).join('；'),
        ]),
        empty: '当日没有新发或处置中的舆情事件。',
      },
      {
        id: 'stories',
        title: '二、当日主要报道',
        head: ['报道', '转载', '来源', '首见时间'],
        rows: b.stories.map((s) => [s.title, `${s.reprints} 家转载`, s.sources.map((x) => x.feedName).join('、'), beijing(s.firstSeenAt)]),
        empty: '当日没有与舆情事件相关的报道。',
      },
      {
        id: 'hotwords',
        title: '三、当日热词',
        head: ['热词'],
        rows: b.hotWords.length === 0 ? [] : [[b.hotWords.map((w) => w.word).join('、')]],
        empty: '当日没有热词。',
      },
      {
        id: 'commitments',
        title: '四、回应承诺',
        head: ['事件', '承诺', '时限', '完成时间', '状态'],
        rows: b.commitments.map((c) => [c.incidentTitle, c.label, beijing(c.dueAt), beijing(c.fulfilledAt), COMMITMENT_STATUS[c.status]]),
        empty: '当日没有到期或完成的回应承诺。',
      },
      {
        id: 'overdue',
        title: `五、逾期未解读的文件${cut(b.overdueDocuments.length, b.totals.overdueDocuments, '份', '最早到期的')}`,
        head: ['文号', '标题', '部门', '解读截止'],
        rows: b.overdueDocuments.map((d) => [d.docNumber ?? '—', d.title, dept(d.departmentCode), d.interpretationDueDate ?? '—']),
        empty: '日终没有逾期未解读的文件。',
      },
    ],
  };
}
