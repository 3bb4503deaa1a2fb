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

/**
 * A list page's `offset` from its query string: up to nine digits, else the first page. (A number
 * past 2^63 reached SQLite as a REAL and failed the query.)
 */
export function pageOffset(value: string | undefined): number {
  const text = (value ?? '').trim();
  return /^\d{1,9}$/.test(text) ? Number(text) : 0;
}

/**
 * 上一页 / 第 a–b 条 / 下一页 under a list; nothing when everything fits on the first page.
 * `href` gives the address of the page starting at an offset. A page past the end says so and
 * links back to the first.
 */
export function Pager(props: { offset: number; shown: number; pageSize: number; hasNext: boolean; href: (offset: number) => string }) {
  const { offset, shown, pageSize, hasNext, href } = props;
  if (offset === 0 && !hasNext) return null;
  if (shown === 0) {
    return (
      <nav class="pager" aria-label="分页">
        <span class="muted">第 {offset} 条之后没有记录</span>
        <a href={href(0)}>回到第一页</a>
      </nav>
    );
  }
  return (
    <nav class="pager" aria-label="分页">
      {offset > 0 && (
        <a href={href(Math.max(0, offset - pageSize))} rel="prev">
          上一页
        </a>
      )}
      <span class="muted">
        第 {offset + 1}–{offset + shown} 条
      </span>
      {hasNext && (
        <a href={href(offset + pageSize)} rel="next">
          下一页
        </a>
      )}
    </nav>
  );
}

/**
 * The version of the record a form edits (its updatedAt, as ms), sent back with the form: if
 * someone has changed the record meanwhile, the change is refused rather than written over theirs.
 */
export function VersionField(props: { updatedAt: string }) {
  return <input type="hidden" name="version" value={String(Date.parse(props.updatedAt))} />;
}
