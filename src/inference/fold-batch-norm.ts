/**
 * A load-time rewrite of a layers model for inference (the shipped files stay the notebook's exact architecture):
 * - each BatchNormalization whose input is a Conv2D used by nothing else is folded into that conv's kernel and
 *   bias (BN at inference is a per-channel affine map, so conv-then-BN is one conv);
 * - each ReLU that directly follows such a linear conv, or follows a MaxPooling2D that directly follows one,
 *   becomes the conv's fused activation (relu and max commute).
 * Exact up to float rounding; each fold removes a whole pass over a feature map, and each fused ReLU another.
 * BNs after a ReLU (the ResUNet's first stage, the classifier's dense head) are left as they are.
 */
import * as tf from './tf';

type InboundRef = [string, number, number, Record<string, unknown>?];
interface LayerJson {
  name: string;
  class_name: string;
  config: Record<string, unknown>;
  inbound_nodes: InboundRef[][];
}
interface Topology {
  config: { layers: LayerJson[]; output_layers: [string, number, number][] };
}

export interface FoldSummary {
  foldedBatchNorms: number;
  fusedRelus: number;
  /** Parameters of the model as stored (before folding), which is what its card and report name. */
  storedParams: number;
}

/** One weight as stored: its manifest entry and its bytes (quantized weights stay quantized unless folded). */
interface StoredWeight {
  spec: tf.io.WeightsManifestEntry;
  bytes: Uint8Array;
}
type Weights = Map<string, StoredWeight>;

/** Names of the layers that read each layer's output; a model output counts as a reader of its own. */
function readersOf(topology: Topology): Map<string, string[]> {
  const readers = new Map<string, string[]>();
  const add = (from: string, to: string) => readers.set(from, [...(readers.get(from) ?? []), to]);
  for (const layer of topology.config.layers) for (const node of layer.inbound_nodes) for (const [from] of node) add(from, layer.name);
  for (const [name] of topology.config.output_layers) add(name, '<model output>');
  return readers;
}

/** The single layer feeding `layer`, or null when it has several inputs or is called more than once. */
function soleInput(layer: LayerJson): string | null {
  return layer.inbound_nodes.length === 1 && layer.inbound_nodes[0].length === 1 ? layer.inbound_nodes[0][0][0] : null;
}

function removeLayer(topology: Topology, removed: LayerJson, replacement: string): void {
  const c = topology.config;
  c.layers = c.layers.filter((l) => l !== removed);
  for (const layer of c.layers) for (const node of layer.inbound_nodes) for (const ref of node) if (ref[0] === removed.name) ref[0] = replacement;
  for (const ref of c.output_layers) if (ref[0] === removed.name) ref[0] = replacement;
}

const isLinearConv = (l: LayerJson | undefined): l is LayerJson =>
  l?.class_name === 'Conv2D' && (l.config.activation ?? 'linear') === 'linear' && (l.config.data_format ?? 'channels_last') === 'channels_last';

async function foldInto(conv: LayerJson, bn: LayerJson, weights: Weights): Promise<void> {
  const get = (n: string) => readFloat(weights.get(`${bn.name}/${n}`));
  const kernelSpec = weights.get(`${conv.name}/kernel`)?.spec;
  const [kernel, bias, mean, variance, gamma, beta] = await Promise.all([
    readFloat(weights.get(`${conv.name}/kernel`)),
    readFloat(weights.get(`${conv.name}/bias`)),
    get('moving_mean'),
    get('moving_variance'),
    get('gamma'),
    get('beta'),
  ]);
  if (!kernelSpec || !kernel || !mean || !variance) throw new Error(`cannot fold ${bn.name} into ${conv.name}: weights missing`);
  const out = mean.length;
  const eps = Number(bn.config.epsilon ?? 1e-3);
  const scale = new Float32Array(out);
  const newBias = new Float32Array(out);
  for (let o = 0; o < out; o++) {
    scale[o] = (gamma ? gamma[o] : 1) / Math.sqrt(variance[o] + eps);
    newBias[o] = ((bias ? bias[o] : 0) - mean[o]) * scale[o] + (beta ? beta[o] : 0);
  }
  // HWIO kernel: the output channel is the fastest-moving index.
  for (let i = 0; i < kernel.length; i++) kernel[i] *= scale[i % out];
  weights.set(`${conv.name}/kernel`, float32Weight(`${conv.name}/kernel`, kernelSpec.shape, kernel));
  weights.set(`${conv.name}/bias`, float32Weight(`${conv.name}/bias`, [out], newBias));
  for (const n of ['gamma', 'beta', 'moving_mean', 'moving_variance']) weights.delete(`${bn.name}/${n}`);
  conv.config.use_bias = true;
}

async function foldBatchNorms(topology: Topology, weights: Weights): Promise<number> {
  let folded = 0;
  for (const bn of [...topology.config.layers]) {
    if (bn.class_name !== 'BatchNormalization' || ![-1, 3].includes(Number(bn.config.axis ?? -1))) continue;
    const from = soleInput(bn);
    const conv = topology.config.layers.find((l) => l.name === from);
    if (!isLinearConv(conv) || conv.inbound_nodes.length !== 1 || readersOf(topology).get(conv.name)?.length !== 1) continue;
    await foldInto(conv, bn, weights);
    removeLayer(topology, bn, conv.name);
    folded++;
  }
  return folded;
}

