import type { Context } from 'hono';
import type { ZodError } from 'zod';
import { AppError } from '../app/errors.js';
import { parseInstant } from '../domain/time.js';

/** Errors to show next to each field; `_form` for those that belong to no single field. */
export type FieldErrors = Record<string, string>;

/** The first message for each top-level field of a failed zod parse (messages are in Chinese). */
export function zodFieldErrors(error: ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = issue.path.length > 0 ? String(issue.path[0]) : '_form';
    errors[field] ??= issue.message;
  }
  return errors;
}

/**
 * A use case's refusal as field errors: its messages start with the field ("docNumber: 文号 … 已登记"),
 * so the page can put each next to its field.
 */
export function appErrorFields(err: AppError): FieldErrors {
  const errors: FieldErrors = {};
  for (const part of err.message.split('；')) {
    const m = /^([A-Za-z][\w.[\]]*): (.*)$/s.exec(part);
    if (m) errors[m[1]!.split(/[.[]/)[0]!] ??= m[2]!;
    else errors._form = errors._form ? `${errors._form}；${part}` : part;
  }
  return errors;
}

/** A form post's fields as strings (repeated fields as arrays). */
export async function formFields(c: Context): Promise<Record<string, string | string[]>> {
  const body = await c.req.parseBody({ all: true });
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(body)) out[k] = Array.isArray(v) ? v.map(String) : String(v);
  return out;
}

/**
 * The version a form was rendered from (its hidden `version` field, the record's updatedAt in ms),
 * to refuse the change (412) if the record has been changed since; none when the form has no
 * such field.
 */
export function postedVersion(fields: Record<string, string | string[]>): number[] | undefined {
  const raw = fields.version;
  const text = (Array.isArray(raw) ? raw[0] : raw)?.trim() ?? '';
  return /^\d{1,16}$/.test(text) ? [Number(text)] : undefined;
}

/**
 * `<input type="datetime-local">` sends '2026-11-20T10:00' without a zone: in this service that is
 * Beijing time. Returns the API's ISO form with +08:00, or the value unchanged (for validation to refuse).
 */
export function fromLocalDateTime(value: string): string {
  const v = value.trim();
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(v)) {
    const iso = `${v.length === 16 ? `${v}:00` : v}+08:00`;
    return parseInstant(iso) === null ? v : iso;
  }
  return v;
}

/** The status of a page: 200, or the status of the refusal it shows (a use case's AppError). */
export type PageStatus = 200 | AppError['status'];

/** A form as the user left it, with what went wrong, to render it again. */
export interface FormState {
  values: Record<string, string>;
  errors: FieldErrors;
}

/** Runs a use case for a form; AppErrors become field errors, anything else is thrown on. */
export async function attempt<T>(
  fn: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; errors: FieldErrors; status: AppError['status'] }> {
  try {
    return { ok: true, value: await fn() };
  } catch (err) {
    if (err instanceof AppError) return { ok: false, errors: appErrorFields(err), status: err.status };
    throw err;
  }
}

/** A refused form on a page with several: which one, what the user typed, and why. */
export interface FailedForm {
  form: string;
  values: Record<string, string>;
  errors: FieldErrors;
}

export const errorsOf = (failed: FailedForm | undefined, form: string): FieldErrors | undefined => (failed?.form === form ? failed.errors : undefined);
export const valuesOf = (failed: FailedForm | undefined, form: string): Record<string, string> => (failed?.form === form ? failed.values : {});

/**
 * zod's messages are for API clients; a form gets plainer words for each field: `blank` when it
 * was left empty, `wrong` otherwise (null: the schema's own message already says what is wrong).
 */
export function readableErrors(
  error: ZodError,
  values: Record<string, string>,
  words: Record<string, { blank: string; wrong: string | null }>,
): FieldErrors {
  const errors = zodFieldErrors(error);
  for (const field of Object.keys(errors)) {
    const w = words[field];
    if (!w) continue;
    if ((values[field] ?? '').trim() === '' && w.blank) errors[field] = w.blank;
    else if (w.wrong !== null) errors[field] = w.wrong;
  }
  return errors;
}
