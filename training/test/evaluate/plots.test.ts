import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EvaluationResult } from '../../src/evaluate/evaluate';
import { DICE_FILE, evaluationPlots } from '../../src/evaluate/plots';
import { REPO } from '../helpers';
import { svgProblems } from './wellFormedSvg';

/** The shipped models' own test evaluation: the plots are redrawn from it as `npm run evaluate --from` does. */
const shipped = JSON.parse(readFileSync(join(REPO, 'public/models/classifier/eval-test.json'), 'utf8')) as EvaluationResult;

describe('the Dice-per-patient chart', () => {
  it("marks the mean of the mask the app draws (the outline) and issue 4's target, not the first segmenter's mean", () => {
    const svg = evaluationPlots(shipped)[DICE_FILE];
    expect(svgProblems(svg)).toEqual([]);
    expect(svg).toContain(`outline mean ${shipped.outline!.patient_dice_mean!.toFixed(3)}`);
    expect(svg).toContain('target 0.85');
    expect(svg).not.toContain('segmenter mean');
  });

  it('without a second segmenter, the segmenter alone is what is drawn', () => {
    const svg = evaluationPlots({ ...shipped, outline: null })[DICE_FILE];
    expect(svg).toContain(`segmenter mean ${shipped.segmenter.patient_dice_mean!.toFixed(3)}`);
    expect(svg).toContain('target 0.85');
  });
});
