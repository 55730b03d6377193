/** sklearn's classification_report text layout (per class, accuracy, macro avg, weighted avg) for a ClassificationReport. */
import type { ClassificationReport, ClassReportRow } from '../../../src/core/metrics';

export function classificationReportText(r: ClassificationReport, names: [string, string] = ['no tumor', 'tumor'], digits = 4): string {
  const width = Math.max(...names.map((n) => n.length), 'weighted avg'.length, digits);
  const right = (s: string, w: number) => s.padStart(w);
  const f = (v: number) => right(v.toFixed(digits), 9);
  const row = (name: string, x: ClassReportRow) => `${right(name, width)}  ${f(x.precision)} ${f(x.recall)} ${f(x.f1)} ${right(String(x.support), 9)}`;
  return [
    `${right('', width)}  ${['precision', 'recall', 'f1-score', 'support'].map((h) => right(h, 9)).join(' ')}`,
    '',
    row(names[0], r.noTumor),
    row(names[1], r.tumor),
    '',
    `${right('accuracy', width)}  ${right('', 9)} ${right('', 9)} ${f(r.accuracy)} ${right(String(r.macroAvg.support), 9)}`,
    row('macro avg', r.macroAvg),
    row('weighted avg', r.weightedAvg),
  ].join('\n');
}
