/** A failure the caller can act on; the HTTP layer maps it to `{"error":{code,message}}`. */
export class AppError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 422 | 429,
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
