// Per-kernel wall time on a backend: wraps every registered kernel with a timer (wasm and native kernels
// are synchronous, so wall time around kernelFunc is the kernel's time).
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig } from '@tensorflow/tfjs';

export interface KernelTimes { [kernel: string]: { ms: number; calls: number } }

export class KernelTimer {
  readonly times: KernelTimes = {};
  private originals: KernelConfig[] = [];

  constructor(private readonly backendName: string) {}

  start(): void {
    this.originals = tf.getKernelsForBackend(this.backendName);
    for (const config of this.originals) {
      const { kernelName, kernelFunc } = config;
      tf.unregisterKernel(kernelName, this.backendName);
      tf.registerKernel({
        ...config,
        kernelFunc: (args) => {
          const t0 = performance.now();
          const out = kernelFunc(args);
          const entry = (this.times[kernelName] ??= { ms: 0, calls: 0 });
          entry.ms += performance.now() - t0;
          entry.calls++;
          return out;
        },
      });
    }
  }

  stop(): void {
    for (const config of this.originals) {
      tf.unregisterKernel(config.kernelName, this.backendName);
      tf.registerKernel(config);
    }
    this.originals = [];
  }

  reset(): void {
    for (const k of Object.keys(this.times)) delete this.times[k];
  }

  /** Lines "kernel  ms  calls  share", heaviest first. */
  table(totalMs: number, top = 25): string {
    const rows = Object.entries(this.times).sort((a, b) => b[1].ms - a[1].ms).slice(0, top);
    const sum = Object.values(this.times).reduce((s, t) => s + t.ms, 0);
    const lines = rows.map(([k, t]) =>
      `${k.padEnd(28)} ${t.ms.toFixed(1).padStart(9)} ms ${String(t.calls).padStart(6)} calls ${((100 * t.ms) / totalMs).toFixed(1).padStart(5)}%`);
    lines.push(`${'(all kernels)'.padEnd(28)} ${sum.toFixed(1).padStart(9)} ms of ${totalMs.toFixed(1)} ms step wall time`);
    return lines.join('\n');
  }
}
