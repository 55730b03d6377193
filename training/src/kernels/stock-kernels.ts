/**
 * Replaces a registered kernel and remembers the stock one, so tests can show the stock bug and
 * kernels can fall back to stock code for cases they do not handle.
 */
import * as tf from '@tensorflow/tfjs';

const stock = new Map<string, tf.KernelConfig | null>();
const key = (kernelName: string, backendName: string) => `${backendName}/${kernelName}`;

export function replaceKernel(config: tf.KernelConfig): void {
  const id = key(config.kernelName, config.backendName);
  const current = tf.getKernel(config.kernelName, config.backendName);
  if (!stock.has(id)) stock.set(id, current ? { ...current } : null);
  if (current) tf.unregisterKernel(config.kernelName, config.backendName);
  // The engine runs setupFunc only for kernels registered when a backend starts: carry the stock one along so
  // the stock kernel still works for fallbacks and for tests that swap it back in.
  const original = stock.get(id);
  tf.registerKernel({ ...config, setupFunc: config.setupFunc ?? original?.setupFunc });
}

/** The kernel tfjs shipped (null: none shipped), or undefined when we never replaced it. */
export function stockKernel(kernelName: string, backendName: string): tf.KernelConfig | null | undefined {
  const id = key(kernelName, backendName);
  return stock.has(id) ? stock.get(id)! : tf.getKernel(kernelName, backendName) ?? null;
}

/** Runs `fn` with the stock kernel registered (or none, if tfjs shipped none), then puts back what was there. */
export function withStockKernel<T>(kernelName: string, backendName: string, fn: () => T): T {
  const current = tf.getKernel(kernelName, backendName);
  const original = stockKernel(kernelName, backendName);
  const swap = (to: tf.KernelConfig | null | undefined) => {
    if (tf.getKernel(kernelName, backendName)) tf.unregisterKernel(kernelName, backendName);
    if (to) tf.registerKernel(to);
  };
  swap(original);
  try {
    return fn();
  } finally {
    swap(current ? { ...current } : null);
  }
}
