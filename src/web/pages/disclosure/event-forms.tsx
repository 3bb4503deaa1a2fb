import type { ZodError } from 'zod';
import { MAX_EXTENSION_WORKING_DAYS } from '../../../domain/disclosure/clock.js';
import {
  ABANDON_LABELS,
  ABANDON_REASONS,
  CONSULTATION_PARTIES,
  EVENT_LABELS,
  OUTCOME_LABELS,
  OUTCOME_REASONS,
  OUTCOMES,
  PARTY_LABELS,
  reasonLabel,
  REVIEW_KIND_LABELS,
  REVIEW_KINDS,
  REVIEW_RESULT_LABELS,
  REVIEW_RESULTS,
  type DisclosureEventType,
  type Outcome,
} from '../../../domain/disclosure/vocabulary.js';
import { FieldError, FormError } from '../../components.js';
import { zodFieldErrors, type FailedForm, type FieldErrors } from '../../forms.js';
import { Options } from './shared.js';

// One small form per kind of event, each posting to /disclosure/:id/events with its `type`.

/** The fields each form posts besides type and date. */
export const FORM_FIELDS: Record<DisclosureEventType, string[]> = {
  correction_requested: ['note'],
  corrected: ['note'],
  consultation_started: ['party', 'note'],
  consultation_ended: ['note'],
  extended: ['days', 'approvedBy', 'note'],
  fee_notice: ['amount', 'note'],
  fee_paid: ['note'],
  answered: ['outcome', 'reason', 'note'],
  withdrawn: ['note'],
  abandoned: ['reason', 'note'],
  review: ['kind', 'result', 'note'],
};

const HINTS: Partial<Record<DisclosureEventType, string>> = {
  correction_requested: '应自收到申请之日起 7 个工作日内一次性告知（条例第三十条）；补正前暂不计时。',
  corrected: '答复期限自收到补正之日起重新计算 20 个工作日。',
  consultation_started: '征求第三方或其他机关意见的时间不计入答复期限（条例第三十二至三十四条）。',
  extended: `经政府信息公开工作机构负责人同意，最长延长 ${MAX_EXTENSION_WORKING_DAYS} 个工作日，只能延长一次（条例第三十三条）。`,
  answered: '处理结果按年度报告表三的分类登记。',
  review: '同一类别再次登记即更新其结果（如由“尚未审结”改为“结果维持”）。',
};

const NOTE_LABELS: Partial<Record<DisclosureEventType, string>> = { correction_requested: '需要补正的事项（选填）' };

/** Plainer words than zod's for a form's usual mistakes. */
export function eventFormErrors(error: ZodError, values: Record<string, string>): FieldErrors {
  const errors = zodFieldErrors(error);
  if (errors.date) errors.date = (values.date ?? '').trim() === '' ? '请填写日期' : '日期无效，请按 年-月-日 填写';
  if (errors.days && (values.days ?? '').trim() !== '') errors.days = `延长的工作日数应为 1–${MAX_EXTENSION_WORKING_DAYS} 的整数`;
  if (errors.amount && (values.amount ?? '').trim() !== '') errors.amount = '金额应为不小于 0 的数字，最多两位小数';
  // The API's reason messages list the codes; a form names the choice in words.
  if (errors.reason && values.type === 'answered') {
    const outcome = values.outcome as Outcome;
    if ((values.reason ?? '') === '') errors.reason = `“${OUTCOME_LABELS[outcome] ?? '该处理结果'}”须选择理由`;
    else if (OUTCOME_REASONS[outcome]?.length === 0) errors.reason = `“${OUTCOME_LABELS[outcome]}”不需要理由，请选择“予以公开、部分公开不选”`;
    else errors.reason = `所选理由不属于“${OUTCOME_LABELS[outcome] ?? '该处理结果'}”，请重新选择`;
  }
  if (errors.type) {
    errors._form = '请从页面上的表单登记事件';
    delete errors.type;
  }
  return errors;
}

function ReasonOptions(props: { selected: string }) {
  return (
    <>
      <option value="">（予以公开、部分公开不选）</option>
      {OUTCOMES.filter((o) => OUTCOME_REASONS[o].length > 0).map((outcome) => (
        <optgroup label={OUTCOME_LABELS[outcome]}>
          {(OUTCOME_REASONS[outcome] as readonly string[]).map((reason) => (
            <option value={reason} selected={reason === props.selected}>
              {reasonLabel(outcome, reason)}
            </option>
          ))}
        </optgroup>
      ))}
    </>
  );
}

