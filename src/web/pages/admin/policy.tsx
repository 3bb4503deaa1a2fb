import type { Context } from 'hono';
import { raw } from 'hono/html';
import type { ResponsePolicy } from '../../../app/response-policy.js';
import { COMMITMENT_LABELS, SEVERITIES, SEVERITY_LABELS, type ResponsePolicyRules } from '../../../domain/deadlines/response-policy.js';
import type { AuthEnv } from '../../../http/auth.js';
import { PolicyRulesSchema } from '../../../http/monitoring-schemas.js';
import { beijing, FieldError, FormError } from '../../components.js';
import { errorsOf, formFields, valuesOf, type FailedForm, type FieldErrors } from '../../forms.js';
import { Cell, invalid, textOf } from './shared.js';

// /admin/policy: the response policy of SPEC §4 — for each severity, which commitments an
// incident carries and within how many hours of its start. Saving writes a new version (PUT
// /api/response-policy); commitments already made keep the version they were made under.

const MAX_HOURS = 24 * 365;

/** The kinds a form offers: the three of SPEC §4, then any other the policies in force use. */
export function kindsOf(policy: ResponsePolicyRules): string[] {
  const kinds = Object.keys(COMMITMENT_LABELS);
  for (const severity of SEVERITIES) for (const r of policy[severity]) if (!kinds.includes(r.kind)) kinds.push(r.kind);
  return kinds;
}

const kindLabel = (kind: string) => COMMITMENT_LABELS[kind] ?? kind;
const fieldName = (severity: string, kind: string) => `hours.${severity}.${kind}`;
const hoursText = (hours: number) => String(Math.round(hours * 100) / 100);

/** What each severity carries, in words: "发布权威信息 5 小时、召开新闻发布会 24 小时". */
export const ruleSummary = (rules: ResponsePolicyRules[keyof ResponsePolicyRules]) =>
  rules.length === 0 ? '无' : rules.map((r) => `${kindLabel(r.kind)} ${hoursText(r.hours)} 小时`).join('、');

/**
 * A posted policy form: the values to show again, and the rules it makes (in the order of the
 * kinds offered), or the errors by field. An empty field means the severity does not carry that
 * commitment; every severity must carry at least one.
 */
export async function postedPolicy(c: Context<AuthEnv>, kinds: string[]): Promise<{ values: Record<string, string>; rules?: ResponsePolicyRules; errors?: FieldErrors }> {
  const fields = await formFields(c);
  const values: Record<string, string> = {};
  const errors: FieldErrors = {};
  const rules = {} as ResponsePolicyRules;
  for (const severity of SEVERITIES) {
    rules[severity] = [];
    for (const kind of kinds) {
      const name = fieldName(severity, kind);
      const typed = textOf(fields[name]).trim().replace(/[０-９．]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0));
      values[name] = typed;
      if (typed === '') continue;
      const hours = /^\d+(\.\d{1,2})?$/.test(typed) ? Number(typed) : NaN;
      if (!(hours > 0 && hours <= MAX_HOURS)) errors[name] = `请填写 0 到 ${MAX_HOURS} 之间的小时数（可含两位小数），不适用则留空`;
      else rules[severity].push({ kind, hours });
    }
    if (rules[severity].length === 0 && !kinds.some((k) => errors[fieldName(severity, k)])) {
      errors[`severity.${severity}`] = `${SEVERITY_LABELS[severity]}事件至少要有一项回应承诺`;
    }
  }
  if (Object.keys(errors).length > 0) return { values, errors };
  const parsed = PolicyRulesSchema.safeParse(rules);
  if (!parsed.success) return { values, errors: { _form: parsed.error.issues.map((i) => i.message).join('；') } };
  return { values, rules: parsed.data };
}

export const samePolicy = (a: ResponsePolicyRules, b: ResponsePolicyRules) =>
  SEVERITIES.every((s) => ruleSummary(a[s]) === ruleSummary(b[s]));

