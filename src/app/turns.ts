/**
 * One turn of the event loop, where there is one to give (Node's setImmediate): long work split
 * into chunks awaits it between them, so that other requests are served meanwhile rather than
 * after it (see runtime/node/read-turns.ts). On Workers each request has its own isolate turn:
 * nothing to give.
 */
export const nextTurn: () => Promise<void> =
  typeof setImmediate === 'function' ? () => new Promise((resolve) => setImmediate(resolve)) : () => Promise.resolve();
