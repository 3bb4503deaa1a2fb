import type { Context } from 'hono';
import type { ZodError } from 'zod';
import type { DepartmentView } from '../../../app/departments.js';
import type { ChannelView } from '../../../app/notifications/channels.js';
import { SEVERITIES, SEVERITY_LABELS } from '../../../domain/deadlines/response-policy.js';
import { ALERT_TYPES, ALERT_TYPE_LABELS, ESCALATED_TYPES } from '../../../domain/notifications/messages.js';
import { CHANNEL_KINDS, CHANNEL_KIND_LABELS } from '../../../domain/notifications/platforms.js';
import type { AuthEnv } from '../../../http/auth.js';
import { FieldError, FormError } from '../../components.js';
import { errorsOf, formFields, valuesOf, readableErrors, type FailedForm, type FieldErrors } from '../../forms.js';

// The 添加通知渠道 form: what it posts, how that becomes the API's ChannelInput, and the words
// its refusals are shown in. The secret is write-only: it is never written back into the page.

/** Repeated fields (checkboxes) travel in the form's values joined by this; codes never hold it. */
const LIST_SEPARATOR = ',';

export const invalid = (e: FieldErrors | undefined, name: string) => (e?.[name] ? 'true' : undefined);

const listOf = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter((s) => s !== '');
const textOf = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));

/** "13800000001，13900000002" (any of ,，、;； or spaces between) as a list. */
export const mobilesOf = (text: string): string[] => text.split(/[,，、;；\s]+/).filter((m) => m !== '');

type Fields = Record<string, string | string[]>;

/** A channel form's fields: the values to show again if refused, and the API input they make. */
function readChannelForm(fields: Fields) {
  const alertTypes = listOf(fields.alertTypes);
  const departmentCodes = listOf(fields.departmentCodes);
  const secret = textOf(fields.secret);
  const minSeverity = textOf(fields.minSeverity).trim();
  const mobiles = mobilesOf(textOf(fields.mentionMobiles));
  const values: Record<string, string> = {
    name: textOf(fields.name),
    kind: textOf(fields.kind),
    url: textOf(fields.url),
    keyword: textOf(fields.keyword),
    alertTypes: alertTypes.join(LIST_SEPARATOR),
    departmentCodes: departmentCodes.join(LIST_SEPARATOR),
    minSeverity,
    escalation: textOf(fields.escalation) === 'on' ? 'on' : '',
    mentionMobiles: textOf(fields.mentionMobiles),
    // Only whether one was typed: the page asks for it again rather than echoing it.
    secretTyped: secret.trim() === '' ? '' : 'yes',
  };
  const input = {
    name: textOf(fields.name),
    kind: textOf(fields.kind),
    url: textOf(fields.url),
    secret,
    keyword: textOf(fields.keyword),
    alertTypes,
    departmentCodes,
    minSeverity: minSeverity === '' ? null : minSeverity,
    escalation: values.escalation === 'on',
    mentionMobiles: mobiles,
  };
  return { values, input, mobiles };
}

/** A posted 添加 form: the values to show again if refused, and the API input they make. */
export async function postedChannel(c: Context<AuthEnv>): Promise<{ values: Record<string, string>; input: unknown; mobiles: string[] }> {
  return readChannelForm(await formFields(c));
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x)) && b.every((x) => a.includes(x));

/**
 * A posted 编辑 form of `current`: the values to show again if refused, and a patch of only what
 * changed. An empty address or secret keeps the stored one (the page never has them). Sending only
 * changes matters: a new address, secret or keyword clears the channel's 配置错误 mark, which
 * saving an unchanged keyword must not do.
 */
export async function postedChannelEdit(
  c: Context<AuthEnv>,
  current: ChannelView,
): Promise<{ values: Record<string, string>; patch: Record<string, unknown>; mobiles: string[]; errors?: FieldErrors }> {
  const fields = await formFields(c);
  const { values, input, mobiles } = readChannelForm(fields);
  const clearSecret = textOf(fields.clearSecret) === 'on';
  values.clearSecret = clearSecret ? 'on' : '';
  const patch: Record<string, unknown> = {};
  if (input.name.trim() !== current.name) patch.name = input.name;
  if (input.url.trim() !== '') patch.url = input.url;
  if (clearSecret && input.secret.trim() !== '') {
    return { values, patch, mobiles, errors: { secret: '填写了新密钥又勾选了“清除密钥”，请只选其一' } };
  }
  if (clearSecret && current.hasSecret) patch.secret = null;
  else if (input.secret.trim() !== '') patch.secret = input.secret;
  if ((input.keyword.trim() || null) !== current.keyword) patch.keyword = input.keyword;
  if (!sameSet(input.alertTypes, current.alertTypes)) patch.alertTypes = input.alertTypes;
  if (!sameSet(input.departmentCodes, current.departmentCodes)) patch.departmentCodes = input.departmentCodes;
  if (input.minSeverity !== current.minSeverity) patch.minSeverity = input.minSeverity;
  if (input.escalation !== current.escalation) patch.escalation = input.escalation;
  if (mobiles.map((m) => m.trim()).join(',') !== current.mentionMobiles.join(',')) patch.mentionMobiles = mobiles;
  return { values, patch, mobiles };
}

