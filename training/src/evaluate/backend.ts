/**
 * The inference backend for evaluation, chosen the way the app would: wasm (SIMD) first, cpu as the fallback.
 * TODO(h1b): use training/src/backend's ladder once it exists (tfjs-node-gpu / tfjs-node where installed).
 */
import * as tf from '@tensorflow/tfjs';

export const EVALUATION_BACKENDS = ['wasm', 'cpu'] as const;

export interface ChosenBackend {
  name: string;
  reason: string;
}

async function tryBackend(name: string): Promise<boolean> {
  try {
    if (name === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
    // setBackend can resolve false and leave a broken backend named (platform notes): trust only `true`.
    return (await tf.setBackend(name)) && tf.getBackend() === name;
  } catch {
    return false;
  }
}

export async function chooseBackend(requested?: string): Promise<ChosenBackend> {
  if (requested) {
    if (!(await tryBackend(requested))) throw new Error(`backend "${requested}" could not be initialised (try one of ${EVALUATION_BACKENDS.join(', ')})`);
    return { name: requested, reason: 'requested with --backend' };
  }
  if (await tryBackend('wasm')) {
    const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT') ? 'SIMD' : 'no SIMD';
    const threads = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') ? 'multi-threaded' : 'single thread';
    return { name: 'wasm', reason: `fastest portable backend in Node without tfjs-node (${simd}, ${threads})` };
  }
  await tf.setBackend('cpu');
  return { name: 'cpu', reason: 'wasm could not be initialised; the plain JS backend is slow but always works' };
}
