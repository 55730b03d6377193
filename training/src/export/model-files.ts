/**
 * Saving and loading tfjs layers models as model.json + weight shards in a folder, without tfjs-node
 * (pure tfjs in Node has no file:// handler). Shards are written first and model.json last, each atomically,
 * so a reader never sees a model.json that points at missing or half-written shards.
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync, readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic';
import { encodeWeights, type EncodeOptions, type WeightDtype } from './quantize';

/** The converter's default shard size: small enough for browser caches, large enough to keep requests few. */
export const SHARD_BYTES = 4 * 1024 * 1024;

function toBytes(data: tf.io.WeightData): Uint8Array {
  return new Uint8Array(tf.io.CompositeArrayBuffer.join(data));
}

export interface SavedModelInfo {
  bytes: number;
  files: string[];
}

/** Writes model.json + shards into dir; with dtype float16/uint8/mixed the float32 weights are stored quantized (tfjs dequantizes on load). */
export async function saveModelToDir(model: tf.LayersModel, dir: string, dtype: WeightDtype = 'float32', options: EncodeOptions = {}): Promise<SavedModelInfo> {
  let info: SavedModelInfo = { bytes: 0, files: [] };
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const { specs, bytes } = encodeWeights(artifacts.weightSpecs ?? [], toBytes(artifacts.weightData ?? new ArrayBuffer(0)), dtype, options);
      const count = Math.max(1, Math.ceil(bytes.length / SHARD_BYTES));
      const paths: string[] = [];
      for (let i = 0; i < count; i++) {
        const name = `group1-shard${i + 1}of${count}.bin`;
        writeFileAtomic(join(dir, name), bytes.subarray(i * SHARD_BYTES, (i + 1) * SHARD_BYTES));
        paths.push(name);
      }
      const modelJson = {
        format: 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: 'lgg-training',
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths, weights: specs }],
      };
      writeFileAtomic(join(dir, 'model.json'), JSON.stringify(modelJson));
      // Shards of an earlier, differently sized export would only confuse a reader.
      for (const f of readdirSync(dir)) if (/^group\d+-shard\d+of\d+\.bin$/.test(f) && !paths.includes(f)) unlinkSync(join(dir, f));
      info = { bytes: bytes.length, files: [...paths, 'model.json'] };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: bytes.length } };
    }),
  );
  return info;
}

/** Reads a model.json + shards folder the way the app's http loader would (weights dequantized by tfjs). */
export function modelArtifactsFromDir(dir: string): tf.io.ModelArtifacts {
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
