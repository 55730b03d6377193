/**
 * PyTorch's figures for the same two architectures on this machine (../shared/bench/torch_peer.py): the reference
 * that bench:train and bench:node report their ratio to, measured in the same run because absolute times drift.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPO_ROOT } from './paths';

export type TorchRow = { model: 'classifier' | 'segmenter'; params: number; predictMs: number; trainImagesPerSecond: number };

export function runTorchPeer(threads = 2): { rows: TorchRow[]; skipped?: string } {
  const script = resolve(REPO_ROOT, '../shared/bench/torch_peer.py');
  if (!existsSync(script)) return { rows: [], skipped: `${script} not found` };
  const run = spawnSync('/usr/bin/python3', [script, String(threads)], { encoding: 'utf8', timeout: 600_000 });
  if (run.status !== 0) return { rows: [], skipped: `torch_peer.py failed (is python3-torch installed? apt-get install -y python3-torch): ${(run.stderr || run.error?.message || '').trim().split('\n').pop()}` };
  const rows: TorchRow[] = [];
  for (const line of run.stdout.split('\n')) {
    const m = /^(\w+): params=(\d+) predict_b1=(\d+) ms .*\(([\d.]+) img\/s\)/.exec(line);
    if (m) rows.push({ model: m[1] === 'resunet' ? 'segmenter' : 'classifier', params: +m[2], predictMs: +m[3], trainImagesPerSecond: +m[4] });
  }
  return { rows };
}
