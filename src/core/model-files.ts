/**
 * The models folder's layout, the same wherever it is read: the app's `<base>models/` (src/inference/factory.ts),
 * training's `--models` (public/models by default), the benchmarks and the end-to-end tests.
 * One folder per model slot (model.json, shards, card.json), and the combined probability's weights beside them.
 */
export const MODEL_FOLDERS = { classifier: 'classifier', segmenter: 'segmenter', segmenter2: 'segmenter-2' } as const;

/** The combined probability's weights (src/core/combined.ts), beside the model folders. */
export const COMBINED_FILE = 'combined.json';
