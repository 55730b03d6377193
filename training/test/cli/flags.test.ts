import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPlainFolderName } from '../../src/cli/flags';
import { errorLines, runTrainingCli } from '../cli-helpers';
import { FIXTURES } from '../helpers';

/** A wrong flag or value: one line naming it, exit code 2, no stack trace, nothing started. */
function expectUsageError(script: string, args: string[], message: RegExp, timeout?: number): void {
  const r = runTrainingCli(script, args, timeout);
  expect(errorLines(r)).toEqual([expect.stringMatching(message)]);
  expect(r.status).toBe(2);
}

const train = ['--model', 'segmenter', '--data', '/nonexistent', '--backend', 'cpu'];

describe('wrong flags and values end with one line and exit code 2', () => {
  it('train: unknown flag, negative or non-numeric values, a learning rate <= 0', () => {
    expectUsageError('train', [...train, '--epoch', '2'], /^train: Unknown option '--epoch'$/);
    expectUsageError('train', [...train, '--epochs', '-3'], /^train: --epochs needs a positive integer, got '-3'$/);
    expectUsageError('train', [...train, '--seed', 'abc'], /^train: --seed needs an integer >= 0, got 'abc'$/);
    expectUsageError('train', [...train, '--lr=-0.01'], /^train: --lr needs a number > 0, got '-0.01'$/);
    expectUsageError('train', [...train, '--lr', 'abc'], /^train: --lr needs a number > 0, got 'abc'$/);
    expectUsageError('train', [...train, '--seed', '--augment'], /^train: --seed needs a value \(one that starts with a dash is written --seed=-VALUE\)$/);
  }, 120_000);

  it('evaluate: unknown flag, --split tset, --batch 0, --expect-card without --split test', () => {
    expectUsageError('evaluate', ['--data', '/nonexistent', '--bacth', '4'], /^Unknown option '--bacth'$/);
    expectUsageError('evaluate', ['--data', '/nonexistent', '--split', 'tset'], /^--split must be one of train, val, test, got 'tset'$/);
    expectUsageError('evaluate', ['--data', '/nonexistent', '--batch', '0'], /^--batch needs a positive integer, got '0'$/);
    expectUsageError('evaluate', ['--data', '/nonexistent', '--patients', 'P1', '--expect-card'], /^--expect-card cannot check other patients than the cards' test split: it needs --split test$/);
  }, 120_000);

  it('export-models: an unknown --model exports nothing; --run with another model than the run trained is refused', () => {
    const out = mkdtempSync(join(tmpdir(), 'lgg-flags-'));
    expectUsageError('export', ['--untrained', '--model', 'foo', '--out', out], /^export-models: --model must be one of classifier, segmenter, got 'foo'$/);
    expect(existsSync(join(out, 'foo'))).toBe(false);
    expectUsageError('export', ['--run', out, '--modle', 'segmenter'], /^export-models: Unknown option '--modle'$/);
    writeFileSync(join(out, 'card.json'), JSON.stringify({ name: 'segmenter', trained: true }));
    const r = runTrainingCli('export', ['--run', out, '--model', 'classifier', '--out', join(out, 'exp')]);
    expect(errorLines(r)).toEqual([expect.stringMatching(/is a segmenter run, not a classifier one/)]);
    expect(r.status).not.toBe(0);
  }, 120_000);

  it('export-models --as: a plain folder name inside --out, never a path (review finding 17)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lgg-flags-'));
    const out = join(dir, 'out');
    for (const as of ['../escaped', 'a/b', 'a\\b', '..', '.', ''])
      expectUsageError('export', ['--run', dir, '--model', 'classifier', '--out', out, '--as', as], new RegExp(`^export-models: --as needs a plain folder name inside --out \\(e\\.g\\. segmenter-2\\), not a path: got '${as.replace(/[.\\]/g, '\\$&')}'$`));
    expect(existsSync(join(dir, 'escaped'))).toBe(false);
    expect(existsSync(out)).toBe(false);
    expect([isPlainFolderName('segmenter-2'), isPlainFolderName('clf..last'), isPlainFolderName('../x'), isPlainFolderName(' x')]).toEqual([true, true, false, false]);
  }, 120_000);

  it('the other commands: an unknown flag', () => {
    for (const script of ['fit-combined', 'compare', 'average', 'pack', 'import-torch'])
      expectUsageError(script, ['--bogus'], /^(\S+: )?Unknown option '--bogus'$/);
  }, 120_000);

  it('bench:train: an unknown flag does not start the benchmark', () => {
    expectUsageError('bench-train', ['--smok'], /^bench:train: Unknown option '--smok'$/, 20_000);
  }, 60_000);

  it('bench:train: a non-numeric or impossible number does not start the benchmark', () => {
    expectUsageError('bench-train', ['--smoke', '--steps', 'abc'], /^bench:train: --steps needs a positive integer, got 'abc'$/, 20_000);
    expectUsageError('bench-train', ['--smoke', '--batch', '0'], /^bench:train: --batch needs a positive integer, got '0'$/, 20_000);
    expectUsageError('bench-train', ['--smoke', '--threads', '1.5'], /^bench:train: --threads needs a positive integer, got '1.5'$/, 20_000);
    expectUsageError('bench-train', ['--smoke', '--size', '100'], /^bench:train: --size needs a multiple of 16 that is at least 64, got '100'$/, 20_000);
  }, 120_000);

  it('a missing folder or file, a file as --out, an unknown --backend: one line and exit 2, no stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lgg-flags-'));
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    expectUsageError('pack', ['--data', join(dir, 'none'), '--out', join(dir, 'pack')], /^data error: .*none: no such data folder$/);
    expectUsageError('pack', ['--data', dir, '--out', file], /^pack: --out .*a-file is a file, not a folder$/);
    expectUsageError('evaluate', ['--data', FIXTURES, '--models', join(dir, 'none'), '--backend', 'cpu', '--quiet'], /^--models .*none: no classifier\/ folder there/);
    expectUsageError('evaluate', ['--from', join(dir, 'none.json'), '--report', join(dir, 'report')], /^--from .*none\.json: not a readable evaluation JSON \(no such file\)$/);
    expectUsageError('export', ['--untrained', '--out', file], /^export-models: --out .*a-file is a file, not a folder$/);
    expectUsageError('train', [...train, '--backend', 'foo'].map((v) => (v === '/nonexistent' ? dir : v)), /^train: unknown backend 'foo': choose one of /);
  }, 120_000);
});
