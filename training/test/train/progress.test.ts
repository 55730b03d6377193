import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { chooseBackend } from '../../src/backend/ladder';
import { indexDataset } from '../../src/data/index';
import { loadSlices, type SliceSet } from '../../src/data/load';
import { ProgressBar, progressLine, runEta, type ProgressStats } from '../../src/train/progress';
import { train } from '../../src/train/trainer';
import { FIXTURES } from '../helpers';

/** A stream that keeps what the bar writes; a log file (not a TTY) unless told. */
function sink(isTTY = false) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, write: (s: string) => chunks.push(s) > 0 } as unknown as NodeJS.WriteStream };
}

const stats: ProgressStats = { epoch: 3, epochs: 10, done: 12, total: 40, loss: 0.5, metric: 0.8, metricName: 'accuracy', imagesPerSecond: 2, etaSeconds: 14, runEtaSeconds: 330 };

describe('the training progress line (review finding 13)', () => {
  it('names the epoch and shows the run ETA besides the epoch ETA', () => {
    const line = progressLine(stats);
    expect(line).toMatch(/^epoch  3\/10 12\/40 \[/);
    expect(line).toMatch(/ - ETA 0:14 \(run 5:30\)$/);
  });

  it('the run ETA: the rest of this epoch, then each later epoch at the mean epoch time so far (validation included)', () => {
    // Epoch 3 of 10 under way, epochs 1-2 took 50 s and 70 s: 14 s + 7 x 60 s.
    expect(runEta({ epoch: 3, epochs: 10, etaSeconds: 14, elapsedSeconds: 30, doneEpochSeconds: [50, 70] })).toBe(14 + 7 * 60);
    // First epoch: its own elapsed + ETA is the estimate.
    expect(runEta({ epoch: 1, epochs: 4, etaSeconds: 10, elapsedSeconds: 30, doneEpochSeconds: [] })).toBe(10 + 3 * 40);
    expect(runEta({ epoch: 4, epochs: 4, etaSeconds: 5, elapsedSeconds: 30, doneEpochSeconds: [40] })).toBe(5);
  });

  it('validation: one line when it starts in a log; in place on a terminal, cleared when done', () => {
    const log = sink();
    const bar = new ProgressBar(log.stream);
    bar.validating(0, 120);
    bar.validating(40, 120);
    bar.validated();
    expect(log.chunks).toEqual(['  validating 120 slices…\n']);
    const tty = sink(true);
    const live = new ProgressBar(tty.stream);
    live.validating(0, 120);
    live.validating(40, 120);
    live.validated();
    expect(tty.chunks).toEqual(['\r  validating 0/120 slices…\x1b[K', '\r  validating 40/120 slices…\x1b[K', '\r\x1b[K']);
  });

  describe('in a training run', () => {
    let set: SliceSet;
    beforeAll(async () => {
      await chooseBackend('cpu', () => {});
      set = loadSlices(indexDataset(FIXTURES), 32);
    });

    it('a piped log names each epoch, shows the run ETA and says when validation runs', async () => {
      const log = sink();
      const lines: string[] = [];
      const r = await train({
        model: 'classifier', train: set, val: set, epochs: 2, batchSize: 3, seed: 11, inputSize: 32, augment: false,
        runDir: mkdtempSync(join(tmpdir(), 'lgg-progress-')), log: (l) => lines.push(l), progress: new ProgressBar(log.stream, 0),
      });
      r.model.dispose();
      const out = log.chunks.join('');
      const batches = Math.ceil(set.records.length / 3);
      for (const e of [1, 2]) expect(out).toMatch(new RegExp(`^  epoch ${e}/2 ${batches}/${batches} \\[=+\\] .* - ETA 0:00 \\(run \\d+:\\d\\d\\)$`, 'm'));
      expect(out.match(new RegExp(`^  validating ${set.records.length} slices…$`, 'gm'))).toHaveLength(2);
      // The last batch of the last epoch leaves nothing of the run.
      expect(out.trimEnd().split('\n').filter((l) => l.includes('epoch 2/2')).pop()).toMatch(/\(run 0:00\)$/);
      expect(lines.filter((l) => l.startsWith('Epoch '))).toHaveLength(2);
    }, 300_000);
  });
});
