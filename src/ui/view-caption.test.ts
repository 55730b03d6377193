import { describe, expect, it } from 'vitest';
import { parseSliceName } from '../core/slices';
import { fourPixelSlice } from '../state/current-slice.fixture';
import type { OverlaySettings } from '../state/store';
import { OVERLAY_COLORS } from '../core/overlay';
import { placeText, viewCaption, viewDescription, viewPngFileName } from './view-caption';

const AT = new Date(Date.UTC(2026, 11, 7, 16, 5));
const OVERLAY: OverlaySettings = { channel: 'FLAIR', opacity: 0.5, showPrediction: true, showTruth: true };

const slice = (probability: number, classifierProbability: number, outline: number[], truth: number[] | null) =>
  fourPixelSlice('P_7.tif', probability, outline, truth, { classifierProbability, combined: true, segmenters: 2, decisionArea: outline.length });

describe('viewCaption (the words under a saved view and its PNG text)', () => {
  it('names the slice, the answer at the threshold with both probabilities, the legend with areas, and Dice', () => {
    const c = viewCaption(slice(0.62, 0.91, [0, 1, 2], [1, 2, 3]), 0.5, OVERLAY, AT);
    expect(c.lines[0]).toBe('P_7.tif · FLAIR in gray · overlays at 50% opacity');
    expect(c.lines[1]).toBe('Tumor likely at threshold 0.50: tumor probability 62.0% (classifier alone 91.0%, combined with the outlined area).');
    expect(c.lines[2]).toBe('Dice 0.667, IoU 0.500 · truth from P_7_mask.tif');
    expect(c.lines[3]).toMatch(/^LGG MRI tumor check · saved 2026-12-07 16:05 UTC · Research software, not a medical device/);
    expect(c.legend).toEqual([
      { color: OVERLAY_COLORS.predicted, colorName: 'green', label: 'prediction (3 px)', area: 3 },
      { color: OVERLAY_COLORS.truth, colorName: 'red', label: 'ground truth (3 px)', area: 3 },
      { color: OVERLAY_COLORS.overlap, colorName: 'yellow', label: 'both (2 px)', area: 2 },
    ]);
    expect(c.metadata).toMatchObject({ Title: 'P_7.tif', 'lgg:threshold': '0.50', 'lgg:probability': '0.62', 'lgg:classifier_probability': '0.91', 'lgg:decision': 'tumor', 'lgg:predicted_pixels': '3', 'lgg:channel': 'FLAIR' });
    expect(Number(c.metadata['lgg:dice'])).toBeCloseTo(2 / 3);
    expect(c.metadata.Description).toBe(c.lines.slice(0, 3).join('\n'));
  });

  it('below the threshold the outline is not drawn: no tumor, 0 px predicted, Dice against the truth is 0', () => {
    const c = viewCaption(slice(0.3, 0.82, [0, 1], [1]), 0.5, { ...OVERLAY, channel: 'rgb' }, AT);
    expect(c.lines[0]).toContain('RGB composite (pre-contrast, FLAIR, post-contrast)');
    expect(c.lines[1]).toMatch(/^No tumor detected at threshold 0.50: tumor probability 30.0%/);
    expect(c.legend[0].label).toBe('prediction (0 px)');
    expect(c.metadata['lgg:decision']).toBe('no tumor');
    expect(c.lines[2]).toMatch(/^Dice 0.000/);
  });

  it('lists only the overlays drawn, and none at opacity 0', () => {
    expect(viewCaption(slice(0.9, 0.9, [0], [0]), 0.5, { ...OVERLAY, showTruth: false }, AT).legend.map((l) => l.label)).toEqual(['prediction (1 px)']);
    const hidden = viewCaption(slice(0.9, 0.9, [0], [0]), 0.5, { ...OVERLAY, opacity: 0 }, AT);
    expect(hidden.legend).toEqual([]);
    expect(hidden.lines[0]).toContain('overlays hidden');
  });

  it('says n/a for Dice with tumor in neither, and states no decision while it is pending', () => {
    expect(viewCaption(slice(0.02, 0.02, [], []), 0.5, OVERLAY, AT).lines[2]).toMatch(/^Dice n\/a/);
    const s = slice(0.82, 0.82, [], null);
    const pending = { ...s, segmenting: true, analysis: { ...s.analysis!, combined: false, combinedFollows: true, segmentation: null } };
    const c = viewCaption(pending, 0.5, OVERLAY, AT);
    expect(c.lines[1]).toBe('Decision pending at threshold 0.50; the classifier alone gives 82.0%.');
    expect(c.lines[2]).toBe('no ground truth given');
    expect(c.metadata['lgg:decision']).toBeUndefined();
    expect(c.metadata['lgg:probability']).toBeUndefined();
  });

  it('places a patient\'s slice in its volume, says when the tumor call has no outline, and names the file with the threshold', () => {
    const c = viewCaption(slice(0.3, 0.3, [], null), 0.05, OVERLAY, AT, { patient: 'TCGA_CS_4942_19970222', position: 10, count: 20 });
    // Named by its own number (7), not its place in the list (10th of 20: slices may be left out).
    expect(c.lines[0]).toBe('TCGA_CS_4942_19970222, slice 7: P_7.tif · FLAIR in gray · overlays at 50% opacity');
    expect(placeText(parseSliceName('scan.png'), { patient: null, position: 3, count: 5 })).toBe('image 3 of 5');
    expect(c.legend[0].label).toBe('prediction (0 px, no region outlined)');
    expect(viewPngFileName('P_7.tif', 0.05)).toBe('P_7_view_t0.05.png');
    expect(viewPngFileName('scan.v2.png', 0.5)).toBe('scan.v2_view_t0.50.png');
  });

  it('lists "both" only where prediction and truth overlap, and says "in progress" for a slice still being analyzed', () => {
    expect(viewCaption(slice(0.9, 0.9, [0], [3]), 0.5, OVERLAY, AT).legend.map((l) => l.label)).toEqual(['prediction (1 px)', 'ground truth (1 px)']);
    const waiting = { ...slice(0.9, 0.9, [], null), analysis: null, analyzing: true };
    expect(viewCaption(waiting, 0.5, OVERLAY, AT).lines[1]).toBe('Analysis in progress: no answer yet.');
  });

  it('for a file of another size: counts on the models\' grid said so in the caption, the PNG text counts in the file\'s size (as the CSV)', () => {
    const big = { ...slice(0.9, 0.9, [0, 1], null), sourceSize: { width: 8, height: 2 } }; // a 4x1 grid from an 8x2 file
    const c = viewCaption(big, 0.5, OVERLAY, AT);
    expect(c.legend[0].label).toBe('prediction (2 px)');
    expect(c.lines[2]).toBe("no ground truth given · pixel counts on the models' 4×1 grid (the file is 8×2)");
    expect(c.metadata['lgg:predicted_pixels']).toBe('8');
    expect(viewCaption(slice(0.9, 0.9, [0, 1], null), 0.5, OVERLAY, AT).lines[2]).toBe('no ground truth given');
  });
});


describe('viewDescription (the viewer\'s text alternative)', () => {
  it('says what is drawn and in which colour, not only that there are overlays', () => {
    expect(viewDescription(slice(0.62, 0.91, [0, 1, 2], [1, 2, 3]), 0.5, OVERLAY)).toBe(
      'MRI slice P_7.tif, FLAIR in gray: prediction (3 px) in green, ground truth (3 px) in red, both (2 px) in yellow',
    );
    expect(viewDescription(slice(0.62, 0.91, [0, 1, 2], null), 0.5, { ...OVERLAY, opacity: 0 })).toBe('MRI slice P_7.tif, FLAIR in gray: no overlay drawn');
    // Below the threshold nothing green is drawn: the prediction is named without its colour.
    expect(viewDescription(slice(0.3, 0.82, [0, 1], [1]), 0.5, OVERLAY)).toBe('MRI slice P_7.tif, FLAIR in gray: prediction (0 px), nothing drawn, ground truth (1 px) in red');
  });
});