function PolicyForm(props: { policy: ResponsePolicy; kinds: string[]; failed?: FailedForm }) {
  const e = errorsOf(props.failed, 'policy');
  const v = valuesOf(props.failed, 'policy');
  const current = (severity: (typeof SEVERITIES)[number], kind: string) => {
    const rule = props.policy.rules[severity].find((r) => r.kind === kind);
    return rule ? hoursText(rule.hours) : '';
  };
  return (
    <section class="panel" aria-labelledby="edit-policy">
      <h2 id="edit-policy">修改回应时限</h2>
      <p class="muted">
        时限从事件开始时刻起算（自然小时，不扣除节假日）。不适用的承诺留空。保存后生成第 {props.policy.version + 1} 版，
        <strong>只适用于此后新产生的回应承诺</strong>；已有事件的承诺保持原来的时限。
      </p>
      <form id="policy-form" method="post" action="/admin/policy#edit-policy" novalidate aria-label="修改回应时限">
        <FormError errors={e} />
        <div class="policy-grid">
          {SEVERITIES.map((severity) => (
            <fieldset class="choices" data-severity={severity} aria-invalid={invalid(e, `severity.${severity}`)}>
              <legend>{SEVERITY_LABELS[severity]}</legend>
              {props.kinds.map((kind) => {
                const name = fieldName(severity, kind);
                return (
                  <label class="hours">
                    <span>{kindLabel(kind)}</span>
                    <span class="hours-input">
                      <input name={name} inputmode="decimal" value={props.failed?.form === 'policy' ? (v[name] ?? '') : current(severity, kind)} aria-invalid={invalid(e, name)} />
                      小时
                    </span>
                    <FieldError errors={e} name={name} />
                  </label>
                );
              })}
              <FieldError errors={e} name={`severity.${severity}`} />
            </fieldset>
          ))}
        </div>
        <p>
          <button class="primary" type="submit">
            保存为新版本
          </button>
        </p>
      </form>
    </section>
  );
}

function VersionHistory(props: { versions: (ResponsePolicy & { createdBy: string | null })[] }) {
  return (
    <section class="panel" aria-labelledby="history">
      <h2 id="history">版本记录</h2>
      <div class="table-wrap">
        <table class="stacked" id="policy-versions">
          <thead>
            <tr>
              <th>版本</th>
              <th>生效时间</th>
              <th>修改人</th>
              {SEVERITIES.map((s) => (
                <th>{SEVERITY_LABELS[s]}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.versions.map((p, i) => (
              <tr data-version={String(p.version)}>
                <Cell label="版本">
                  第 {p.version} 版{i === 0 && <span class="st st-active">现行</span>}
                </Cell>
                <Cell label="生效时间">
                  <span class="nowrap">{beijing(p.createdAt)}</span>
                </Cell>
                <Cell label="修改人" class="nowrap">{p.createdBy ?? <span class="muted">系统默认</span>}</Cell>
                {SEVERITIES.map((s) => (
                  <Cell label={SEVERITY_LABELS[s]}>{ruleSummary(p.rules[s])}</Cell>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

const POLICY_CSS = `
.policy-grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));gap:.8rem;margin:.6rem 0}
.policy-grid label.hours{display:grid;gap:.15rem;margin:.3rem 0}
.policy-grid .hours-input{display:flex;gap:.4rem;align-items:center;white-space:nowrap}
.policy-grid .hours-input input{max-width:7rem}
`;

export function PolicyPage(props: { policy: ResponsePolicy; versions: (ResponsePolicy & { createdBy: string | null })[]; kinds: string[]; failed?: FailedForm; saved?: number }) {
  return (
    <>
      <style>{raw(POLICY_CSS)}</style>
      <h1>回应时限</h1>
      <p>
        舆情事件按严重程度启动回应承诺的计时。默认依据国办发〔2016〕61号及其实施细则（国办发〔2016〕80号）：特别重大、重大事件 5 小时内发布权威信息、24
        小时内召开新闻发布会；较大、一般事件 48 小时内回应关切。
      </p>
      {props.saved !== undefined && (
        <p class="ok-notice" role="status" id="saved">
          已保存为第 {props.saved} 版：此后新产生的回应承诺按新时限计时，已有承诺不变。
        </p>
      )}
      <PolicyForm policy={props.policy} kinds={props.kinds} failed={props.failed} />
      <VersionHistory versions={props.versions} />
    </>
  );
}
