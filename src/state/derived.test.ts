import { describe, expect, it } from 'vitest';
import { fourPixelSlice } from './current-slice.fixture';
import { displayed } from './derived';

const slice = (probability: number, segmentation: number[] | null, truth: number[] | null) => fourPixelSlice('P_1.tif', probability, segmentation, truth);

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
