export {};
/**
 * Entry for a self-contained GPU build (`bash training/gpu-bundle.sh`): the tfjs WebGPU backend is bundled with
 * the trainer so both use one tfjs instance; Dawn (npm `webgpu`) stays external and is carried beside it.
 * Run as `node train-gpu.mjs --backend webgpu ...` with the same flags as `npm run train`.
 */
// Imported lazily by the backend ladder once navigator.gpu is set (the backend registers itself only then).
(globalThis as { __lggImportWebGpuBackend?: () => Promise<unknown> }).__lggImportWebGpuBackend = () => import('@tensorflow/tfjs-backend-webgpu');
await import('./train');
