/**
 * Per-kernel self time for one backend: wraps every registered kernel's kernelFunc with a timer. Kernels that
 * call other kernels (ours do) get only their own time; children are counted under their own names.
 * Exact for wasm and cpu, whose kernels run synchronously.
 */
import * as tf from '@tensorflow/tfjs';

export type KernelStat = { kernel: string; calls: number; ms: number };

export type KernelProfile = {
  /** Stats since start (or the last reset), slowest first. */
  stats(): KernelStat[];
  reset(): void;
  /** Puts the unwrapped kernels back. */
  stop(): void;
};

export function profileKernels(backendName: string): KernelProfile {
  const totals = new Map<string, KernelStat>();
  const childTime: number[] = [];
  const originals = tf.getKernelsForBackend(backendName).map((config) => ({ ...config }));
  for (const config of originals) {
    const inner = config.kernelFunc;
    tf.unregisterKernel(config.kernelName, backendName);
    tf.registerKernel({
      ...config,
      kernelFunc: (args) => {
        childTime.push(0);
        const start = performance.now();
        try {
          return inner(args);
        } finally {
          const elapsed = performance.now() - start;
          const self = elapsed - childTime.pop()!;
          if (childTime.length) childTime[childTime.length - 1] += elapsed;
          const stat = totals.get(config.kernelName) ?? { kernel: config.kernelName, calls: 0, ms: 0 };
          stat.calls++;
          stat.ms += self;
          totals.set(config.kernelName, stat);
        }
      },
    });
  }
  return {
    stats: () => [...totals.values()].sort((a, b) => b.ms - a.ms),
    reset: () => totals.clear(),
    stop: () => {
      for (const config of originals) {
        tf.unregisterKernel(config.kernelName, backendName);
        tf.registerKernel(config);
      }
    },
  };
}

/** A Markdown table of the slowest kernels with their share of the total. */
export function formatProfile(stats: KernelStat[], steps: number, top = 15): string {
  const total = stats.reduce((sum, s) => sum + s.ms, 0);
  const rows = stats.slice(0, top).map((s) =>
    `| ${s.kernel} | ${(s.calls / steps).toFixed(0)} | ${(s.ms / steps).toFixed(0)} | ${((100 * s.ms) / total).toFixed(1)}% |`);
  return ['| kernel | calls/step | ms/step | share |', '|---|---:|---:|---:|', ...rows,
    `| (all kernels) | | ${(total / steps).toFixed(0)} | 100% |`].join('\n');
}
