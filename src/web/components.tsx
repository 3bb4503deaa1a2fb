import type { FieldErrors } from './forms.js';
import { SHANGHAI_OFFSET_MS } from '../domain/time.js';

/** The error for one field, shown next to it. */
export function FieldError(props: { errors?: FieldErrors; name: string }) {
  const message = props.errors?.[props.name];
  return message ? <span class="field-error" data-field={props.name}>{message}</span> : null;
}

/** Errors that belong to no single field, above the form. */
export function FormError(props: { errors?: FieldErrors }) {
  const message = props.errors?._form;
  return message ? (
    <p class="notice" role="alert">
      {message}
    </p>
  ) : null;
}

/** 'YYYY-MM-DD HH:mm' in Beijing time, for people. */
export function beijing(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(Date.parse(iso) + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}
