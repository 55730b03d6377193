export {};
/**
 * Entry of the self-contained GPU bench (`bash bench/gpu/bundle.sh`): bench/node.ts with the tfjs WebGPU backend
 * bundled in (one tfjs instance, as training/src/cli/train-gpu.ts); tfjs-backend-wasm is replaced by an empty
 * module (wasm-stub.ts), Dawn (npm `webgpu`) stays external and is carried beside the bundle.
 * Run as `node .gpu-bench/bench-node.mjs --backends webgpu --no-torch ...` with the flags of `npm run bench:node`.
 */
// Imported lazily by the backend ladder once navigator.gpu is set (the backend registers itself only then).
(globalThis as { __lggImportWebGpuBackend?: () => Promise<unknown> }).__lggImportWebGpuBackend = () => import('@tensorflow/tfjs-backend-webgpu');
await import('../node');
