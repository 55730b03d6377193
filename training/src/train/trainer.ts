/**
 * The training loop: seeded shuffling and (optional) flips and intensity jitter per epoch, Adam with the notebook's schedule,
 * best-val-loss weights kept in `<run>/best/`, a checkpoint every epoch, and `--resume` that continues a
 * killed run to the same result an uninterrupted run gives.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelName } from '../../../src/core/card';
import { Rng, seedMathRandom } from '../backend/seeded-random';
import { IMAGE_CHANNELS } from '../../../src/core/constants';
import { makeBatch } from '../data/batch';
import { drawJitter } from '../data/intensity';
import type { SliceSet } from '../data/load';
import type { PatientSplit } from '../data/split';
import { writeFileAtomic } from '../export/atomic';
import { loadModelFromDir, saveModelToDir } from '../export/model-files';
import { buildModel } from '../models';
import { checkpointDir, loadCheckpoint, saveCheckpoint, type TrainState } from './checkpoint';
import { minimizeFrugally } from './frugal-gradients';
import { curvesSvg, epochLine, type EpochRecord } from './history';
import { objectiveFor, type Objective } from './losses';
import { ProgressBar, runEta } from './progress';
import { drawEpoch, pictureRows } from './val-pictures';
import { ADAM, learningRateAt, makeAdam, setLearningRate } from './schedule';

export interface TrainOptions {
  model: ModelName;
  train: SliceSet;
  val: SliceSet;
  runDir: string;
  epochs: number;
  batchSize: number;
  seed: number;
  inputSize: number;
  augment?: boolean;
  /** A per-channel gamma and gain on half the training images, drawn per epoch (data/intensity.ts). */
  augmentIntensity?: boolean;
  resume?: boolean;
  /** An exported model folder (model.json + shards) to start from instead of random weights. */
  initFrom?: string;
  /** Stop after this many epochs of this process (tests use it to simulate a kill). */
  stopAfter?: number;
  /** Override the notebook's base learning rate. */
  learningRate?: number;
  /** Epochs at the base learning rate before the exponential decay (the notebook: 20). */
  constantEpochs?: number;
  /** Segmenter only: adds this times pixel-wise cross-entropy to focal Tversky, in training and validation (losses.ts). */
  bceWeight?: number;
  /** Classifier only: tumor slices' weight in the cross-entropy, in training and validation (losses.ts). */
  posWeight?: number;
  /** Recorded in each checkpoint, so that a resume can refuse other patients (run-start.ts). */
  split?: PatientSplit;
  log?: (line: string) => void;
  progress?: ProgressBar | null;
  /** Draw a few validation slices after every epoch into the run folder (val-pictures.ts; default on). */
  pictures?: boolean;
}

export interface TrainResult {
  model: tf.LayersModel;
  state: TrainState;
  /** True when all `epochs` are done (false after stopAfter). */
  finished: boolean;
}

function batchesOf(order: number[], size: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < order.length; i += size) out.push(order.slice(i, i + size));
  return out;
}

/** Keras-style validation: the mean over batches (weighted by batch size) of the batch loss and metric. */
export async function evaluateSet(model: tf.LayersModel, set: SliceSet, name: ModelName, batchSize: number, objective: Objective = objectiveFor(name), onProgress?: (done: number, total: number) => void): Promise<{ loss: number; metric: number }> {
  const { loss, metric } = objective;
  let lossSum = 0;
  let metricSum = 0;
  const rows = Array.from({ length: set.records.length }, (_, i) => i);
  let done = 0;
  onProgress?.(done, rows.length);
  for (const batch of batchesOf(rows, batchSize)) {
    const { x, y } = makeBatch(set, batch, name);
    // Async reads: WebGPU through Dawn in Node has no dataSync.
    const both = tf.tidy(() => {
      const p = model.predict(x) as tf.Tensor;
      return tf.stack([loss(y, p), metric(y, p)]);
    });
    const [l, m] = await both.data();
    tf.dispose([x, y, both]);
    lossSum += l * batch.length;
    metricSum += m * batch.length;
    onProgress?.((done += batch.length), rows.length);
  }
  return { loss: lossSum / rows.length, metric: metricSum / rows.length };
}