const WORDS: Record<string, { blank: string; wrong: string | null }> = {
  name: { blank: '请填写渠道名称', wrong: '渠道名称不能超过 100 个字' },
  kind: { blank: '请选择渠道类型', wrong: '请从列表中选择渠道类型' },
  url: { blank: '请填写渠道地址', wrong: null }, // the schema's own message says what is wrong
  secret: { blank: '', wrong: '密钥不能超过 500 个字符' },
  keyword: { blank: '', wrong: '关键词不能超过 50 个字' },
  alertTypes: { blank: '', wrong: '请从列表中选择提醒类型' },
  departmentCodes: { blank: '', wrong: '请从列表中选择部门' },
  minSeverity: { blank: '', wrong: '请从列表中选择最低级别' },
};

/** zod's messages are for API clients; the form says what is wrong in plainer words, per field. */
export function channelErrors(error: ZodError, values: Record<string, string>, mobiles: string[]): FieldErrors {
  const errors = readableErrors(error, values, WORDS);
  if (errors.mentionMobiles) {
    const bad = error.issues.filter((i) => i.path[0] === 'mentionMobiles' && typeof i.path[1] === 'number').map((i) => mobiles[i.path[1] as number]);
    errors.mentionMobiles = bad.length > 0 ? `手机号无效：${bad.join('、')}（应为 11 位数字，以 1 开头）` : `最多 @ 20 个手机号`;
  }
  return errors;
}

