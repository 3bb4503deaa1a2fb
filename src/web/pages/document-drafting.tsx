import { raw } from 'hono/html';
import type { DocumentView } from '../../app/documents.js';
import type { PlanInput as PlanFields } from '../../app/interpretation-plans.js';
import { INTERPRETATION_FORMS, type InterpretationForm } from '../../app/interpretations.js';
import { CHANNEL_LABELS, PLAN_CHANNELS, type PlanChannel } from '../../domain/deadlines/interpretation-plan.js';
import { PlanInput } from '../../http/schemas.js';
import { beijing, FieldError, FormError, VersionField } from '../components.js';
import type { FieldErrors, FormState } from '../forms.js';
import { FORM_LABELS } from '../labels.js';

// The drafting side of a document (SPEC §12, 同步组织、同步审签、同步部署): the interpretation plan
// (解读方案) fields of the register and plan forms, the plan as read, the sign-off (审签), the
// publish form of a draft, and what the plan promised and no interpretation delivered.

export const DRAFTING_CSS = `
fieldset.plan{border:1px solid #8a96a3;border-radius:6px;padding:.5rem .8rem;margin:0;min-width:0;display:grid;gap:.6rem}
fieldset.plan legend{padding:0 .3rem;font-weight:600}
.choices{display:grid;grid-template-columns:repeat(auto-fill,minmax(7.5rem,1fr));gap:.15rem .8rem}
.choices label,label.check{display:flex;gap:.4rem;align-items:center;font-weight:normal}.choices input,label.check input{width:auto}
.choice-title{color:#52606d;font-size:.9em}
section.drafting{background:#fff;border-radius:8px;padding:.6rem 1rem;margin:1rem 0;box-shadow:0 1px 2px #0001}
section.drafting h2{margin:.2rem 0 .6rem;font-size:1.1rem}section.drafting dl.facts{padding:.2rem 0;box-shadow:none}
section.drafting details>summary{cursor:pointer;color:#8b1a1a;font-weight:600;margin:.4rem 0}
.gaps{border-left:4px solid #b42318}.gaps ul{margin:.3rem 0;padding-left:1.2rem}
.signed{color:#276749;font-weight:600}.unsigned{color:#9c4221;font-weight:600}
.st-drafting{background:#f3e8ff;color:#6b21a8}
`;

/** Checkbox lists travel in a form's values joined by this; form and channel codes never hold it. */
const SEP = ',';

const listOf = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter((s) => s !== '');
const textOf = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));

/** What a posted form says of the plan: its values to show again, the plan (null: none written) or why not. */
export function postedPlan(fields: Record<string, string | string[]>): { values: Record<string, string>; plan: PlanFields | null; errors: FieldErrors } {
  const forms = listOf(fields.planForms);
  const channels = listOf(fields.planChannels);
  const values = {
    planForms: forms.join(SEP),
    planChannels: channels.join(SEP),
    planResponsibleName: textOf(fields.planResponsibleName).trim(),
    planLeaderLed: textOf(fields.planLeaderLed) === 'on' ? 'on' : '',
    planNote: textOf(fields.planNote).trim(),
  };
  const nothing = forms.length === 0 && channels.length === 0 && !values.planResponsibleName && !values.planLeaderLed && !values.planNote;
  if (nothing) return { values, plan: null, errors: {} };
  const parsed = PlanInput.safeParse({
    forms,
    channels,
    responsibleName: values.planResponsibleName,
    leaderLed: values.planLeaderLed === 'on',
    note: values.planNote,
  });
  if (parsed.success) return { values, plan: parsed.data as PlanFields, errors: {} };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? '');
    if (field === 'forms') errors.planForms ??= forms.length === 0 ? '解读方案请至少选择一种解读形式' : '请从列表中选择解读形式';
    else if (field === 'channels') errors.planChannels ??= '请从列表中选择发布渠道';
    else if (field === 'responsibleName') errors.planResponsibleName ??= '解读责任人不能超过 50 个字';
    else if (field === 'note') errors.planNote ??= '备注不能超过 1000 个字';
    else errors._form ??= issue.message;
  }
  return { values, plan: null, errors };
}

/** A plan's values as the plan form shows them. */
export function planValues(plan: DocumentView['plan']): Record<string, string> {
  if (!plan) return {};
  return {
    planForms: plan.forms.join(SEP),
    planChannels: plan.channels.join(SEP),
    planResponsibleName: plan.responsibleName ?? '',
    planLeaderLed: plan.leaderLed ? 'on' : '',
    planNote: plan.note ?? '',
  };
}

function Checks(props: { name: string; options: [string, string][]; checked: string[]; title: string; errors?: FieldErrors }) {
  return (
    <div role="group" aria-label={props.title}>
      <span class="choice-title">{props.title}</span>
      <div class="choices">
        {props.options.map(([value, label]) => (
          <label>
            <input type="checkbox" name={props.name} value={value} checked={props.checked.includes(value)} />
            {label}
          </label>
        ))}
      </div>
      <FieldError errors={props.errors} name={props.name} />
    </div>
  );
}