export async function train(o: TrainOptions): Promise<TrainResult> {
  const log = o.log ?? console.log;
  const objective = objectiveFor(o.model, o.bceWeight, o.posWeight);
  mkdirSync(o.runDir, { recursive: true });
  if (o.train.records.length === 0) throw new Error(`no ${o.model} training slices: check --data and --limit-patients`);

  // Seeding Math.random makes tfjs' weight init and dropout masks reproducible.
  const mathRng = seedMathRandom(o.seed);
  const dataRng = new Rng(o.seed + 1);
  const model = buildModel(o.model, o.inputSize);
  const baseLr = o.learningRate ?? ADAM[o.model].lr;
  const optimizer = makeAdam(o.model, baseLr);

  let state: TrainState = { epoch: 0, history: [], bestValLoss: Infinity, bestEpoch: -1, mathRng: [], dataRng: [], wallSeconds: 0, trainImages: 0, trainSeconds: 0 };
  const ckpt = o.resume ? checkpointDir(o.runDir) : null;
  if (ckpt) {
    state = await loadCheckpoint(ckpt, model, optimizer);
    mathRng.state = state.mathRng;
    dataRng.state = state.dataRng;
    log(`resume: ${ckpt} after epoch ${state.epoch} (best val_loss ${state.bestValLoss.toFixed(4)} at epoch ${state.bestEpoch})`);
  } else {
    if (o.resume) log(`resume: no checkpoint in ${o.runDir}, starting fresh`);
    if (o.initFrom) {
      const init = await loadModelFromDir(o.initFrom);
      const want = model.inputs[0].shape.join('x');
      if (init.inputs[0].shape.join('x') !== want || init.countParams() !== model.countParams())
        throw new Error(`${o.initFrom}: a model with input ${init.inputs[0].shape.join('x')} and ${init.countParams()} params cannot initialise ${o.model} ${want}`);
      model.setWeights(init.getWeights());
      init.dispose();
      log(`init: weights from ${o.initFrom}`);
    }
  }

  const trainVars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const rows = Array.from({ length: o.train.records.length }, (_, i) => i);
  const hasVal = o.val.records.length > 0;
  if (!hasVal) log('warning: no validation slices; the best epoch is chosen on training loss');
  let ranThisProcess = 0;
  const pictured = o.pictures === false || !hasVal ? [] : pictureRows(o.val);
  // The run's ETA reads only epochs timed in this process: a resumed run's earlier ones may have run on another machine.
  const epochsBefore = state.history.length;

  for (let epoch = state.epoch; epoch < o.epochs; epoch++) {
    if (o.stopAfter !== undefined && ranThisProcess >= o.stopAfter) break;
    const started = Date.now();
    const lr = learningRateAt(baseLr, epoch, o.constantEpochs);
    setLearningRate(optimizer, lr);
    const order = dataRng.shuffle([...rows]);
    const flips = order.map(() => (o.augment ? dataRng.next() < 0.5 : false));
    // Drawn after the flips, and only when asked, so runs without it keep their exact random stream.
    const jitters = order.map(() => (o.augmentIntensity ? drawJitter(dataRng, IMAGE_CHANNELS) : null));
    const batches = batchesOf(order, o.batchSize);
    let lossSum = 0;
    let metricSum = 0;
    let seen = 0;
    let stepSeconds = 0;
    for (let b = 0; b < batches.length; b++) {
      const rowsB = batches[b];
      const { x, y } = makeBatch(o.train, rowsB, o.model, {
        flips: flips.slice(b * o.batchSize, b * o.batchSize + rowsB.length),
        jitters: jitters.slice(b * o.batchSize, b * o.batchSize + rowsB.length),
      });
      const t0 = Date.now();
      let metricT: tf.Scalar | null = null;
      // Frees each gradient as soon as it is used: the ResUNet at batch 16 fits wasm's 4 GiB heap only so.
      const lossT = minimizeFrugally(
        optimizer,
        () => {
          const p = model.apply(x, { training: true }) as tf.Tensor;
          metricT = tf.keep(objective.metric(y, p));
          return objective.loss(y, p) as tf.Scalar;
        },
        trainVars,
      );
      const l = (await lossT.data())[0];
      const m = (await (metricT as unknown as tf.Scalar).data())[0];
      stepSeconds += (Date.now() - t0) / 1000;
      tf.dispose([x, y, lossT, metricT as unknown as tf.Scalar]);
      if (!Number.isFinite(l)) throw new Error(`loss became ${l} at epoch ${epoch + 1}, batch ${b + 1}: lower --lr or check the data`);
      lossSum += l * rowsB.length;
      metricSum += m * rowsB.length;
      seen += rowsB.length;
      const rate = seen / Math.max(1e-9, (Date.now() - started) / 1000);
      // On the cpu backend every await above resolves as a microtask: without this, a signal handler (train's
      // Ctrl-C line) would wait for the whole run.
      await new Promise((resolve) => setImmediate(resolve));
      const etaSeconds = (rows.length - seen) / rate;
      const elapsedSeconds = (Date.now() - started) / 1000;
      o.progress?.update({
        epoch: epoch + 1, epochs: o.epochs, done: b + 1, total: batches.length, loss: lossSum / seen, metric: metricSum / seen, metricName: objective.metricName, imagesPerSecond: rate, etaSeconds,
        runEtaSeconds: runEta({ epoch: epoch + 1, epochs: o.epochs, etaSeconds, elapsedSeconds, doneEpochSeconds: state.history.slice(epochsBefore).map((h) => h.seconds) }),
      });
    }
    o.progress?.finish();
    let val = { loss: lossSum / seen, metric: metricSum / seen };
    if (hasVal) {
      val = await evaluateSet(model, o.val, o.model, o.batchSize, objective, o.progress ? (done, total) => o.progress?.validating(done, total) : undefined);
      o.progress?.validated();
    }
    const seconds = (Date.now() - started) / 1000;
    const record: EpochRecord = { epoch: epoch + 1, lr, loss: lossSum / seen, metric: metricSum / seen, valLoss: val.loss, valMetric: val.metric, seconds, imagesPerSecond: seen / stepSeconds };
    const best = record.valLoss < state.bestValLoss;
    if (best) await saveModelToDir(model, join(o.runDir, 'best'));
    state = {
      ...state,
      epoch: epoch + 1,
      history: [...state.history, record],
      bestValLoss: best ? record.valLoss : state.bestValLoss,
      bestEpoch: best ? record.epoch : state.bestEpoch,
      mathRng: mathRng.state,
      dataRng: dataRng.state,
      wallSeconds: state.wallSeconds + seconds,
      trainImages: state.trainImages + seen,
      trainSeconds: state.trainSeconds + stepSeconds,
      ...(o.split && { split: o.split }),
    };
    if (pictured.length)
      // Pictures are for looking at: a failure to draw them (a full disk) is said, and the epoch's checkpoint still comes.
      await drawEpoch({ runDir: o.runDir, model, modelName: o.model, val: o.val, rows: pictured, epoch: epoch + 1 }).catch((e: unknown) =>
        log(`warning: the validation pictures of epoch ${epoch + 1} could not be drawn (${(e as Error).message}); training goes on`),
      );
    await saveCheckpoint(o.runDir, model, optimizer, state);
    log(epochLine(record, o.epochs, objective.metricName, best));
    const curves = curvesSvg(state.history, objective.metricName, o.model);
    writeFileAtomic(join(o.runDir, 'curves-loss.svg'), curves.loss);
    writeFileAtomic(join(o.runDir, `curves-${objective.metricName}.svg`), curves.metric);
    writeFileAtomic(join(o.runDir, 'history.json'), JSON.stringify(state.history, null, 1));
    ranThisProcess++;
  }
  return { model, state, finished: state.epoch >= o.epochs };
}
