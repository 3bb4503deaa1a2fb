import type { IncomingMessage } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';

/**
 * An answer given before the request body was read to its end (a 413 over the body cap, a 401 or
 * 404 to a large upload) says `Connection: close`. The Node adapter drains such a body only for a
 * moment and then destroys the socket, so a keep-alive promise would send the client's next
 * request on that connection into a reset; with `close` the client opens a new one.
 */
export function closeIfBodyUnread(response: Response, incoming: IncomingMessage | Http2ServerRequest): Response {
  // (HTTP/2 has no Connection header: a stream ends on its own.)
  if (incoming.httpVersionMajor !== 1 || incoming.readableEnded || !hasBody(incoming)) return response;
  const headers = new Headers(response.headers);
  headers.set('Connection', 'close');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

function hasBody(incoming: IncomingMessage | Http2ServerRequest): boolean {
  const length = incoming.headers['content-length'];
  return incoming.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