export function EventForm(props: { requestId: number; type: DisclosureEventType; today: string; failed?: FailedForm }) {
  const { type, failed } = props;
  const v = failed?.values ?? {};
  const e = failed?.errors ?? {};
  const invalid = (name: string) => (e[name] ? 'true' : undefined);
  const fields = FORM_FIELDS[type];
  return (
    <details open={failed !== undefined} data-event={type}>
      <summary>{EVENT_LABELS[type]}</summary>
      <form class="stack" method="post" action={`/disclosure/${props.requestId}/events`} novalidate aria-label={EVENT_LABELS[type]} id={`event-${type}`}>
        <input type="hidden" name="type" value={type} />
        {HINTS[type] && <p class="muted">{HINTS[type]}</p>}
        <FormError errors={e} />
        <label>
          日期
          <input type="date" name="date" value={v.date ?? props.today} max={props.today} required aria-invalid={invalid('date')} />
          <FieldError errors={e} name="date" />
        </label>
        {fields.includes('party') && (
          <label>
            征求意见对象
            <select name="party" aria-invalid={invalid('party')}>
              <option value="">请选择</option>
              <Options options={CONSULTATION_PARTIES.map((p): [string, string] => [p, PARTY_LABELS[p]])} selected={v.party ?? ''} />
            </select>
            <FieldError errors={e} name="party" />
          </label>
        )}
        {fields.includes('days') && (
          <label>
            延长工作日数
            <input type="number" name="days" min="1" max={String(MAX_EXTENSION_WORKING_DAYS)} value={v.days ?? String(MAX_EXTENSION_WORKING_DAYS)} aria-invalid={invalid('days')} />
            <FieldError errors={e} name="days" />
          </label>
        )}
        {fields.includes('approvedBy') && (
          <label>
            批准人（政府信息公开工作机构负责人）
            <input name="approvedBy" value={v.approvedBy} aria-invalid={invalid('approvedBy')} />
            <FieldError errors={e} name="approvedBy" />
          </label>
        )}
        {fields.includes('amount') && (
          <label>
            信息处理费金额（元）
            <input type="number" name="amount" min="0" step="0.01" value={v.amount} aria-invalid={invalid('amount')} />
            <FieldError errors={e} name="amount" />
          </label>
        )}
        {fields.includes('outcome') && (
          <label>
            处理结果
            <select name="outcome" aria-invalid={invalid('outcome')}>
              <option value="">请选择</option>
              <Options options={OUTCOMES.map((o): [string, string] => [o, OUTCOME_LABELS[o]])} selected={v.outcome ?? ''} />
            </select>
            <FieldError errors={e} name="outcome" />
          </label>
        )}
        {fields.includes('reason') && type === 'answered' && (
          <label>
            理由
            <select name="reason" aria-invalid={invalid('reason')}>
              <ReasonOptions selected={v.reason ?? ''} />
            </select>
            <FieldError errors={e} name="reason" />
          </label>
        )}
        {fields.includes('reason') && type === 'abandoned' && (
          <label>
            原因
            <select name="reason" aria-invalid={invalid('reason')}>
              <option value="">请选择</option>
              <Options options={ABANDON_REASONS.map((r): [string, string] => [r, ABANDON_LABELS[r]])} selected={v.reason ?? ''} />
            </select>
            <FieldError errors={e} name="reason" />
          </label>
        )}
        {fields.includes('kind') && (
          <label>
            类别
            <select name="kind" aria-invalid={invalid('kind')}>
              <option value="">请选择</option>
              <Options options={REVIEW_KINDS.map((k): [string, string] => [k, REVIEW_KIND_LABELS[k]])} selected={v.kind ?? ''} />
            </select>
            <FieldError errors={e} name="kind" />
          </label>
        )}
        {fields.includes('result') && (
          <label>
            结果
            <select name="result" aria-invalid={invalid('result')}>
              <option value="">请选择</option>
              <Options options={REVIEW_RESULTS.map((r): [string, string] => [r, REVIEW_RESULT_LABELS[r]])} selected={v.result ?? ''} />
            </select>
            <FieldError errors={e} name="result" />
          </label>
        )}
        <label>
          {NOTE_LABELS[type] ?? '备注（选填）'}
          <textarea name="note" rows={2} aria-invalid={invalid('note')}>
            {v.note}
          </textarea>
          <FieldError errors={e} name="note" />
        </label>
        <button class="primary" type="submit">
          登记
        </button>
      </form>
    </details>
  );
}
