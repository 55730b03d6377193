/**
 * npm run pack -- --data DIR --out DEST [--seed 42] [--parts 2]
 * Writes the training pack for a GPU machine without a registry (see training/gpu/README.md): the slices the
 * two models train and validate on (same split, balancing and tumor-only selection as `npm run train`; the test
 * patients never leave this machine), cut into xz-compressed parts that each fit one device call.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { IMAGE_CHANNELS, IMAGE_SIZE } from '../../../src/core/constants';
import { Rng } from '../backend/seeded-random';
import { balanceRows } from '../data/dataset';
import { writeFileAtomic } from '../export/atomic';
import { indexDataset, patientsOf } from '../data/index';
import { loadSlices, type SliceSet } from '../data/load';
import { encodeImageResidual, packBits, PACK_VERSION, preprocessProbe } from '../data/pack';
import { splitPatients } from '../data/split';
import { defineCommand, nonNegativeInt, orExit, parseCommand, positiveInt } from './flags';
import { userPath } from './paths';
import { runCli, UsageError } from './run-cli';

const PACK = defineCommand({
  script: 'pack',
  about: 'Writes the training pack for a GPU machine (training/gpu/README.md): the train and val slices both models use, same split\n' +
    'and selection as npm run train (the test patients never leave this machine), cut into xz-compressed parts.',
  flags: {
    data: { type: 'string', value: 'DIR', required: true, help: 'kaggle_3m-layout folder' },
    out: { type: 'string', value: 'DEST', required: true, help: 'folder for pack.json and part-N.bin.xz' },
    seed: { type: 'string', value: 'N', default: '42', help: 'patient split and balancing, as npm run train --seed' },
    parts: { type: 'string', value: 'N', default: '2', help: 'how many parts to cut the slices into (each must fit one device call)' },
  },
});

const a = orExit(PACK.script, () => parseCommand(PACK));
if (!a.data || !a.out) {
  console.error('pack: usage: npm run pack -- --data DIR --out DEST [--seed 42] [--parts 2] (--help lists the flags)');
  process.exit(2);
}
const seed = orExit('pack', () => nonNegativeInt(a.seed, '--seed'));
const nParts = orExit('pack', () => positiveInt(a.parts, '--parts'));
const dataDir = userPath(a.data);
const dest = userPath(a.out);
const size = IMAGE_SIZE;
const px = size * size;

/** xz -9 of a buffer, through the xz command (Node has no xz; the GPU side reads it with Python's lzma). */
function xz(raw: Uint8Array): Buffer {
  const r = spawnSync('xz', ['-9', '-T2', '-c'], { input: raw, maxBuffer: 2 * raw.length + 2 ** 20 });
  if (r.error || r.status !== 0) throw new Error(`pack: xz failed (${r.error?.message ?? r.stderr.toString().trim()}); install xz-utils`);
  return r.stdout;
}

interface PackSlice { patient: string; key: string; split: 'train' | 'val'; label: number; classifierTrain: boolean; part: number; index: number }

// Inside runCli, so bad data or a wrong --out ends with one line (run-cli.ts), as in the other commands.
async function main(): Promise<number> {
  if (existsSync(dest) && !statSync(dest).isDirectory()) throw new UsageError(`pack: --out ${dest} is a file, not a folder`);

  const records = indexDataset(dataDir);
  const split = splitPatients(patientsOf(records), seed);
  const load = (names: string[]) => loadSlices(records.filter((r) => names.includes(r.patient)), size);
  console.log(`pack: split (seed ${seed}) train ${split.train.length} / val ${split.val.length} / test ${split.test.length} patients; test stays here`);
  const train = load(split.train);
  const val = load(split.val);

  // The rows each model uses, exactly as prepareData selects them: the balanced classifier rows hold every tumor
  // slice, so they also hold the segmenter's.
  const classifierTrain = balanceRows(train.labels, seed);
  type Row = { set: SliceSet; row: number; split: 'train' | 'val' };
  const rows: Row[] = [
    ...classifierTrain.map((row) => ({ set: train, row, split: 'train' as const })),
    ...[...val.labels.keys()].map((row) => ({ set: val, row, split: 'val' as const })),
  ];

  const perPart = Math.ceil(rows.length / nParts);
  const slices: PackSlice[] = [];
  const parts: object[] = [];
  for (let p = 0; p < nParts; p++) {
    const chunk = rows.slice(p * perPart, (p + 1) * perPart);
    const images = new Uint8Array(chunk.length * px * IMAGE_CHANNELS);
    const masks = new Uint8Array(chunk.length * (px / 8));
    chunk.forEach(({ set, row, split: s }, i) => {
      images.set(encodeImageResidual(set.images.subarray(row * px * IMAGE_CHANNELS, (row + 1) * px * IMAGE_CHANNELS), size), i * px * IMAGE_CHANNELS);
      masks.set(packBits(set.masks.subarray(row * px, (row + 1) * px)), (i * px) / 8);
      const r = set.records[row];
      slices.push({ patient: r.patient, key: r.key, split: s, label: set.labels[row], classifierTrain: s === 'train', part: p, index: i });
    });
    const raw = Buffer.concat([images, masks]);
    const file = `part-${p}.bin.xz`;
    const compressed = xz(raw);
    writeFileAtomic(join(dest, file), compressed);
    const bytes = compressed.length;
    parts.push({ file, slices: chunk.length, rawBytes: raw.length, sha256: createHash('sha256').update(raw).digest('hex') });
    console.log(`pack: ${file}: ${chunk.length} slices, ${(bytes / 2 ** 20).toFixed(1)} MiB`);
  }

  // Preprocessing probes: the first slice of each split, 2,000 seeded positions.
  const rng = new Rng(seed);
  const positions = Array.from({ length: 2000 }, () => Math.floor(rng.next() * px * IMAGE_CHANNELS));
  const probeOf = (k: number) => {
    const { set, row } = rows[k];
    return preprocessProbe(k, set.images.subarray(row * px * IMAGE_CHANNELS, (row + 1) * px * IMAGE_CHANNELS), size, positions);
  };
  const firstVal = rows.findIndex((r) => r.split === 'val');
  const manifest = { version: PACK_VERSION, size, channels: IMAGE_CHANNELS, seed, split, parts, slices, probes: [probeOf(0), probeOf(firstVal)] };
  writeFileAtomic(join(dest, 'pack.json'), JSON.stringify(manifest));
  const count = (f: (s: PackSlice) => boolean) => slices.filter(f).length;
  console.log(
    `pack: ${slices.length} slices -> ${dest}: classifier trains on ${count((s) => s.classifierTrain)}, segmenter on ${count((s) => s.split === 'train' && s.label === 1)}; ` +
      `validation ${count((s) => s.split === 'val')} (${count((s) => s.split === 'val' && s.label === 1)} tumor)`,
  );
  return 0;
}

runCli(main);
