/**
 * Candidates that are not one exported folder, for `npm run compare` to score on validation: the mean of several
 * folders' predictions (an ensemble of the notebook's networks) and horizontal-flip test-time augmentation. The app
 * runs one classifier and one segmenter once each; a variant has to win here before it could be worth the browser's
 * extra inference time.
 */
import * as tf from '@tensorflow/tfjs';
import type { Predictor } from '../../../src/inference/analyze';
import { UsageError } from '../cli/run-cli';

export interface FlipChoice {
  classifier: boolean;
  segmenter: boolean;
}

export interface CandidateSpec {
  /** As given, for the report. */
  label: string;
  /** Folders with classifier/ and segmenter/; more than one: their predictions are averaged. */
  dirs: string[];
  flip: FlipChoice;
}

const FLIP_SUFFIXES: Record<string, FlipChoice> = {
  flip: { classifier: true, segmenter: true },
  'flip-classifier': { classifier: true, segmenter: false },
  'flip-segmenter': { classifier: false, segmenter: true },
};

/** `DIR`, `DIR_A+DIR_B` (mean of the folders' predictions), each optionally with `~flip`, `~flip-classifier` or `~flip-segmenter`. */
export function parseCandidateSpec(spec: string): CandidateSpec {
  const [members, suffix, ...rest] = spec.split('~');
  if (rest.length) throw new UsageError(`${spec}: at most one ~ suffix`);
  const flip = suffix === undefined ? { classifier: false, segmenter: false } : FLIP_SUFFIXES[suffix];
  if (!flip) throw new UsageError(`${spec}: unknown suffix ~${suffix} (choose ${Object.keys(FLIP_SUFFIXES).map((s) => '~' + s).join(', ')})`);
  const dirs = members.split('+').map((d) => d.trim());
  if (dirs.some((d) => d === '')) throw new UsageError(`${spec}: an empty folder name`);
  return { label: spec, dirs, flip };
}

export const isPlainFolder = (c: CandidateSpec) => c.dirs.length === 1 && !c.flip.classifier && !c.flip.segmenter;

/**
 * The mean of the model's output on the image and on its mirror image (NHWC: axis 2 runs left to right), the
 * mirror's map flipped back; a classifier's [n, 1] output needs no flipping back.
 */
export function flipAveraged(model: Predictor): Predictor {
  return {
    predict: (x) =>
      tf.tidy(() => {
        const input = x as tf.Tensor4D;
        const direct = model.predict(input) as tf.Tensor;
        const mirrored = model.predict(tf.reverse(input, 2)) as tf.Tensor;
        return tf.div(tf.add(direct, direct.rank === 4 ? tf.reverse(mirrored, 2) : mirrored), 2);
      }),
  };
}

/** The element-wise mean of the models' outputs (probabilities, not logits: what each network alone would show). */
export function meanOf(models: Predictor[]): Predictor {
  if (models.length === 1) return models[0];
  return { predict: (x) => tf.tidy(() => tf.div(tf.addN(models.map((m) => m.predict(x) as tf.Tensor)), models.length)) };
}

/** One classifier and one segmenter predictor from the members' distinct models of each kind, as the spec asks. */
export function variantPredictors(members: { classifier: Predictor[]; segmenter: Predictor[] }, flip: FlipChoice): { classifier: Predictor; segmenter: Predictor } {
  const classifier = meanOf(members.classifier);
  const segmenter = meanOf(members.segmenter);
  return { classifier: flip.classifier ? flipAveraged(classifier) : classifier, segmenter: flip.segmenter ? flipAveraged(segmenter) : segmenter };
}
