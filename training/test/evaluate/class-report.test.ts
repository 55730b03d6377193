import { describe, expect, it } from 'vitest';
import { classificationReport } from '../../../src/core/metrics';
import { classificationReportText } from '../../src/evaluate/class-report';

describe('classificationReportText', () => {
  it("reproduces sklearn's classification_report layout character for character", () => {
    // sklearn.metrics.classification_report(y, p, target_names=['no tumor', 'tumor'], digits=2) for tp=2 fp=2 tn=2 fn=1:
    // no tumor: precision 2/3, recall 2/4, f1 4/7; tumor: precision 2/4, recall 2/3, f1 4/7.
    const expected = [
      '              precision    recall  f1-score   support',
      '',
      '    no tumor       0.67      0.50      0.57         4',
      '       tumor       0.50      0.67      0.57         3',
      '',
      '    accuracy                           0.57         7',
      '   macro avg       0.58      0.58      0.57         7',
      'weighted avg       0.60      0.57      0.57         7',
    ].join('\n');
    expect(classificationReportText(classificationReport({ tp: 2, fp: 2, tn: 2, fn: 1 }), ['no tumor', 'tumor'], 2)).toBe(expected);
  });
  it('widens the name column for long class names', () => {
    const text = classificationReportText(classificationReport({ tp: 1, fp: 0, tn: 1, fn: 0 }), ['no tumor at all here', 'tumor'], 2);
    expect(text.split('\n')[2]).toBe('no tumor at all here       1.00      1.00      1.00         1');
  });
});
