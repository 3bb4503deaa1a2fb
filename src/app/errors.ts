import { isGuardFailure } from '../db/guard.js';
import { beijingMinute } from '../domain/notifications/messages.js';
/** A failure the caller can act on; the HTTP layer maps it to `{"error":{code,message}}`. */
export class AppError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 412 | 422 | 429,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const notFound = (what: string, id: number | string) =>
  new AppError(404, 'not_found', `${what} ${id} 不存在`);

export const invalidField = (field: string, message: string) =>
  new AppError(400, 'invalid_input', `${field}: ${message}`);

/** 412: the client's version (If-Match, a form's hidden field) is no longer the stored one. */
export const modifiedSince = (what: string, id: number, updatedAt: number) =>
  new AppError(
    412,
    'modified_since_read',
    `${what} ${id} 在您读取之后已被修改（最后修改于 ${beijingMinute(updatedAt)}，北京时间）：请核对最新内容后再提交`,
  );

/** 409: another change went in between this request's read and its write. */
export const changedMeanwhile = (what: string, id: number) => new AppError(409, 'changed_meanwhile', `${what} ${id} 刚刚已被他人修改，请重新读取后再试`);

/** Tries of a guarded change while others keep getting in first (on Workers each statement is a round trip to D1: four edits of one record at once needed four). */
const RETRIES_ON_CHANGE = 10;

/**
 * Runs a guarded read-change-write (`once`, whose batch fails a guard when the row changed after
 * its read) again while another change keeps coming in between, at most RETRIES_ON_CHANGE times.
 * With `ifVersion`, `stale` answers 412 if the record itself is no longer at the client's version;
 * when it still is (the guard that failed was another's: the calendar a due date was computed
 * from), the change is tried again.
 */
export async function retriedOnChange<T>(once: () => Promise<T>, busy: () => AppError, ifVersion?: readonly number[], stale?: () => Promise<void>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await once();
    } catch (err) {
      if (!isGuardFailure(err)) throw err;
      if (ifVersion && stale) await stale();
      if (attempt >= RETRIES_ON_CHANGE) throw busy();
    }
  }
}
