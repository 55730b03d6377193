import { describe, expect, it } from 'vitest';
import { specificityAtRecall } from '../../src/evaluate/compare';

describe('specificityAtRecall', () => {
  const labels = [true, true, true, true, false, false, false, false];
  const probs = [0.9, 0.8, 0.3, 0.05, 0.6, 0.2, 0.1, 0.01];
  it('takes the threshold that keeps enough positives, and scores the negatives below it', () => {
    // recall 1 needs threshold 0.05: negatives below it: 0.01 -> 1 of 4
    expect(specificityAtRecall(labels, probs, 1)).toEqual({ specificity: 0.25, threshold: 0.05 });
    // recall 0.75 (3 of 4) needs threshold 0.3: 0.2, 0.1, 0.01 -> 3 of 4
    expect(specificityAtRecall(labels, probs, 0.75)).toEqual({ specificity: 0.75, threshold: 0.3 });
    // 0.7 also needs 3 of 4 positives
    expect(specificityAtRecall(labels, probs, 0.7)?.threshold).toBe(0.3);
  });
  it('is null without both classes', () => {
    expect(specificityAtRecall([true, true], [0.2, 0.4], 0.98)).toBeNull();
  });
});
