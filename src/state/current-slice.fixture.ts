/** For unit tests: a 4x1-pixel slice on screen with its analysis, masks given as the indices of their tumor pixels. */
import { createMask, type BinaryMask } from '../core/image';
import { parseSliceName } from '../core/slices';
import type { Analysis } from '../inference/types';
import type { CurrentSlice } from './store';

const mask = (on: number[]): BinaryMask => {
  const m = createMask(4, 1);
  for (const i of on) m.data[i] = 1;
  return m;
};

/**
 * `outline`: the segmentation's tumor pixels (null: no segmenter ran); `truth`: the ground truth's (null: none given).
 * The rest of the analysis (classifier probability, combined, segmenters, decision area) as `analysis` says.
 */
export function fourPixelSlice(file: string, probability: number, outline: number[] | null, truth: number[] | null, analysis: Partial<Analysis> = {}): CurrentSlice {
  const base = file.replace(/\.[^.]*$/, '');
  return {
    id: 1,
    name: parseSliceName(file),
    image: { width: 4, height: 1, data: new Uint8Array(12) },
    notes: [],
    truth: truth ? { mask: mask(truth), file: `${base}_mask.tif`, notes: [] } : null,
    analysis: { probability, classifierProbability: probability, combined: false, segmentation: outline ? mask(outline) : null, segmenters: outline ? 1 : 0, timings: { classifyMs: 1, segmentMs: 1, totalMs: 2 }, ...analysis },
    analyzing: false,
    segmenting: false,
    error: null,
    droppedAt: 0,
    dropToProbabilityMs: 1,
    dropToResultMs: 1,
  };
}