const FORM_OPTIONS = INTERPRETATION_FORMS.map((f): [string, string] => [f, FORM_LABELS[f]]);
const CHANNEL_OPTIONS = PLAN_CHANNELS.map((c): [string, string] => [c, CHANNEL_LABELS[c]]);

/** The plan's fields, inside the register form and the plan form. */
export function PlanFieldset(props: { values: Record<string, string>; errors: FieldErrors; legend: string }) {
  const v = props.values;
  const e = props.errors;
  return (
    <fieldset class="plan" id="plan-fields">
      <legend>{props.legend}</legend>
      <Checks name="planForms" title="解读形式" options={FORM_OPTIONS} checked={(v.planForms ?? '').split(SEP)} errors={e} />
      <Checks name="planChannels" title="发布渠道" options={CHANNEL_OPTIONS} checked={(v.planChannels ?? '').split(SEP)} errors={e} />
      <label>
        解读责任人（选填）
        <input name="planResponsibleName" value={v.planResponsibleName} placeholder="如 办公室 张三" maxlength={50} aria-invalid={e.planResponsibleName ? 'true' : undefined} />
        <FieldError errors={e} name="planResponsibleName" />
      </label>
      <label class="check">
        <input type="checkbox" name="planLeaderLed" value="on" checked={v.planLeaderLed === 'on'} />
        主要负责人解读（新闻发布会、在线访谈或署名文章）
      </label>
      <label>
        备注（选填）
        <textarea name="planNote" rows={2} maxlength={1000} aria-invalid={e.planNote ? 'true' : undefined}>
          {v.planNote}
        </textarea>
        <FieldError errors={e} name="planNote" />
      </label>
    </fieldset>
  );
}

const formNames = (forms: string[]) => forms.map((f) => FORM_LABELS[f as InterpretationForm] ?? f).join('、');
const channelNames = (channels: string[]) => channels.map((c) => CHANNEL_LABELS[c as PlanChannel] ?? c).join('、');

function PlanFacts(props: { plan: NonNullable<DocumentView['plan']> }) {
  const p = props.plan;
  return (
    <dl class="facts" id="plan">
      <dt>解读形式</dt>
      <dd>{formNames(p.forms) || '—'}</dd>
      <dt>发布渠道</dt>
      <dd>{channelNames(p.channels) || '—'}</dd>
      <dt>解读责任人</dt>
      <dd>{p.responsibleName ?? (p.responsibleUserId !== null ? `用户 ${p.responsibleUserId}` : '—')}</dd>
      <dt>主要负责人解读</dt>
      <dd>{p.leaderLed ? '是' : '否'}</dd>
      {p.note && (
        <>
          <dt>备注</dt>
          <dd>{p.note}</dd>
        </>
      )}
    </dl>
  );
}

/** 解读方案: the plan, and its form while it may still change (until sign-off). */
export function PlanSection(props: { doc: DocumentView; mayEdit: boolean; state?: FormState }) {
  const { doc, mayEdit, state } = props;
  const editable = mayEdit && doc.signedOffAt === null;
  const values = state?.values ?? planValues(doc.plan);
  return (
    <section class="drafting" aria-labelledby="plan-heading">
      <h2 id="plan-heading">解读方案</h2>
      {doc.plan ? <PlanFacts plan={doc.plan} /> : <p class="muted" id="no-plan">尚未制定解读方案。</p>}
      {doc.signedOffAt !== null && doc.plan && <p class="muted">解读方案已随文件审签，不能再修改。</p>}
      {editable && (
        <details open={state !== undefined}>
          <summary>{doc.plan ? '修改解读方案' : '制定解读方案'}</summary>
          <form class="stack" id="plan-form" method="post" action={`/documents/${doc.id}/plan`} novalidate aria-label="解读方案">
            <FormError errors={state?.errors} />
            <VersionField updatedAt={doc.updatedAt} />
            <FieldError errors={state?.errors} name="plan" />
            <PlanFieldset values={values} errors={state?.errors ?? {}} legend="解读方案（审签前可修改）" />
            <p class="muted">不勾选任何内容并保存，即删除解读方案。</p>
            <button class="primary" type="submit">
              保存解读方案
            </button>
          </form>
        </details>
      )}
    </section>
  );
}

