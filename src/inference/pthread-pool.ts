/**
 * Fewer pthread workers at start. The emscripten glue of tfjs 4.22's threaded wasm starts a pool of 8 pthread
 * workers (`pthreadPoolSize=8`) and waits until every one has loaded the module before the backend is ready, whatever
 * thread count is asked for; XNNPACK then runs on `threads - 1` of them. On a 2-core machine the 6 or 7 idle workers
 * (each a V8 isolate that loads the glue and instantiates the module) cost about a second of CPU in the middle of the
 * app's start.
 *
 * The workers past the first `keep` become stand-ins: they answer the glue's 'load' at once and turn into a real
 * worker, loaded the same way, only if a thread is ever started on one. The glue hands out pool workers from the
 * end of its list (`pop()`), so the real workers are constructed last and are the ones XNNPACK gets: pthreadpool
 * blocks its caller until its threads start, which a stand-in could only do after a message the blocked caller
 * cannot receive.
 */

type WorkerConstructor = new (url: string | URL, options?: WorkerOptions) => Worker;

/** The pool size in the glue's text (`var pthreadPoolSize=8`); null when the glue does not say (then nothing is replaced). */
export function glueThreadPoolSize(glue: string): number | null {
  const m = /pthreadPoolSize\s*=\s*(\d+)/.exec(glue);
  return m ? Number(m[1]) : null;
}

/** A pool worker that exists only on paper until a thread is started on it. */
export class StandInWorker {
  onmessage: ((event: MessageEvent) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  private real: Worker | null = null;
  private realLoaded = false;
  private loadMessage: unknown = null;
  private waiting: [unknown, Transferable[] | undefined][] = [];
  private terminated = false;

  constructor(
    private readonly url: string | URL,
    private readonly options: WorkerOptions | undefined,
    private readonly NativeWorker: WorkerConstructor,
  ) {}

  postMessage(message: unknown, transfer?: Transferable[]): void {
    if (this.terminated) return;
    if (!this.real && (message as { cmd?: string } | null)?.cmd === 'load') {
      this.loadMessage = message;
      setTimeout(() => this.onmessage?.({ data: { cmd: 'loaded' } } as MessageEvent), 0);
      return;
    }
    if (!this.real) this.start();
    if (this.realLoaded) this.real!.postMessage(message, transfer ?? []);
    else this.waiting.push([message, transfer]);
  }

  terminate(): void {
    this.terminated = true;
    this.real?.terminate();
  }

  /** Becomes a real worker: the stored 'load' first, the waiting messages once it has loaded (its 'loaded' was already given). */
  private start(): void {
    const real = new this.NativeWorker(this.url, this.options);
    real.onmessage = (event) => {
      if (!this.realLoaded && (event.data as { cmd?: string } | null)?.cmd === 'loaded') {
        this.realLoaded = true;
        for (const [message, transfer] of this.waiting) real.postMessage(message, transfer ?? []);
        this.waiting = [];
        return;
      }
      this.onmessage?.(event);
    };
    real.onerror = (event) => this.onerror?.(event);
    real.postMessage(this.loadMessage);
    this.real = real;
  }
}

/**
 * A Worker constructor for the glue's pool: of `poolSize` workers, the first `poolSize - keep` are stand-ins and the
 * last `keep` real. Workers constructed beyond the pool (the glue grows it on demand) are real.
 */
export function poolWorkerConstructor(NativeWorker: WorkerConstructor, poolSize: number, keep: number): WorkerConstructor {
  let constructed = 0;
  const standIns = Math.max(0, poolSize - keep);
  return class PoolWorker {
    constructor(url: string | URL, options?: WorkerOptions) {
      constructed++;
      return (constructed <= standIns ? new StandInWorker(url, options, NativeWorker) : new NativeWorker(url, options)) as unknown as PoolWorker;
    }
  } as unknown as WorkerConstructor;
}
