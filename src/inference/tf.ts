/**
 * The part of TensorFlow.js the app runs: tfjs-core and tfjs-layers. Not the `@tensorflow/tfjs` bundle, which also
 * brings the converter, tfjs-data and eagerly registered WebGL and CPU backends: all parsed and run at every worker
 * start for nothing. Backends are imported where they are chosen (backend.ts).
 */
export * from '@tensorflow/tfjs-core';
export * from '@tensorflow/tfjs-layers';
