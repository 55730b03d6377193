/**
 * Per-channel intensity augmentation (training only: the app never sees it, so it adds no train/serve skew).
 *
 * Why: the segmenter is blind on patients whose FLAIR channel shows the tumor at low contrast. On the validation
 * patient TCGA_CS_6188 the tumor is 1.3x as bright as the brain in FLAIR (most patients: about 2x) and the shipped
 * segmenter's probability inside it stays under 0.02; the test patients CS_5396 and CS_5397 (1.3x) get 3-D Dice
 * 0.4. A gamma per channel changes that ratio (r -> r^gamma) and a gain per channel changes the balance between
 * the three sequences, while black stays black and the mask stays where it is.
 */
import type { Rng } from '../backend/seeded-random';

export interface ChannelJitter {
  /** Per channel: v -> 255 * (v / 255) ^ gamma. */
  gamma: number[];
  /** Per channel, after the gamma: v -> min(255, v * gain). */
  gain: number[];
}

export const GAMMA_RANGE = [0.5, 1.5] as const;
export const GAIN_RANGE = [0.8, 1.2] as const;
/**
 * Half the images stay as scanned. Jittering every image (gain 0.7-1.3) lowered validation 3-D Dice from 0.763 to
 * 0.744 in a fine-tune of the shipped segmenter: the network then spends itself on colours it never meets.
 */
export const JITTER_PROBABILITY = 0.5;

const uniform = (rng: Rng, [lo, hi]: readonly [number, number]) => lo + (hi - lo) * rng.next();

/** One draw for one image with `channels` channels: null (left as scanned) or a jitter. */
export function drawJitter(rng: Rng, channels: number): ChannelJitter | null {
  if (rng.next() >= JITTER_PROBABILITY) return null;
  const gamma: number[] = [];
  const gain: number[] = [];
  for (let c = 0; c < channels; c++) {
    // log-uniform gamma, so darkening and brightening are equally likely
    gamma.push(Math.exp(uniform(rng, [Math.log(GAMMA_RANGE[0]), Math.log(GAMMA_RANGE[1])])));
    gain.push(uniform(rng, GAIN_RANGE));
  }
  return { gamma, gain };
}

/** A new image with each channel's gamma and gain applied (interleaved pixels, `gamma.length` channels). */
export function applyJitter(pixels: Uint8Array, jitter: ChannelJitter): Uint8Array {
  const channels = jitter.gamma.length;
  const lut = jitter.gamma.map((g, c) => Uint8Array.from({ length: 256 }, (_, v) => Math.min(255, Math.round(255 * Math.pow(v / 255, g) * jitter.gain[c]))));
  const out = new Uint8Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) out[i] = lut[i % channels][pixels[i]];
  return out;
}