/** 审签: who signed the document off and when, or the sign-off form for those who may. */
export function SignOffSection(props: { doc: DocumentView; maySignOff: boolean; state?: FormState; signer?: string | null }) {
  const { doc, maySignOff, state } = props;
  const late = doc.signedOffAt !== null && doc.publishedAt !== null && doc.signedOffAt > doc.publishedAt;
  return (
    <section class="drafting" aria-labelledby="sign-off-heading">
      <h2 id="sign-off-heading">审签</h2>
      {doc.signedOffAt !== null ? (
        <div id="sign-off">
          <p>
            <span class="signed">已审签</span>：{beijing(doc.signedOffAt)}（北京时间），审签人 {props.signer ?? doc.signedOffBy}；
            {doc.planAtSignOff ? '解读方案与文件同步审签。' : <span class="unsigned">审签时尚无解读方案，不计入同步审签。</span>}
          </p>
          {late && <p class="notice">审签晚于文件发布，不计入同步审签。</p>}
          {doc.signOffNote && <p class="muted">审签意见：{doc.signOffNote}</p>}
        </div>
      ) : (
        <p id="sign-off">
          <span class="unsigned">尚未审签。</span>
          <span class="muted">文件应与解读方案一并审签后发布（同步审签）。</span>
        </p>
      )}
      {doc.signedOffAt === null && maySignOff && (
        <form class="stack" id="sign-off-form" method="post" action={`/documents/${doc.id}/sign-off`} novalidate aria-label="审签">
          <FormError errors={state?.errors} />
          {!doc.plan && <p class="notice">此文件尚无解读方案：现在审签将记为“审签时无解读方案”，考核中不计入同步审签。</p>}
          <label>
            审签意见（选填）
            <textarea name="note" rows={2} maxlength={1000}>
              {state?.values.note}
            </textarea>
            <FieldError errors={state?.errors} name="note" />
          </label>
          <button class="primary" type="submit">
            {doc.plan ? '审签（文件与解读方案）' : '审签'}
          </button>
        </form>
      )}
    </section>
  );
}

/** 发布: a draft's publication time, which starts its clock. */
export function PublishSection(props: { doc: DocumentView; state?: FormState; workingDays: number }) {
  const { doc, state } = props;
  return (
    <section class="drafting" aria-labelledby="publish-heading">
      <h2 id="publish-heading">发布</h2>
      <form class="stack" id="publish-form" method="post" action={`/documents/${doc.id}/publish`} novalidate aria-label="发布">
        <FormError errors={state?.errors} />
        {doc.signedOffAt === null ? (
          <p class="notice">此文件尚未审签：发布后将不计入同步审签。</p>
        ) : (
          <p class="muted">已于 {beijing(doc.signedOffAt)} 审签；发布时间早于审签时间的，不计入同步审签。</p>
        )}
        <label>
          发布时间（北京时间）
          <input type="datetime-local" name="publishedAt" value={state?.values.publishedAt} required aria-invalid={state?.errors.publishedAt ? 'true' : undefined} />
          <FieldError errors={state?.errors} name="publishedAt" />
        </label>
        <p class="muted">发布后，解读材料应于发布后第 {props.workingDays} 个工作日结束前发布。</p>
        <button class="primary" type="submit">
          发布
        </button>
      </form>
    </section>
  );
}

/** After the due date: what the plan promised and no interpretation delivered; a major document's missing leader. */
export function GapsSection(props: { doc: DocumentView }) {
  const { doc } = props;
  const gaps = doc.planGaps;
  const open = gaps !== null && (gaps.forms.length > 0 || gaps.channels.length > 0 || gaps.leaderLed);
  if (!open && !doc.leaderLedMissing && gaps === null) return null;
  return (
    <section class={`drafting${open || doc.leaderLedMissing ? ' gaps' : ''}`} id="plan-gaps" aria-labelledby="gaps-heading">
      <h2 id="gaps-heading">解读方案落实情况</h2>
      {gaps !== null && !open && <p class="signed">解读方案承诺的形式和渠道均已落实。</p>}
      {open && (
        <>
          <p>解读截止日期（{doc.interpretationDueDate}）已过，解读方案中以下内容尚未落实：</p>
          <ul>
            {gaps.forms.length > 0 && <li data-gap="forms">解读形式：{formNames(gaps.forms)}</li>}
            {gaps.channels.length > 0 && <li data-gap="channels">发布渠道：{channelNames(gaps.channels)}</li>}
            {gaps.leaderLed && (
              <li data-gap="leaderLed" id={doc.leaderLedMissing ? 'leader-missing' : undefined}>
                主要负责人解读{doc.leaderLedMissing && '（重大政策文件应由主要负责人解读）'}
              </li>
            )}
          </ul>
        </>
      )}
      {doc.leaderLedMissing && !gaps?.leaderLed && (
        <p class="notice" id="leader-missing">
          重大政策文件尚无主要负责人解读（新闻发布会、在线访谈或标记为主要负责人解读的材料）。
        </p>
      )}
    </section>
  );
}

/** Channels and leader-led, in the add-interpretation form. */
export function DeliveryFields(props: { values: Record<string, string> }) {
  return (
    <>
      <Checks name="channels" title="发布渠道" options={CHANNEL_OPTIONS} checked={(props.values.channels ?? '').split(SEP)} />
      <label class="check">
        <input type="checkbox" name="leaderLed" value="on" checked={props.values.leaderLed === 'on'} />
        主要负责人解读
      </label>
    </>
  );
}

/** The channels and leader-led flag of a posted add-interpretation form. */
export function postedDelivery(fields: Record<string, string | string[]>) {
  const channels = listOf(fields.channels);
  const leaderLed = textOf(fields.leaderLed) === 'on';
  return { values: { channels: channels.join(SEP), leaderLed: leaderLed ? 'on' : '' }, channels, leaderLed };
}

export const DraftingStyle = () => <style>{raw(DRAFTING_CSS)}</style>;
