import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { modelLeftovers } from './model-leftovers';

describe('modelLeftovers', () => {
  it('finds what a killed export left (a .old folder, temp folders and files), not the models themselves', () => {
    const dir = mkdtempSync(join(tmpdir(), 'models-'));
    for (const d of ['classifier', 'segmenter.old', 'segmenter-2', 'segmenter-2.tmp-4242-1']) mkdirSync(join(dir, d));
    for (const f of ['classifier/model.json', 'classifier/group1-shard1of2.bin', 'classifier/group1-shard2of2.bin.tmp-4242-17-3', 'combined.json'])
      writeFileSync(join(dir, f), '{}');
    expect(modelLeftovers(dir)).toEqual(['classifier/group1-shard2of2.bin.tmp-4242-17-3', 'segmenter-2.tmp-4242-1', 'segmenter.old']);
  });

  it('the shipped models folder is clean', () => {
    expect(modelLeftovers('public/models')).toEqual([]);
  });
});