function fuseRelus(topology: Topology): number {
  let fused = 0;
  const byName = (n: string | null) => topology.config.layers.find((l) => l.name === n);
  for (const act of [...topology.config.layers]) {
    if (act.class_name !== 'Activation' || act.config.activation !== 'relu') continue;
    const readers = readersOf(topology);
    const only = (l: LayerJson) => l.inbound_nodes.length === 1 && readers.get(l.name)?.length === 1;
    const input = byName(soleInput(act));
    let conv = input;
    if (input?.class_name === 'MaxPooling2D' && only(input)) conv = byName(soleInput(input));
    if (!input || !isLinearConv(conv) || !only(conv) || !only(input)) continue;
    conv.config.activation = 'relu';
    removeLayer(topology, act, input.name);
    fused++;
  }
  return fused;
}

const BYTES_PER_ELEMENT: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, float16: 2 };

/** Splits the flat weight buffer by manifest entry, keeping each weight's stored bytes; null for dtypes it cannot size. */
function splitWeights(specs: tf.io.WeightsManifestEntry[], data: tf.io.WeightData): Weights | null {
  const all = new Uint8Array(tf.io.CompositeArrayBuffer.join(data));
  const weights: Weights = new Map();
  let offset = 0;
  for (const spec of specs) {
    const size = BYTES_PER_ELEMENT[spec.quantization?.dtype ?? spec.dtype];
    if (!size) return null;
    const length = size * spec.shape.reduce((a, b) => a * b, 1);
    weights.set(spec.name, { spec, bytes: all.subarray(offset, offset + length) });
    offset += length;
  }
  return weights;
}

/**
 * A weight's float values: plain float32 copied, uint8/uint16 dequantized here with tfjs' formula (q * scale + min),
 * straight from the stored bytes (through a tensor it took four copies, a cold-start cost on large kernels);
 * anything else (float16) by tfjs' own decoder.
 */
async function readFloat(weight: StoredWeight | undefined): Promise<Float32Array | undefined> {
  if (!weight) return undefined;
  const { spec, bytes } = weight;
  if (spec.dtype === 'float32' && !spec.quantization) return new Float32Array(bytes.slice().buffer);
  const q = spec.quantization;
  if (spec.dtype === 'float32' && (q?.dtype === 'uint8' || q?.dtype === 'uint16') && q.scale != null && q.min != null) {
    const stored = q.dtype === 'uint8' ? bytes : new Uint16Array(bytes.slice().buffer);
    const values = new Float32Array(stored.length);
    for (let i = 0; i < stored.length; i++) values[i] = stored[i] * q.scale + q.min;
    return values;
  }
  const tensor = tf.io.decodeWeights(bytes.slice().buffer, [spec])[spec.name];
  try {
    return Float32Array.from((await tensor.data()) as Float32Array);
  } finally {
    tensor.dispose();
  }
}

const float32Weight = (name: string, shape: number[], values: Float32Array): StoredWeight => ({
  spec: { name, shape, dtype: 'float32' },
  bytes: new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
});

function encode(weights: Weights): { weightSpecs: tf.io.WeightsManifestEntry[]; weightData: ArrayBuffer } {
  const all = [...weights.values()];
  const data = new Uint8Array(all.reduce((n, w) => n + w.bytes.length, 0));
  let offset = 0;
  for (const w of all) {
    data.set(w.bytes, offset);
    offset += w.bytes.length;
  }
  return { weightSpecs: all.map((w) => w.spec), weightData: data.buffer };
}

/** The folded artifacts and what was done; artifacts without weights (or with string weights) come back as they were. */
export async function foldBatchNorm(artifacts: tf.io.ModelArtifacts): Promise<{ artifacts: tf.io.ModelArtifacts; summary: FoldSummary }> {
  const specs = artifacts.weightSpecs ?? [];
  const storedParams = specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
  const none = { artifacts, summary: { foldedBatchNorms: 0, fusedRelus: 0, storedParams } };
  const raw = artifacts.modelTopology as ({ model_config?: Topology } & Topology) | undefined;
  const stored = raw?.model_config ?? raw;
  const weights = artifacts.weightData && stored?.config?.layers ? splitWeights(specs, artifacts.weightData) : null;
  if (!weights || !stored) return none;
  const topology = structuredClone(stored);
  const foldedBatchNorms = await foldBatchNorms(topology, weights);
  const fusedRelus = fuseRelus(topology);
  return {
    artifacts: { ...artifacts, modelTopology: topology as unknown as tf.io.ModelArtifacts['modelTopology'], ...encode(weights) },
    summary: { foldedBatchNorms, fusedRelus, storedParams },
  };
}

/** Loads artifacts as a layers model ready for prediction, folded as above. */
export async function loadForInference(artifacts: tf.io.ModelArtifacts): Promise<{ model: tf.LayersModel; summary: FoldSummary }> {
  const folded = await foldBatchNorm(artifacts);
  const model = await tf.loadLayersModel(tf.io.fromMemory(folded.artifacts));
  return { model, summary: folded.summary };
}
