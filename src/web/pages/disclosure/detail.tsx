import type { DepartmentView } from '../../../app/departments.js';
import type { DisclosureEventView, DisclosureRequestView } from '../../../app/disclosure/records.js';
import {
  ABANDON_LABELS,
  APPLICANT_TYPE_LABELS,
  CHANNEL_LABELS,
  EVENT_LABELS,
  OUTCOME_LABELS,
  PARTY_LABELS,
  reasonLabel,
  REVIEW_KIND_LABELS,
  REVIEW_RESULT_LABELS,
  type AbandonReason,
  type ConsultationParty,
  type DisclosureEventType,
  type Outcome,
  type ReviewKind,
  type ReviewResult,
} from '../../../domain/disclosure/vocabulary.js';
import { beijing } from '../../components.js';
import type { FailedForm } from '../../forms.js';
import { EventForm } from './event-forms.js';
import { deptName, PageStyle, StatusBadge, TimeLeft } from './shared.js';

// /disclosure/:id: the request, its clock, the timeline of what happened, and a form per event.

function Facts(props: { r: DisclosureRequestView; departments: DepartmentView[] }) {
  const r = props.r;
  return (
    <dl class="facts" id="facts">
      <dt>申请内容</dt>
      <dd>{r.description}</dd>
      <dt>申请人</dt>
      <dd>
        {r.applicantName}（{APPLICANT_TYPE_LABELS[r.applicantType]}）
      </dd>
      <dt>联系方式</dt>
      <dd>{r.contact ?? '—'}</dd>
      <dt>提交渠道</dt>
      <dd>{CHANNEL_LABELS[r.channel]}</dd>
      <dt>收到日期</dt>
      <dd>{r.receivedAt}</dd>
      <dt>承办部门</dt>
      <dd>{deptName(props.departments, r.departmentCode)}</dd>
      <dt>状态</dt>
      <dd id="status">
        <StatusBadge request={r} />
        <TimeLeft request={r} />
      </dd>
      <dt>答复期限</dt>
      <dd id="due-date">
        {r.dueDate ?? (r.status === 'awaiting_correction' ? '收到补正后重新计算' : '—')}
        {r.status === 'in_consultation' && <span class="muted">（按今日结束征求意见计算，征求意见期间顺延）</span>}
        {r.provisional && <span class="tag">暂定</span>}
      </dd>
      <dt>计时起点</dt>
      <dd>
        {r.clockStart}
        {r.correctedOn && '（收到补正之日，条例第三十条）'}
      </dd>
      {r.pausedWorkingDays > 0 && (
        <>
          <dt>不计入期限</dt>
          <dd>征求意见 {r.pausedWorkingDays} 个工作日（条例第三十三条）</dd>
        </>
      )}
      {r.extension && (
        <>
          <dt>延长期限</dt>
          <dd>
            {r.extension.days} 个工作日，经 {r.extension.approvedBy} 同意（{r.extension.date}）
          </dd>
        </>
      )}
      <dt>补正告知</dt>
      <dd id="correction">
        {r.correctionRequestedOn ? `${r.correctionRequestedOn} 告知` : '未告知'}（最迟 {r.correctionDueBy} 一次性告知，即收到申请后第 7 个工作日）
        {r.correctionLate && <span class="tag">超过 7 个工作日</span>}
      </dd>
      {r.outcome && (
        <>
          <dt>处理结果</dt>
          <dd id="outcome">
            {OUTCOME_LABELS[r.outcome as Outcome]}
            {r.reason && `：${reasonLabel(r.outcome as Outcome, r.reason)}`}
          </dd>
        </>
      )}
    </dl>
  );
}

/** What an event's own fields say, in words. */
function eventDetails(e: DisclosureEventView): string {
  switch (e.type) {
    case 'consultation_started':
      return e.party ? `征求意见对象：${PARTY_LABELS[e.party as ConsultationParty]}` : '';
    case 'extended':
      return `延长 ${e.days} 个工作日，批准人：${e.approvedBy}`;
    case 'fee_notice':
      return `金额：${e.amount} 元`;
    case 'answered':
      return `${OUTCOME_LABELS[e.outcome as Outcome]}${e.reason ? `：${reasonLabel(e.outcome as Outcome, e.reason)}` : ''}`;
    case 'abandoned':
      return ABANDON_LABELS[e.reason as AbandonReason] ?? '';
    case 'review':
      return `${REVIEW_KIND_LABELS[e.kind as ReviewKind]}：${REVIEW_RESULT_LABELS[e.result as ReviewResult]}`;
    default:
      return '';
  }
}

function Timeline(props: { r: DisclosureRequestView }) {
  const events = props.r.events ?? [];
  return (
    <ol class="timeline" id="timeline">
      <li data-type="received">
        <span class="when">{props.r.receivedAt}</span>
        <span class="what">收到申请</span>
        <span class="by">
          登记人 {props.r.createdBy}，{beijing(props.r.createdAt)} 登记
        </span>
      </li>
      {events.map((e) => {
        const details = eventDetails(e);
        return (
          <li data-type={e.type} data-id={String(e.id)}>
            <span class="when">{e.date}</span>
            <span class="what">{EVENT_LABELS[e.type]}</span>
            {details && <span> {details}</span>}
            {e.note && <span class="muted">（{e.note}）</span>}
            <span class="by">
              登记人 {e.recordedBy}，{beijing(e.recordedAt)} 登记
            </span>
          </li>
        );
      })}
    </ol>
  );
}

export interface DetailData {
  request: DisclosureRequestView;
  departments: DepartmentView[];
  /** Forms to show: the events the request's state allows now, when the user may record them. */
  forms: DisclosureEventType[];
  today: string;
  failed?: FailedForm;
  /** Why the user sees no forms, if they are not in the request's department. */
  outOfScope: boolean;
}

export function DisclosureDetailPage(props: { data: DetailData }) {
  const { request: r, departments, forms, today, failed, outOfScope } = props.data;
  return (
    <>
      <PageStyle />
      <p class="muted">
        <a href="/disclosure">← 依申请公开</a>
      </p>
      <h1>依申请公开 {r.number}</h1>
      <Facts r={r} departments={departments} />
      <h2>办理过程</h2>
      <Timeline r={r} />
      {forms.length > 0 && (
        <>
          <h2>登记办理事件</h2>
          <div class="event-forms">
            {forms.map((type) => (
              <EventForm requestId={r.id} type={type} today={today} failed={failed?.form === type ? failed : undefined} />
            ))}
          </div>
        </>
      )}
      {outOfScope && <p class="muted">此申请由其他部门承办，您可以查看，但不能登记办理事件。</p>}
    </>
  );
}
