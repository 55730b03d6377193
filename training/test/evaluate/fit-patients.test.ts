import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorLines, runTrainingCli } from '../cli-helpers';
import { FIXTURES, REPO } from '../helpers';

/** The shipped pair with one validation patient in its cards (the fixtures' TCGA_FG_6688), as a 3-patient smoke run has. */
function pairWithOneValPatient(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lgg-one-val-'));
  for (const name of ['classifier', 'segmenter']) {
    cpSync(join(REPO, 'public/models', name), join(dir, name), { recursive: true });
    const file = join(dir, name, 'card.json');
    const card = JSON.parse(readFileSync(file, 'utf8'));
    card.data = { source: 'test', splitSeed: 1, patients: { train: [], val: ['TCGA_FG_6688_20020215'], test: ['TCGA_HT_8113_19930809'] }, slices: { train: 0, val: 2, test: 1 } };
    writeFileSync(file, JSON.stringify(card));
  }
  return dir;
}

describe('compare and fit-combined with one validation patient (leaving it out leaves nothing to fit on)', () => {
  it('one line and exit 2, before any model runs; fit-combined writes no combined.json', () => {
    const dir = pairWithOneValPatient();
    const message = 'needs at least 2 validation patients (this split has 1)';
    const compare = runTrainingCli('compare', ['--data', FIXTURES, '--models', `${dir},${dir}`, '--backend', 'cpu', '--quiet']);
    expect(errorLines(compare)).toEqual([message]);
    expect(compare.status).toBe(2);
    const fit = runTrainingCli('fit-combined', ['--data', FIXTURES, '--models', dir, '--backend', 'cpu', '--quiet']);
    expect(errorLines(fit)).toEqual([message]);
    expect(fit.status).toBe(2);
    expect(existsSync(join(dir, 'combined.json'))).toBe(false);
  }, 120_000);
});
