/**
 * Saving and loading tfjs layers models as model.json + weight shards in a folder, without tfjs-node
 * (pure tfjs in Node has no file:// handler). The whole folder is written beside and swapped in (replace-folder.ts):
 * shard names repeat between saves, so files replaced one by one could leave one model.json over two saves' shards.
 */
import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { completeFolder, replaceFolder } from './replace-folder';
import { encodeWeights, type EncodeOptions, type WeightDtype } from './quantize';

/** The converter's default shard size: small enough for browser caches, large enough to keep requests few. */
export const SHARD_BYTES = 4 * 1024 * 1024;

function toBytes(data: tf.io.WeightData): Uint8Array {
  return new Uint8Array(tf.io.CompositeArrayBuffer.join(data));
}

export interface SavedModelInfo {
  bytes: number;
  files: string[];
  /** SHA-256 of the shards' bytes in manifest order (src/core/card.ts `weights.sha256`: what the app checks). */
  sha256: string;
}

/**
 * SHA-256 and size of a saved model's weight shards, read in its model.json's manifest order: the digest its card
 * (`weights.sha256`) and combined.json name it by.
 */
export function shardsDigest(dir: string): { sha256: string; bytes: number } {
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as tf.io.ModelJSON;
  const hash = createHash('sha256');
  let bytes = 0;
  for (const group of json.weightsManifest)
    for (const p of group.paths) {
      const b = readFileSync(join(dir, p));
      bytes += b.length;
      hash.update(b);
    }
  return { sha256: hash.digest('hex'), bytes };
}

/** The files a model save owns; anything else in the folder (reports, curves, eval-test.json) is carried over. */
export function isModelFile(name: string): boolean {
  return name === 'model.json' || name === 'card.json' || /^group\d+-shard\d+of\d+\.bin$/.test(name) || /\.tmp-\d+-/.test(name);
}

/** The folder to read a saved model from: `dir`, or `<dir>.old` after a kill in the middle of its swap. */
export function modelFolder(dir: string): string {
  return completeFolder(dir, 'model.json') ?? dir;
}

/**
 * Writes model.json + shards (and `extraFiles`, e.g. the card that must name these very weights) as a new `dir`;
 * with dtype float16/uint8/mixed the float32 weights are stored quantized (tfjs dequantizes on load).
 */
export async function saveModelToDir(
  model: tf.LayersModel,
  dir: string,
  dtype: WeightDtype = 'float32',
  options: EncodeOptions = {},
  extraFiles?: (info: SavedModelInfo) => Record<string, string>,
): Promise<SavedModelInfo> {
  return replaceFolder(dir, { marker: 'model.json', carry: (e) => !isModelFile(e) }, async (tmp) => {
    const info = await writeModelFiles(model, tmp, dtype, options);
    for (const [name, text] of Object.entries(extraFiles?.(info) ?? {})) writeFileSync(join(tmp, name), text);
    return info;
  });
}

/** model.json + shards into a fresh folder nobody reads yet (so plain writes). */
async function writeModelFiles(model: tf.LayersModel, dir: string, dtype: WeightDtype, options: EncodeOptions): Promise<SavedModelInfo> {
  let info: SavedModelInfo = { bytes: 0, files: [], sha256: '' };
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const { specs, bytes } = encodeWeights(artifacts.weightSpecs ?? [], toBytes(artifacts.weightData ?? new ArrayBuffer(0)), dtype, options);
      const count = Math.max(1, Math.ceil(bytes.length / SHARD_BYTES));
      const paths: string[] = [];
      for (let i = 0; i < count; i++) {
        const name = `group1-shard${i + 1}of${count}.bin`;
        writeFileSync(join(dir, name), bytes.subarray(i * SHARD_BYTES, (i + 1) * SHARD_BYTES));
        paths.push(name);
      }
      const modelJson = {
        format: 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: 'lgg-training',
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths, weights: specs }],
      };
      writeFileSync(join(dir, 'model.json'), JSON.stringify(modelJson));
      info = { bytes: bytes.length, files: [...paths, 'model.json'], sha256: createHash('sha256').update(bytes).digest('hex') };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: bytes.length } };
    }),
  );
  return info;
}

/** Reads a model.json + shards folder the way the app's http loader would (weights dequantized by tfjs). */
export function modelArtifactsFromDir(folder: string): tf.io.ModelArtifacts {
  const dir = modelFolder(folder);
  const jsonPath = join(dir, 'model.json');
  if (!existsSync(jsonPath)) throw new Error(`${jsonPath}: no model.json in this folder`);
  const json = JSON.parse(readFileSync(jsonPath, 'utf8')) as tf.io.ModelJSON;
  const specs: tf.io.WeightsManifestEntry[] = [];
  const buffers: ArrayBuffer[] = [];
  for (const group of json.weightsManifest) {
    specs.push(...group.weights);
    for (const p of group.paths) {
      const b = readFileSync(join(dir, p));
      buffers.push(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
    }
  }
  return {
    modelTopology: json.modelTopology,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    weightSpecs: specs,
    weightData: tf.io.concatenateArrayBuffers(buffers),
  };
}

export async function loadModelFromDir(dir: string): Promise<tf.LayersModel> {
  const artifacts = modelArtifactsFromDir(dir);
  return tf.loadLayersModel({ load: async () => artifacts });
}
