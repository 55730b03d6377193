import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO, unpackPatients } from '../helpers';

let data: string;
beforeAll(() => {
  data = unpackPatients(['TCGA_CS_4941_19960909', 'TCGA_CS_4942_19970222', 'TCGA_CS_4943_20000902']);
});

/** Starts a tiny run, sends `signal` once the first epoch has ended, and resolves with its exit code and stderr. */
function interruptAfterFirstEpoch(signal: NodeJS.Signals, out: string): Promise<{ code: number | null; stderr: string }> {
  const args = ['--import', 'tsx', join(REPO, 'training/src/cli/train.ts'), '--model', 'segmenter', '--input-size', '32', '--batch-size', '4', '--backend', 'cpu', '--epochs', '50', '--data', data, '--out', out];
  const child = spawn(process.execPath, args, { cwd: join(REPO, 'training'), env: { ...process.env, LGG_DEBUG: '' } });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.on('data', (d) => String(d).includes('Epoch 1/50') && child.kill(signal));
  // A run that ignores the signal is ended here, so a failing test leaves no training behind.
  const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) => child.on('exit', (code) => (clearTimeout(guard), resolve({ code, stderr }))));
}

describe('train: Ctrl-C or a kill names the last checkpoint and exits 130 or 143', () => {
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const)
    it(signal, async () => {
      const out = mkdtempSync(join(tmpdir(), 'lgg-interrupt-'));
      const r = await interruptAfterFirstEpoch(signal, out);
      expect(r.code).toBe(code);
      const line = /train: interrupted in epoch (\d+); the last checkpoint is epoch (\d+): rerun with --resume to continue/.exec(r.stderr);
      expect(line).not.toBeNull();
      const saved = JSON.parse(readFileSync(join(out, 'checkpoint', 'state.json'), 'utf8')).epoch;
      expect(Number(line![2])).toBe(saved);
      expect(Number(line![1])).toBe(saved + 1);
    }, 120_000);
});
