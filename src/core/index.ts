/** The project's pure core: no DOM, no React, no tfjs. Imported by the app and by training/. */
export * from './constants';
export * from './image';
export * from './preprocess';
export * from './thresholds';
export * from './mask';
export * from './metrics';
export * from './resize';
export * from './slices';
export * from './card';
export * from './combined';
