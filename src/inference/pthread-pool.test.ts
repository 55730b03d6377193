import { describe, expect, it } from 'vitest';
import glue from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js?raw';
import { StandInWorker, glueThreadPoolSize, poolWorkerConstructor } from './pthread-pool';

/** Records what the glue would post to a real worker and lets the test answer as the worker would. */
class FakeWorker {
  static created: FakeWorker[] = [];
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onerror: ((e: unknown) => void) | null = null;
  posted: unknown[] = [];
  terminated = false;
  constructor(readonly url: string) {
    FakeWorker.created.push(this);
  }
  postMessage(m: unknown) {
    this.posted.push(m);
  }
  terminate() {
    this.terminated = true;
  }
  reply(data: unknown) {
    this.onmessage?.({ data });
  }
}
const Native = FakeWorker as unknown as new (url: string | URL) => Worker;
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('the glue pthread pool', () => {
  it('tfjs 4.22 starts 8 pthread workers whatever thread count is asked for (what pthread-pool.ts trims)', () => {
    expect(glueThreadPoolSize(glue)).toBe(8);
    expect(glueThreadPoolSize('no pool here')).toBeNull();
  });

  it('makes the first workers of the pool stand-ins and the last `keep` real, since the glue pops from the end', () => {
    FakeWorker.created = [];
    const Pool = poolWorkerConstructor(Native, 8, 2);
    const made = Array.from({ length: 9 }, (_, i) => new Pool(`blob:${i}`));
    expect(made.slice(0, 6).every((w) => w instanceof StandInWorker)).toBe(true);
    expect(made.slice(6).every((w) => w instanceof FakeWorker)).toBe(true); // the two kept, and one grown on demand
    expect(FakeWorker.created.map((w) => w.url)).toEqual(['blob:6', 'blob:7', 'blob:8']);
  });
});

describe('StandInWorker', () => {
  const load = { cmd: 'load', wasmModule: 'module', wasmMemory: 'memory', handlers: [] };

  /** A stand-in the glue has sent 'load' to, and what it told the glue since. */
  async function loadedStandIn() {
    FakeWorker.created = [];
    const w = new StandInWorker('blob:x', undefined, Native);
    const seen: unknown[] = [];
    w.onmessage = (e) => seen.push(e.data);
    w.postMessage(load);
    await tick();
    return { w, seen };
  }

  it("answers 'load' at once without starting a worker", async () => {
    const { w, seen } = await loadedStandIn();
    expect(seen).toEqual([{ cmd: 'loaded' }]);
    expect(FakeWorker.created).toHaveLength(0);
    w.terminate();
    w.postMessage({ cmd: 'run' });
    expect(FakeWorker.created).toHaveLength(0); // terminated before use: never started
  });

  it("starts a real worker on first use: 'load' first, the rest once it has loaded; its 'loaded' is not repeated", async () => {
    const { w, seen } = await loadedStandIn();
    w.postMessage({ cmd: 'run', pthread_ptr: 1 });
    w.postMessage({ cmd: 'processProxyingQueue', queue: 2 });
    const [real] = FakeWorker.created;
    expect(real.url).toBe('blob:x');
    expect(real.posted).toEqual([load]); // nothing else before the module is in
    real.reply({ cmd: 'loaded' });
    expect(real.posted).toEqual([load, { cmd: 'run', pthread_ptr: 1 }, { cmd: 'processProxyingQueue', queue: 2 }]);
    real.reply({ cmd: 'print', text: 'hi' });
    expect(seen).toEqual([{ cmd: 'loaded' }, { cmd: 'print', text: 'hi' }]);
    w.postMessage({ cmd: 'cancel' });
    expect(real.posted.at(-1)).toEqual({ cmd: 'cancel' });
    w.terminate();
    expect(real.terminated).toBe(true);
  });
});
