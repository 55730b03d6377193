/**
 * A fetch for tfjs' model loader that resolves only once the whole body has arrived.
 *
 * Why: tfjs 4.22 (`loadWeightsAsArrayBuffer`) awaits the responses of *all* weight shards before it reads
 * any body. Chromium opens at most 6 HTTP/1.1 connections per host, so with more than 6 shards (the
 * classifier has 9) the 7th request waits for a connection that is held by an unread body. With cacheable
 * responses Chromium's HTTP cache happens to drain the bodies, but a server or proxy that sends
 * `Cache-Control: no-store` turns it into a deadlock: the model never loads (e2e/no-store.spec.ts).
 */
export async function fetchWhole(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const response = await fetch(input, init);
  if (!response.ok) return response;
  const body = await response.arrayBuffer();
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}
