// fetchWhole reads each body whole before it resolves (the no-store deadlock, see its comment) and counts it piece by
// piece on the way, for the download progress in bytes.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DownloadError, fetchWhole } from './fetch-whole';

const URL_ = 'http://app.test/models/classifier/group1-shard1of3.bin?v=0123';

/** A response whose body arrives in `pieces`, then fails when `failAfter` is set. */
function streamed(pieces: number[][], failAfter = false): Response {
  let next = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (next < pieces.length) controller.enqueue(new Uint8Array(pieces[next++]));
      else if (failAfter) controller.error(new TypeError('network error'));
      else controller.close();
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'application/octet-stream' } });
}

afterEach(() => vi.unstubAllGlobals());

describe('fetchWhole', () => {
  it('reports each piece of the body as it arrives, and resolves with the whole body', async () => {
    vi.stubGlobal('fetch', async () => streamed([[1, 2, 3], [4], [5, 6]]));
    const pieces: number[] = [];
    const response = await fetchWhole(URL_, undefined, (n) => pieces.push(n));
    expect(pieces).toEqual([3, 1, 2]); // all counted before it resolved
    expect([...new Uint8Array(await response.arrayBuffer())]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
  });

  it('counts a body without a stream once, when it is all in', async () => {
    const bytes = new Uint8Array([9, 8, 7, 6]).buffer;
    vi.stubGlobal('fetch', async () => ({ ok: true, status: 200, statusText: 'OK', headers: new Headers(), body: null, arrayBuffer: async () => bytes }));
    const pieces: number[] = [];
    const response = await fetchWhole(URL_, undefined, (n) => pieces.push(n));
    expect(pieces).toEqual([4]);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(new Uint8Array([9, 8, 7, 6]));
  });

  it('works without a counter', async () => {
    vi.stubGlobal('fetch', async () => streamed([[1, 2], [3]]));
    expect(new Uint8Array(await (await fetchWhole(URL_)).arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
  });

  it('names the file that stopped arriving midway, as a download error', async () => {
    vi.stubGlobal('fetch', async () => streamed([[1, 2]], true));
    const pieces: number[] = [];
    const failed = fetchWhole(URL_, undefined, (n) => pieces.push(n));
    await expect(failed).rejects.toThrow(DownloadError);
    await expect(failed).rejects.toThrow('models/classifier/group1-shard1of3.bin did not arrive: network error');
    expect(pieces).toEqual([2]);
  });

  it('says an HTTP error as what it is, without reading its body', async () => {
    vi.stubGlobal('fetch', async () => new Response('gone', { status: 404 }));
    const onBytes = vi.fn();
    await expect(fetchWhole(URL_, undefined, onBytes)).rejects.toThrow('models/classifier/group1-shard1of3.bin: the server answered HTTP 404');
    expect(onBytes).not.toHaveBeenCalled();
  });
});
