import { describe, expect, it } from 'vitest';
import { createMask } from '../core/image';
import { parseSliceName } from '../core/slices';
import { displayed } from './derived';
import type { CurrentSlice } from './store';

function slice(probability: number, segmentation: number[] | null, truth: number[] | null): CurrentSlice {
  const mask = (on: number[]) => {
    const m = createMask(4, 1);
    for (const i of on) m.data[i] = 1;
    return m;
  };
  return {
    id: 1,
    name: parseSliceName('P_1.tif'),
    image: { width: 4, height: 1, data: new Uint8Array(12) },
    notes: [],
    truth: truth ? { mask: mask(truth), file: 'P_1_mask.tif', notes: [] } : null,
    analysis: { probability, classifierProbability: probability, combined: false, segmentation: segmentation ? mask(segmentation) : null, segmenters: segmentation ? 1 : 0, timings: { classifyMs: 1, segmentMs: 1, totalMs: 2 } },
    analyzing: false,
    segmenting: false,
    error: null,
    droppedAt: 0,
    dropToProbabilityMs: 1,
    dropToResultMs: 1,
  };
}

describe('displayed (two-stage mask at the threshold)', () => {
  it('shows the segmentation only when the classifier calls tumor', () => {
    const s = slice(0.3, [0, 1], [1, 2]);
    const at05 = displayed(s, 0.5);
    expect(at05.decision).toBe(false);
    expect(at05.predictedArea).toBe(0);
    // Empty prediction vs a 2-pixel truth.
    expect(at05.scores).toMatchObject({ dice: 0, iou: 0, truthArea: 2 });
    const at02 = displayed(s, 0.2);
    expect(at02.decision).toBe(true);
    expect(at02.predictedArea).toBe(2);
    expect(at02.scores!.dice).toBeCloseTo(0.5);
    expect(at02.scores!.iou).toBeCloseTo(1 / 3);
  });

  it('asks for the segmenter when tumor is called but it has not run', () => {
    const d = displayed(slice(0.03, null, null), 0.01);
    expect(d.decision).toBe(true);
    expect(d.needsSegmentation).toBe(true);
    expect(d.scores).toBeNull();
  });

  it('has nothing to show before an analysis', () => {
    expect(displayed(null, 0.5).decision).toBeNull();
  });
});