function Options(props: { options: [string, string][]; selected: string }) {
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

function Checks(props: { name: string; options: [string, string][]; checked: string[] }) {
  return (
    <span class="checks">
      {props.options.map(([value, label]) => (
        <label class="check">
          <input type="checkbox" name={props.name} value={value} checked={props.checked.includes(value)} />
          {label}
        </label>
      ))}
    </span>
  );
}

const escalatedLabels = ESCALATED_TYPES.map((t) => ALERT_TYPE_LABELS[t]).join('和');

/** 添加通知渠道 (admins: POST /api/channels). */
export function AddChannelForm(props: { departments: DepartmentView[]; failed?: FailedForm; action: string }) {
  const e = errorsOf(props.failed, 'channel');
  const v = valuesOf(props.failed, 'channel');
  const split = (s: string | undefined) => (s ? s.split(LIST_SEPARATOR) : []);
  return (
    <details class="register" open={e !== undefined}>
      <summary>添加通知渠道</summary>
      <form class="stack" id="channel-form" method="post" action={props.action} novalidate aria-label="添加通知渠道" autocomplete="off">
        <FormError errors={e} />
        <label>
          名称
          <input name="name" value={v.name ?? ''} maxlength={100} required placeholder="如 新闻办值班群" aria-invalid={invalid(e, 'name')} />
          <FieldError errors={e} name="name" />
        </label>
        <label>
          类型
          <select name="kind" aria-invalid={invalid(e, 'kind')}>
            <Options options={CHANNEL_KINDS.map((k): [string, string] => [k, CHANNEL_KIND_LABELS[k]])} selected={v.kind ?? 'dingtalk'} />
          </select>
          <FieldError errors={e} name="kind" />
        </label>
        <label>
          地址
          <input
            name="url"
            value={v.url ?? ''}
            inputmode="url"
            spellcheck={false}
            required
            placeholder="https://oapi.dingtalk.com/robot/send?access_token=…"
            aria-invalid={invalid(e, 'url')}
          />
          <FieldError errors={e} name="url" />
          <span class="muted">机器人的 Webhook 地址；邮件渠道写 mailto:收件人，多个用逗号分隔。内网、本机地址会被拒绝。</span>
        </label>
        <label>
          签名密钥（可选）
          <input type="password" name="secret" value="" autocomplete="new-password" spellcheck={false} aria-invalid={invalid(e, 'secret')} />
          <FieldError errors={e} name="secret" />
          {v.secretTyped === 'yes' && !e?.secret && <span class="muted retype">密钥不会回填到页面上，请重新填写。</span>}
          <span class="muted">
            只写不读：保存后不再显示，列表中只标明“已设置密钥”。钉钉填加签密钥（SEC 开头），飞书填签名校验密钥；Webhook 留空则由系统生成并只显示一次；企业微信和邮件不填。
          </span>
        </label>
        <label>
          自定义关键词（可选）
          <input name="keyword" value={v.keyword ?? ''} maxlength={50} aria-invalid={invalid(e, 'keyword')} />
          <FieldError errors={e} name="keyword" />
          <span class="muted">机器人安全设置中的关键词，每条消息都会带上它。</span>
        </label>
        <fieldset aria-invalid={invalid(e, 'alertTypes')}>
          <legend>提醒类型（都不勾选 = 全部类型）</legend>
          <Checks name="alertTypes" options={ALERT_TYPES.map((t): [string, string] => [t, ALERT_TYPE_LABELS[t]])} checked={split(v.alertTypes)} />
          <FieldError errors={e} name="alertTypes" />
        </fieldset>
        <fieldset aria-invalid={invalid(e, 'departmentCodes')}>
          <legend>部门（都不勾选 = 全部部门）</legend>
          {props.departments.length === 0 ? (
            <span class="muted">还没有部门。</span>
          ) : (
            <Checks name="departmentCodes" options={props.departments.map((d): [string, string] => [d.code, d.name])} checked={split(v.departmentCodes)} />
          )}
          <FieldError errors={e} name="departmentCodes" />
        </fieldset>
        <label>
          最低级别
          <select name="minSeverity" aria-invalid={invalid(e, 'minSeverity')}>
            <Options options={[['', '不限'], ...SEVERITIES.map((s): [string, string] => [s, `${SEVERITY_LABELS[s]}及以上`])]} selected={v.minSeverity ?? ''} />
          </select>
          <FieldError errors={e} name="minSeverity" />
          <span class="muted">只对舆情事件和回应时限提醒生效。</span>
        </label>
        <label class="check">
          <input type="checkbox" name="escalation" value="on" checked={v.escalation === 'on'} />
          领导群：{escalatedLabels}提醒不论部门都发到这里
        </label>
        <label>
          @ 手机号（可选，钉钉、企业微信）
          <input name="mentionMobiles" value={v.mentionMobiles ?? ''} inputmode="tel" placeholder="13800000001, 13900000002" aria-invalid={invalid(e, 'mentionMobiles')} />
          <FieldError errors={e} name="mentionMobiles" />
          <span class="muted">多个手机号用逗号分隔，消息中会 @ 这些人。</span>
        </label>
        <button class="primary" type="submit">
          添加
        </button>
      </form>
    </details>
  );
}

/** What the secret is called on each platform; null where there is none (WeCom, email). */
const SECRET_NOTES: Partial<Record<ChannelView['kind'], string>> = {
  dingtalk: '钉钉机器人安全设置中的加签密钥（SEC 开头）。',
  feishu: '飞书机器人安全设置中的签名校验密钥。',
  webhook: 'Webhook 签名密钥（whsec_ 开头）；清除后消息不再签名。',
};

/**
 * 编辑 under a channel's row (admins: PATCH /api/channels/:id), prefilled with its settings. The
 * address and secret are never in the page (the address only masked): left empty, they stay.
 */
export function EditChannelForm(props: { channel: ChannelView; departments: DepartmentView[]; failed?: FailedForm; action: string }) {
  const ch = props.channel;
  const form = `edit-${ch.id}`;
  const e = errorsOf(props.failed, form);
  const v: Record<string, string> =
    props.failed?.form === form
      ? props.failed.values
      : {
          name: ch.name,
          url: '',
          keyword: ch.keyword ?? '',
          alertTypes: ch.alertTypes.join(LIST_SEPARATOR),
          departmentCodes: ch.departmentCodes.join(LIST_SEPARATOR),
          minSeverity: ch.minSeverity ?? '',
          escalation: ch.escalation ? 'on' : '',
          mentionMobiles: ch.mentionMobiles.join(', '),
        };
  const split = (s: string | undefined) => (s ? s.split(LIST_SEPARATOR) : []);
  const secretNote = SECRET_NOTES[ch.kind];
  return (
    <details class="edit" id={`edit-${ch.id}`} open={e !== undefined}>
      <summary aria-label={`编辑“${ch.name}”`}>编辑</summary>
      <form class="edit-form" id={`edit-form-${ch.id}`} method="post" action={props.action} novalidate aria-label={`编辑“${ch.name}”`} autocomplete="off">
        {e?._form && (
          <div class="wide-field">
            <FormError errors={e} />
          </div>
        )}
        <label>
          名称
          <input name="name" value={v.name ?? ''} maxlength={100} required aria-invalid={invalid(e, 'name')} />
          <FieldError errors={e} name="name" />
        </label>
        <div class="kind-field">
          <span>类型</span>
          <span class="muted">{CHANNEL_KIND_LABELS[ch.kind]}（不可修改；如需更换类型，请添加新渠道）</span>
        </div>
        <label class="wide-field">
          地址
          <input
            name="url"
            value={v.url ?? ''}
            inputmode="url"
            spellcheck={false}
            placeholder="留空表示不修改"
            aria-invalid={invalid(e, 'url')}
            aria-describedby={`edit-url-note-${ch.id}`}
          />
          <FieldError errors={e} name="url" />
          <span class="muted" id={`edit-url-note-${ch.id}`}>
            当前：<span class="url">{ch.url}</span>（部分隐去）。留空表示不修改；地址有误时粘贴完整的新地址，保存后渠道恢复发送。
          </span>
        </label>
        {secretNote && (
          <div class="secret-field">
            <label>
              签名密钥
              <input type="password" name="secret" value="" autocomplete="new-password" spellcheck={false} placeholder="留空表示不修改" aria-invalid={invalid(e, 'secret')} />
              <FieldError errors={e} name="secret" />
              <span class="muted">
                当前：{ch.hasSecret ? '已设置（不显示）' : '未设置'}。{secretNote}只写不读，留空表示不修改。
              </span>
            </label>
            {ch.hasSecret && (
              <label class="check">
                <input type="checkbox" name="clearSecret" value="on" checked={v.clearSecret === 'on'} />
                清除密钥
              </label>
            )}
          </div>
        )}
        <label>
          自定义关键词（可选）
          <input name="keyword" value={v.keyword ?? ''} maxlength={50} aria-invalid={invalid(e, 'keyword')} />
          <FieldError errors={e} name="keyword" />
          <span class="muted">清空即不再附加关键词。</span>
        </label>
        <fieldset class="wide-field" aria-invalid={invalid(e, 'alertTypes')}>
          <legend>提醒类型（都不勾选 = 全部类型）</legend>
          <Checks name="alertTypes" options={ALERT_TYPES.map((t): [string, string] => [t, ALERT_TYPE_LABELS[t]])} checked={split(v.alertTypes)} />
          <FieldError errors={e} name="alertTypes" />
        </fieldset>
        <fieldset class="wide-field" aria-invalid={invalid(e, 'departmentCodes')}>
          <legend>部门（都不勾选 = 全部部门）</legend>
          {props.departments.length === 0 ? (
            <span class="muted">还没有部门。</span>
          ) : (
            <Checks name="departmentCodes" options={props.departments.map((d): [string, string] => [d.code, d.name])} checked={split(v.departmentCodes)} />
          )}
          <FieldError errors={e} name="departmentCodes" />
        </fieldset>
        <label>
          最低级别
          <select name="minSeverity" aria-invalid={invalid(e, 'minSeverity')}>
            <Options options={[['', '不限'], ...SEVERITIES.map((s): [string, string] => [s, `${SEVERITY_LABELS[s]}及以上`])]} selected={v.minSeverity ?? ''} />
          </select>
          <FieldError errors={e} name="minSeverity" />
          <span class="muted">只对舆情事件和回应时限提醒生效。</span>
        </label>
        <label>
          @ 手机号（可选，钉钉、企业微信）
          <input name="mentionMobiles" value={v.mentionMobiles ?? ''} inputmode="tel" placeholder="13800000001, 13900000002" aria-invalid={invalid(e, 'mentionMobiles')} />
          <FieldError errors={e} name="mentionMobiles" />
          <span class="muted">多个手机号用逗号分隔。</span>
        </label>
        <label class="check wide-field">
          <input type="checkbox" name="escalation" value="on" checked={v.escalation === 'on'} />
          领导群：{escalatedLabels}提醒不论部门都发到这里
        </label>
        <div class="wide-field buttons">
          <button class="primary" type="submit">
            保存修改
          </button>
          <span class="muted">只保存改动的设置；修改地址、密钥或关键词后，因“配置错误”暂停的消息会重新发送。</span>
        </div>
      </form>
    </details>
  );
}
