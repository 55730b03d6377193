/**
 * A fetch for tfjs' model loader that resolves only once the whole body has arrived.
 *
 * Why: tfjs 4.22 (`loadWeightsAsArrayBuffer`) awaits the responses of *all* weight shards before it reads
 * any body. Chromium opens at most 6 HTTP/1.1 connections per host, so with more than 6 shards (the
 * classifier has 9) the 7th request waits for a connection that is held by an unread body. With cacheable
 * responses Chromium's HTTP cache happens to drain the bodies, but a server or proxy that sends
 * `Cache-Control: no-store` turns it into a deadlock: the model never loads (e2e/no-store.spec.ts).
 *
 * `onBytes` hears of each piece of the body as it arrives (its length), so a download can be shown in bytes
 * instead of in files: tfjs' own progress moves only when a whole shard is in.
 */
export async function fetchWhole(input: RequestInfo | URL, init?: RequestInit, onBytes?: (bytes: number) => void): Promise<Response> {
  const file = fileOf(input);
  // The browser's own words ("Failed to fetch") name neither the file nor a way out.
  const arrived = async <T>(step: Promise<T>): Promise<T> => {
    try {
      return await step;
    } catch (e) {
      throw new DownloadError(`${file} did not arrive: ${(e as Error).message}`);
    }
  };
  const response = await arrived(fetch(input, init));
  // An answer that is not the file (404, 500) is not a connection problem: said as what it is.
  if (!response.ok) throw new Error(`${file}: the server answered HTTP ${response.status}`);
  const body = await arrived(readBody(response, onBytes));
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/** The whole body, counted piece by piece as it arrives; a body without a stream counts once, at its end. */
async function readBody(response: Response, onBytes: (bytes: number) => void = () => {}): Promise<ArrayBuffer> {
  if (!response.body) {
    const whole = await response.arrayBuffer();
    onBytes(whole.byteLength);
    return whole;
  }
  const reader = response.body.getReader();
  const pieces: Uint8Array[] = [];
  let length = 0;
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    pieces.push(next.value);
    length += next.value.byteLength;
    onBytes(next.value.byteLength);
  }
  const whole = new Uint8Array(length);
  let at = 0;
  for (const piece of pieces) {
    whole.set(piece, at);
    at += piece.byteLength;
  }
  return whole.buffer;
}

/** A file that did not arrive at all (no connection, server gone): worth trying again, unlike a damaged file. */
export class DownloadError extends Error {
  override name = 'DownloadError';
}

/** "models/classifier/group1-shard2of9.bin": the file asked for, from the app's root, without the version query. */
function fileOf(input: RequestInfo | URL): string {
  const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  const url = new URL(href, globalThis.location?.href ?? 'http://localhost/');
  return url.pathname.replace(/^\//, '');
}
