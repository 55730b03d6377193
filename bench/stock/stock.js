// Stock tfjs: setBackend, loadLayersModel, predict + data(). Only what a tfjs tutorial would write.
/* global tf */
const models = {};
window.stockBench = {
  async load(backend) {
    tf.wasm.setWasmPaths('/vendor/');
    // Stock 4.22 crashed Chromium here while probing threaded wasm (platform.md). The app sets this flag as well
    // (src/inference/backend.ts): false on a page that is not cross-origin isolated, as this one is not (served
    // without isolation headers), and true, with threads, on one that is.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    const ok = await tf.setBackend(backend);
    if (!ok) throw new Error(`setBackend(${backend}) failed`);
    await tf.ready();
    const t0 = performance.now();
    const [classifier, segmenter] = await Promise.all([
      tf.loadLayersModel('/models/classifier/model.json'),
      tf.loadLayersModel('/models/segmenter/model.json'),
    ]);
    Object.assign(models, { classifier, segmenter });
    return { backend: tf.getBackend(), loadMs: performance.now() - t0 };
  },
  /** One prediction of one model on a 256x256 RGB slice (bytes); milliseconds. */
  async run(model, width, height, bytes) {
    const t0 = performance.now();
    const x = tf.tidy(() => tf.tensor3d(Uint8Array.from(bytes), [height, width, 3], 'int32').toFloat().div(255).expandDims(0));
    const y = models[model].predict(x);
    await y.data();
    x.dispose();
    y.dispose();
    return performance.now() - t0;
  },
  memory: () => tf.memory(),
};
