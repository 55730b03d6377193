// Registers native kernels over whatever the wasm backend has (stock or the portable training kernels),
// keeping the previous kernel so unsupported cases fall back to it and so they can be restored.
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';

export const NATIVE_BACKEND = 'wasm';

type KernelArgs = Parameters<KernelFunc>[0];
/** A native kernel gets the previous kernel (may be undefined) to delegate cases it does not handle. */
export type NativeKernelFunc = (args: KernelArgs, previous: KernelFunc | undefined) => TensorInfo | TensorInfo[];

const replaced = new Map<string, KernelConfig | undefined>();

// How many times each native kernel handed a call to the kernel underneath (delegate()), by kernel name:
// lets tests tell a native kernel that ran from one that silently fell back (the results agree either way).
const delegations = new Map<string, number>();

/** Calls each native kernel has delegated to the previous kernel since the last resetDelegationCounts(). */
export function delegationCount(kernelName: string): number {
  return delegations.get(kernelName) ?? 0;
}

export function resetDelegationCounts(): void {
  delegations.clear();
}

export function overrideKernel(kernelName: string, func: NativeKernelFunc): void {
  const current = tf.getKernel(kernelName, NATIVE_BACKEND);
  const previous = replaced.has(kernelName) ? replaced.get(kernelName) : current;
  if (current) tf.unregisterKernel(kernelName, NATIVE_BACKEND);
  replaced.set(kernelName, previous);
  const previousKernel = previous?.kernelFunc;
  const previousFunc: KernelFunc | undefined = previousKernel && ((args) => {
    delegations.set(kernelName, delegationCount(kernelName) + 1);
    return previousKernel(args);
  });
  tf.registerKernel({
    kernelName,
    backendName: NATIVE_BACKEND,
    kernelFunc: (args) => func(args, previousFunc),
    // The wasm kernel we delegate to binds its wasm function in setupFunc, which tfjs runs for the kernel
    // registered under this name when the backend initialises: keep it, or delegation breaks when these are
    // registered before setBackend('wasm') (as the backend ladder does).
    setupFunc: previous?.setupFunc,
    disposeFunc: previous?.disposeFunc,
  });
}

/** Puts back the kernels that were there before the native ones (for tests and A/B profiles). */
export function restoreKernels(): void {
  for (const [kernelName, previous] of replaced) {
    tf.unregisterKernel(kernelName, NATIVE_BACKEND);
    if (previous) tf.registerKernel(previous);
  }
  replaced.clear();
}

export function nativeKernelNames(): string[] {
  return [...replaced.keys()];
}

export function delegate(previous: KernelFunc | undefined, args: KernelArgs, why: string) {
  if (!previous) throw new Error(`native ${why}, and no other ${NATIVE_BACKEND} kernel is registered`);
  return previous(args);
}

export type Attrs = NamedAttrMap;
