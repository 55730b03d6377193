// Emscripten's pthread worker for tfjs' threaded wasm build, runnable by Node's worker_threads.
// tfjs ships the worker only as a string (module.exports.wasmWorkerContents, with its "\n" escapes unescaped);
// the factory script it evaluates ends with `module.exports...`, so a global `module` must exist for it.
globalThis.module = { exports: {} };
globalThis.exports = globalThis.module.exports;
const { wasmWorkerContents } = require('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js');
new Function('require', '__filename', wasmWorkerContents.replace(/\n/g, '\\n'))(require, __filename);
