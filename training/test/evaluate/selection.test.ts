import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModelCard } from '../../../src/core/card';
import { InputError } from '../../../src/io/errors';
import { cardTestMetrics, checkAgainstCards } from '../../src/evaluate/card-check';
import { seenInTraining, selectPatients } from '../../src/evaluate/selection';
import { writeReportFromJson } from '../../src/evaluate/write';
import { REPO } from '../helpers';
import type { Metrics } from '../../src/evaluate/summarize';

const card = (name: 'classifier' | 'segmenter', test: string[], metrics?: ModelCard['metrics']): ModelCard =>
  ({
    name,
    trained: true,
    data: { source: 'lgg', splitSeed: 1, patients: { train: ['P1', 'P2'], val: ['P3'], test }, slices: { train: 0, val: 0, test: 0 } },
    metrics,
  }) as ModelCard;

const available = ['P1', 'P2', 'P3', 'P4', 'P5'];

describe('selectPatients', () => {
  it('takes every patient by default, a given list, or the split of the cards', () => {
    expect(selectPatients(available, '/d', {}, {}).patients).toEqual(available);
    expect(selectPatients(available, '/d', {}, { patients: ['P5', 'P2', 'P5'] }).patients).toEqual(['P2', 'P5']);
    const cards = { classifier: card('classifier', ['P5', 'P4']), segmenter: card('segmenter', ['P4', 'P5']) };
    expect(selectPatients(available, '/d', cards, { split: 'test' }).patients).toEqual(['P4', 'P5']);
    expect(selectPatients(available, '/d', cards, { split: 'val' }).patients).toEqual(['P3']);
  });
  it('refuses cards that disagree on the split, cards without a split, and patients not in the folder', () => {
    expect(() => selectPatients(available, '/d', { classifier: card('classifier', ['P4']), segmenter: card('segmenter', ['P5']) }, { split: 'test' })).toThrow(/different test patients/);
    expect(() => selectPatients(available, '/d', {}, { split: 'test' })).toThrow(/records a patient split/);
    const err = (() => {
      try {
        selectPatients(available, '/data/kaggle_3m', {}, { patients: ['P1', 'P9'] });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toBe('/data/kaggle_3m: no folder for patient(s) P9');
  });
});

describe('checkAgainstCards', () => {
  const metrics = {
    classifier: { auc: 0.97, thresholds: { '0.5': { accuracy: 0.94, precision: 0.9, recall: 0.88, specificity: 0.96, f1: 0.89 } } },
    segmenter: { slice_dice_mean: 0.8, patient_dice_mean: 0.86, iou_mean: 0.7 },
  } as unknown as Metrics;
  const classifierTest = { auc: 0.9705, thresholds: { '0.5': { accuracy: 0.94, precision: 0.9, recall: 0.88, specificity: 0.96, f1: 0.89 } } } as never;
  it('compares only when the run scored exactly the card test patients', () => {
    const cards = { classifier: card('classifier', ['P4', 'P5'], { test: classifierTest }) };
    expect(checkAgainstCards(metrics, cards, ['P4']).compared).toBe(false);
    const check = checkAgainstCards(metrics, cards, ['P5', 'P4']);
    expect(check.compared).toBe(true);
    expect(check.rows.map((r) => r.metric)).toContain('classifier.thresholds["0.5"].recall');
    expect(check.all_ok).toBe(true);
  });
  it('flags a metric that moved by more than half a point', () => {
    const cards = { segmenter: card('segmenter', ['P4'], { test: { slice_dice_mean: 0.8, patient_dice_mean: 0.85, iou_mean: 0.7 } }) };
    const check = checkAgainstCards(metrics, cards, ['P4']);
    expect(check.all_ok).toBe(false);
    expect(check.rows.filter((r) => !r.ok).map((r) => r.metric)).toEqual(['segmenter.patient_dice_mean']);
  });
  it('says why it did not compare when the cards have no test metrics', () => {
    expect(checkAgainstCards(metrics, { classifier: { trained: false } as ModelCard }, ['P4']).reason).toMatch(/no test metrics/);
  });
});

describe('cardTestMetrics', () => {
  it('gives what checkAgainstCards then finds identical', () => {
    const m = {
      classifier: { auc: 0.9, thresholds: { '0.5': { accuracy: 0.9, precision: 0.8, recall: 0.7, specificity: 0.95, f1: 0.75, tp: 7, fp: 2, tn: 38, fn: 3, support: 50, classification_report: {} } } },
      segmenter: { slice_dice_mean: 0.8, patient_dice_mean: 0.82, iou_mean: 0.7 },
    } as unknown as Metrics;
    const t = cardTestMetrics(m);
    expect(t.classifier.thresholds['0.5']).not.toHaveProperty('classification_report');
    expect(t.classifier.thresholds['0.5'].tp).toBe(7);
    const cards = { classifier: card('classifier', ['P4'], { test: t.classifier }), segmenter: card('segmenter', ['P4'], { test: t.segmenter }) };
    const check = checkAgainstCards(m, cards, ['P4']);
    expect(check.rows).toHaveLength(1 + 5 + 3);
    expect(check.all_ok).toBe(true);
  });
});

describe('patients the models were trained or validated on', () => {
  it('are the ones a card lists in its train or val split', () => {
    const cards = { classifier: card('classifier', ['P9']), segmenter: card('segmenter', ['P9']) };
    expect(seenInTraining(cards, ['P1', 'P3', 'P9'])).toEqual(['P1', 'P3']);
    expect(seenInTraining(cards, ['P9'])).toEqual([]);
  });

  it('the report does not call them held out (a saved result without the field keeps its heading)', () => {
    const saved = JSON.parse(readFileSync(join(REPO, 'public/models/classifier/eval-test.json'), 'utf8'));
    const dir = mkdtempSync(join(tmpdir(), 'lgg-seen-'));
    writeReportFromJson(join(REPO, 'public/models/classifier/eval-test.json'), join(dir, 'held-out'));
    expect(readFileSync(join(dir, 'held-out', 'report.md'), 'utf8')).toContain('## Targets (issue 4, held-out patients)');
    saved.data.seen_in_training = [saved.data.patient_ids[0]];
    writeFileSync(join(dir, 'seen.json'), JSON.stringify(saved));
    writeReportFromJson(join(dir, 'seen.json'), join(dir, 'seen'));
    const md = readFileSync(join(dir, 'seen', 'report.md'), 'utf8');
    expect(md).toContain(`## Targets (issue 4; not held out: 1 of ${saved.data.patient_ids.length} patients are in the models' train or val split)`);
    expect(md).not.toContain('held-out patients');
  });
});
